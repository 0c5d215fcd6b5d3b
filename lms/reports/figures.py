"""Every figure organisers report, each defined once, as a database aggregate.

The screens, the CSV and XLSX exports, the charts and the board paragraph all read these
functions, so a number cannot differ between them. Definitions (also in the README):

- **Runs held**: runs not cancelled whose first session started in the scope and before now.
- **Places offered**: the sum of those runs' capacities.
- **Asked for a place**: distinct people who made a booking on them, whatever became of it
  (booked, applied, joined the waiting list, later cancelled): the demand.
- **Applications**: bookings on runs where an organiser approves places.
- **Still waiting**: distinct people still on a waiting list, who never got a place.
- **Attendances**: confirmed bookings present (attended or late) at one session or more. A
  cancelled booking is never an attendance. **No-shows**: confirmed bookings present at none.
- **People**: distinct people with an attendance, in all and by role. Counted once per figure:
  a councillor at two masterclasses of a course is two attendances and one person.
- **Completions**: distinct people with a completed booking (the run's completion rule, see
  `Booking.objects.with_completion`). **Certificates**: valid (not revoked) certificates.
- **Satisfaction**: answers to the headline question (key "satisfaction") of surveys that have
  been sent. Very satisfied and "satisfied or very satisfied" are shares of those who answered
  it; the response rate is respondents of attendees of the surveyed runs. An anonymous survey
  with fewer than ANONYMITY_THRESHOLD responses is left out of every figure, so a total minus
  a breakdown can never reveal a small group's answers.
- **Councils reached**: distinct councils of the people with an attendance.

Totals are aggregated again rather than summed from rows, so a person or council counted in two
rows is counted once in the total.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lms.accounts.models import Council, CouncilType, Region, Role
from lms.bookings.models import (
    PRESENT_STATUSES,
    Attendance,
    AttendanceStatus,
    Booking,
    BookingMode,
    BookingStatus,
    Run,
    Session,
)
from lms.bookings.pages import BookablePage
from lms.core.time import LONDON
from lms.core.years import FinancialYear
from lms.surveys.figures import ANONYMITY_THRESHOLD, NetPromoterScore, Share
from lms.surveys.models import (
    LIKERT_LABELS,
    TOP_TWO,
    VERY_SATISFIED,
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
)

# Where each grouping lives, seen from a run.
GROUPS = {"theme": "page__theme", "course": "page", "run": "pk"}


@dataclass(frozen=True)
class Scope:
    """Which runs a figure covers: a financial year (None: all years), a theme, a course."""

    year: FinancialYear | None = None
    theme: object = None  # lms.pages.models.Theme
    course: object = None  # BookablePage
    now: object = None  # runs held are those started before this moment (default: now)
    provider_completed: bool = (
        False  # only runs whose completion comes from a provider (e-learning)
    )

    def __post_init__(self):
        # One moment for the whole scope: every query of a page sees the same runs held, even
        # when a run starts while the page is being built.
        if self.now is None:
            object.__setattr__(self, "now", timezone.now())

    def runs(self):
        runs = Run.objects.scheduled().filter(starts_at__lt=self.now)  # not cancelled, not a draft
        if self.year:
            runs = runs.filter(
                starts_at__gte=self.year.starts_at, starts_at__lt=self.year.ends_before
            )
        if self.theme is not None:
            runs = runs.filter(page__theme=self.theme)
        if self.course is not None:
            runs = runs.filter(page=self.course)
        if self.provider_completed:
            runs = runs.filter(page__content_type__in=[ct.pk for ct in provider_completed_pages()])
        return runs


def _path(prefix, group):
    """The lookup from a model to a run's grouping: _path("run__", "theme") == "run__page__theme"."""
    if group == "run":
        return prefix[:-2] if prefix else "pk"
    return prefix + GROUPS[group]


def _grouped(queryset, prefix, group, **aggregates):
    """{group key: {name: value}}; with group None, {None: totals}."""
    if group is None:
        return {None: queryset.aggregate(**aggregates)}
    key = _path(prefix, group)
    return {row.pop(key): row for row in queryset.order_by().values(key).annotate(**aggregates)}


def present_at_a_session():
    """A booking present (attended or late) at one session or more."""
    return Exists(Attendance.objects.filter(booking=OuterRef("pk"), status__in=PRESENT_STATUSES))


def attendances(scope):
    """Attended bookings: confirmed and present at a session. The one definition of attending."""
    return Booking.objects.filter(
        run__in=scope.runs().values("pk"), status=BookingStatus.CONFIRMED
    ).filter(present_at_a_session())


@dataclass
class Satisfaction:
    answered: int = 0  # answered the headline question: the base of the shares
    very_satisfied: int = 0
    satisfied_or_better: int = 0
    respondents: int = 0  # answered the survey
    attendees: int = 0  # were asked: attendances on the surveyed runs
    withheld: int = 0  # responses left out: anonymous surveys below the threshold
    question_text: str = ""
    distribution: list = field(default_factory=list)  # [(label, Share)] over LIKERT_LABELS
    nps: NetPromoterScore | None = None
    # The counts behind distribution and nps, which `finish` turns into them (with detail).
    choices: dict = field(default_factory=dict, repr=False)
    recommend: dict = field(default_factory=dict, repr=False)
    detail: bool = field(default=False, repr=False)

    ADDITIVE = (
        "answered",
        "very_satisfied",
        "satisfied_or_better",
        "respondents",
        "attendees",
        "withheld",
    )

    def add(self, other):
        """Add another grouping's counts (surveys, responses and answers belong to one run)."""
        for name in self.ADDITIVE:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.choices, other.choices), (self.recommend, other.recommend)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self.question_text = self.question_text or other.question_text
        self.detail = self.detail or other.detail

    def finish(self):
        if self.detail:
            self.distribution = [
                (label, Share(self.choices.get(label, 0), self.answered)) for label in LIKERT_LABELS
            ]
            if any(self.recommend.values()):
                self.nps = NetPromoterScore(**self.recommend)

    @property
    def top_box(self):
        return Share(self.very_satisfied, self.answered)

    @property
    def top_two(self):
        return Share(self.satisfied_or_better, self.answered)

    @property
    def response_rate(self):
        return Share(self.respondents, self.attendees)


@dataclass
class Figures:
    runs: int = 0
    places: int = 0
    asked: int = 0
    confirmed: int = 0
    applications: int = 0
    still_waiting: int = 0
    attendances: int = 0
    no_shows: int = 0
    people: int = 0
    councillors: int = 0
    officers: int = 0
    others: int = 0
    completions: int = 0
    certificates: int = 0
    surveyed_attendances: int = 0  # attendances on runs with a showable survey: asked to answer
    satisfaction: Satisfaction = field(default_factory=Satisfaction)

    @property
    def oversubscribed(self):
        return self.asked > self.places

    @property
    def is_empty(self):
        return self.runs == 0


def _sent_surveys(scope):
    return Survey.objects.filter(
        run__in=scope.runs().values("pk"), opened_at__isnull=False
    ).annotate(n=Count("responses"))


def _surveys(scope):
    """Sent surveys of the scope's runs that may be shown: not anonymous-and-too-few."""
    return _sent_surveys(scope).exclude(anonymous=True, n__lt=ANONYMITY_THRESHOLD)


def figures(scope, group=None, detail=False):
    """The figures of a scope, grouped by "theme", "course" or "run" ({key: Figures}), or in
    total ({None: Figures}). `detail` adds the satisfaction distribution and NPS."""
    return figures_by(scope, [group], detail)[group]


# From the finest grouping to the coarsest: figures that add up (runs, places, bookings,
# attendances, certificates, survey answers) are counted once at the finest grouping a page
# asks for and added up into the others; counts of distinct people are counted again for each.
FINEST_FIRST = ["run", "course", "theme", None]


def figures_by(scope, groups, detail=False, months=False):
    """{group: {key: Figures}} for several groupings of one scope at once (see `figures`).

    With `months`, also "month": {(year, month): attendances at sessions}, counted in the same
    statement as the bookings (see `attendance_by_month`)."""
    groups = list(dict.fromkeys(groups))
    finest = min(groups, key=FINEST_FIRST.index)
    runs = scope.runs()
    # Each finest key with the key it has in every other grouping ({"course": page, ...}).
    keys, out = {}, {group: {} for group in groups}
    fields = {"run": "pk", "course": "page", "theme": "page__theme"}
    wanted = [fields[g] for g in FINEST_FIRST[:-1] if g in groups]
    if wanted:
        rows = runs.order_by().values(*wanted).annotate(n=Count("pk"), places=Sum("capacity"))
    else:
        rows = [runs.aggregate(n=Count("pk"), places=Sum("capacity"))]
    for values in rows:
        if not values["n"]:
            continue
        fine = values[fields[finest]] if finest else None
        keys[fine] = {g: (values[fields[g]] if g else None) for g in groups}
        for group in groups:
            figure = out[group].setdefault(keys[fine][group], Figures())
            figure.runs += values["n"]
            figure.places += values["places"] or 0
    if not keys:
        empty = {group: ({None: Figures()} if group is None else {}) for group in groups}
        return {**empty, "month": {}} if months else empty

    def add(fine_key, name, value):
        for group in groups:
            figure = out[group].get(keys.get(fine_key, {}).get(group, object()))
            if figure is not None:
                setattr(figure, name, getattr(figure, name) + value)

    def put(group, rows):
        for key, values in rows.items():
            if key in out[group]:
                for name, value in values.items():
                    setattr(out[group][key], name, value)

    # The bookings counted once per grouping, split by the person's role (everyone has exactly
    # one, so distinct people add up across roles): see `_booking_counts`. Counts that add up
    # are taken at the finest grouping only and added into the coarser ones.
    counted = _booking_counts(scope, runs, groups, finest, months)
    if months:
        out["month"] = counted.pop("month")
    for group, rows in counted.items():
        for key, values in rows.items():
            if group == finest:
                for name in BOOKING_ADDITIVE:
                    add(key, name, values.pop(name))
            put(
                group,
                {
                    key: {
                        name: values[name] for name in [*BOOKING_PEOPLE, *ROLES.values(), "others"]
                    }
                },
            )

    for fine, satisfaction in _satisfaction_counts(scope, finest, detail).items():
        for group in groups:
            key = keys.get(fine, {}).get(group, object())
            if key in out[group]:
                out[group][key].satisfaction.add(satisfaction)
    if None in groups:
        out[None][None].satisfaction.detail = detail  # the total has a distribution, if asked
    for group in groups:  # "month" holds counts, not Figures
        for figure in out[group].values():
            figure.no_shows = (
                figure.confirmed - figure.attendances
            )  # confirmed, present at no session
            figure.satisfaction.attendees = figure.surveyed_attendances
            figure.satisfaction.finish()
    return out


# Counted from the scope's bookings, in `_booking_counts`: figures that add up across groupings,
# and distinct people, counted again in each grouping.
BOOKING_ADDITIVE = (
    "confirmed",
    "applications",
    "attendances",
    "surveyed_attendances",
    "certificates",
)
BOOKING_PEOPLE = ("asked", "still_waiting", "people", "completions")
ROLES = {Role.COUNCILLOR: "councillors", Role.OFFICER: "officers"}  # anyone else: "others"


def _booking_counts(scope, runs, groups, finest, months=False):
    """{group: {key: {figure: n}}} of the bookings on `runs`, for each grouping at once.

    One statement, whatever the number of groupings. Its common table expressions:

    - figures_marks: the marks of presence (attended or late) at the sessions of `runs`, each
      with its booking and, for `months`, the session's month (London);
    - figures_runs: what the bookings need of their run (grouping keys, booking mode, sessions
      to complete, a showable survey), read once a run rather than once a booking;
    - figures_bookings: the bookings on `runs` (person, role, status, certificate) with their
      run's columns and their presence: on PostgreSQL counted from those marks, read once and
      joined; on SQLite looked up for each booking (`BookingQuerySet.sessions_present`), which
      is what SQLite does faster. Both count the same marks.

    The bookings are then grouped once per grouping, UNION ALL. PostgreSQL's GROUPING SETS would
    read them once too, but SQLite has none. With `months`, a first part counts the marks of
    confirmed bookings by month, as "month": {(year, month): n}. The definitions:

    - asked: distinct people with a booking, whatever became of it (cancelled ones too);
    - still waiting: distinct people on a waiting list;
    - people: distinct people with an attendance, a confirmed booking present (attended or
      late) at a session or more; `attendances` counts those bookings. A cancelled booking is
      never an attendance;
    - completions: distinct people with a confirmed booking present at as many sessions as
      `RunQuerySet.sessions_to_complete` asks (`with_completion`'s rule);
    - "councillors", "officers" and "others": `people` by role;
    - surveyed attendances: attendances on runs with a survey that may be shown (`_surveys`),
      the base of the response rate;
    - certificates: valid (not revoked) certificates; a booking holds one at most;
    - month: attendances at sessions, a mark of presence on a confirmed booking counting once
      for each session (`attendance_by_month`).
    """
    from django.db import connection

    from lms.certificates.models import Certificate

    qn = connection.ops.quote_name
    columns = {"run": "run_key", "course": "course_key", "theme": "theme_key", None: None}
    marks = (
        Attendance.objects.filter(session__run__in=runs.values("pk"), status__in=PRESENT_STATUSES)
        .order_by()
        .values(booking_key=F("booking_id"))
    )
    if months:
        marks = marks.annotate(month_start=TruncMonth("session__starts_at", tzinfo=LONDON))
    # What the bookings need of their run, read once a run rather than once a booking.
    run_columns = {
        "course_key": F("page_id"),
        "theme_key": F("page__theme_id"),
        "approval": Case(When(booking_mode=BookingMode.APPROVAL, then=Value(1)), default=Value(0)),
        "required": Run.objects.sessions_to_complete(),
        # Read once for all runs (not correlated): the runs with a showable survey.
        "surveyed": Case(
            When(pk__in=_surveys(scope).values("run"), then=Value(1)), default=Value(0)
        ),
    }
    run_rows = runs.order_by().values(run_key=F("pk"), **run_columns)
    bookings = (
        Booking.objects.filter(run__in=runs.values("pk"))
        .order_by()
        .values(
            booking_key=F("pk"),
            person_key=F("person_id"),
            role=F("person__role"),
            status_key=F("status"),
            run_key=F("run_id"),
            certified=Case(
                When(
                    Exists(Certificate.objects.valid().filter(booking=OuterRef("pk"))),
                    then=Value(1),
                ),
                default=Value(0),
            ),
        )
    )
    # Each booking's presence. PostgreSQL counts it once from the marks and joins it (a hash
    # join, cheaper than a look-up per booking); SQLite would materialise the bookings to join
    # them, and is faster looking each booking up by index, `sessions_present()`'s way.
    join_presence = connection.vendor == "postgresql"
    if not join_presence:
        bookings = bookings.annotate(present=Booking.objects.sessions_present())
    booking, run, ctes, params = qn("booking_key"), qn("run_key"), [], []
    if join_presence or months:
        marks_sql, marks_params = marks.query.sql_with_params()
        ctes.append(f"figures_marks AS MATERIALIZED ({marks_sql})")
        params += marks_params
    runs_sql, runs_params = run_rows.query.sql_with_params()
    bookings_sql, bookings_params = bookings.query.sql_with_params()
    ctes += [f"figures_runs AS MATERIALIZED ({runs_sql})", f"figures_base AS ({bookings_sql})"]
    params += runs_params + bookings_params
    select = "SELECT figures_base.*, " + ", ".join(
        f"figures_runs.{qn(name)}" for name in run_columns
    )
    source = f"FROM figures_base INNER JOIN figures_runs ON figures_runs.{run} = figures_base.{run}"
    if join_presence:
        present = qn("present")
        ctes.append(
            f"figures_presence AS (SELECT {booking}, COUNT(*) AS {present} FROM figures_marks GROUP BY {booking})"
        )
        select += f", COALESCE(figures_presence.{present}, 0) AS {present}"
        source += (
            f" LEFT JOIN figures_presence ON figures_presence.{booking} = figures_base.{booking}"
        )
    ctes.append(f"figures_bookings AS MATERIALIZED ({select} {source})")
    person, status, role = qn("person_key"), qn("status_key"), qn("role")
    confirmed = f"{status} = %s"
    attending = f"{confirmed} AND {qn('present')} > 0"  # an attendance: the one definition here
    conditions = {  # SQL over the bookings' columns, each with its parameters
        "confirmed": (confirmed, [BookingStatus.CONFIRMED]),
        "applications": (f"{qn('approval')} = 1", []),
        "attendances": (attending, [BookingStatus.CONFIRMED]),
        "still_waiting": (f"{status} = %s", [BookingStatus.WAITLISTED]),
        "people": (attending, [BookingStatus.CONFIRMED]),
        "completions": (
            f"{confirmed} AND {qn('present')} >= {qn('required')}",
            [BookingStatus.CONFIRMED],
        ),
        "surveyed_attendances": (
            f"{attending} AND {qn('surveyed')} = 1",
            [BookingStatus.CONFIRMED],
        ),
        "certificates": (f"{qn('certified')} = 1", []),
    }
    names = ["asked", "still_waiting", "people", "completions", *BOOKING_ADDITIVE]
    selects, select_start = [], len(params)  # the parameters of the CTEs come first
    groups = sorted(groups, key=FINEST_FIRST.index)  # a key column of NULLs only after typed ones
    for index, group in enumerate(groups):
        aggregates, select_params = [f"COUNT(DISTINCT {person})"], []  # asked
        # Within one run a person holds one confirmed or waiting-list booking at most (the
        # constraint one_active_booking_per_person_per_run), so a run's people are its bookings
        # and need no DISTINCT, which costs a sort; asking counts cancelled bookings too, so it
        # stays distinct.
        distinct = "DISTINCT " if group != "run" else ""
        for name in ("still_waiting", "people", "completions"):
            sql, condition_params = conditions[name]
            aggregates.append(f"COUNT({distinct}CASE WHEN {sql} THEN {person} END)")
            select_params += condition_params
        if group == finest:
            for name in BOOKING_ADDITIVE:
                sql, condition_params = conditions[name]
                aggregates.append(f"COUNT(CASE WHEN {sql} THEN 1 END)")
                select_params += condition_params
        else:
            aggregates += ["0"] * len(BOOKING_ADDITIVE)
        key = qn(columns[group]) if group else "NULL"
        group_by = f"{key}, {role}" if group else role
        selects.append(  # the last column is the month's, NULL here
            f"SELECT {index}, {key}, {role}, {', '.join(aggregates)}, NULL FROM figures_bookings GROUP BY {group_by}"
        )
        params += select_params
    if months:
        month = qn("month_start")
        zeros = ", 0" * (len(names) - 1)
        # First: PostgreSQL types a UNION's columns left to right, and this one's is the month's.
        selects.insert(
            0,
            f"SELECT -1, NULL, NULL, COUNT(*){zeros}, {month} FROM figures_marks WHERE {booking} IN "
            f"(SELECT {booking} FROM figures_bookings WHERE {status} = %s) GROUP BY {month}",
        )
        params.insert(select_start, BookingStatus.CONFIRMED)
    out = {group: {} for group in groups}
    if months:
        out["month"] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects), params)
        for index, key, person_role, *counts, month in cursor.fetchall():
            if index == -1:
                # The first day of a London month: a naive datetime from PostgreSQL, text from
                # SQLite (the raw cursor skips the ORM's converters).
                month = datetime.fromisoformat(month) if isinstance(month, str) else month
                out["month"][(month.year, month.month)] = counts[0]
                continue
            values = out[groups[index]].setdefault(
                key, dict.fromkeys([*names, *ROLES.values(), "others"], 0)
            )
            for name, n in zip(names, counts, strict=True):
                values[name] += n
            values[ROLES.get(person_role, "others")] += counts[names.index("people")]
    return out


def _satisfaction_counts(scope, group, detail):
    """The additive counts of `Satisfaction`, not yet finished: a grouping's rows can be added
    up (`Satisfaction.add`) into a coarser grouping's before they are finished. Its attendees
    (the base of the response rate) are counted with the bookings (`_booking_counts`)."""
    surveys = _surveys(scope)
    answers = Answer.objects.filter(
        response__survey__in=surveys.values("pk"),
        question__key="satisfaction",
        question__kind=QuestionKind.LIKERT,
    )
    prefix = "response__survey__run__"
    out = {}

    def row(key):
        return out.setdefault(key, Satisfaction())

    if group is None:
        row(None)  # the total is always there, answered or not
    questions = []
    for key, values in _grouped(
        answers,
        prefix,
        group,
        answered=Count("response", distinct=True),
        very_satisfied=Count("pk", filter=Q(choice=VERY_SATISFIED)),
        satisfied_or_better=Count("pk", filter=Q(choice__in=TOP_TWO)),
        first_question=Min("question"),
    ).items():
        first_question = values.pop("first_question")
        if first_question is not None:
            questions.append(first_question)
        for name, value in values.items():
            setattr(row(key), name, value)
    # Respondents of the showable surveys, and responses withheld: the rest of the sent surveys'
    # responses (those of anonymous surveys with too few), in one pass over them.
    responses = Response.objects.filter(survey__in=_sent_surveys(scope).values("pk"))
    for key, values in _grouped(
        responses,
        "survey__run__",
        group,
        sent=Count("pk"),
        respondents=Count("pk", filter=Q(survey__in=surveys.values("pk"))),
    ).items():
        if values["respondents"] or key in out:
            row(key).respondents = values["respondents"]
        if values["sent"] > values["respondents"]:
            row(key).withheld = values["sent"] - values["respondents"]
    # The wording of the headline question: the first one written, of those answered.
    question = (
        Question.objects.filter(pk=min(questions)).values_list("text", flat=True).first()
        if questions
        else ""
    )
    for satisfaction in out.values():
        satisfaction.question_text = question or ""
    if detail:
        _add_distribution(out, answers, prefix, group, surveys)
    return out


def _add_distribution(out, answers, prefix, group, surveys):
    key_path = "total" if group is None else _path(prefix, group)
    rows = answers.order_by()
    values = ["choice"] if group is None else [key_path, "choice"]
    for row in rows.values(*values).annotate(n=Count("pk")):
        key = row.get(key_path)
        if key in out:
            out[key].choices[row["choice"]] = row["n"]
    recommend = Answer.objects.filter(
        response__survey__in=surveys.values("pk"),
        question__key="recommend",
        question__kind=QuestionKind.SCALE,
    )
    nps = _grouped(
        recommend,
        prefix,
        group,
        promoters=Count("pk", filter=Q(number__gte=9)),
        passives=Count("pk", filter=Q(number__in=[7, 8])),
        detractors=Count("pk", filter=Q(number__lte=6)),
    )
    for key, satisfaction in out.items():
        satisfaction.detail = True
        if key in nps:
            satisfaction.recommend = dict(nps[key])


def local_day(moment):
    """The London calendar date of a stored (UTC) moment."""
    return moment.astimezone(LONDON).date() if moment else None


# -- runs and sessions ---------------------------------------------------------------------


def held_runs(scope):
    """The scope's runs with their venue and dates, in date order. Their pages are not loaded
    with them: a page is a whole Wagtail page, and hundreds of runs share a few."""
    return scope.runs().select_related("venue").order_by("starts_at", "pk")


def session_attendance(scope):
    """Each session of the scope's runs with its marks: [(session, {status: n, "unmarked": n})]."""
    runs = scope.runs()
    sessions = list(
        Session.objects.filter(run__in=runs.values("pk"))
        .only("run_id", "title", "starts_at")
        .order_by("run__starts_at", "run_id", "starts_at")
    )
    marks = {}
    for row in (
        Attendance.objects.filter(
            session__run__in=runs.values("pk"), booking__status=BookingStatus.CONFIRMED
        )
        .order_by()  # no join for Attendance's default order
        .values("session", "status")
        .annotate(n=Count("pk"))
    ):
        marks.setdefault(row["session"], {})[row["status"]] = row["n"]
    confirmed = dict(
        Booking.objects.filter(run__in=runs.values("pk"), status=BookingStatus.CONFIRMED)
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values_list("run", "n")
    )
    out = []
    for session in sessions:
        counts = {
            status: marks.get(session.pk, {}).get(status, 0) for status in AttendanceStatus.values
        }
        counts["unmarked"] = confirmed.get(session.run_id, 0) - sum(counts.values())
        out.append((session, counts))
    return out


def attendance_by_month(scope, counts=None):
    """Attendances at sessions (a person present at a session), by calendar month (London) of
    the session: [((y, m), n)]. A person at a three-day cohort counts three times. The counts
    are those of `figures_by(scope, ..., months=True)["month"]`: pass them when the page has
    them, or they are counted here."""
    if counts is None:  # the bookings statement alone, without the rest of the figures
        counts = _booking_counts(scope, scope.runs(), [None], None, months=True)["month"]
    if scope.year:
        # Every month of the year, then any later month in which a run of the year went on
        # (a cohort that began in March and met again in April).
        months = scope.year.months()
        return [(month, counts.get(month, 0)) for month in months] + sorted(
            (month, n) for month, n in counts.items() if month not in months
        )
    return sorted(counts.items())


def comments(scope):
    """Free-text answers of the scope's showable surveys: [{"run", "question", "text", "name"}].
    Anonymous surveys give no name and are sorted by text, not by when people answered."""
    # The surveys first, as a list: the planner then knows how few they are and starts from
    # their responses, rather than from every free-text answer ever given.
    surveys = list(_surveys(scope).values_list("pk", flat=True))
    rows = (
        Answer.objects.filter(response__survey__in=surveys, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .values(
            "text",
            "question__text",
            "response__survey__anonymous",
            "response__survey__run",
            "response__invitation__booking__person__full_name",
            "response__survey__run__starts_at",
        )
    )
    out = [
        {
            "run": row["response__survey__run"],
            "question": row["question__text"],
            "text": row["text"],
            "name": ""
            if row["response__survey__anonymous"]
            else (row["response__invitation__booking__person__full_name"] or ""),
            "starts_at": row["response__survey__run__starts_at"],
        }
        for row in rows
    ]
    out.sort(key=lambda c: (c["starts_at"], c["run"], c["question"], c["text"]))
    return out


# -- reach -----------------------------------------------------------------------------------


@dataclass
class ReachRow:
    value: str  # the type or region's key
    label: str
    reached: int
    existing: int

    @property
    def share(self):
        return Share(self.reached, self.existing)


def councils_existing(year):
    """Councils that existed at some point in the year (all councils when no year)."""
    councils = Council.objects.all()
    if year:
        councils = councils.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=year.last_day),
            Q(end_date__isnull=True) | Q(end_date__gte=year.first_day),
        )
    return councils


def councils_reached(scope, role=None):
    """Councils with at least one attendance in the scope (by people of a role, if given).
    Only councils that existed in the scope's year count, so a share never passes 100 per cent:
    someone whose profile names a council formed later does not reach it."""
    return councils_existing(scope.year).filter(pk__in=_attending_councils(scope, role))


def _attending_councils(scope, role=None):
    """The councils of the people with an attendance in the scope, as a subquery: read once,
    not once per council."""
    attended = attendances(scope)
    if role:
        attended = attended.filter(person__role=role)
    # No NULL: a NOT IN over a list holding NULL would exclude every council.
    return attended.filter(person__council__isnull=False).order_by().values("person__council")


def reach(scope, by, role=None):
    """Councils reached, by "type" or "region", beside how many of each existed: [ReachRow],
    plus the total row (see `reach_by`)."""
    return reach_by(scope, role)[by]


def reach_by(scope, role=None):
    """{"type": ([ReachRow], total), "region": ([ReachRow], total)}: councils reached by council
    type and by region, beside how many of each existed (only those count as reached: see
    `councils_reached`). Councils are counted by type and region together, once, and the two
    breakdowns added up from those counts (a council has one type and one region)."""

    def by_type_and_region(councils):
        return list(councils.order_by().values("type", "region").annotate(n=Count("pk")))

    reached = by_type_and_region(councils_reached(scope, role))
    existing = by_type_and_region(councils_existing(scope.year))
    out = {}
    for by, choices in (("type", CouncilType), ("region", Region)):
        counts = {"reached": {}, "existing": {}}
        for name, rows in (("reached", reached), ("existing", existing)):
            for row in rows:
                counts[name][row[by]] = counts[name].get(row[by], 0) + row["n"]
        rows = [
            ReachRow(
                value, label, counts["reached"].get(value, 0), counts["existing"].get(value, 0)
            )
            for value, label in choices.choices
            if counts["existing"].get(value, 0) or counts["reached"].get(value, 0)
        ]
        total = ReachRow(
            "", "All councils", sum(r.reached for r in rows), sum(r.existing for r in rows)
        )
        out[by] = (rows, total)
    return out


def never_reached(scope, role=None, council_type=None, region=None):
    """Councils that exist today and have never had an attendance in the scope (by people of a
    role, if given) — neither they nor a council they replaced (a merged district's people count
    for the council that took it over). The targeting list."""
    attending = _attending_councils(scope, role)
    councils = (
        Council.objects.current()
        .exclude(pk__in=attending)
        # A council a reached one was merged into (one step: its people count for it).
        .exclude(
            pk__in=Council.successors.through.objects.filter(from_council__in=attending).values(
                "to_council"
            )
        )
    )
    if council_type:
        councils = councils.filter(type=council_type)
    if region:
        councils = councils.filter(region=region)
    return councils.order_by("region", "type", "name")


# -- e-learning --------------------------------------------------------------------------------


def provider_completed_pages():
    """Content types of the page kinds whose completion comes from a provider (e-learning)."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, BookablePage) and getattr(model, "completion_from_provider", False)
    ]
    return ContentType.objects.get_for_models(*models).values() if models else []


def intakes(scope):
    """The scope narrowed to e-learning intakes; their figures are `figures(..., group="run")`."""
    return Scope(scope.year, scope.theme, scope.course, scope.now, provider_completed=True)


def years_held(scope):
    """The financial years in which the scope's runs were held, newest first (one query)."""
    months = scope.runs().datetimes("starts_at", "month", tzinfo=LONDON)
    return sorted({FinancialYear.containing(month) for month in months}, reverse=True)


def theme_record(theme, years=3, now=None):
    """What a theme achieved: [(FinancialYear, Figures)] for its last `years` financial years
    with runs held, newest first. The figures of `figures(Scope(year, theme))`, which the
    Figures pages show for the theme and the year, so the theme page can never differ."""
    scope = Scope(theme=theme, now=now)
    return [
        (year, figures(Scope(year=year, theme=theme, now=scope.now))[None])
        for year in years_held(scope)[:years]
    ]
