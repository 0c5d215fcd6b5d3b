"""The two CSV imports of attendance: a session's marks from an organiser's file, and an
e-learning intake's completions from the provider's file. Both read and plan through the one
import flow in `lms/core/imports.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..models import (
    PRESENT_STATUSES,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    Booking,
    BookingStatus,
    Run,
)

if TYPE_CHECKING:
    from lms.accounts.models import User

    from ..models import Session

from lms.core.imports import FilePlan, UnreadableFile, read_csv

from .marks import AttendanceRefused, _check_markable, _mark

# --- A session's marks ---------------------------------------------------------------------

IMPORT_COLUMNS = ("reference", "status")
STATUS_WORDS = {
    **{value: value for value in AttendanceStatus.values},
    **{label.lower(): value for value, label in AttendanceStatus.choices},
    "present": AttendanceStatus.ATTENDED,
}


@dataclass
class ImportRow:
    line: int
    reference: str
    status: str
    booking: Booking | None = None
    current: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def status_label(self):
        return AttendanceStatus(self.status).label if self.status else ""

    @property
    def current_label(self):
        return AttendanceStatus(self.current).label if self.current else "Not marked"


@dataclass
class ImportPlan(FilePlan):
    rows: list[ImportRow]
    errors: list[str]  # problems with the file as a whole

    @property
    def changes(self):
        return [row for row in self.rows if row.current != row.status]


def plan_import(session: Session, text: str) -> ImportPlan:
    """Read an attendance CSV (columns: reference, status) and check every row against the
    session's register without changing anything."""
    try:
        columns, lines = read_csv(text, lambda name: name.strip().lower())
    except UnreadableFile as unreadable:
        return ImportPlan([], [str(unreadable)])
    if not columns:
        return ImportPlan([], ["The file is empty. It needs a header row: reference,status."])
    missing = [c for c in IMPORT_COLUMNS if c not in columns]
    if missing:
        return ImportPlan(
            [],
            [
                f"The file has no “{'” or “'.join(missing)}” column. The header row must be: reference,status."
            ],
        )
    rows, seen = [], {}
    for line, raw in lines:  # the file's own line numbers, blank lines included
        reference = (raw.get("reference") or "").strip().upper()
        status_word = (raw.get("status") or "").strip().lower()
        row = ImportRow(line, reference, STATUS_WORDS.get(status_word, ""))
        if not reference and not status_word:
            continue  # blank line
        if not reference:
            row.errors.append("No booking reference.")
        elif reference in seen:
            row.errors.append(f"{reference} is already on line {seen[reference]}.")
        else:
            seen[reference] = line
        if not row.status:
            row.errors.append(
                f"“{raw.get('status') or ''}” is not a mark: use attended, late, absent or excused."
            )
        rows.append(row)
    if not rows:
        return ImportPlan([], ["The file has a header row but no attendance rows."])
    bookings = {
        b.reference: b
        for b in Booking.objects.filter(reference__in=[r.reference for r in rows]).select_related(
            "person", "run"
        )
    }
    marks = dict(Attendance.objects.filter(session=session).values_list("booking_id", "status"))
    for row in rows:
        booking = bookings.get(row.reference)
        if row.reference and booking is None:
            row.errors.append(f"No booking has the reference {row.reference}.")
        elif booking is not None:
            row.booking = booking
            row.current = marks.get(booking.pk, "")
            try:
                _check_markable(booking, session)
            except AttendanceRefused as refusal:
                row.errors.append(str(refusal))
    return ImportPlan(rows, [])


def apply_import(
    session: Session, text: str, by: User | None = None, now: datetime | None = None
) -> ImportPlan:
    """Import a whole file or nothing: the plan is made again and any error refuses it all."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = plan_import(session, text)
        if not plan.ok:
            raise AttendanceRefused("The file has errors; nothing was imported.")
        for row in plan.changes:
            _mark(row.booking, session, row.status, by, AttendanceSource.IMPORT, now)
    return plan


# --- Completions from an e-learning provider's file --------------------------------------------
#
# An e-learning intake runs on the provider's site; the platform allocates the places and the
# provider sends back a CSV of who has completed. Recording it marks attendance through `_mark`
# (source IMPORT), so `with_completion()`, certificates, My learning and the reports read the
# one definition of completion there is.

COMPLETION_COLUMNS = ("email", "status")
# Header names providers use for the two columns (compared lower-cased, spaces trimmed).
COMPLETION_COLUMN_NAMES = {
    "email": "email",
    "email address": "email",
    "e-mail": "email",
    "e-mail address": "email",
    "status": "status",
    "completion status": "status",
    "completion": "status",
}


class ProviderStatus:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    NOT_COMPLETED = "not_completed"  # a yes/no column says only "no"

    LABELS = {
        COMPLETED: "Completed",
        IN_PROGRESS: "In progress",
        NOT_STARTED: "Not started",
        NOT_COMPLETED: "Not completed",
    }


# The words accepted in the status column, compared lower-cased with runs of spaces, hyphens and
# underscores read as one space ("In-Progress", "in_progress" and "in progress" are the same).
COMPLETION_WORDS = {
    **dict.fromkeys(
        ["completed", "complete", "passed", "pass", "yes", "y", "true"], ProviderStatus.COMPLETED
    ),
    **dict.fromkeys(["in progress", "started", "incomplete"], ProviderStatus.IN_PROGRESS),
    **dict.fromkeys(["not started", "enrolled", "not attempted"], ProviderStatus.NOT_STARTED),
    **dict.fromkeys(
        ["not completed", "not complete", "no", "n", "false"], ProviderStatus.NOT_COMPLETED
    ),
}


def _status_word(value):
    return " ".join((value or "").replace("_", " ").replace("-", " ").lower().split())


@dataclass
class CompletionRow:
    line: int
    email: str
    status: str  # a ProviderStatus value, or "" if the word was not understood
    booking: Booking | None = None
    was_completed: bool | None = None  # None: nothing recorded yet
    marks: list = field(default_factory=list)  # (session, old status, new status) to write
    errors: list[str] = field(default_factory=list)

    @property
    def completes(self):
        return self.status == ProviderStatus.COMPLETED

    @property
    def status_label(self):
        return ProviderStatus.LABELS.get(self.status, "")

    @property
    def current_label(self):
        if self.was_completed is None:
            return "Nothing recorded"
        return "Completed" if self.was_completed else "Not completed"

    @property
    def after_label(self):
        if not self.status:
            return ""
        return "Completed" if self.completes else "Not completed"

    @property
    def changes(self):
        return bool(self.marks)


@dataclass
class CompletionPlan(FilePlan):
    run: object
    rows: list[CompletionRow]
    errors: list[str]  # problems with the file as a whole

    @property
    def changes(self):
        return [row for row in self.rows if row.changes]

    @property
    def newly_completed(self):
        return [row for row in self.changes if row.completes]

    @property
    def newly_not_completed(self):
        return [row for row in self.changes if not row.completes]

    @property
    def unchanged(self):
        return [row for row in self.rows if not row.changes]


def _completion_targets(sessions, marks, completes):
    """The marks a booking needs so that its completion says what the provider says.

    Completed: every session not already present (attended or late) is marked attended.
    Not completed: every session marked present, or not marked, is marked absent; an "excused"
    already says not present and is left as it is.
    """
    targets = []
    for session in sessions:
        old = marks.get(session.pk, "")
        if completes and old not in PRESENT_STATUSES:
            targets.append((session, old, AttendanceStatus.ATTENDED))
        elif not completes and old not in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
            targets.append((session, old, AttendanceStatus.ABSENT))
    return targets


def plan_completion_import(run: Run, text: str) -> CompletionPlan:
    """Read a provider's completion CSV for an e-learning intake and say, row by row, what
    importing it would change, without changing anything.

    The file has a header row naming an ``email`` column and a ``status`` column (other columns,
    such as names, are ignored). Emails are matched, trimmed and case-insensitively, to the people
    booked on this run. Status words (see ``COMPLETION_WORDS``): completed, complete, passed, yes,
    true → completed; in progress, started, incomplete → in progress; not started, enrolled →
    not started; not completed, no, false → not completed.

    A completion is recorded as "attended" at every session of the run, so completion stays
    derived by ``Booking.objects.with_completion()``. Anything else than completed is recorded
    as "absent" at every session not already absent or excused: the provider's latest file is
    the authority on an e-learning intake, so a person imported as completed whom a later file
    calls "in progress" is shown in the preview as Completed → Not completed and is changed
    (providers correct their records; keeping the stale completion would issue a certificate
    the provider does not stand behind). The same file imported again changes nothing.
    """
    if not getattr(run.page.specific_class, "completion_from_provider", False):
        return CompletionPlan(
            run, [], [f"Completion of {run} comes from its registers, not from a provider's file."]
        )
    header = "The header row must name an “email” and a “status” column, for example: email,status."
    try:
        names, lines = read_csv(
            text, lambda name: COMPLETION_COLUMN_NAMES.get(" ".join(name.lower().split()), name)
        )
    except UnreadableFile as unreadable:
        return CompletionPlan(run, [], [str(unreadable)])
    if not any(name.strip() for name in names):
        return CompletionPlan(run, [], [f"The file is empty. {header}"])
    missing = [c for c in COMPLETION_COLUMNS if c not in names]
    if missing:
        return CompletionPlan(
            run, [], [f"The file has no “{'” or “'.join(missing)}” column. {header}"]
        )
    rows, seen = [], {}
    for line, raw in lines:
        email = (raw.get("email") or "").strip().lower()
        word = raw.get("status") or ""
        if not email and not word.strip():
            continue  # a blank line, or one of empty cells
        row = CompletionRow(line, email, COMPLETION_WORDS.get(_status_word(word), ""))
        if not email:
            row.errors.append("No email address.")
        elif email in seen:
            row.errors.append(f"{email} is already on line {seen[email]}.")
        else:
            seen[email] = row.line
        if not row.status:
            row.errors.append(
                f"“{word.strip()}” is not a completion status: use completed, in progress or not started."
            )
        rows.append(row)
    if not rows:
        return CompletionPlan(run, [], ["The file has a header row but no rows of people."])

    sessions = list(run.sessions.order_by("starts_at", "pk"))
    if not sessions:
        return CompletionPlan(
            run, rows, [f"{run} has no sessions: add one before recording completions."]
        )
    # Each person's booking on this run: the active one if there is one, else the latest.
    by_email = {}
    for booking in (
        Booking.objects.filter(run=run).select_related("person").order_by("created_at", "pk")
    ):
        email = booking.person.email.strip().lower()
        if booking.is_active or email not in by_email or not by_email[email].is_active:
            by_email[email] = booking
    marks = {}
    for booking_id, session_id, status in Attendance.objects.filter(session__run=run).values_list(
        "booking_id", "session_id", "status"
    ):
        marks.setdefault(booking_id, {})[session_id] = status
    completed = set(Booking.objects.filter(run=run).completed().values_list("pk", flat=True))
    for row in rows:
        booking = by_email.get(row.email)
        if not row.email:
            continue
        if booking is None:
            row.errors.append(f"Nobody booked on this intake has the email {row.email}.")
            continue
        row.booking = booking
        if booking.status != BookingStatus.CONFIRMED:
            row.errors.append(
                f"{booking.person.email} has no confirmed place: their booking {booking.reference} is "
                f"{booking.get_status_display().lower()}."
            )
            continue
        row.was_completed = (booking.pk in completed) if booking.pk in marks else None
        if row.status:
            row.marks = _completion_targets(sessions, marks.get(booking.pk, {}), row.completes)
    return CompletionPlan(run, rows, [])


def apply_completion_import(
    run: Run, text: str, by: User | None = None, now: datetime | None = None
) -> CompletionPlan:
    """Record a provider's completion file: the whole file or nothing. The plan is made again
    inside the transaction (with the run's row locked, so two imports of one intake take turns)
    and any error refuses it all. Returns the plan; ``plan.newly_completed`` and
    ``plan.newly_not_completed`` say what changed."""
    now = now or timezone.now()
    with transaction.atomic():
        Run.objects.select_for_update().filter(pk=run.pk).first()
        plan = plan_completion_import(run, text)
        if not plan.ok:
            raise AttendanceRefused("The file has errors; no completions were recorded.")
        for row in plan.changes:
            for session, _old, new in row.marks:
                _mark(row.booking, session, new, by, AttendanceSource.IMPORT, now)
    return plan
