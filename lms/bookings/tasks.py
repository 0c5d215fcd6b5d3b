"""Background work for bookings, through Django's tasks interface (django-tasks)."""

from django.db import transaction
from django_tasks import task

from . import emails


@task(queue_name="emails")
def send_booking_email(booking_id: int, event: str):
    emails.send(booking_id, event)


def notify(booking, event):
    """Send a booking email once the change that caused it is committed."""
    transaction.on_commit(lambda: send_booking_email.enqueue(booking.pk, event))
