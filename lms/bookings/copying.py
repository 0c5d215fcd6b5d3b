"""Copying runs: one run to a new first date, or a course's runs or a whole financial year's
programme into the next year. Copies are drafts: nobody sees or books them until an organiser
publishes them (`publish_run`).

Dates move on the London calendar, so a 10:00 session stays at 10:00 whatever the clocks do in
between; every session keeps its distance in days from the first, and the booking window and
cancellation cut-off move with them. Into the next year, a run keeps its weekday (52 weeks on, the
same weekday nearest the date a year later) and moves a week at a time off bank holidays in
England and Wales, read from GOV.UK's list as `govuk-bank-holidays` ships it.

Settings are copied field by field from the model, so a setting added to `Run` later is copied
too unless it is named in `NOT_COPIED`. Bookings, attendance, surveys and certificates are never
copied: they belong to the people on the old run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from lms.core.bank_holidays import bank_holiday, bank_holidays_known_until
from lms.core.time import LONDON
from lms.core.years import FinancialYear

from .models import Run, RunStatus, Session

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page

    from lms.accounts.models import User

# Fields of Run that a copy does not take from its source.
NOT_COPIED = {
    "id",
    "starts_at",
    "ends_at",
    "status",
    "cancellation_message",
    "joining_details",  # a meeting link is made for one run; last year's would mislead
    "calendar_uid",
    "calendar_sequence",
    "created_at",
    "updated_at",
    "draft",
    "copied_from",
}
# Moments that move with the run's dates.
SHIFTED = ("booking_opens", "booking_closes", "cancellation_cutoff")
# How far a run may move, a week at a time, to get off bank holidays.
MOST_WEEKS_MOVED = 4


class CopyRefused(Exception):
    """The copy cannot be made; the message says why, in words for the organiser."""


# --- Dates ----------------------------------------------------------------------------------


def local_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def shift(moment: datetime | None, days: int) -> datetime | None:
    """The same London wall-clock time, `days` calendar days later."""
    if moment is None:
        return None
    local = moment.astimezone(LONDON).replace(tzinfo=None)
    return (local + timedelta(days=days)).replace(tzinfo=LONDON)


def a_year_on(day: date) -> date:
    """The same weekday nearest the same date next year: 52 weeks on (29 February → 28 February
    next year, then the nearest same weekday)."""
    try:
        anniversary = day.replace(year=day.year + 1)
    except ValueError:
        anniversary = day.replace(year=day.year + 1, day=28)
    weeks = round((anniversary - day).days / 7)
    return day + timedelta(weeks=weeks)


@dataclass
class HolidayClash:
    day: date
    name: str


@dataclass
class PlannedRun:
    """One run and where its copy would go, for the preview and for making the copy."""

    source: Run
    days: int  # calendar days from the source's dates to the copy's
    sessions: list[tuple[Session, datetime, datetime]]
    plain_days: int | None = None  # the shift before moving off bank holidays
    clashes: list[HolidayClash] = field(default_factory=list)  # holidays the plain shift hit
    kept_in_year: FinancialYear | None = None  # 52 weeks fell outside it: a week more or less
    unchecked: bool = False  # some new day is beyond the bank holiday list
    already_copied: Run | None = None  # a copy of it already in the target year
    in_past: bool = False  # the copy would start before now

    @property
    def to_copy(self) -> bool:
        return self.already_copied is None and not self.in_past

    @property
    def new_starts_at(self):
        return self.sessions[0][1] if self.sessions else None

    @property
    def new_ends_at(self):
        return max(end for _, _, end in self.sessions) if self.sessions else None

    @property
    def weeks_moved(self) -> int:
        """Weeks moved off bank holidays, beyond the plain shift (+ later, - earlier)."""
        return (self.days - (self.days if self.plain_days is None else self.plain_days)) // 7

    @property
    def note(self) -> str:
        """What the organiser should know about this run's new dates, in words."""
        parts = []
        if self.already_copied is not None:
            parts.append("Already copied into that year: not copied again.")
        elif self.in_past:
            parts.append("Its new dates have passed: not copied.")
        if self.kept_in_year is not None:
            parts.append(f"52 weeks on would fall outside {self.kept_in_year}: a week apart.")
        if self.clashes:
            hit = "; ".join(
                f"{c.name} ({c.day:%A} {c.day.day} {c.day:%B %Y})" for c in self.clashes
            )
            moved = abs(self.weeks_moved)
            if moved:
                weeks = "a week" if moved == 1 else f"{moved} weeks"
                way = "later" if self.weeks_moved > 0 else "earlier"
                parts.append(f"Would fall on {hit}: moved {weeks} {way}.")
            else:
                within = f"{MOST_WEEKS_MOVED} weeks"
                parts.append(f"Falls on {hit}: no free week within {within}; check the dates.")
        if self.unchecked:
            parts.append(
                "Bank holidays after "
                f"{bank_holidays_known_until():%-d %B %Y} are not yet published: check the dates."
            )
        return " ".join(parts)


def _sessions(run):
    return list(run.sessions.order_by("starts_at", "pk"))


def _plan(source: Run, days: int, sessions=None) -> PlannedRun:
    sessions = _sessions(source) if sessions is None else sessions
    return PlannedRun(
        source=source,
        days=days,
        sessions=[(s, shift(s.starts_at, days), shift(s.ends_at, days)) for s in sessions],
    )


def _clashes(sessions, days) -> list[HolidayClash]:
    clashes = []
    for session in sessions:
        for moment in (session.starts_at, session.ends_at):
            day = local_day(moment) + timedelta(days=days)
            if (name := bank_holiday(day)) and all(c.day != day for c in clashes):
                clashes.append(HolidayClash(day, name))
    return clashes


def plan_next_year(
    source: Run, sessions: list[Session] | None = None, within: FinancialYear | None = None
) -> PlannedRun:
    """Where a copy of `source` goes in the next year: the same weekday, 52 weeks on, then the
    nearest week (later first) on which none of its sessions falls on a bank holiday, keeping
    the first day inside `within` (the year copied into) when given."""
    sessions = _sessions(source) if sessions is None else sessions
    if not sessions:
        raise CopyRefused(f"{source} has no sessions, so there are no dates to copy.")
    first = local_day(sessions[0].starts_at)
    plain = (a_year_on(first) - first).days
    kept_in_year = None
    if within is not None and not within.contains(first + timedelta(days=plain)):
        # 1 April is 31 March 52 weeks on (and 31 March may be 1 April): a week on or back
        # keeps the weekday and the copy in the year it was made for.
        plain += 7 if first + timedelta(days=plain) < within.first_day else -7
        kept_in_year = within
    clashes = _clashes(sessions, plain)
    days = plain
    if clashes:
        for weeks in (w * sign for w in range(1, MOST_WEEKS_MOVED + 1) for sign in (1, -1)):
            candidate = plain + 7 * weeks
            if within is not None and not within.contains(first + timedelta(days=candidate)):
                continue
            if not _clashes(sessions, candidate):
                days = candidate
                break
    planned = _plan(source, days, sessions)
    planned.plain_days, planned.clashes, planned.kept_in_year = plain, clashes, kept_in_year
    last = max(local_day(s.ends_at) for s in sessions) + timedelta(days=days)
    planned.unchecked = last > bank_holidays_known_until()
    return planned


# --- Which runs ------------------------------------------------------------------------------


def runs_of_year(year: FinancialYear, page: Page | None = None) -> QuerySet[Run]:
    """The runs of a financial year (by their first session, on the London calendar), of one
    course page or all: every run that went or is going ahead, drafts and cancelled runs aside."""
    runs = Run.objects.filter(
        status=RunStatus.SCHEDULED,
        draft=False,
        starts_at__gte=year.starts_at,
        starts_at__lt=year.ends_before,
    )
    if page is not None:
        runs = runs.filter(page=page)
    return (
        runs.select_related("page", "venue")
        .prefetch_related("sessions")
        .order_by("starts_at", "pk")
    )


def preview_next_year(
    year: FinancialYear, page: Page | None = None, now: datetime | None = None
) -> list[PlannedRun]:
    """The copies a year's runs (or one course's) would make in the next year. Changes nothing."""
    now = now or timezone.now()
    next_year = FinancialYear(year.start_year + 1)
    runs = list(runs_of_year(year, page))
    copies = {
        copy.copied_from_id: copy
        for copy in Run.objects.filter(
            copied_from__in=runs,
            starts_at__gte=next_year.starts_at,
            starts_at__lt=next_year.ends_before,
        ).exclude(status=RunStatus.CANCELLED)
    }
    plans = []
    for run in runs:
        sessions = list(run.sessions.all())  # prefetched, in session order
        if not sessions:
            continue  # no dates to copy (a run is listed by its first session, so rare)
        planned = plan_next_year(run, sessions, within=next_year)
        planned.already_copied = copies.get(run.pk)
        planned.in_past = planned.new_starts_at <= now
        plans.append(planned)
    return plans


# --- Making copies ----------------------------------------------------------------------------


def _make_copy(planned: PlannedRun, by) -> Run:
    source = planned.source
    values = {
        f.attname: getattr(source, f.attname)
        for f in Run._meta.concrete_fields
        if f.name not in NOT_COPIED
    }
    for name in SHIFTED:
        values[name] = shift(getattr(source, name), planned.days)
    copy = Run(**values, draft=True, copied_from=source, status=RunStatus.SCHEDULED)
    copy.save()
    Session.objects.bulk_create(
        Session(run=copy, title=session.title, starts_at=starts_at, ends_at=ends_at)
        for session, starts_at, ends_at in planned.sessions
    )
    copy.refresh_dates()
    log(
        copy,
        "bookings.run_copied",
        user=by,
        data={"from_run": source.pk, "from_title": str(source)},
    )
    return copy


def plan_copy(source: Run, first_day: date, sessions: list[Session] | None = None) -> PlannedRun:
    """Where a copy of `source` starting on `first_day` would put each session (and any bank
    holiday it would fall on: the organiser chose the day, so it is said, not moved)."""
    sessions = _sessions(source) if sessions is None else sessions
    if not sessions:
        raise CopyRefused(
            "This run has no sessions, so there are no dates to copy. Add a session first."
        )
    days = (first_day - local_day(sessions[0].starts_at)).days
    planned = _plan(source, days, sessions)
    planned.clashes = _clashes(sessions, days)
    return planned


def copy_run(source: Run, first_day: date, by: User | None = None) -> Run:
    """Copy a run to a new first day: every session keeps its distance from the first and its
    times; settings are kept; nobody's booking comes with it. The copy is a draft."""
    with transaction.atomic():
        source = Run.objects.select_for_update().get(pk=source.pk)
        return _make_copy(plan_copy(source, first_day), by)


@dataclass
class YearCopy:
    created: list[Run]
    skipped: list[PlannedRun]  # already copied, or dates passed


def copy_into_next_year(
    year: FinancialYear,
    page: Page | None = None,
    by: User | None = None,
    now: datetime | None = None,
) -> YearCopy:
    """Copy a year's runs (or one course's) into the next year as drafts, as the preview shows.
    Runs already copied into that year are not copied again, so doing it twice makes no more;
    nor are runs whose new dates have already passed."""
    with transaction.atomic():
        # Lock the source runs so that two organisers pressing at once do not copy twice.
        list(runs_of_year(year, page).select_for_update(of=("self",)).values_list("pk", flat=True))
        created, skipped = [], []
        for planned in preview_next_year(year, page, now):
            if planned.to_copy:
                created.append(_make_copy(planned, by))
            else:
                skipped.append(planned)
        return YearCopy(created, skipped)


def publish_run(run: Run, by: User | None = None) -> Run:
    """Open a draft run: it appears on What's on, its course page and the calendar feeds, and
    people can book it."""
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if not run.draft:
            raise CopyRefused("This run is already published.")
        if not run.sessions.exists():
            raise CopyRefused("This run has no sessions: add one before publishing it.")
        run.draft = False
        run.save(update_fields=["draft", "updated_at"])  # its post_save renews the cached catalogue
        log(run, "bookings.run_published", user=by)
        return run
