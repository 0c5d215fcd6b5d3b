"""Taking attendance: the register, QR check-in and CSV import all mark through `mark()`.

Only confirmed bookings are on a register. Every mark, first or corrected, on the day or after,
writes an `AttendanceChange` row saying who changed what and when. Completion is never stored:
`Booking.objects.with_completion()` derives it from these rows.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import (
    Attendance,
    AttendanceChange,
    AttendanceSource,
    AttendanceStatus,
    Booking,
    BookingStatus,
    Session,
)


class AttendanceRefused(Exception):
    """The mark cannot be made; the message says why, in words for the organiser."""


def register(session):
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
    current = Attendance.objects.filter(booking=booking, session=session).first()
    if current and current.status == status:
        return current, False
    AttendanceChange.objects.create(
        booking=booking, session=session, old_status=current.status if current else "",
        new_status=status, source=source, changed_at=now, changed_by=by,
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


def mark(booking, session, status, by=None, source=AttendanceSource.REGISTER, now=None):
    """Mark one booking at one session. Returns the attendance row."""
    now = now or timezone.now()
    if status not in AttendanceStatus.values:
        raise AttendanceRefused(f"“{status}” is not an attendance mark.")
    _check_markable(booking, session)
    with transaction.atomic():
        attendance, _ = _mark(booking, session, status, by, source, now)
    return attendance


def mark_remaining_absent(session, by=None, now=None):
    """Everyone on the register not yet marked is marked absent. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        unmarked = (
            session.run.bookings.filter(status=BookingStatus.CONFIRMED)
            .exclude(attendances__session=session)
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


def qr_payload(booking):
    """What a booking's QR code says: a prefix (so a stray QR code is recognised as not ours)
    and the booking's unguessable token."""
    return CHECKIN_PREFIX + booking.checkin_token


def qr_code(booking):
    """The booking's check-in QR code, made here (segno), never by a web service."""
    import segno

    return segno.make(qr_payload(booking), error="m")


def qr_png(booking, scale=8):
    import io

    buffer = io.BytesIO()
    qr_code(booking).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg_data_uri(booking):
    return qr_code(booking).svg_data_uri(scale=6, border=4)


def _find(code):
    code = (code or "").strip()
    if code.upper().startswith(CHECKIN_PREFIX):
        return Booking.objects.select_related("person", "run__page").filter(
            checkin_token=code[len(CHECKIN_PREFIX):]
        ).first()
    return Booking.objects.select_related("person", "run__page").filter(reference=code.upper()).first()


def check_in(session, code, by=None, now=None):
    """Mark the person whose QR code (or typed booking reference) this is as attended at this
    session, and say plainly what happened."""
    now = now or timezone.now()
    booking = _find(code)
    if booking is None:
        return CheckIn(False, "Not recognised: no booking has this code or reference.")
    who = f"{booking.person.full_name} ({booking.reference})"
    if booking.run_id != session.run_id:
        return CheckIn(False, f"Wrong run: {who} is booked on {booking.run}, not this one.", booking)
    if booking.status == BookingStatus.CANCELLED:
        return CheckIn(False, f"Cancelled: {who} cancelled this booking.", booking)
    if booking.status != BookingStatus.CONFIRMED:
        return CheckIn(
            False, f"No confirmed place: {who} is {booking.get_status_display().lower()}.", booking
        )
    with transaction.atomic():
        current = Attendance.objects.select_for_update().filter(booking=booking, session=session).first()
        if current and current.status in (AttendanceStatus.ATTENDED, AttendanceStatus.LATE):
            when = timezone.localtime(current.marked_at).strftime("%H:%M")
            return CheckIn(False, f"Already checked in: {who} was marked present at {when}.", booking)
        _mark(booking, session, AttendanceStatus.ATTENDED, by, AttendanceSource.SCAN, now)
    return CheckIn(True, f"Checked in: {who}.", booking)


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


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    errors: list[str]  # problems with the file as a whole

    @property
    def ok(self):
        return not self.errors and all(not row.errors for row in self.rows)

    @property
    def row_errors(self):
        return [(row.line, message) for row in self.rows for message in row.errors]

    @property
    def changes(self):
        return [row for row in self.rows if row.current != row.status]


def plan_import(session, text):
    """Read an attendance CSV (columns: reference, status) and check every row against the
    session's register without changing anything."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if not columns:
        return ImportPlan([], ["The file is empty. It needs a header row: reference,status."])
    missing = [c for c in IMPORT_COLUMNS if c not in columns]
    if missing:
        return ImportPlan(
            [], [f"The file has no “{'” or “'.join(missing)}” column. The header row must be: reference,status."]
        )
    reader.fieldnames = columns
    rows, seen = [], {}
    for line, raw in enumerate(reader, start=2):
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
        for b in Booking.objects.filter(reference__in=[r.reference for r in rows]).select_related("person", "run")
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


def apply_import(session, text, by=None, now=None):
    """Import a whole file or nothing: the plan is made again and any error refuses it all."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = plan_import(session, text)
        if not plan.ok:
            raise AttendanceRefused("The file has errors; nothing was imported.")
        for row in plan.changes:
            _mark(row.booking, session, row.status, by, AttendanceSource.IMPORT, now)
    return plan


def session_for(run, session_id):
    return Session.objects.select_related("run__page").get(run=run, pk=session_id)
