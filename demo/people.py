"""The demo's two people to sign in as: a councillor and a council officer, each with a booking
in every state a person meets.

Everything here goes through the services a person and an organiser use (booking, approving,
cancelling, places offered from the waiting list, the register, the survey, certificates), so
each booking has its history, its emails and its calendar sequence exactly as on the live site.
Their bookings are on the next programme and on three runs of their own, never on 2019/20, so the
figures the demo reproduces from the board reports do not change.

| state                     | the councillor                          | the officer                      |
|---------------------------|-----------------------------------------|----------------------------------|
| confirmed, upcoming       | Transformation and cyber security       | Commercial skills cohort 4       |
| on the waiting list       | Commercial skills for councillors       | Behavioural insights workshop    |
| place offered             | Behavioural insights workshop           | Leading through change           |
| awaiting approval         | Leading through change                  | Training for finance directors   |
| cancelled                 | Cyber security guide launch             | Cyber security guide launch      |
| attended, certificate,    | Social value in practice (last week)    | Social value in practice         |
| survey waiting            |                                         |                                  |

Each course appears once per person: nobody holds two bookings on runs of one course, which the
programme's figures rely on.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from courses.models import MasterclassPage
from events.models import ConferencePage
from lms.accounts.models import Council, Role
from lms.bookings import attendance, services
from lms.bookings.models import AttendanceStatus, Audience, BookingMode, Run, Venue
from lms.bookings.runs import NewSession, create_run, update_run
from lms.certificates import services as certificates
from lms.core.bank_holidays import is_working_day
from lms.core.cache import bump, bump_places
from lms.core.time import LONDON
from lms.pages.models import HomePage, Theme
from lms.surveys import services as surveys

from .site import ORGANISER_EMAIL


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    full_name: str
    council_code: str
    job_title: str


COUNCILLOR = DemoLogin(
    Role.COUNCILLOR,
    "councillor@example.org",
    "demo-councillor-2020",
    "Priya Shah",
    "MAN",
    "Councillor, cabinet member for resources",
)
OFFICER = DemoLogin(
    Role.OFFICER,
    "officer@example.org",
    "demo-officer-2020",
    "Sam Okafor",
    "LDS",
    "Procurement manager",
)
LOGINS = (COUNCILLOR, OFFICER)

# The demo's bulk-loaded people (programme.py) fill the places around them.
CROWD = "@demo.example.org"


def _at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _working_day(day, step):
    """`day`, or the nearest working day from it in the direction of `step` (+1 or -1 days)."""
    while not is_working_day(day):
        day += timedelta(days=step)
    return day


def _session(day, hours=(10, 16)):
    return NewSession(starts_at=_at(day, hours[0]), ends_at=_at(day, hours[1]))


def _crowd(role, count, skip=0):
    people = get_user_model().objects.filter(email__endswith=CROWD, role=role).order_by("pk")
    return list(people[skip : skip + count])


def _make_person(login):
    """The person with a password and a verified email, as if they had signed up."""
    person = get_user_model().objects.create_user(
        email=login.email,
        password=login.password,
        full_name=login.full_name,
        role=login.role,
        council=Council.objects.get(code=login.council_code),
        job_title=login.job_title,
    )
    EmailAddress.objects.create(user=person, email=login.email, verified=True, primary=True)
    return person


def _page(page_class, title, slug, theme, summary, who_for):
    page = page_class(
        title=title,
        slug=slug,
        theme=Theme.objects.filter(slug=theme).first(),
        summary=summary,
        who_for=who_for,
        report_subject=title[0].lower() + title[1:],
    )
    HomePage.objects.first().add_child(instance=page)
    return page


def _next_run(slug, title):
    """A run of the next programme (programme.py), by its page and title."""
    return Run.objects.upcoming().get(page__slug=slug, title=title)


def _venue(city):
    return Venue.objects.filter(city=city).first()


def load_people(today: date | None = None) -> bool:
    """Make the demo councillor and officer and their bookings, once, around `today` (the
    day the demo is loaded). Returns False if they were already there (nothing is changed then,
    so a developer's own changes survive).

    The services queue the emails they would send (confirmations, offers, the survey
    invitation); here they are kept in memory rather than printed, so `make run` stays readable.
    """
    User = get_user_model()
    if User.objects.filter(email__in=[login.email for login in LOGINS]).exists():
        return False
    today = today or timezone.localdate()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
        councillor, officer = _make_person(COUNCILLOR), _make_person(OFFICER)
        _attended_last_week(today, [councillor, officer], organiser)
        _waiting_and_offered(today, councillor, officer)
        _applications_and_offer(today, councillor, officer, organiser)
        _on_the_next_programme(councillor, officer)
    bump(), bump_places()  # the new pages and runs: cached listings are out of date
    return True


def _attended_last_week(today, people, organiser):
    """A day held a week ago: booked a month before, all but one marked present on the
    register, the survey open (a few others have answered; the two of them have not), and
    certificates issued by the organiser the day after."""
    day = _working_day(today - timedelta(days=7), -1)
    page = _page(
        ConferencePage,
        "Social value in practice",
        "social-value-in-practice",
        "smarter-sourcing",
        "A day for members and officers on writing social value into contracts and measuring "
        "what it delivers.",
        "Councillors and council officers",
    )
    run = create_run(
        page=page,
        title="Birmingham",
        reference_prefix="SV",
        capacity=40,
        venue=_venue("Birmingham"),
        audience=Audience.ANYONE,
        sessions=[_session(day)],
        by=organiser,
    )
    session = run.sessions.get()
    booked_at = session.starts_at - timedelta(days=30)
    others = _crowd(Role.OFFICER, 10) + _crowd(Role.COUNCILLOR, 6)
    bookings = [
        services.book(person, run, now=booked_at + timedelta(hours=i)).booking
        for i, person in enumerate(people + others)
    ]
    for i, booking in enumerate(bookings):
        status = AttendanceStatus.ABSENT if i == len(bookings) - 1 else AttendanceStatus.ATTENDED
        attendance.mark(
            booking, session, status, by=organiser, now=session.starts_at + timedelta(minutes=i)
        )
    surveys.send_invitations(run)
    survey = surveys.survey_for(run)
    questions = {q.key: q.pk for q in survey.template.questions.all()}
    for booking in bookings[len(people) : len(people) + 5]:  # a few others have answered
        surveys.submit_response(
            booking.survey_invitation.token,
            {
                questions["satisfaction"]: "Very satisfied",
                questions["recommend"]: 9,
                questions["most_useful"]: "The worked examples of social value clauses.",
                questions["change"]: "",
            },
        )
    for booking in certificates.eligible(run):
        certificates.issue(booking, by=organiser, now=session.ends_at + timedelta(days=1))


def _waiting_and_offered(today, councillor, officer):
    """A full workshop: both join its waiting list, a place comes free and is offered to the
    councillor, first in line; the officer waits, now first in line."""
    day = _working_day(today + timedelta(weeks=5, days=(1 - today.weekday()) % 7), 1)
    page = _page(
        ConferencePage,
        "Behavioural insights workshop",
        "behavioural-insights-workshop",
        "transforming-services",
        "A hands-on afternoon with the Nudges for Social Good team: small changes to letters, "
        "forms and websites that help residents act.",
        "Anyone working with councils",
    )
    run = create_run(
        page=page,
        title="London",
        reference_prefix="BI",
        capacity=12,
        venue=_venue("London"),
        audience=Audience.ANYONE,
        offer_hold_hours=24 * 7,  # a week, so the offer is still there when you try the demo
        sessions=[_session(day, hours=(13, 17))],
    )
    places = [services.book(person, run).booking for person in _crowd(Role.OTHER, 12)]
    services.book(councillor, run)
    services.book(officer, run)
    services.cancel(places[0], by=places[0].person)


def _applications_and_offer(today, councillor, officer, organiser):
    """A masterclass by application: the organiser approved twelve, then the officer (onto the
    waiting list: it was full); then found a bigger room and offered the new place, which goes
    to the officer, first in line. The councillor has applied and waits for a decision."""
    day = _working_day(today + timedelta(weeks=9, days=(3 - today.weekday()) % 7), 1)
    page = _page(
        MasterclassPage,
        "Leading through change",
        "leading-through-change",
        "cross-cutting",
        "Two days for council leaders, cabinet members and senior officers on leading a council "
        "through a restructure.",
        "Council leaders, cabinet members and senior officers (by application)",
    )
    second = _working_day(day + timedelta(days=1), 1)
    run = create_run(
        page=page,
        title="Manchester",
        reference_prefix="LC",
        capacity=12,
        venue=_venue("Manchester"),
        audience=Audience.ANYONE,
        booking_mode=BookingMode.APPROVAL,
        offer_hold_hours=24 * 7,
        sessions=[_session(day), _session(second)],
        by=organiser,
    )
    applicants = _crowd(Role.COUNCILLOR, 6, skip=6) + _crowd(Role.OFFICER, 6, skip=10)
    for person in applicants + [officer]:  # the officer, last, joins the waiting list
        services.approve(services.book(person, run).booking, by=organiser)
    services.book(councillor, run)  # awaiting the organiser's decision
    update_run(run, capacity=run.capacity + 1, by=organiser)
    services.promote_from_waitlist(run, by=organiser)


def _on_the_next_programme(councillor, officer):
    """Places on the next programme's runs (programme.py), and one booking each cancelled."""
    services.book(councillor, _next_run("transformation-and-cyber-security", "Manchester"))
    services.book(councillor, _next_run("commercial-skills-masterclass", "London"))
    services.book(officer, _next_run("commercial-skills-officers", "Cohort 4, Birmingham"))
    services.book(officer, _next_run("commercial-finance-directors", "London"))
    launch = _next_run("cyber-security-guide-launch", "Launch event")
    for person in (councillor, officer):
        services.cancel(services.book(person, launch).booking, by=person)
