"""Background work for surveys: invitations and reminders, queued with the change causing them."""

from lms.core.tasks import enqueue, task

from . import emails


def email_key(invitation_id, event):
    """One invitation and one reminder per invitation (each person's survey link) at most."""
    return f"survey-invitation:{invitation_id}:{event}"


@task(queue_name="emails")
def send_survey_email(invitation_id: int, event: str, key: str | None = None):
    emails.send(invitation_id, event, key or email_key(invitation_id, event))


def notify(invitation, event):
    """Queue an invitation or reminder email with the change that caused it."""
    enqueue(send_survey_email, invitation.pk, event, email_key(invitation.pk, event))
