"""Taking attendance: the register, QR check-in and CSV import all mark through `mark()`.

Only confirmed bookings are on a register. Every mark, first or corrected, on the day or after,
writes an `AttendanceChange` row saying who changed what and when. Completion is never stored:
`Booking.objects.with_completion()` derives it from these rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from .models import (
    PRESENT_STATUSES,
    Attendance,
    AttendanceChange,
    AttendanceSource,
    AttendanceStatus,
    Booking,
    BookingStatus,
    Run,
)

if TYPE_CHECKING:
    import segno

    from lms.accounts.models import User

    from .models import Session


class AttendanceRefused(Exception):
    """The mark cannot be made; the message says why, in words for the organiser."""


def register(session: Session) -> list[Booking]:
    """The confirmed bookings of a session's run, each with its mark at this session (or None)."""
    bookings = list(
        session.run.bookings.filter(status=BookingStatus.CONFIRMED)
        .select_related("person__council")
        .order_by("person__full_name", "pk")
    )
    marks = {a.booking_id: a for a in Attendance.objects.filter(session=session)}
    for booking in bookings:
        booking.mark = marks.get(booking.pk)
    return bookings


def _mark(booking, session, status, by, source, now):
    # At most one row (a unique constraint); by pk, not the model's ordering, which joins two tables.
    current = Attendance.objects.filter(booking=booking, session=session).order_by("pk").first()
    if current and current.status == status:
        return current, False
    AttendanceChange.objects.create(
        booking=booking,
        session=session,
        old_status=current.status if current else "",
        new_status=status,
        source=source,
        changed_at=now,
        changed_by=by,
    )
    if current:
        current.status, current.marked_at, current.marked_by = status, now, by
        current.save(update_fields=["status", "marked_at", "marked_by"])
        return current, True
    return Attendance.objects.create(
        booking=booking, session=session, status=status, marked_at=now, marked_by=by
    ), True


def _check_markable(booking, session):
    if booking.run_id != session.run_id:
        raise AttendanceRefused(f"{booking.reference} is booked on another run: {booking.run}.")
    if booking.status != BookingStatus.CONFIRMED:
        raise AttendanceRefused(
            f"{booking.reference} is not a confirmed booking ({booking.get_status_display().lower()})."
        )


def mark(
    booking: Booking,
    session: Session,
    status: str,
    by: User | None = None,
    source: str = AttendanceSource.REGISTER,
    now: datetime | None = None,
) -> Attendance:
    """Mark one booking at one session. Returns the attendance row."""
    now = now or timezone.now()
    if status not in AttendanceStatus.values:
        raise AttendanceRefused(f"“{status}” is not an attendance mark.")
    _check_markable(booking, session)
    with transaction.atomic():
        attendance, _ = _mark(booking, session, status, by, source, now)
    return attendance


def mark_remaining_absent(
    session: Session, by: User | None = None, now: datetime | None = None
) -> int:
    """Everyone on the register not yet marked is marked absent. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        unmarked = session.run.bookings.filter(status=BookingStatus.CONFIRMED).exclude(
            attendances__session=session
        )
        count = 0
        for booking in unmarked:
            _mark(booking, session, AttendanceStatus.ABSENT, by, AttendanceSource.BULK, now)
            count += 1
    return count


# --- Check-in by QR code or typed reference ---------------------------------------------------


@dataclass
class CheckIn:
    ok: bool
    message: str
    booking: Booking | None = None


CHECKIN_PREFIX = "LMS-CHECKIN:"


def qr_payload(booking: Booking) -> str:
    """What a booking's QR code says: a prefix (so a stray QR code is recognised as not ours)
    and the booking's unguessable token."""
    return CHECKIN_PREFIX + booking.checkin_token


def qr_code(booking: Booking) -> segno.QRCode:
    """The booking's check-in QR code, made here (segno), never by a web service."""
    import segno

    return segno.make(qr_payload(booking), error="m")


def qr_png(booking: Booking, scale: int = 8) -> bytes:
    import io

    buffer = io.BytesIO()
    qr_code(booking).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg_data_uri(booking: Booking) -> str:
    return qr_code(booking).svg_data_uri(scale=6, border=4)


def _find(code):
    code = (code or "").strip()
    if code.upper().startswith(CHECKIN_PREFIX):
        return (
            Booking.objects.select_related("person", "run__page")
            .filter(checkin_token=code[len(CHECKIN_PREFIX) :])
            .first()
        )
    return (
        Booking.objects.select_related("person", "run__page").filter(reference=code.upper()).first()
    )


def check_in(
    session: Session, code: str, by: User | None = None, now: datetime | None = None
) -> CheckIn:
    """Mark the person whose QR code (or typed booking reference) this is as attended at this
    session, and say plainly what happened."""
    now = now or timezone.now()
    booking = _find(code)
    if booking is None:
        return CheckIn(False, "Not recognised: no booking has this code or reference.")
    who = f"{booking.person.full_name} ({booking.reference})"
    if booking.run_id != session.run_id:
        return CheckIn(
            False, f"Wrong run: {who} is booked on {booking.run}, not this one.", booking
        )
    if booking.status == BookingStatus.CANCELLED:
        return CheckIn(False, f"Cancelled: {who} cancelled this booking.", booking)
    if booking.status != BookingStatus.CONFIRMED:
        return CheckIn(
            False, f"No confirmed place: {who} is {booking.get_status_display().lower()}.", booking
        )
    with transaction.atomic():
        current = (
            Attendance.objects.select_for_update().filter(booking=booking, session=session).first()
        )
        if current and current.status in (AttendanceStatus.ATTENDED, AttendanceStatus.LATE):
            when = timezone.localtime(current.marked_at).strftime("%H:%M")
            return CheckIn(
                False, f"Already checked in: {who} was marked present at {when}.", booking
            )
        _mark(booking, session, AttendanceStatus.ATTENDED, by, AttendanceSource.SCAN, now)
    return CheckIn(True, f"Checked in: {who}.", booking)


# --- Reading a CSV file ------------------------------------------------------------------------


class UnreadableFile(Exception):
    """The text cannot be read as a CSV file; the message says why, in words for the organiser."""


SAVE_AS_CSV = "Save it from your spreadsheet as “CSV UTF-8” and upload it again."


def read_csv(
    text: str, column: Callable[[str], str] = lambda name: name
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header's column names (each passed through ``column``) and the rows, as
    ``(line, {column: cell})``, of an uploaded file's text: what both imports read.

    Raises ``UnreadableFile`` for what no spreadsheet saves as CSV: a NUL character (which the
    database would refuse as a reference or email) or a cell longer than Python's csv module
    reads (131,072 characters), naming the line.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UnreadableFile(
            f"The file cannot be read as CSV (line {line} holds a NUL character, so it is not text). {SAVE_AS_CSV}"
        )
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        names = [column(name) for name in (reader.fieldnames or [])]
        reader.fieldnames = names
        rows = [(reader.line_num, raw) for raw in reader]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            error = f"a cell is longer than {csv.field_size_limit():,} characters: is it the right file?"
        # The underlying reader's count: the DictReader's stops at the last row it gave out.
        raise UnreadableFile(
            f"The file cannot be read as CSV (line {reader.reader.line_num}: {error})."
        ) from None
    return names, rows


# --- CSV import -------------------------------------------------------------------------------

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


class _FilePlan:
    """What both CSV imports share: a file imports only when neither it nor any row has an error."""

    @property
    def ok(self):
        return not self.errors and all(not row.errors for row in self.rows)

    @property
    def row_errors(self):
        return [(row.line, message) for row in self.rows for message in row.errors]


@dataclass
class ImportPlan(_FilePlan):
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
class CompletionPlan(_FilePlan):
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
