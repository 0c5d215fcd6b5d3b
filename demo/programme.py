"""The demo programme: financial year 2019/20 from PROGRAMME.md, and the next programme.

Deterministic (a seeded random generator), idempotent (it does nothing if the programme is
already there) and quick: people and past bookings are written in bulk. Past bookings are written
directly because the booking service rightly refuses runs that have already happened; upcoming
ones are written the same way so that loading the demo sends no emails.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from courses.models import ElearningCoursePage, MasterclassPage, OfficerProgrammePage
from events.models import ConferencePage, WhatsOnPage
from lms.accounts.models import Council, Role
from lms.bookings.models import (
    REFERENCE_ALPHABET,
    Actor,
    Attendance,
    AttendanceChange,
    AttendanceSource,
    AttendanceStatus,
    Audience,
    Booking,
    BookingChange,
    BookingEvent,
    BookingMode,
    BookingStatus,
    CancelReason,
    Run,
    Session,
    Venue,
    WaitlistOrder,
)
from lms.core.bank_holidays import is_working_day
from lms.core.time import LONDON
from lms.pages.models import HomePage, Theme

from .site import ORGANISER_EMAIL

SEED = 20192020
FIRST_NAMES = [
    "Aisha",
    "Alan",
    "Alison",
    "Amir",
    "Andrew",
    "Angela",
    "Anita",
    "Ben",
    "Bernadette",
    "Carl",
    "Catherine",
    "Chloe",
    "Chris",
    "Claire",
    "Colin",
    "Dan",
    "David",
    "Deborah",
    "Dev",
    "Diane",
    "Elaine",
    "Emma",
    "Fatima",
    "Fiona",
    "Gareth",
    "Gemma",
    "Graham",
    "Hannah",
    "Harjit",
    "Helen",
    "Ian",
    "Imran",
    "Jack",
    "Jane",
    "Jas",
    "Jenny",
    "John",
    "Joy",
    "Karen",
    "Kate",
    "Kevin",
    "Lara",
    "Laura",
    "Lee",
    "Linda",
    "Liz",
    "Marcus",
    "Maria",
    "Mark",
    "Martin",
    "Mary",
    "Matt",
    "Michelle",
    "Mo",
    "Nadia",
    "Neil",
    "Nicola",
    "Nigel",
    "Olu",
    "Paul",
    "Pauline",
    "Peter",
    "Priya",
    "Rachel",
    "Raj",
    "Rebecca",
    "Richard",
    "Rob",
    "Ruth",
    "Sam",
    "Sandra",
    "Sarah",
    "Shabana",
    "Simon",
    "Sophie",
    "Stephen",
    "Sue",
    "Tom",
    "Tracey",
    "Una",
    "Vikram",
    "Wendy",
    "Yasmin",
    "Zoe",
]
LAST_NAMES = [
    "Adams",
    "Ahmed",
    "Ali",
    "Allen",
    "Bailey",
    "Baker",
    "Begum",
    "Bell",
    "Brown",
    "Campbell",
    "Carter",
    "Chan",
    "Clarke",
    "Cole",
    "Collins",
    "Cooper",
    "Davies",
    "Dixon",
    "Edwards",
    "Evans",
    "Fisher",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "King",
    "Lee",
    "Lewis",
    "Martin",
    "Mason",
    "Miller",
    "Mitchell",
    "Moore",
    "Morgan",
    "Morris",
    "Murphy",
    "Okafor",
    "Owen",
    "Parker",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Rogers",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]

DEMO_JOINING_DETAILS = (
    "Join the meeting: https://meet.example.org/council-skills/demo\n"
    "Meeting ID: 123 456 789, passcode: skills"
)
VENUES = {
    "Manchester": ("Manchester Central Library", "St Peter's Square", "north_west"),
    "Bristol": ("Bristol City Hall", "College Green", "south_west"),
    "Newcastle": ("Newcastle Civic Centre", "Barras Bridge", "north_east"),
    "London": ("Local Government House", "18 Smith Square", "london"),
    "Taunton": ("Taunton Deane House", "Belvedere Road", "south_west"),
    "Birmingham": ("Birmingham Council House", "Victoria Square", "west_midlands"),
    "Leeds": ("Leeds Civic Hall", "Calverley Street", "yorkshire"),
}


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


class Builder:
    def __init__(self, today=None):
        self.rng = random.Random(SEED)
        self.today = today or timezone.localdate()
        self.references = set(Booking.objects.values_list("reference", flat=True))
        self.home = HomePage.objects.first()
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.venues = {}
        self.people = {Role.COUNCILLOR: [], Role.OFFICER: [], Role.OTHER: []}
        self.bookings = []
        self.past_runs = []
        self.booked_on_page = {}  # page pk → pks of everyone booked on one of its runs

    # -- reference data ------------------------------------------------------------------
    def venue(self, city):
        if city not in self.venues:
            name, address, region = VENUES[city]
            self.venues[city], _ = Venue.objects.get_or_create(
                name=name, city=city, defaults={"address": address, "region": region}
            )
        return self.venues[city]

    def make_people(self, councillors=420, officers=1400, others=900):
        councils = list(Council.objects.order_by("code"))
        current = [c for c in councils if c.end_date is None]
        User = get_user_model()
        unusable = make_password(None)
        rows, n = [], 0
        for role, count in (
            (Role.COUNCILLOR, councillors),
            (Role.OFFICER, officers),
            (Role.OTHER, others),
        ):
            for _ in range(count):
                n += 1
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                # Most people are at councils that still exist; some at ones since merged.
                council = None
                if role != Role.OTHER:
                    council = self.rng.choice(councils if self.rng.random() < 0.15 else current)
                rows.append(
                    User(
                        email=f"{first}.{last}.{n}@demo.example.org".lower(),
                        full_name=f"{first} {last}",
                        role=role,
                        council=council,
                        organisation=""
                        if council
                        else self.rng.choice(
                            [
                                "Institute of Directors",
                                "Nudge Partners",
                                "BuildCo Ltd",
                                "Social Value UK",
                                "University of Leeds",
                            ]
                        ),
                        job_title="Councillor" if role == Role.COUNCILLOR else "",
                        password=unusable,
                    )
                )
        User.objects.bulk_create(rows, batch_size=500)
        for person in User.objects.filter(email__endswith="@demo.example.org").order_by("pk"):
            self.people[person.role].append(person)

    # -- pages and runs --------------------------------------------------------------------
    def page(self, page_class, title, slug, theme, summary, who_for, report_subject, body=""):
        page = page_class(
            title=title,
            slug=slug,
            theme=self.themes.get(theme),
            summary=summary,
            who_for=who_for,
            body=body,
            report_subject=report_subject,
        )
        self.home.add_child(instance=page)
        return page

    def run(self, page, title, prefix, days, capacity, city=None, hours=(10, 16), **fields):
        if city is None:  # online: emailed to people with a place from the reminder on
            fields.setdefault("joining_details", DEMO_JOINING_DETAILS)
        run = Run.objects.create(
            page=page,
            title=title,
            reference_prefix=prefix,
            capacity=capacity,
            venue=self.venue(city) if city else None,
            online=city is None,
            **fields,
        )
        Session.objects.bulk_create(
            [
                Session(
                    run=run,
                    title=(f"Day {i}" if len(days) > 1 else ""),
                    starts_at=_at(day, hours[0]),
                    ends_at=_at(day, hours[1]),
                )
                for i, day in enumerate(days, start=1)
            ]
        )
        run.refresh_dates()
        run.demo_sessions = list(run.sessions.order_by("starts_at"))
        run.demo_confirmed = []
        return run

    def past(self, run, kind):
        """A run of 2019/20 that took place: its register gets taken."""
        run.demo_kind = kind
        self.past_runs.append(run)

    def reference(self, prefix):
        while True:
            ref = f"{prefix}-" + "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(4))
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def fill(self, run, role, confirmed, waitlisted=0, cancelled=0, requested=0, exclude=()):
        """Give a run its bookings: drawn from the people of a role, nobody twice on one run nor
        on two runs of one course, so a course's "54 councillors" are 54 different people."""
        taken = self.booked_on_page.setdefault(run.page_id, set())
        pool = [p for p in self.people[role] if p.pk not in exclude and p.pk not in taken]
        chosen = self.rng.sample(pool, confirmed + waitlisted + cancelled + requested)
        taken.update(p.pk for p in chosen)
        opened = run.starts_at - timedelta(days=60)
        statuses = (
            [BookingStatus.CONFIRMED] * confirmed
            + [BookingStatus.CANCELLED] * cancelled
            + [BookingStatus.WAITLISTED] * waitlisted
            + [BookingStatus.REQUESTED] * requested
        )
        for i, (person, status) in enumerate(zip(chosen, statuses, strict=True)):
            made = opened + timedelta(minutes=37 * i)
            self.bookings.append(
                booking := Booking(
                    run=run,
                    person=person,
                    reference=self.reference(run.reference_prefix),
                    status=status,
                    created_at=made,
                    confirmed_at=made if status == BookingStatus.CONFIRMED else None,
                    waitlisted_at=made if status == BookingStatus.WAITLISTED else None,
                    cancelled_at=made + timedelta(days=5)
                    if status == BookingStatus.CANCELLED
                    else None,
                    cancel_reason=CancelReason.BY_PERSON
                    if status == BookingStatus.CANCELLED
                    else "",
                    needs=self.rng.choice(
                        ["", "", "", "", "Vegetarian", "Step-free access", "Hearing loop"]
                    ),
                )
            )
            if status == BookingStatus.CONFIRMED:
                run.demo_confirmed.append(booking)
        return [p.pk for p in chosen[:confirmed]]


def _record_history(b):
    """Each demo booking's history, as the services would have written it: the person booked
    (cancelled bookings were confirmed first) and, for those, cancelled five days later."""
    events = []
    for booking in b.bookings:
        first = (
            BookingStatus.CONFIRMED if booking.status == BookingStatus.CANCELLED else booking.status
        )
        events.append(
            BookingEvent(
                booking=booking,
                change=BookingChange.BOOKED,
                from_status="",
                to_status=first,
                at=booking.created_at,
                actor=Actor.PERSON,
                by=booking.person,
            )
        )
        if booking.status == BookingStatus.CANCELLED:
            events.append(
                BookingEvent(
                    booking=booking,
                    change=BookingChange.CANCELLED,
                    from_status=first,
                    to_status=BookingStatus.CANCELLED,
                    at=booking.cancelled_at,
                    actor=Actor.PERSON,
                    by=booking.person,
                    reason=CancelReason.BY_PERSON.label,
                )
            )
    BookingEvent.objects.bulk_create(events, batch_size=1000)


def load_programme(today=None):
    """Load 2019/20 and the next programme once. Returns False if they were already there."""
    if MasterclassPage.objects.filter(slug="data-and-digital-transformation").exists():
        return False
    with transaction.atomic():
        b = Builder(today)
        b.make_people()
        _year_2019_20(b)
        _next_programme(b)
        Booking.objects.bulk_create(b.bookings, batch_size=1000)
        _record_history(b)
        _take_attendance(b)
        _collect_survey_responses(b)
        _issue_certificates(b)
        _import_elearning_completions(b)
    _analyse()
    from lms.core.cache import bump, bump_places

    bump(), bump_places()  # bulk writes send no signals: tell cached listings what changed
    return True


def _analyse():
    """Thousands of rows arrived at once: on PostgreSQL, refresh the planner's statistics now
    rather than when autovacuum gets round to it, or its first plans assume empty tables."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _take_attendance(b):
    """The registers of 2019/20, as organisers took them on the day.

    Every councillor booked on a masterclass came (54 and 78 attended). On the officer cohorts a
    few people missed a day, so they have partial attendance and did not complete; at the
    conferences about one delegate in twelve did not turn up. E-learning intakes take no
    register: their completion comes from the provider.
    """
    organiser = get_user_model().objects.filter(email=ORGANISER_EMAIL).first()
    marks, changes = [], []
    for run in b.past_runs:
        for booking in run.demo_confirmed:
            for session in run.demo_sessions:
                status = AttendanceStatus.ATTENDED
                if run.demo_kind == "cohort" and b.rng.random() < 0.025:
                    status = b.rng.choice([AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED])
                elif run.demo_kind == "conference" and b.rng.random() < 0.08:
                    status = AttendanceStatus.ABSENT
                elif b.rng.random() < 0.05:
                    status = AttendanceStatus.LATE if run.demo_kind != "masterclass" else status
                at = session.starts_at + timedelta(minutes=b.rng.randint(0, 40))
                marks.append(
                    Attendance(
                        booking=booking,
                        session=session,
                        status=status,
                        marked_at=at,
                        marked_by=organiser,
                    )
                )
                changes.append(
                    AttendanceChange(
                        booking=booking,
                        session=session,
                        new_status=status,
                        source=AttendanceSource.REGISTER,
                        changed_at=at,
                        changed_by=organiser,
                    )
                )
    Attendance.objects.bulk_create(marks, batch_size=1000)
    AttendanceChange.objects.bulk_create(changes, batch_size=1000)


# How the 2019/20 attendees answered "Overall, how satisfied are you with the course and how it has
# developed your knowledge and role?", per page: (respondents, very satisfied, satisfied, neither).
# Data and digital: 43 of 54 attendees responded and 34 of 43 (79 per cent) were very satisfied.
SATISFACTION = {
    "data-and-digital-transformation": (43, 34, 7, 2),
    "commercial-skills-masterclass": (61, 44, 15, 2),
    "commercial-skills-officers": (41, 29, 10, 2),
}
CONFERENCE_RESPONSE_RATE = 0.3
MOST_USEFUL = [
    "Hearing how other councils started.",
    "The case studies.",
    "Practical tools I can use next week.",
    "Time to talk to members from other councils.",
    "The session on data sharing.",
    "",
]
TO_CHANGE = ["More time for questions.", "Send the slides beforehand.", "", "", "A shorter lunch."]


def _collect_survey_responses(b):
    """Every 2019/20 run's survey: invitations to attendees, answers from some of them.

    Written directly (like the bookings) so that loading the demo sends no email. The masterclass
    and cohort surveys name their respondents; the conference surveys are anonymous.
    """
    from lms.surveys.models import Answer, Invitation, Response, Survey, SurveyTemplate

    template = SurveyTemplate.objects.get(is_default=True)
    questions = {q.key: q for q in template.questions.all()}
    present = set(
        Attendance.objects.filter(
            status__in=[AttendanceStatus.ATTENDED, AttendanceStatus.LATE]
        ).values_list("booking_id", flat=True)
    )
    by_page = {}
    for run in b.past_runs:
        by_page.setdefault(run.page.slug, []).append(run)
    invitations, plans = [], []
    for slug, runs in by_page.items():
        attendees = [
            (run, booking)
            for run in runs
            for booking in run.demo_confirmed
            if booking.pk in present
        ]
        if slug in SATISFACTION:
            respondents, very, satisfied, neither = SATISFACTION[slug]
            answers = (
                ["Very satisfied"] * very
                + ["Satisfied"] * satisfied
                + ["Neither satisfied nor dissatisfied"] * neither
            )
        else:
            respondents = round(len(attendees) * CONFERENCE_RESPONSE_RATE)
            answers = b.rng.choices(
                [
                    "Very satisfied",
                    "Satisfied",
                    "Neither satisfied nor dissatisfied",
                    "Dissatisfied",
                ],
                weights=[5, 4, 1, 0.3],
                k=respondents,
            )
        b.rng.shuffle(answers)
        answering = set(b.rng.sample(range(len(attendees)), respondents))
        surveys = {}
        for run in runs:
            opened = run.ends_at + timedelta(hours=2)
            surveys[run.pk] = Survey.objects.create(
                run=run,
                template=template,
                anonymous=slug not in SATISFACTION,
                opened_at=opened,
                closes_at=opened + timedelta(days=28),
            )
        for i, (run, booking) in enumerate(attendees):
            survey = surveys[run.pk]
            invitation = Invitation(survey=survey, booking=booking, sent_at=survey.opened_at)
            if i in answering:
                invitation.answered = True
                answered_at = survey.opened_at + timedelta(
                    days=b.rng.randint(0, 12), minutes=b.rng.randint(0, 600)
                )
                plans.append((invitation, answers.pop(), answered_at))
            elif b.rng.random() < 0.9:
                invitation.reminded_at = survey.opened_at + timedelta(
                    days=survey.reminder_after_days
                )
            invitations.append(invitation)
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=invitation.survey,
                invitation=None if invitation.survey.anonymous else invitation,
                submitted_at=None if invitation.survey.anonymous else answered_at,
            )
            for invitation, _, answered_at in plans
        ],
        batch_size=1000,
    )
    recommend = {
        "Very satisfied": (8, 10),
        "Satisfied": (6, 9),
        "Neither satisfied nor dissatisfied": (4, 7),
        "Dissatisfied": (0, 5),
    }
    rows = []
    for response, (_, satisfaction, _) in zip(responses, plans, strict=True):
        rows.append(
            Answer(response=response, question=questions["satisfaction"], choice=satisfaction)
        )
        rows.append(
            Answer(
                response=response,
                question=questions["recommend"],
                number=b.rng.randint(*recommend[satisfaction]),
            )
        )
        if text := b.rng.choice(MOST_USEFUL):
            rows.append(Answer(response=response, question=questions["most_useful"], text=text))
        if text := b.rng.choice(TO_CHANGE):
            rows.append(Answer(response=response, question=questions["change"], text=text))
    Answer.objects.bulk_create(rows, batch_size=1000)


def _issue_certificates(b):
    """Certificates for everyone who completed a 2019/20 masterclass or officer cohort, issued by
    the organiser the week after each run (through the certificates service: real PDFs)."""
    from lms.certificates.services import eligible, issue

    organiser = get_user_model().objects.filter(email=ORGANISER_EMAIL).first()
    for run in b.past_runs:
        if run.demo_kind in ("masterclass", "cohort"):
            for booking in eligible(run):
                issue(booking, by=organiser, now=run.ends_at + timedelta(days=7))


PROVIDER_STATUSES = ("Completed", "In progress", "Not started")


def _import_elearning_completions(b):
    """The e-learning provider's completion files for the 2019/20 intakes, imported by the
    organiser through the same service as the admin's "Import completions from the provider".

    Each file lists everyone on the intake with the provider's status, as providers send it
    (their own capitalisation of the status and, now and then, of the email). Nothing here says
    how many completed: the figures are counted from the attendance the import wrote.
    """
    import csv
    import io

    from lms.bookings.attendance import apply_completion_import

    organiser = get_user_model().objects.filter(email=ORGANISER_EMAIL).first()
    for run, share, received in b.elearning_intakes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Learner name", "Email", "Status"])
        for booking in run.demo_confirmed:
            roll = b.rng.random()
            if roll < share:
                status = PROVIDER_STATUSES[0]
            else:
                status = (
                    PROVIDER_STATUSES[1]
                    if roll < share + (1 - share) * 0.6
                    else PROVIDER_STATUSES[2]
                )
            email = booking.person.email
            if b.rng.random() < 0.1:
                email = email.capitalize()
            writer.writerow([booking.person.full_name, email, status])
        apply_completion_import(run, out.getvalue(), by=organiser, now=received)


def _year_2019_20(b):
    d = date
    digital = b.page(
        MasterclassPage,
        "Data and digital transformation",
        "data-and-digital-transformation",
        "transforming-services",
        "A one-day masterclass for elected members on using data and digital tools to transform services.",
        "Councillors (elected members)",
        "data and digital transformation",
    )
    for city, day, n in [
        ("Manchester", d(2020, 1, 24), 14),
        ("Bristol", d(2020, 1, 31), 13),
        ("Newcastle", d(2020, 2, 7), 13),
        ("London", d(2020, 2, 14), 14),
    ]:
        run = b.run(digital, city, "DD", [day], 16, city, audience=Audience.COUNCILLORS)
        b.fill(run, Role.COUNCILLOR, confirmed=n, cancelled=2)  # 54 councillors in all
        b.past(run, "masterclass")

    commercial = b.page(
        MasterclassPage,
        "Commercial skills for councillors",
        "commercial-skills-masterclass",
        "generating-income",
        "Masterclasses that give elected members the confidence to lead commercial decisions.",
        "Councillors (elected members)",
        "commercial skills",
    )
    for city, day, n in [
        ("London", d(2019, 10, 15), 20),
        ("Manchester", d(2019, 11, 12), 20),
        ("Taunton", d(2019, 12, 3), 18),
        ("Birmingham", d(2020, 1, 21), 20),
    ]:
        run = b.run(commercial, city, "CM", [day], n, city, audience=Audience.COUNCILLORS)
        b.fill(
            run, Role.COUNCILLOR, confirmed=n, waitlisted=b.rng.randint(6, 12)
        )  # 78, oversubscribed
        b.past(run, "masterclass")

    officers = b.page(
        OfficerProgrammePage,
        "Commercial skills training for officers",
        "commercial-skills-officers",
        "generating-income",
        "A programme for council officers over three days, delivered with the Institute of Directors.",
        "Council officers",
        "commercial skills",
    )
    b.officer_programme = officers
    alumni = []
    for title, city, start, n in [
        ("Cohort 1, Manchester", "Manchester", d(2019, 9, 17), 17),
        ("Cohort 2, Taunton", "Taunton", d(2019, 10, 8), 17),
        ("Cohort 3, London", "London", d(2020, 1, 14), 16),
    ]:
        run = b.run(
            officers,
            title,
            "OC",
            [start + timedelta(weeks=3 * i) for i in range(3)],
            n,
            city,
            audience=Audience.OFFICERS,
        )
        alumni += b.fill(run, Role.OFFICER, confirmed=n, waitlisted=3)  # 50 officers
        b.past(run, "cohort")
    b.alumni = alumni

    elearning = b.page(
        ElearningCoursePage,
        "Contract management e-learning",
        "contract-management-elearning",
        "smarter-sourcing",
        "Funded places on the government's contract management foundation e-learning course.",
        "Council officers",
        "contract management e-learning",
    )
    b.elearning_intakes = []
    for title, day, n, share, weeks in [
        ("Autumn 2019 intake", d(2019, 10, 1), 480, 0.78, 10),
        ("Spring 2020 intake", d(2020, 2, 3), 500, 0.55, 7),
    ]:
        run = b.run(
            elearning, title, "EL", [day], n, None, hours=(9, 17), audience=Audience.OFFICERS
        )
        b.fill(run, Role.OFFICER, confirmed=n)  # 980 enrolled, 500 in the latest intake
        # The provider's completion file arrives some weeks in; about this share have completed.
        b.elearning_intakes.append((run, share, run.starts_at + timedelta(weeks=weeks)))

    for title, slug, theme, summary, subject, day, days, cap, city, confirmed, waiting, roles in [
        (
            "Digital showcase conference",
            "digital-showcase-2019",
            "transforming-services",
            "Councils show what digital has done for their residents.",
            "the digital showcase",
            d(2019, 11, 4),
            1,
            300,
            "London",
            300,
            45,
            Role.OFFICER,
        ),
        (
            "National Social Value Conference",
            "social-value-conference-2020",
            "smarter-sourcing",
            "Two days on buying for social value.",
            "the National Social Value Conference",
            d(2020, 1, 22),
            2,
            850,
            "Birmingham",
            812,
            0,
            Role.OTHER,
        ),
        (
            "Behavioural insights in local government conference",
            "behavioural-insights-2020",
            "transforming-services",
            "The third conference on nudges for social good, where the podcast launched.",
            "the behavioural insights conference",
            d(2020, 2, 11),
            1,
            250,
            "London",
            214,
            0,
            Role.OFFICER,
        ),
        (
            "National Construction Conference",
            "construction-conference-2020",
            "smarter-sourcing",
            "The seventh national conference on council construction, with a record number of delegates.",
            "the National Construction Conference",
            d(2020, 2, 26),
            1,
            700,
            "Leeds",
            655,
            0,
            Role.OTHER,
        ),
    ]:
        page = b.page(
            ConferencePage, title, slug, theme, summary, "Anyone working with councils", subject
        )
        run = b.run(
            page,
            "Conference",
            "CF",
            [day + timedelta(days=i) for i in range(days)],
            cap,
            city,
            hours=(9, 17),
        )
        b.fill(run, roles, confirmed=confirmed, waitlisted=waiting)
        b.past(run, "conference")

    alumni_page = b.page(
        ConferencePage,
        "Alumni learning conference",
        "alumni-learning-conference",
        "generating-income",
        "For officers who have completed the commercial skills programme: speakers from academia, "
        "councils and the private sector.",
        "Alumni of the commercial skills programme for officers",
        "the alumni learning conference",
    )
    b.alumni_page = alumni_page


def _next_programme(b):
    """The documents' "next steps", dated in the months after the demo is loaded."""
    start = b.today + timedelta(days=21)

    def on(weeks, weekday=1):
        """That weekday in the given week from the start, or the next working day after it when
        it is a bank holiday in England and Wales (a Friday's goes to the Monday)."""
        day = start + timedelta(weeks=weeks)
        day += timedelta(days=(weekday - day.weekday()) % 7)
        while not is_working_day(day):
            day += timedelta(days=1)
        return day

    transformation = b.page(
        MasterclassPage,
        "Transformation and cyber security",
        "transformation-and-cyber-security",
        "transforming-services",
        "This year's masterclass for members: leading transformation, with a session on cyber security.",
        "Councillors (elected members)",
        "transformation and cyber security",
    )
    for i, (city, booked) in enumerate([("Manchester", 9), ("Bristol", 15), ("Leeds", 3)]):
        run = b.run(
            transformation, city, "TC", [on(i * 3, 4)], 16, city, audience=Audience.COUNCILLORS
        )
        b.fill(run, Role.COUNCILLOR, confirmed=booked)  # Bristol nearly full

    commercial = MasterclassPage.objects.get(slug="commercial-skills-masterclass")
    run = b.run(
        commercial,
        "London",
        "CM",
        [on(2, 3)],
        20,
        "London",
        audience=Audience.COUNCILLORS,
        waitlist_order=WaitlistOrder.NEW_COUNCILS_FIRST,
    )
    b.fill(run, Role.COUNCILLOR, confirmed=20, waitlisted=6)  # full, with a waiting list
    run = b.run(
        commercial,
        "Newcastle",
        "CM",
        [on(6, 3)],
        20,
        "Newcastle",
        audience=Audience.COUNCILLORS,
        waitlist_order=WaitlistOrder.NEW_COUNCILS_FIRST,
    )
    b.fill(run, Role.COUNCILLOR, confirmed=6)

    cohort = b.run(
        b.officer_programme,
        "Cohort 4, Birmingham",
        "OC",
        [on(4 + 3 * i, 2) for i in range(3)],
        18,
        "Birmingham",
        audience=Audience.OFFICERS,
        waitlist_order=WaitlistOrder.NEW_COUNCILS_FIRST,
    )
    b.fill(cohort, Role.OFFICER, confirmed=11, exclude=b.alumni)

    directors = b.page(
        OfficerProgrammePage,
        "Commercial training for finance directors",
        "commercial-finance-directors",
        "generating-income",
        "Two days for section 151 officers and finance directors.",
        "Finance directors (by application)",
        "commercial training for finance directors",
    )
    run = b.run(
        directors,
        "London",
        "FD",
        [on(5, 1), on(6, 1)],
        12,
        "London",
        audience=Audience.OFFICERS,
        booking_mode=BookingMode.APPROVAL,
    )
    b.fill(run, Role.OFFICER, confirmed=4, requested=3, exclude=b.alumni)

    run = b.run(
        b.alumni_page,
        "Conference",
        "AL",
        [on(8, 3)],
        60,
        "London",
        hours=(9, 17),
        audience=Audience.ALUMNI,
        alumni_of=b.officer_programme,
    )
    b.fill(run, Role.OFFICER, confirmed=0)

    elearning = ElearningCoursePage.objects.get(slug="contract-management-elearning")
    run = b.run(
        elearning,
        "Next intake",
        "EL",
        [on(7, 0)],
        500,
        None,
        hours=(9, 17),
        audience=Audience.OFFICERS,
        booking_closes=_at(on(6, 4), 17),
    )
    b.fill(run, Role.OFFICER, confirmed=137)

    cyber = b.page(
        ConferencePage,
        "Cyber security guide launch",
        "cyber-security-guide-launch",
        "cross-cutting",
        "The launch of the cyber security guide for councils, with the people who wrote it.",
        "Anyone working with councils",
        "the cyber security guide launch",
    )
    run = b.run(cyber, "Launch event", "CY", [on(3, 2)], 80, "London", hours=(14, 17))
    b.fill(run, Role.OTHER, confirmed=41)

    if not WhatsOnPage.objects.exists():
        b.home.add_child(
            instance=WhatsOnPage(
                title="What's on",
                slug="whats-on",
                introduction="Masterclasses, training and conferences you can book now.",
            )
        )
