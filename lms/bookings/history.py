"""A booking's history: every change of its status, written by the services that make it.

Each service calls `record` inside its transaction, after the booking has its new status, so the
entry commits (or rolls back) with the change itself. Who made the change is read from `by`:
nobody is the system (housekeeping expiring an offer, the waiting list filling a freed place);
the booking's own person is the person; anyone else is an organiser.
"""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from .models import Actor, Booking, BookingChange, BookingEvent


def actor_for(booking: Booking, by: AbstractBaseUser | None) -> Actor:
    if by is None:
        return Actor.SYSTEM
    return Actor.PERSON if by.pk == booking.person_id else Actor.ORGANISER


def record(
    booking: Booking,
    change: BookingChange,
    from_status: str = "",
    *,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    other_booking: Booking | None = None,
    at: datetime | None = None,
) -> BookingEvent:
    """Record that `booking` has just changed (to its current status) and why."""
    return BookingEvent.objects.create(
        booking=booking,
        change=change,
        from_status=from_status or "",
        to_status=booking.status,
        at=at or timezone.now(),
        actor=actor_for(booking, by),
        by=by,
        reason=str(reason or ""),
        other_booking=other_booking,
    )
