"""What each booking email says. Sent from tasks.py, never inside a request, each once."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lms.core.time import day, span
from lms.core.time import when as _when

from . import calendar, calendar_links
from .models import Booking, BookingChange, BookingEvent, BookingStatus, Venue


@dataclass(frozen=True)
class Message:
    subject: str
    heading: str
    lines: tuple[str, ...]
    calendar: str = ""  # "", "request", "cancel" or "move" (cancel the old run's, request the new)
    # Whether the booking still stands after this event: if so the email says until when it can
    # be cancelled and how to add the run to a calendar.
    standing: bool = True


MESSAGES = {
    "confirmed": Message(
        "Booking confirmed: {course}",
        "Your place is confirmed",
        (
            "Your booking reference is {reference}.",
            "The calendar invitation attached adds it to your calendar.",
            "Show the QR code attached (check-in-code.png) at the door and we will mark you present.",
        ),
        "request",
    ),
    "waitlisted": Message(
        "You are on the waiting list: {course}",
        "You are on the waiting list",
        (
            "This run is full. You are number {position} on the waiting list.",
            "If a place comes up we will email you straight away.",
        ),
    ),
    "requested": Message(
        "Application received: {course}",
        "We have your application",
        ("The organisers will decide and email you. Your reference is {reference}.",),
    ),
    "offered": Message(
        "A place is free for you: {course}",
        "A place has come up",
        (
            "A place has come up and we are holding it for you until {offer_expires}.",
            "Accept it from My bookings, or it goes to the next person.",
        ),
    ),
    "promoted": Message(
        "A place is confirmed for you: {course}",
        "You have a place",
        (
            "A place came up and it is yours: your booking reference is {reference}.",
            "The calendar invitation attached adds it to your calendar.",
        ),
        "request",
    ),
    "declined": Message(
        "Your application: {course}",
        "Your application was not successful",
        ("We are sorry: this time we could not offer you a place.",),
        standing=False,
    ),
    "cancelled": Message(
        "Booking cancelled: {course}",
        "Your booking is cancelled",
        ("You cancelled booking {reference}. The attached file removes it from your calendar.",),
        "cancel",
        standing=False,
    ),
    "moved": Message(
        "Your booking moved from {from_run} to {run}: {page}",
        "Your booking moved from {from_run} to {run}",
        (
            "Your place on {page} has moved from {from_run} on {from_starts} "
            "to {run} on {starts} at {place}.",
            "Your new booking reference is {reference}; it replaces {from_reference}.",
            "The attached cancellation.ics removes {from_run} from your calendar "
            "and invitation.ics adds {run}.",
            "Show the QR code attached (check-in-code.png) at the door and we will mark you present.",
        ),
        "move",
    ),
    "run_cancelled": Message(
        "Cancelled: {course}",
        "This run has been cancelled",
        (
            "We are sorry: {course} on {starts} has been cancelled.",
            "{cancellation_message}",
            "The attached file removes it from your calendar.",
        ),
        "cancel",
        standing=False,
    ),
    "run_changed": Message(
        "Changed: {course}",
        "The time or place has changed",
        (
            "{course} is now on {starts}, {place}.",
            "The attached invitation updates your calendar.",
        ),
        "request",
    ),
    "joining_details": Message(
        "How to join: {course}",
        "The joining details have changed",
        (
            "The organisers have changed how to join {course}: the new details are below and "
            "replace any you had before.",
        ),
    ),
    "reminder": Message(
        "Reminder: {course} on {starts}",
        "See you soon",
        ("{course} is on {starts}, {place}. Your booking reference is {reference}.",),
        "request",
    ),
}


CHANGES_HEADING = "What has changed:"

# Emails that carry the booking's check-in QR code (attached as check-in-code.png).
CHECKIN_CODE_EVENTS = {"confirmed", "promoted", "reminder", "moved"}


@dataclass(frozen=True)
class RunDetails:
    """What every booking email says about the run, so that it stands on its own: what, when
    (every session), where (the venue's address and a map, or how to join online), until when
    the booking can be cancelled, and how to add it to a calendar."""

    course: str
    sessions: tuple[str, ...]  # "Friday 24 January 2020, 10:00 to 16:00 (Module 2: Negotiation)"
    venue: Venue | None
    online: bool
    joining_details: str  # only for a confirmed place, once released
    joining_details_to_come: str  # where they are while not in the email, in one sentence
    holds_place: bool
    cancel_by: str  # "" once the booking no longer stands
    cancel_by_passed: bool
    calendar: calendar_links.CalendarLinks | None
    my_bookings_url: str


def run_details(booking, *, standing=True, base_url=None, now=None):
    """The run as the email about `booking` describes it. `standing`: whether the booking still
    holds after the event the email is about (not after a cancellation or a refusal)."""
    now = now or timezone.now()
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    run = booking.run
    sessions = list(run.sessions.all())
    holds_place = standing and booking.status == BookingStatus.CONFIRMED
    released_at = run.joining_details_released_at()
    online = run.online or not run.venue_id
    released = run.joining_details_released(now)
    cancellable_until = run.cancellable_until() if standing else None
    return RunDetails(
        course=f"{run.page.title}: {run.title}",
        sessions=tuple(
            span(s.starts_at, s.ends_at) + (f" ({s.title})" if s.title else "") for s in sessions
        ),
        venue=None if online else run.venue,
        online=online,
        joining_details=run.joining_details.strip() if online and holds_place and released else "",
        joining_details_to_come=_joining_details_to_come(released_at, released, holds_place)
        if online and standing and released_at
        else "",
        holds_place=holds_place,
        cancel_by=_when(cancellable_until) if cancellable_until else "",
        cancel_by_passed=bool(cancellable_until and now >= cancellable_until),
        calendar=calendar_links.for_run(run, base_url) if standing and sessions else None,
        my_bookings_url=base_url + reverse("bookings:my_bookings"),
    )


def _joining_details_to_come(released_at, released, holds_place):
    """Where an online run's joining details are, for an email that does not carry them."""
    if holds_place:
        if released:  # gone out, but the organisers had not written them yet
            return "The organisers will email you the joining details before the first session."
        return f"We will email you the joining details on {day(released_at)}."
    if released:
        return "If a place comes up for you, the joining details will come with it."
    return f"People with a place are emailed the joining details on {day(released_at)}."


def _email(booking, subject, context):
    """The email in both parts, HTML and text, from the same context. The text part keeps one
    blank line between paragraphs, however its sections were left out."""
    text = re.sub(r"\n{3,}", "\n\n", render_to_string("bookings/email/message.txt", context))
    email = EmailMultiAlternatives(subject=subject, body=text, to=[booking.person.email])
    email.attach_alternative(render_to_string("bookings/email/message.html", context), "text/html")
    return email


def send(booking_id, event, key, **details):
    """Send the email for this event, unless the email with this key went already."""
    from lms.core.mail import send_once

    send_once(key, lambda: message(booking_id, event, **details))


def send_run_message(booking_id, subject, body, key):
    """An organiser's message to the people on a run, as one person reads it, sent once."""
    from lms.core.mail import send_once

    send_once(key, lambda: run_message(booking_id, subject, body))


def run_message(booking_id, subject, body):
    """The organiser's words, in the booking emails' frame: greeting by name, the message's
    paragraphs, then what every booking email says about the run (`run_details`), the link to
    My bookings and the site's signature."""
    booking = _booking(booking_id)
    run = booking.run
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    context = {
        "person": booking.person,
        "booking": booking,
        "heading": subject,
        "lines": paragraphs,
        "details": run_details(booking, standing=booking.is_active),
    }
    return _email(booking, f"{subject} ({run.page.title}: {run.title})", context)


def _booking(booking_id):
    return (
        Booking.objects.select_related("run__page", "run__venue", "person")
        .prefetch_related("run__sessions")
        .get(pk=booking_id)
    )


def message(booking_id, event, changes=(), removed=()):
    """The email; for a change to a run, `changes` says what changed and `removed` lists the
    sessions taken out (their cancellation is attached beside the updated invitation)."""
    from . import services

    booking = _booking(booking_id)
    message = MESSAGES[event]
    run = booking.run
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    facts = {
        "course": f"{run.page.title}: {run.title}",
        "reference": booking.reference,
        "starts": _when(run.starts_at),
        "place": run.place_description,
        "position": services.waiting_list_position(booking) or "",
        "offer_expires": _when(booking.offer_expires_at) if booking.offer_expires_at else "",
        "cancellation_message": run.cancellation_message,
        "page": run.page.title,
        "run": run.title,
    }
    moved_from = _moved_from(booking) if message.calendar == "move" else None
    if moved_from:
        facts.update(
            from_run=moved_from.run.title,
            from_starts=_when(moved_from.run.starts_at),
            from_reference=moved_from.reference,
        )
    context = {
        "person": booking.person,
        "booking": booking,
        "heading": message.heading.format(**facts),
        "lines": [text for text in (line.format(**facts) for line in message.lines) if text]
        + ([CHANGES_HEADING, *changes] if changes else [])
        + (
            ["The attached cancellation removes the cancelled sessions from your calendar."]
            if removed
            else []
        ),
        "details": run_details(booking, standing=message.standing, base_url=base_url),
    }
    email = _email(booking, message.subject.format(**facts), context)
    if event in CHECKIN_CODE_EVENTS and booking.status == "confirmed":
        from .attendance import qr_png

        email.attach("check-in-code.png", qr_png(booking), "image/png")
    if message.calendar == "request":
        ics = calendar.invitation(booking, base_url=base_url)
        email.attach_alternative(ics.decode(), "text/calendar; method=REQUEST")
        email.attach("invitation.ics", ics, "text/calendar; method=REQUEST")
        if removed:
            email.attach(
                "cancellation.ics",
                calendar.removed_sessions(booking, removed),
                "text/calendar; method=CANCEL",
            )
    elif message.calendar == "cancel":
        ics = calendar.cancellation(booking, base_url=base_url)
        email.attach_alternative(ics.decode(), "text/calendar; method=CANCEL")
        email.attach("cancellation.ics", ics, "text/calendar; method=CANCEL")
    elif message.calendar == "move":
        # Two files, since a calendar file has one METHOD: CANCEL for the old run's events (their
        # UIDs), REQUEST for the new run's. The invitation is also the message's calendar part,
        # which mail programs act on without the person opening a file.
        ics = calendar.invitation(booking, base_url=base_url)
        email.attach_alternative(ics.decode(), "text/calendar; method=REQUEST")
        email.attach(
            "cancellation.ics",
            calendar.cancellation(moved_from, base_url=base_url),
            "text/calendar; method=CANCEL",
        )
        email.attach("invitation.ics", ics, "text/calendar; method=REQUEST")
    return email


def _moved_from(booking):
    """The booking this one replaced on another run, as the history recorded the move."""
    event = (
        BookingEvent.objects.filter(booking=booking, change=BookingChange.MOVED_HERE)
        .select_related(
            "other_booking__run__page", "other_booking__run__venue", "other_booking__person"
        )
        .first()
    )
    if event is None or event.other_booking is None:
        raise ValueError(f"Booking {booking.pk} was not moved from another run")
    return event.other_booking
