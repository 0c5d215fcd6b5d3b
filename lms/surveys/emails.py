"""What survey emails say. Sent from tasks.py, never inside a request."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from lms.core.time import day

from .models import Invitation

SUBJECTS = {
    "invitation": "How was {course}? Tell us in two minutes",
    "reminder": "Reminder: how was {course}?",
}


def send(invitation_id, event, key):
    """Send the invitation or reminder, unless the email with this key went already."""
    from lms.core.mail import send_once

    send_once(key, lambda: message(invitation_id, event))


def message(invitation_id, event):
    invitation = Invitation.objects.select_related("survey__run__page", "booking__person").get(
        pk=invitation_id
    )
    run = invitation.survey.run
    course = f"{run.page.title}: {run.title}"
    context = {
        "event": event,
        "person": invitation.booking.person,
        "course": course,
        "survey_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + invitation.get_absolute_url(),
        "closes": day(invitation.survey.closes_at),
        "anonymous": invitation.survey.anonymous,
    }
    email = EmailMultiAlternatives(
        subject=SUBJECTS[event].format(course=course),
        body=render_to_string("surveys/email/invitation.txt", context),
        to=[invitation.booking.person.email],
    )
    html = render_to_string("surveys/email/invitation.html", context)
    email.attach_alternative(html, "text/html")
    return email
