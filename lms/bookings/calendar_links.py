"""Ways to put a run in a calendar, for the confirmation page and the booking emails alike
(templates/bookings/includes/add_to_calendar.*): the run's calendar file (every session in one
.ics, the download feeds.run_ics serves) and, for calendars kept on the web, a Google Calendar
and an Outlook link for each session, since neither takes more than one event in a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse

from lms.core.time import span

if TYPE_CHECKING:
    from .models import Run, Session

GOOGLE = "https://calendar.google.com/calendar/render"
# Outlook on the web for work and school accounts (Microsoft 365, which councils use); personal
# outlook.com accounts are sent on to the same form after signing in.
OUTLOOK = "https://outlook.office.com/calendar/deeplink/compose"


@dataclass(frozen=True)
class SessionLinks:
    when: str  # "Friday 24 January 2020, 10:00 to 16:00"
    title: str  # the session's own title, if it has one
    google: str
    outlook: str


@dataclass(frozen=True)
class CalendarLinks:
    ics: str
    sessions: tuple[SessionLinks, ...]


def location(run: Run) -> str:
    """Where, in one line, as a calendar shows it."""
    if run.online or not run.venue_id:
        return "Online"
    return ", ".join([run.venue.name, *run.venue.address_lines()])


def _utc(moment: datetime, form: str) -> str:
    return moment.astimezone(UTC).strftime(form)


def google_url(summary: str, session: Session, where: str, details: str) -> str:
    dates = "/".join(_utc(m, "%Y%m%dT%H%M%SZ") for m in (session.starts_at, session.ends_at))
    query = {"action": "TEMPLATE", "text": summary, "dates": dates, "location": where}
    return f"{GOOGLE}?{urlencode({**query, 'details': details})}"


def outlook_url(summary: str, session: Session, where: str, details: str) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": summary,
        "startdt": _utc(session.starts_at, "%Y-%m-%dT%H:%M:%SZ"),
        "enddt": _utc(session.ends_at, "%Y-%m-%dT%H:%M:%SZ"),
        "location": where,
        "body": details,
    }
    return f"{OUTLOOK}?{urlencode(query)}"


def for_run(run: Run, base_url: str) -> CalendarLinks:
    """The links for a run: `base_url` (settings.SITE_URL) makes them work from an email."""
    base_url = base_url.rstrip("/")
    sessions = list(run.sessions.all())
    where = location(run)
    details = (
        f"{run.page.title}: {run.title}. Your bookings: {base_url}{reverse('bookings:my_bookings')}"
    )
    links = []
    for number, session in enumerate(sessions, start=1):
        summary = f"{run.page.title}: {run.title}"
        if len(sessions) > 1:
            summary += f" (day {number} of {len(sessions)})"
        links.append(
            SessionLinks(
                when=span(session.starts_at, session.ends_at),
                title=session.title,
                google=google_url(summary, session, where, details),
                outlook=outlook_url(summary, session, where, details),
            )
        )
    return CalendarLinks(
        ics=base_url + reverse("bookings:run_ics", kwargs={"run_id": run.pk}),
        sessions=tuple(links),
    )
