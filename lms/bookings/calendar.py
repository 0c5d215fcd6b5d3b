"""Calendar files (iCalendar, RFC 5545) for runs and bookings.

One VEVENT per session. Its UID is built from the run's permanent calendar UID and the session,
so it never changes; times carry TZID=Europe/London with the VTIMEZONE included.

SEQUENCE starts from the run's calendar sequence, raised on every change of time or place, and
is then made personal: a person's events for a run are the same UIDs every time they book it, so
each booking of theirs on the run before this one adds two (one for its invitation, one for its
cancellation), and a cancellation is one above its booking's invitation. Calendar programs apply
a message only when its SEQUENCE is above the last they saw for that UID, so a cancellation
always removes the event and booking the same run again always brings it back.

A person's feed shows confirmed places as CONFIRMED and the rest (applications awaiting approval,
waiting-list places, places offered but not yet accepted) as TENTATIVE, with the state in the
title too, for calendar programs that do not show STATUS (see the README, "Calendars").
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration

from lms.core.time import LONDON

from .models import Booking, BookingStatus

PRODID = "-//Council skills programme//Bookings//EN"

# Calendar-level UIDs (RFC 7986) are name-based UUIDs in this namespace, so the same calendar has
# the same UID on every request. Never change it: calendar programs would see new calendars.
CALENDAR_NAMESPACE = uuid.UUID("8f5d1f8e-3c1b-4e0e-9a55-6f1c7a2b9d40")

# How often a subscribed calendar should fetch the feed again (RFC 7986 REFRESH-INTERVAL, and
# X-PUBLISHED-TTL for Outlook and older Apple programs).
FEED_REFRESH = timedelta(hours=1)

# How a booking shows in calendars: its STATUS and, unless confirmed, the words in its title.
TENTATIVE_STATES = {
    BookingStatus.REQUESTED: "application awaiting approval",
    BookingStatus.WAITLISTED: "waiting list",
    BookingStatus.OFFERED: "place offered: accept it in My bookings",
}


def session_uid(run, session):
    return f"{run.calendar_uid}-{session.pk}@council-skills-programme"


def calendar_uid(name):
    """The stable RFC 7986 UID of the calendar called `name` (for example "personal-feed:12")."""
    return uuid.uuid5(CALENDAR_NAMESPACE, name)


def personal_feed_uid(person):
    """The same for every request of a person's feed, and kept when they replace its address."""
    return calendar_uid(f"personal-feed:{person.pk}")


# --- SEQUENCE ---------------------------------------------------------------------------------


def earlier_bookings():
    """As an expression on a booking: how many bookings its person made on its run before it."""
    return Coalesce(
        Subquery(
            Booking.objects.filter(
                run=OuterRef("run"), person=OuterRef("person"), pk__lt=OuterRef("pk")
            )
            .order_by()
            .values("run")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _earlier(booking):
    if hasattr(booking, "earlier_bookings"):
        return booking.earlier_bookings
    return Booking.objects.filter(
        run_id=booking.run_id, person_id=booking.person_id, pk__lt=booking.pk
    ).count()


def invitation_sequence(booking):
    """SEQUENCE of the events a booking's invitations and the person's feed carry."""
    return booking.run.calendar_sequence + 2 * _earlier(booking)


def cancellation_sequence(booking):
    """One above the booking's last invitation, so the cancellation is applied."""
    return invitation_sequence(booking) + 1


# --- Events and files -------------------------------------------------------------------------


def _organizer():
    from email.utils import parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = name or "Council skills programme"
    return organizer


def _attendee(person):
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params.update(
        {
            "CN": person.full_name or person.email,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "ACCEPTED",
            "RSVP": "FALSE",
        }
    )
    return attendee


def _location(run):
    if run.online or not run.venue_id:
        return "Online"
    venue = run.venue
    return f"{venue.name}, {' '.join(venue.address.split())}, {venue.city}"


def _events(run, *, attendee=None, status=None, sequence=None, state="", base_url=""):
    """The run's events. `status` and `sequence` default to the run's own (CONFIRMED unless the
    run is cancelled, and its calendar sequence); `state` adds words to each title."""
    sessions = list(run.sessions.all())
    if status is None:
        status = "CANCELLED" if run.is_cancelled else "CONFIRMED"
    for number, session in enumerate(sessions, start=1):
        notes = [f"day {number} of {len(sessions)}"] if len(sessions) > 1 else []
        notes += [state] if state else []
        summary = f"{run.page.title}: {run.title}"
        if notes:
            summary += f" ({', '.join(notes)})"
        yield Event.new(
            uid=session_uid(run, session),
            summary=summary,
            start=timezone.localtime(session.starts_at, LONDON),
            end=timezone.localtime(session.ends_at, LONDON),
            stamp=timezone.now(),
            sequence=run.calendar_sequence if sequence is None else sequence,
            location=_location(run),
            description=run.page.summary,
            url=f"{base_url}{run.page.url}" if base_url and run.page.url else None,
            organizer=_organizer(),
            status=status,
            attendees=[attendee] if attendee else None,
        )


def _calendar(method, *, name=None, uid=None, feed=False):
    calendar = Calendar.new(prodid=PRODID, method=method, name=name, uid=uid)
    if feed:
        # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL (icalendar leaves it out), and an
        # X- property needs its type named or the duration is written as Python prints it.
        calendar.add("REFRESH-INTERVAL", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
    return calendar


def _to_ical(calendar):
    """The file, with the VTIMEZONE of its events' dates, or of today for a file with none:
    RFC 5545 wants at least one component, so an empty feed is a London VTIMEZONE alone."""
    days = [d for event in calendar.events for d in (event.start.date(), event.end.date())]
    first, last = (min(days), max(days)) if days else (timezone.localdate(),) * 2
    # A range of a day yields a VTIMEZONE with no STANDARD/DAYLIGHT rules, which RFC 5545
    # forbids; a year either side gives the transitions around the events and no more.
    first, last = first - timedelta(days=366), last + timedelta(days=366)
    if days:
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        calendar.add_component(Timezone.from_tzinfo(LONDON, first_date=first, last_date=last))
    return calendar.to_ical()


def build_calendar(runs, *, method="PUBLISH", name=None, uid=None, feed=False, base_url=""):
    """A calendar file of runs as bytes: the public feed and the one-run download (no attendee
    data). `feed` adds the refresh interval subscribed calendars follow."""
    calendar = _calendar(method, name=name, uid=uid, feed=feed)
    for run in runs:
        for event in _events(run, base_url=base_url):
            calendar.add_component(event)
    return _to_ical(calendar)


def personal_calendar(person, bookings, *, base_url=""):
    """A person's own feed: each active booking's run, CONFIRMED for a confirmed place and
    TENTATIVE (its state in the title) for the rest. `bookings` may carry `earlier_bookings`."""
    calendar = _calendar(
        "PUBLISH", name="My council skills bookings", uid=personal_feed_uid(person), feed=True
    )
    for booking in bookings:
        confirmed = booking.status == BookingStatus.CONFIRMED
        for event in _events(
            booking.run,
            status="CONFIRMED" if confirmed else "TENTATIVE",
            sequence=invitation_sequence(booking),
            state="" if confirmed else TENTATIVE_STATES[booking.status],
            base_url=base_url,
        ):
            calendar.add_component(event)
    return _to_ical(calendar)


def invitation(booking, *, base_url=""):
    """METHOD:REQUEST for the person's place (TENTATIVE while it is only offered)."""
    calendar = _calendar("REQUEST", uid=calendar_uid(f"booking:{booking.pk}:request"))
    confirmed = booking.status == BookingStatus.CONFIRMED
    for event in _events(
        booking.run,
        attendee=_attendee(booking.person),
        status="CONFIRMED" if confirmed else "TENTATIVE",
        sequence=invitation_sequence(booking),
        state="" if confirmed else TENTATIVE_STATES.get(booking.status, ""),
        base_url=base_url,
    ):
        calendar.add_component(event)
    return _to_ical(calendar)


def cancellation(booking, *, base_url=""):
    """METHOD:CANCEL for every event of the booking's run, SEQUENCE above its invitations."""
    calendar = _calendar("CANCEL", uid=calendar_uid(f"booking:{booking.pk}:cancel"))
    for event in _events(
        booking.run,
        attendee=_attendee(booking.person),
        status="CANCELLED",
        sequence=cancellation_sequence(booking),
        base_url=base_url,
    ):
        calendar.add_component(event)
    return _to_ical(calendar)


def removed_sessions(booking, removed):
    """METHOD:CANCEL for sessions taken out of a run that goes ahead: `removed` holds each one's
    UID and times (as `runs.edit_run` queued them; the sessions themselves are gone). The run's
    sequence was raised by the change, so these are above the invitation that had them."""
    from datetime import datetime

    run = booking.run
    calendar = _calendar("CANCEL", uid=calendar_uid(f"booking:{booking.pk}:removed"))
    for session in removed:
        calendar.add_component(
            Event.new(
                uid=session["uid"],
                summary=f"{run.page.title}: {run.title}"
                + (f" ({session['title']})" if session.get("title") else ""),
                start=timezone.localtime(datetime.fromisoformat(session["starts_at"]), LONDON),
                end=timezone.localtime(datetime.fromisoformat(session["ends_at"]), LONDON),
                stamp=timezone.now(),
                sequence=invitation_sequence(booking),
                organizer=_organizer(),
                status="CANCELLED",
                attendees=[_attendee(booking.person)],
            )
        )
    return _to_ical(calendar)
