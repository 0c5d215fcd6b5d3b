"""Background work for bookings: their emails, queued with the change that causes them."""

from lms.core.tasks import enqueue, task

from . import emails

# Events that can legitimately happen more than once to one booking, told apart by the run's
# calendar SEQUENCE at the time (each change of time or place raises it).
REPEATABLE_EVENTS = {"run_changed"}


def email_key(booking_id, event, sequence=None):
    """What makes a booking email one email: the booking, the event, and for an event that can
    happen again, the run's SEQUENCE when it did."""
    key = f"booking:{booking_id}:{event}"
    return f"{key}:sequence-{sequence}" if event in REPEATABLE_EVENTS else key


@task(queue_name="emails")
def send_booking_email(booking_id: int, event: str, key: str | None = None, **details):
    emails.send(booking_id, event, key or email_key(booking_id, event), **details)


def notify(booking, event, sequence=None, **details):
    """Queue a booking email with the change that caused it (see lms.core.tasks.enqueue).
    `sequence`: the run's calendar SEQUENCE, for an event that can happen again. `details`
    (plain JSON values) are what the email needs that the database will no longer say, such as
    `changes` (lines describing a change) and `removed` (sessions removed, for their CANCEL)."""
    enqueue(send_booking_email, booking.pk, event, email_key(booking.pk, event, sequence), **details)
