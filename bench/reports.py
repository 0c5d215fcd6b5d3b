"""Benchmark: every Figures report at 1,000 and at 100,000 bookings.

    .venv/bin/python bench/reports.py            # SQLite
    DATABASE_URL=postgres://... .venv/bin/python bench/reports.py

Builds a throwaway test database and fills it with bulk inserts: twelve course pages across the
four themes; people at the councils the migrations load (every current council and a third of
the past ones, with a skewed share each and a few councils nobody comes from, so that reach is
not a flat 100 per cent); runs spread over ten financial years (2017/18 to 2026/27, the last
partly still to come) with one to three sessions, bookings in a mix of statuses, attendance
marks, surveys with responses and answers, e-learning intakes with provider completions, and
certificate rows (a name in `pdf`, no file: they are only counted). First 100 runs and 1,000
bookings; then more of the same up to 10,000 runs and 100,000 bookings. After each load the
planner's statistics are refreshed (ANALYZE; VACUUM ANALYZE on PostgreSQL).

At each size it requests every report through Django's test client as the signed-in demo
organiser — the whole middleware, URL, admin view and template cycle, no network — and takes
the median of REPEAT requests after one discarded, and the queries of one more request. Then it
prints the table: each report's milliseconds, query count and time in SQL at both sizes,
flagging any row over TARGET_MS or whose query count differs between the sizes.

    .venv/bin/python bench/reports.py --plans

also lists, for every report over TARGET_MS, its queries of QUERY_MS or more and the plan of its
slowest, taken while that size's data is loaded (EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL,
EXPLAIN QUERY PLAN on SQLite).

For a faster loop while working on one page:

    .venv/bin/python bench/reports.py --keep               # leave the loaded database in place
    .venv/bin/python bench/reports.py --reuse --only summary,intakes

`--keep` leaves the test database (with its 100,000 bookings) behind; `--reuse` measures that
database again as it is, at its size only, without loading anything; `--only` measures the
reports whose label contains one of the comma-separated words.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ.setdefault("LMS_TEST_DB", str(Path(tempfile.gettempdir()) / "bench-reports.sqlite3"))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

REPEAT = 5
TARGET_MS = 300
SIZES = [(100, 1_000), (10_000, 100_000)]  # (runs, bookings) in all after each step
FIRST_YEAR, YEARS = 2017, 10  # financial years 2017/18 to 2026/27
QUERY_MS = 20  # with --plans, list a slow report's queries that take this long or more
LONDON = ZoneInfo("Europe/London")
THEME = "generating-income"
NOBODY_FROM = 0.08  # share of current councils nobody comes from

# Course pages: (page model, title, theme, share of runs, sessions (fewest, most), audience,
# booking mode, relative bookings per run).
C, OF, A = "councillors", "officers", "anyone"
PAGES = [
    (
        "courses.MasterclassPage",
        "Data and digital transformation",
        "transforming-services",
        14,
        (1, 1),
        C,
        "first_come",
        1.0,
    ),
    (
        "courses.MasterclassPage",
        "Behavioural insights",
        "transforming-services",
        8,
        (1, 1),
        C,
        "first_come",
        1.0,
    ),
    (
        "courses.MasterclassPage",
        "Commercial skills for councillors",
        "generating-income",
        12,
        (1, 1),
        C,
        "first_come",
        1.0,
    ),
    (
        "courses.MasterclassPage",
        "Leadership and efficiency",
        "cross-cutting",
        8,
        (1, 1),
        C,
        "first_come",
        1.0,
    ),
    (
        "courses.OfficerProgrammePage",
        "Commercial skills for officers",
        "generating-income",
        10,
        (3, 3),
        OF,
        "approval",
        1.3,
    ),
    (
        "courses.OfficerProgrammePage",
        "Investment and trading",
        "generating-income",
        6,
        (2, 3),
        OF,
        "first_come",
        1.2,
    ),
    (
        "courses.OfficerProgrammePage",
        "Procurement practitioners",
        "smarter-sourcing",
        8,
        (2, 3),
        OF,
        "first_come",
        1.2,
    ),
    (
        "courses.ElearningCoursePage",
        "Contract management e-learning",
        "smarter-sourcing",
        6,
        (1, 1),
        OF,
        "first_come",
        2.5,
    ),
    (
        "courses.ElearningCoursePage",
        "Digital foundations e-learning",
        "transforming-services",
        4,
        (1, 1),
        OF,
        "first_come",
        2.5,
    ),
    (
        "events.ConferencePage",
        "Annual productivity conference",
        "cross-cutting",
        3,
        (1, 2),
        A,
        "first_come",
        3.0,
    ),
    (
        "events.ConferencePage",
        "Social value summit",
        "smarter-sourcing",
        4,
        (1, 2),
        A,
        "first_come",
        2.0,
    ),
    (
        "events.ConferencePage",
        "Income generation forum",
        "generating-income",
        5,
        (1, 1),
        A,
        "first_come",
        2.0,
    ),
]
CITIES = [
    ("Manchester", "north_west"),
    ("Bristol", "south_west"),
    ("Leeds", "yorkshire"),
    ("London", "london"),
    ("Birmingham", "west_midlands"),
    ("Newcastle", "north_east"),
    ("Nottingham", "east_midlands"),
    ("Cambridge", "east"),
    ("Reading", "south_east"),
]
SATISFACTION_WEIGHTS = [45, 38, 10, 5, 2]  # very satisfied … very dissatisfied
MOST_USEFUL = [
    "Hearing from other councils.",
    "The case studies.",
    "Practical tools I can use tomorrow.",
    "The negotiation exercise.",
]
PRESENT = ("attended", "late")


def median_ms(call, repeat=REPEAT):
    call()  # discarded: warms caches, templates, connections
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class Programme:
    """Adds people, runs and everything under them with bulk inserts, up to a number of runs and
    bookings in all."""

    def __init__(self, now):
        from django.apps import apps

        from lms.accounts.models import Council
        from lms.bookings.models import Venue
        from lms.pages.models import Theme
        from lms.surveys.models import SurveyTemplate
        from tests import factories

        self.rng = rng = random.Random(2026)
        self.now = now
        self.runs = self.bookings = self.serial = 0
        self.people = {"councillor": [], "officer": [], "other": []}

        current = list(Council.objects.current().order_by("pk").values_list("pk", flat=True))
        past = list(Council.objects.past().order_by("pk").values_list("pk", flat=True))
        rng.shuffle(current)
        sending = current[round(len(current) * NOBODY_FROM) :] + past[: len(past) // 3]
        rng.shuffle(sending)
        self.councils = sending
        self.council_weights = [1 / (rank + 10) for rank in range(len(sending))]  # a long tail
        self.council_counts = (len(current), len(past), len(sending))

        self.venues = [
            Venue.objects.get_or_create(
                name=f"{city} Town Hall",
                city=city,
                defaults={"address": "1 High Street", "region": region},
            )[0]
            for city, region in CITIES
        ]
        self.pages = []
        for model, title, slug, weight, sessions, audience, mode, size in PAGES:
            theme = Theme.objects.get_or_create(
                slug=slug, defaults={"name": slug.replace("-", " ").capitalize(), "summary": "."}
            )[0]
            page = factories.course_page(title, page_class=apps.get_model(model), theme=theme)
            elearning = getattr(page.specific_class, "completion_from_provider", False)
            self.pages.append((page, weight, sessions, audience, mode, size, elearning))
        self.template = SurveyTemplate.objects.get(is_default=True)
        self.questions = {q.key: q.pk for q in self.template.questions.all()}

    def next(self):
        self.serial += 1
        return self.serial

    def add_people(self, count):
        from lms.accounts.models import User

        rng = self.rng
        roles = rng.choices(["councillor", "officer", "other"], [45, 45, 10], k=count)
        councils = rng.choices(self.councils, self.council_weights, k=count)
        users = []
        for role, council in zip(roles, councils, strict=True):
            n = self.next()
            users.append(
                User(
                    email=f"bench{n}@example.org",
                    full_name=f"Person {n}",
                    role=role,
                    password="!",
                    council_id=council if role != "other" else None,
                    organisation="A housing association" if role == "other" else "",
                )
            )
        for user in User.objects.bulk_create(users, batch_size=2000):
            self.people[user.role].append(user.pk)

    def pool(self, audience):
        if audience == "councillors":
            return self.people["councillor"]
        if audience == "officers":
            return self.people["officer"]
        return self.people["councillor"] + self.people["officer"] + self.people["other"]

    def grow(self, runs_total, bookings_total):
        from lms.bookings.models import Run, Session

        rng = self.rng
        have = sum(len(p) for p in self.people.values())
        self.add_people(max(200, bookings_total // 5) - have)
        new_bookings = bookings_total - self.bookings
        first = date(FIRST_YEAR, 4, 1)
        span = (date(FIRST_YEAR + YEARS, 3, 31) - first).days

        plans = []  # (page spec, session starts, hours a session, bookings weight)
        for spec in rng.choices(self.pages, [s[1] for s in self.pages], k=runs_total - self.runs):
            page, _, (fewest, most), audience, mode, size, elearning = spec
            day = first + timedelta(days=rng.randrange(span))
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            start = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
            starts = [start + timedelta(days=7 * i) for i in range(rng.randint(fewest, most))]
            plans.append((spec, starts, 8 if elearning else 6, size * rng.uniform(0.6, 1.4)))

        # Bookings shared out by weight, so that there are exactly as many as asked for.
        total_weight = sum(p[3] for p in plans)
        counts = [int(new_bookings * p[3] / total_weight) for p in plans]
        for i in rng.sample(range(len(plans)), new_bookings - sum(counts)):
            counts[i] += 1

        runs = []
        for (spec, starts, hours, _), n in zip(plans, counts, strict=True):
            page, _, _, audience, mode, *_ = spec
            online = rng.random() < 0.15
            venue = None if online else rng.choice(self.venues)
            runs.append(
                Run(
                    page_id=page.pk,
                    title=f"{venue.city if venue else 'Online'} {self.next()}",
                    reference_prefix="BN",
                    venue=venue,
                    online=online,
                    audience=audience,
                    booking_mode=mode,
                    starts_at=starts[0],
                    ends_at=starts[-1] + timedelta(hours=hours),
                    capacity=max(8, round(n * rng.uniform(0.8, 1.15))),
                    status="cancelled" if rng.random() < 0.03 else "scheduled",
                )
            )
        runs = Run.objects.bulk_create(runs, batch_size=2000)
        sessions = Session.objects.bulk_create(
            [
                Session(run_id=run.pk, starts_at=s, ends_at=s + timedelta(hours=hours))
                for run, (_, starts, hours, _) in zip(runs, plans, strict=True)
                for s in starts
            ],
            batch_size=5000,
        )
        by_run = {}
        for session in sessions:
            by_run.setdefault(session.run_id, []).append(session)
        specs = [p[0] for p in plans]
        bookings = self.add_bookings(runs, specs, counts)
        self.add_attendance(runs, specs, by_run, bookings)
        self.runs = runs_total
        self.bookings += sum(len(b) for b in bookings.values())
        assert self.bookings == bookings_total, (self.bookings, bookings_total)

    def add_bookings(self, runs, specs, counts):
        from lms.bookings.models import Booking

        rng = self.rng
        rows = []
        for run, spec, n in zip(runs, specs, counts, strict=True):
            held = run.starts_at < self.now
            for person in rng.sample(self.pool(spec[3]), n):
                created = run.starts_at - timedelta(days=rng.randint(3, 90), hours=rng.randrange(9))
                if run.status == "cancelled":
                    status = "cancelled"
                elif run.booking_mode == "approval":
                    status = rng.choices(
                        ["confirmed", "declined", "cancelled", "waitlisted", "requested"],
                        [78, 6, 8, 5, 0 if held else 3],
                    )[0]
                else:
                    status = rng.choices(
                        ["confirmed", "cancelled", "waitlisted", "offered"],
                        [82, 10, 8, 0 if held else 2],
                    )[0]
                cancelled = status == "cancelled"
                rows.append(
                    Booking(
                        run_id=run.pk,
                        person_id=person,
                        reference=f"BN{self.next():08d}",
                        status=status,
                        created_at=created,
                        confirmed_at=created if status == "confirmed" else None,
                        waitlisted_at=created if status == "waitlisted" else None,
                        cancelled_at=created + timedelta(days=1) if cancelled else None,
                        cancel_reason=(
                            ""
                            if not cancelled
                            else "run_cancelled"
                            if run.status == "cancelled"
                            else "by_person"
                        ),
                    )
                )
        out = {}
        for booking in Booking.objects.bulk_create(rows, batch_size=5000):
            out.setdefault(booking.run_id, []).append(booking)
        return out

    def add_attendance(self, runs, specs, sessions, bookings):
        """Registers of held runs (the provider's completions for e-learning intakes), then
        surveys on three runs in five and certificate rows on three in ten."""
        from lms.bookings.models import Attendance
        from lms.certificates.models import Certificate, new_code

        rng = self.rng
        marks, certificates, surveyed = [], [], []
        for run, spec in zip(runs, specs, strict=True):
            if run.status == "cancelled" or run.starts_at >= self.now:
                continue
            page, elearning = spec[0], spec[6]
            run_sessions = sessions[run.pk]
            present, completed = [], []
            for booking in bookings.get(run.pk, []):
                if booking.status != "confirmed":
                    continue
                if elearning:
                    # The provider's file: a completion is recorded as attendance at the intake.
                    if rng.random() < 0.55:
                        marks.append(
                            Attendance(
                                booking_id=booking.pk,
                                session_id=run_sessions[0].pk,
                                status="attended",
                                marked_at=run.ends_at + timedelta(weeks=8),
                            )
                        )
                        present.append(booking)
                        completed.append(booking)
                    continue
                if rng.random() < 0.06:
                    continue  # nobody marked this person
                statuses = rng.choices(
                    ["attended", "late", "absent", "excused"], [85, 5, 7, 3], k=len(run_sessions)
                )
                for session, status in zip(run_sessions, statuses, strict=True):
                    marks.append(
                        Attendance(
                            booking_id=booking.pk,
                            session_id=session.pk,
                            status=status,
                            marked_at=session.ends_at,
                        )
                    )
                if any(s in PRESENT for s in statuses):
                    present.append(booking)
                if all(s in PRESENT for s in statuses):
                    completed.append(booking)
            if elearning:
                continue
            if present and rng.random() < 0.6:
                surveyed.append((run, present))
            if rng.random() < 0.3:
                for booking in completed:
                    n = self.next()
                    certificates.append(
                        Certificate(
                            booking_id=booking.pk,
                            code=new_code(),
                            name=f"Person {n}",
                            course=page.title,
                            run_title=run.title,
                            dates=run.starts_at.strftime("%-d %B %Y"),
                            place=run.title,
                            hours="6.0",
                            issuer="Council skills programme",
                            pdf=f"certificates/bench-{n}.pdf",
                            sha256="0" * 64,
                            issued_at=run.ends_at + timedelta(days=7),
                            revoked_at=run.ends_at + timedelta(days=9)
                            if rng.random() < 0.01
                            else None,
                        )
                    )
        Attendance.objects.bulk_create(marks, batch_size=5000)
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        self.add_surveys(surveyed)

    def add_surveys(self, surveyed):
        """One survey a run, one invitation an attendee; nearly half answer. One survey in ten is
        anonymous: its responses hold no invitation."""
        from lms.surveys.models import LIKERT_LABELS, Answer, Invitation, Response, Survey

        rng = self.rng
        surveys = Survey.objects.bulk_create(
            [
                Survey(
                    run_id=run.pk,
                    template=self.template,
                    anonymous=rng.random() < 0.1,
                    opened_at=run.ends_at + timedelta(hours=2),
                    closes_at=run.ends_at + timedelta(days=28),
                )
                for run, _ in surveyed
            ],
            batch_size=2000,
        )
        invitations, answered = [], []
        for survey, (_, present) in zip(surveys, surveyed, strict=True):
            for booking in present:
                responds = rng.random() < 0.45
                invitation = Invitation(
                    survey_id=survey.pk,
                    booking_id=booking.pk,
                    sent_at=survey.opened_at,
                    answered=responds,
                )
                invitations.append(invitation)
                if responds:
                    answered.append((survey, invitation))
        Invitation.objects.bulk_create(invitations, batch_size=5000)
        responses = Response.objects.bulk_create(
            [
                Response(
                    survey_id=survey.pk,
                    invitation_id=None if survey.anonymous else invitation.pk,
                    submitted_at=None if survey.anonymous else survey.opened_at + timedelta(days=2),
                )
                for survey, invitation in answered
            ],
            batch_size=5000,
        )
        q = self.questions
        answers = []
        for response in responses:
            answers.append(
                Answer(
                    response_id=response.pk,
                    question_id=q["satisfaction"],
                    choice=rng.choices(LIKERT_LABELS, SATISFACTION_WEIGHTS)[0],
                )
            )
            answers.append(
                Answer(
                    response_id=response.pk,
                    question_id=q["recommend"],
                    number=min(10, max(0, round(rng.gauss(8, 1.8)))),
                )
            )
            if rng.random() < 0.3:
                answers.append(
                    Answer(
                        response_id=response.pk,
                        question_id=q["most_useful"],
                        text=rng.choice(MOST_USEFUL),
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)


def analyse():
    """Refresh the planner's statistics. On PostgreSQL also VACUUM, as autovacuum soon would on a
    real database: just after bulk inserts no page is marked all-visible, so index-only scans
    still read the table and the first reads of every row write hint bits."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def counts():
    from lms.accounts.models import User
    from lms.bookings.models import Attendance, Booking, Run, Session
    from lms.certificates.models import Certificate
    from lms.surveys.models import Answer, Response, Survey

    models = (User, Run, Session, Booking, Attendance, Survey, Response, Answer, Certificate)
    return {model._meta.verbose_name_plural: model.objects.count() for model in models}


def requests(now):
    """The reports to time, as (label, URL), for the data now in the database."""
    from django.db.models import Count

    from courses.models import ElearningCoursePage
    from lms.bookings.models import Run
    from lms.core.years import FinancialYear

    def busiest_year(runs):
        per_year = {}
        for starts_at in runs.values_list("starts_at", flat=True):
            year = FinancialYear.containing(starts_at)
            per_year[year] = per_year.get(year, 0) + 1
        return max(per_year, key=lambda y: (per_year[y], y))

    held = Run.objects.filter(status="scheduled", starts_at__lt=now)
    busiest = busiest_year(held)
    intakes = busiest_year(held.filter(page__in=ElearningCoursePage.objects.all()))
    course = (
        held.filter(starts_at__gte=busiest.starts_at, starts_at__lt=busiest.ends_before)
        .values("page")
        .annotate(n=Count("pk"))
        .order_by("-n", "page")
        .first()["page"]
    )
    intake = ElearningCoursePage.objects.order_by("pk").first()
    y = busiest.label
    base = "/admin/figures"
    return busiest, [
        ("figures index (no figures: the admin page alone)", f"{base}/"),
        ("summary, busiest year", f"{base}/summary/?year={y}"),
        ("summary, one theme", f"{base}/summary/?year={y}&theme={THEME}"),
        ("course detail, biggest course", f"{base}/course/?year={y}&course={course}"),
        ("reach, one year", f"{base}/reach/?year={y}"),
        ("reach, all years", f"{base}/reach/?year=all"),
        (
            "never reached (officers, one theme)",
            f"{base}/never-reached/?role=officer&theme={THEME}",
        ),
        ("e-learning intakes, their busiest year", f"{base}/intakes/?year={intakes.label}"),
        (
            "e-learning intakes, one course, all years",
            f"{base}/intakes/?year=all&course={intake.pk}",
        ),
        ("board paragraph, one theme", f"{base}/paragraph/?year={y}&theme={THEME}"),
        ("summary CSV export", f"{base}/summary/?year={y}&export=csv"),
        ("summary XLSX export", f"{base}/summary/?year={y}&export=xlsx"),
        ("dashboard panel (admin home)", "/admin/"),
        # The panel's figures are cached until something they count changes: this row makes
        # the copy stale before every request, as after any booking or register.
        ("dashboard panel, its cache stale", "/admin/?stale"),
    ]


# What a report shows instead of figures: a measured page must show none of these.
EMPTY_STATES = [
    b"Nothing to show",
    b"No runs took place",
    b"No council was reached",
    b"had no runs in",
    b"No e-learning intake opened",
    b"Choose a course above",
    b"Every council matching",
    b"No run has taken place yet this financial year",
]


def measure(client, url):
    """(median ms, [(ms, sql)] of one request)."""
    if url.endswith("?stale"):
        from lms.core.cache import bump_version
        from lms.reports.wagtail_hooks import FIGURES

        url = url.removesuffix("?stale")
        get = client.get

        def stale_get(path):
            bump_version(FIGURES)  # as a booking, a register or a survey response would
            return get(path)

        client = type("StaleClient", (), {"get": staticmethod(stale_get)})()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response) if response.streaming else response.content
    assert not any(text in body for text in EMPTY_STATES), (url, body[:2000])
    if url == "/admin/":
        assert b"figures-this-year-heading" in body, "the dashboard panel is not on the admin home"
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    return median_ms(lambda: client.get(url)), queries


def explain(sql):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        rows = cursor.fetchall()
    return "\n".join(" | ".join(map(str, row)) if len(row) > 1 else str(row[0]) for row in rows)


def database_version():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def diagnose(rows):
    """For each report over TARGET_MS at this size, while its data is in the database: its
    queries of QUERY_MS or more, and its slowest with its plan.
    [(report, ms, [(ms, sql)], sql, plan)]"""
    out, explained = [], set()
    for label, (_, ms, queries) in rows.items():
        if ms <= TARGET_MS:
            continue
        slow = sorted((q for q in queries if q[0] >= QUERY_MS), reverse=True)
        sql = max(queries)[1]
        plan = "(shown above)" if sql in explained else explain(sql)
        explained.add(sql)
        out.append((label, ms, slow, sql, plan))
    return out


def measure_again(client, plans, only):
    """--reuse: the database as a previous --keep left it, measured at its one size."""
    from lms.bookings.models import Booking, Run

    now = timezone.now()
    bookings = Booking.objects.count()
    busiest, reports = requests(now)
    rows = {}
    for label, url in reports:
        if only and not any(word in label for word in only):
            continue
        rows[label] = (url, *measure(client, url))
        _, ms, queries = rows[label]
        print(f"| {label} | {ms:.1f} | {len(queries)} | {sum(q[0] for q in queries):.0f} |")
    print(
        f"{bookings:,} bookings, {Run.objects.count():,} runs; busiest year {busiest.label}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    for label, ms, slow, sql, plan in diagnose(rows) if plans else []:
        print(f"\n=== {label}, {ms:.0f} ms; queries of {QUERY_MS} ms or more:")
        for q_ms, q_sql in slow:
            print(f"- {q_ms:.0f} ms: {q_sql[:150]}…")
        print(f"--- the slowest in full:\n{sql}\n--- its plan:\n{plan}")


def main(plans=False, keep=False, reuse=False, only=()):
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False, keepdb=reuse)
    try:
        if reuse:
            from demo.site import ORGANISER_EMAIL
            from lms.accounts.models import User

            client = Client()
            client.force_login(User.objects.get(email=ORGANISER_EMAIL))
            return measure_again(client, plans, only)
        from demo.site import ORGANISER_EMAIL, load_organiser, load_site
        from lms.accounts.models import User

        load_site()
        load_organiser()
        client = Client()
        client.force_login(User.objects.get(email=ORGANISER_EMAIL))
        now = timezone.now()
        programme = Programme(now)
        results, loads, load_averages = [], [], []
        for runs, bookings in SIZES:
            start = time.perf_counter()
            programme.grow(runs, bookings)
            loaded = time.perf_counter() - start
            analyse()
            loads.append((bookings, loaded, time.perf_counter() - start, counts()))
            busiest, reports = requests(now)
            load_averages.append(os.getloadavg()[0])
            rows = {}
            for label, url in reports:
                if only and not any(word in label for word in only):
                    continue
                rows[label] = (url, *measure(client, url))
                print(f"{bookings:,}: {label}: {rows[label][1]:.1f} ms", file=sys.stderr)
            results.append((bookings, busiest, rows, diagnose(rows) if plans else []))

        print(f"database: {database_version()}; {os.cpu_count()} cores; {os.uname().machine}")
        current, past, sending = programme.council_counts
        print(f"councils: {current} current, {past} past; people come from {sending} of them")
        for bookings, loaded, with_analyse, rows in loads:
            print(
                f"load to {bookings:,} bookings: {loaded:.1f} s "
                f"({with_analyse:.1f} s with ANALYZE); in all: "
                + ", ".join(f"{n:,} {name}" for name, n in rows.items())
            )
        (small, small_year, small_rows, _), (large, large_year, large_rows, _) = results
        print(
            f"busiest year: {small_year.label} at {small:,} bookings, "
            f"{large_year.label} at {large:,}"
        )
        print(
            "load average (1 min) as each size's measuring began: "
            + ", ".join(f"{n:.2f}" for n in load_averages)
        )
        print("ms: median of the whole request; SQL ms: time in SQL of the one counted request")
        print()
        print(
            f"| report | ms at {small // 1000}k | queries | SQL ms "
            f"| ms at {large // 1000}k | queries | SQL ms | flag |"
        )
        print("|---|--:|--:|--:|--:|--:|--:|---|")
        for label in small_rows:
            _, small_ms, small_q = small_rows[label]
            _, large_ms, large_q = large_rows[label]
            flags = []
            if len(small_q) != len(large_q):
                flags.append("QUERIES DIFFER")
            if max(small_ms, large_ms) > TARGET_MS:
                flags.append(f"OVER {TARGET_MS} ms")
            print(
                f"| {label} | {small_ms:.1f} | {len(small_q)} | {sum(q[0] for q in small_q):.0f} "
                f"| {large_ms:.1f} | {len(large_q)} | {sum(q[0] for q in large_q):.0f} "
                f"| {', '.join(flags)} |"
            )

        for bookings, _, _, diagnosed in results:
            for label, ms, slow, sql, plan in diagnosed:
                print(
                    f"\n=== {bookings:,} bookings: {label}, {ms:.0f} ms; "
                    f"queries of {QUERY_MS} ms or more:"
                )
                for q_ms, q_sql in slow:
                    print(f"- {q_ms:.0f} ms: {q_sql[:150]}…")
                print(f"--- the slowest in full:\n{sql}\n--- its plan:\n{plan}")
    finally:
        teardown_databases(old, verbosity=0, keepdb=keep or reuse)


if __name__ == "__main__":
    args = sys.argv[1:]
    only = next(
        (
            a.split("=", 1)[1] if "=" in a else args[i + 1]
            for i, a in enumerate(args)
            if a.startswith("--only")
        ),
        "",
    )
    main(
        plans="--plans" in args,
        keep="--keep" in args,
        reuse="--reuse" in args,
        only=[w for w in only.split(",") if w],
    )
