"""Calendar files (iCalendar, RFC 5545) for runs and bookings.

One VEVENT per session. Its UID is built from the run's permanent calendar UID and the session,
so it never changes; SEQUENCE is the run's calendar sequence, raised on every change of time or
place; times carry TZID=Europe/London with the VTIMEZONE included.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from lms.core.time import LONDON

PRODID = "-//Council skills programme//Bookings//EN"


def session_uid(run, session):
    return f"{run.calendar_uid}-{session.pk}@council-skills-programme"


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


def _events(run, *, attendee=None, cancelled=False, base_url=""):
    sessions = list(run.sessions.all())
    for number, session in enumerate(sessions, start=1):
        summary = f"{run.page.title}: {run.title}"
        if len(sessions) > 1:
            summary += f" (day {number} of {len(sessions)})"
        event = Event.new(
            uid=session_uid(run, session),
            summary=summary,
            start=timezone.localtime(session.starts_at, LONDON),
            end=timezone.localtime(session.ends_at, LONDON),
            stamp=timezone.now(),
            sequence=run.calendar_sequence,
            location=_location(run),
            description=run.page.specific.summary if hasattr(run.page.specific, "summary") else "",
            url=f"{base_url}{run.page.url}" if base_url and run.page.url else None,
            organizer=_organizer(),
            status="CANCELLED" if cancelled or run.is_cancelled else "CONFIRMED",
            attendees=[attendee] if attendee else None,
        )
        yield event


def build_calendar(runs, *, method="PUBLISH", person=None, cancelled=False, name=None, base_url=""):
    """An iCalendar file as bytes. `person` adds them as ATTENDEE (invitations only)."""
    calendar = Calendar.new(prodid=PRODID, method=method, name=name)
    attendee = _attendee(person) if person else None
    first = last = None
    for run in runs:
        for event in _events(run, attendee=attendee, cancelled=cancelled, base_url=base_url):
            calendar.add_component(event)
            start, end = event.start.date(), event.end.date()
            first = start if first is None or start < first else first
            last = end if last is None or end > last else last
    if first:
        # A range of a day yields a VTIMEZONE with no STANDARD/DAYLIGHT rules, which RFC 5545
        # forbids; a year either side gives the transitions around the events and no more.
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return calendar.to_ical()


def invitation(booking, *, base_url=""):
    return build_calendar([booking.run], method="REQUEST", person=booking.person, base_url=base_url)


def removed_sessions(booking, removed):
    """METHOD:CANCEL for sessions taken out of a run that goes ahead: `removed` holds each one's
    UID and times (as `runs.edit_run` queued them; the sessions themselves are gone)."""
    from datetime import datetime

    run = booking.run
    calendar = Calendar.new(prodid=PRODID, method="CANCEL")
    starts = []
    for session in removed:
        start = timezone.localtime(datetime.fromisoformat(session["starts_at"]), LONDON)
        end = timezone.localtime(datetime.fromisoformat(session["ends_at"]), LONDON)
        calendar.add_component(
            Event.new(
                uid=session["uid"],
                summary=f"{run.page.title}: {run.title}"
                + (f" ({session['title']})" if session.get("title") else ""),
                start=start,
                end=end,
                stamp=timezone.now(),
                sequence=run.calendar_sequence,
                organizer=_organizer(),
                status="CANCELLED",
                attendees=[_attendee(booking.person)],
            )
        )
        starts.append(start.date())
    if starts:
        calendar.add_missing_timezones(
            first_date=min(starts) - timedelta(days=366),
            last_date=max(starts) + timedelta(days=366),
        )
    return calendar.to_ical()


def cancellation(booking, *, base_url=""):
    return build_calendar(
        [booking.run], method="CANCEL", person=booking.person, cancelled=True, base_url=base_url
    )
