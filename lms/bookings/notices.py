"""Queueing a booking's emails with the change that causes them.

The services call `notify`; it queues lms.bookings.tasks.send_booking_email by its dotted path, so
this module (and the services) never import the task module, which imports the emails, which read
through the services (a booking's place on the waiting list)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lms.core.tasks import enqueue

if TYPE_CHECKING:
    from .models import Booking

SEND_BOOKING_EMAIL = "lms.bookings.tasks.send_booking_email"

# Events that can legitimately happen more than once to one booking: a change of time or place,
# told apart by the run's calendar SEQUENCE at the time (each such change raises it), and new
# joining details for an online run, told apart by the version of the run they came with.
REPEATABLE_EVENTS = {"run_changed"}
VERSIONED_EVENTS = {"joining_details"}


def email_key(
    booking_id: int, event: str, sequence: int | None = None, version: str | None = None
) -> str:
    """What makes a booking email one email: the booking, the event, and for an event that can
    happen again, the run's SEQUENCE (or the version) when it did."""
    key = f"booking:{booking_id}:{event}"
    if event in REPEATABLE_EVENTS:
        return f"{key}:sequence-{sequence}"
    if event in VERSIONED_EVENTS:
        return f"{key}:version-{version}"
    return key


def notify(
    booking: Booking,
    event: str,
    sequence: int | None = None,
    version: str | None = None,
    **details: Any,
) -> None:
    """Queue a booking email with the change that caused it (see lms.core.tasks.enqueue).
    `sequence`: the run's calendar SEQUENCE, for an event that can happen again; `version`
    likewise for joining details. `details` (plain JSON values) are what the email needs that
    the database will no longer say, such as `changes` (lines describing a change) and
    `removed` (sessions removed, for their CANCEL)."""
    key = email_key(booking.pk, event, sequence, version)
    enqueue(SEND_BOOKING_EMAIL, booking.pk, event, key, **details)
