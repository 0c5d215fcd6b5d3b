"""Check-in by QR code or typed reference, at the door of a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    Booking,
    BookingStatus,
)

if TYPE_CHECKING:
    import segno

    from lms.accounts.models import User

    from ..models import Session

from .marks import _mark


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
    """The booking's check-in QR code, made here (segno), never by a web service. With a fixed
    mask, as the certificates' (lms/certificates/pdf.py): segno's search for the best of eight
    cost more than the rest of the code, for no difference a scanner notices."""
    import segno

    return segno.make_qr(qr_payload(booking), error="m", mask=0)


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
