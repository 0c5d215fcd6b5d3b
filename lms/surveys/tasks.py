"""Background work for surveys, through Django's tasks interface (django-tasks)."""

from django.db import transaction
from django_tasks import task

from . import emails


@task(queue_name="emails")
def send_survey_email(invitation_id: int, event: str):
    emails.send(invitation_id, event)


def notify(invitation, event):
    """Send an invitation or reminder email once the change that caused it is committed."""
    transaction.on_commit(lambda: send_survey_email.enqueue(invitation.pk, event))
