"""Background work for bookings: their emails, queued with the change that causes them (by
lms.bookings.notices.notify, which the services call)."""

from lms.core.tasks import task

from . import emails
from .notices import email_key


@task(queue_name="emails")
def send_booking_email(booking_id: int, event: str, key: str | None = None, **details):
    emails.send(booking_id, event, key or email_key(booking_id, event), **details)


@task(queue_name="emails")
def send_run_message(booking_id: int, subject: str, body: str, key: str):
    """One person's copy of an organiser's message to the people on a run (lms.bookings.messaging)."""
    emails.send_run_message(booking_id, subject, body, key)
