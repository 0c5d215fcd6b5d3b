"""Writing to the people on a run: the organiser chooses a group (the confirmed, the waiting list
or the attendees), writes a subject and a message, sees it as people will read it, and sends it.

`message_people` is the service: it locks the run, works out who is in the group, records the
message in the run's history (who sent what to how many) and queues one email a person in the
same transaction. Each email has its own key (the message and the booking), so a task run twice
sends it once."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models, transaction
from wagtail.log_actions import log

from lms.core.tasks import enqueue

from .models import PRESENT_STATUSES, Booking, BookingStatus, Run

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lms.accounts.models import User

logger = logging.getLogger(__name__)

SEND_RUN_MESSAGE = "lms.bookings.tasks.send_run_message"
SUBJECT_MAX = 150
BODY_MAX = 5000


class MessageGroup(models.TextChoices):
    CONFIRMED = "confirmed", "People with a confirmed place"
    WAITING = "waiting", "People on the waiting list, or offered a place"
    ATTENDEES = "attendees", "Attendees, marked attended or late at one session or more"


class MessageRefused(Exception):
    """Why a message cannot go, in words for the organiser."""


@dataclass(frozen=True)
class Sent:
    key: str
    people: int


def recipients(run: Run, group: str) -> QuerySet[Booking]:
    """The bookings a message to `group` goes to, in name order."""
    bookings = run.bookings.select_related("person")
    if group == MessageGroup.CONFIRMED:
        bookings = bookings.filter(status=BookingStatus.CONFIRMED)
    elif group == MessageGroup.WAITING:
        bookings = bookings.filter(status__in=[BookingStatus.WAITLISTED, BookingStatus.OFFERED])
    elif group == MessageGroup.ATTENDEES:
        present = run.bookings.filter(attendances__status__in=PRESENT_STATUSES).values("pk")
        bookings = bookings.filter(pk__in=present)
    else:
        raise MessageRefused("Choose who the message is for.")
    return bookings.order_by("person__full_name", "pk")


def message_people(run: Run, group: str, subject: str, body: str, by: User | None = None) -> Sent:
    """Send the organiser's message to everyone in the group: one email each, queued with the
    record of it in the run's history. Refused (nothing sent) when the group is empty."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise MessageRefused("Write a subject and a message.")
    if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise MessageRefused(
            f"Keep the subject to {SUBJECT_MAX} characters and the message to {BODY_MAX}."
        )
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        people = list(recipients(run, group))
        if not people:
            raise MessageRefused(
                f"Nobody is in that group on {run}, so there is nobody to write to."
            )
        key = f"run-message:{uuid.uuid4().hex}"
        log(
            instance=run,
            action="bookings.run_messaged",
            user=by,
            data={
                "group": group,
                "group_label": MessageGroup(group).label,
                "subject": subject,
                "body": body,
                "people": len(people),
            },
        )
        for booking in people:
            enqueue(SEND_RUN_MESSAGE, booking.pk, subject, body, f"{key}:booking:{booking.pk}")
    logger.info(
        "Run %s: message %r to %s people (%s) by %s",
        run.pk,
        subject,
        len(people),
        group,
        by or "the system",
    )
    return Sent(key=key, people=len(people))
