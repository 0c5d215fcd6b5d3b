"""Marks at a session: the register, and marking one booking. Every mark, first or corrected,
on the day or after, writes an `AttendanceChange` row saying who changed what and when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..models import (
    Attendance,
    AttendanceChange,
    AttendanceSource,
    AttendanceStatus,
    Booking,
    BookingStatus,
)

if TYPE_CHECKING:
    from lms.accounts.models import User

    from ..models import Session


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
