"""Every change to a run and its sessions happens here; the run editor, commands and tests call
these (the booking services are in services.py).

Each change locks the run's row, checks what it may do, writes, keeps the run's dates in step
with its sessions, records who did it, and — when a time or place changed for people holding
places — raises the run's calendar SEQUENCE and queues one email to each of them in the same
transaction: an updated invitation carrying every remaining session, and a cancellation for any
session removed. One call is one change: the editor saves everything an organiser changed at
once (`edit_run`), so people get one email however many sessions moved.

Model save() and delete() do none of this: they only write their row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from wagtail.log_actions import log

from lms.core.time import end_time, span
from lms.core.time import when as _when

from .calendar import session_uid
from .models import BookingStatus, Run, Session
from .notices import notify
from .services import BookingRefused, _lock

if TYPE_CHECKING:
    from lms.accounts.models import User

logger = logging.getLogger(__name__)

# Run fields whose change moves people's calendars (the place; times are the sessions').
PLACE_FIELDS = ("venue", "online")


@dataclass
class SessionChange:
    session: Session
    title: str
    starts_at: datetime
    ends_at: datetime


@dataclass
class NewSession:
    starts_at: datetime
    ends_at: datetime
    title: str = ""


@dataclass
class RunEdit:
    """What an organiser asks to change on a run: its fields, and sessions added, changed and
    removed. Built by the run editor or by one of the single-change services below."""

    fields: dict = field(default_factory=dict)
    added: list[NewSession] = field(default_factory=list)
    changed: list[SessionChange] = field(default_factory=list)
    removed: list[Session] = field(default_factory=list)


@dataclass
class Outcome:
    """What a change does: the lines that describe it, in words for the people told, and who."""

    lines: list[str]
    people: int  # people holding places who are told
    tells_people: bool
    # People with a confirmed place sent the new joining details (changed after they went out).
    joining_details_to: int = 0

    @property
    def told(self):
        """How many people are emailed (those sent joining details hold places too)."""
        return max(self.people if self.tells_people else 0, self.joining_details_to)

    @property
    def summary(self):
        said = []
        if self.tells_people and self.people:
            who = (
                "1 person holding a place"
                if self.people == 1
                else f"{self.people} people holding places"
            )
            said.append(
                f"{who} will be told: "
                + "; ".join(line[0].lower() + line[1:] for line in self.lines)
            )
        if self.joining_details_to:
            who = (
                "1 person with a place"
                if self.joining_details_to == 1
                else f"{self.joining_details_to} people with places"
            )
            said.append(f"{who} will be sent the new joining details.")
        return " ".join(said)


def _name(number, session):
    name = f"Session {number}"
    return f"{name} ({session.title})" if session.title else name


def _place(venue, online):
    return "Online" if online or venue is None else str(venue)


def describe(run: Run, edit: RunEdit) -> Outcome:
    """What `edit` would do to `run`, without doing it: the lines people would read."""
    numbers = {s.pk: n for n, s in enumerate(run.sessions.all(), start=1)}
    lines = []
    moves = False
    if any(name in edit.fields for name in PLACE_FIELDS):
        venue = edit.fields.get("venue", run.venue)
        online = edit.fields.get("online", run.online)
        before, after = _place(run.venue, run.online), _place(venue, online)
        if before != after:
            lines.append(f"The place changes from {before} to {after}.")
            moves = True
    for change in sorted(edit.changed, key=lambda c: numbers.get(c.session.pk, 0)):
        session = change.session
        name = _name(numbers[session.pk], session)
        if change.starts_at != session.starts_at:
            line = f"{name} moves from {_when(session.starts_at)} to {_when(change.starts_at)}"
            if change.ends_at - change.starts_at != session.ends_at - session.starts_at:
                line += f", ending at {end_time(change.starts_at, change.ends_at)}"
            lines.append(line + ".")
            moves = True
        elif change.ends_at != session.ends_at:
            lines.append(
                f"{name} on {_when(session.starts_at)} now ends at "
                f"{end_time(change.starts_at, change.ends_at)} instead of {end_time(session.starts_at, session.ends_at)}."
            )
            moves = True
    for new in sorted(edit.added, key=lambda s: s.starts_at):
        title = f" ({new.title})" if new.title else ""
        lines.append(f"A session is added{title}: {span(new.starts_at, new.ends_at)}.")
        moves = True
    for session in sorted(edit.removed, key=lambda s: numbers.get(s.pk, 0)):
        lines.append(
            f"{_name(numbers[session.pk], session)} on {span(session.starts_at, session.ends_at)} "
            "is cancelled."
        )
        moves = True
    people = run.bookings.holding_place().count() if moves else 0
    return Outcome(
        lines=lines,
        people=people,
        tells_people=moves,
        joining_details_to=_joining_details_to(run, edit),
    )


def _joining_details_to(run: Run, edit: RunEdit) -> int:
    """How many people are sent new joining details: those with a confirmed place, when the
    details change after they went out (with the reminder). Before then the reminder will carry
    them; an emptied field sends nothing."""
    details = edit.fields.get("joining_details", run.joining_details)
    online = edit.fields.get("online", run.online)
    if details == run.joining_details or not details.strip() or not online:
        return 0
    if not run.joining_details_released():
        return 0
    return run.bookings.filter(status=BookingStatus.CONFIRMED).count()


def check(run: Run, edit: RunEdit) -> None:
    """Refuse what must not happen, with the reason, before anything is written."""
    for session in edit.removed:
        if session.run_id != run.pk:
            raise BookingRefused("That session belongs to another run.")
        if session.attendances.exists() or session.attendance_changes.exists():
            raise BookingRefused(
                f"{session} has attendance marked: it counts towards completion and the figures, "
                "so it cannot be removed. Change its title or times instead."
            )
    for change in edit.changed:
        if change.session.run_id != run.pk:
            raise BookingRefused("That session belongs to another run.")
    for times in [*edit.added, *edit.changed]:
        if times.ends_at <= times.starts_at:
            raise BookingRefused("A session must end after it starts.")
    remaining = run.sessions.exclude(pk__in=[s.pk for s in edit.removed]).count() + len(edit.added)
    if remaining == 0 and run.bookings.active().exists():
        raise BookingRefused(
            "People have booked this run, so its last session cannot be removed: cancel the run "
            "instead, and everyone booked is told."
        )


def _record(run: Run, by, action: str, lines: list[str]):
    """Who changed the run, when, and what: kept in the run's history (Wagtail's log for the run,
    shown on its History page). The booking history (issue 17) may record here as well."""
    log(instance=run, action=action, user=by, data={"changes": lines})
    logger.info("Run %s: %s by %s: %s", run.pk, action, by or "the system", " ".join(lines))


def edit_run(run: Run, edit: RunEdit, *, by: User | None = None) -> Outcome:
    """Make every change in `edit` to `run` at once; tell people holding places once."""
    with transaction.atomic():
        run = _lock(run)
        # Compare with the sessions as they are now, read under the lock.
        current = {
            s.pk: s
            for s in Session.objects.filter(
                pk__in=[*(c.session.pk for c in edit.changed), *(s.pk for s in edit.removed)]
            )
        }
        edit = RunEdit(
            fields=edit.fields,
            added=edit.added,
            changed=[
                SessionChange(current.get(c.session.pk, c.session), c.title, c.starts_at, c.ends_at)
                for c in edit.changed
            ],
            removed=[current.get(s.pk, s) for s in edit.removed],
        )
        check(run, edit)
        outcome = describe(run, edit)
        removed = [
            {
                "uid": session_uid(run, s),
                "title": s.title,
                "starts_at": s.starts_at.isoformat(),
                "ends_at": s.ends_at.isoformat(),
            }
            for s in edit.removed
        ]
        changed_fields = []
        for name, value in edit.fields.items():
            if getattr(run, name) != value:
                setattr(run, name, value)
                changed_fields.append(name)
        for change in edit.changed:
            session = change.session
            if (session.title, session.starts_at, session.ends_at) != (
                change.title,
                change.starts_at,
                change.ends_at,
            ):
                session.title, session.starts_at, session.ends_at = (
                    change.title,
                    change.starts_at,
                    change.ends_at,
                )
                session.save()
        for new in edit.added:
            Session.objects.create(
                run=run, title=new.title, starts_at=new.starts_at, ends_at=new.ends_at
            )
        if edit.removed:
            Session.objects.filter(pk__in=[s.pk for s in edit.removed]).delete()
        if outcome.tells_people:
            run.calendar_sequence += 1
        run.save()
        run.refresh_dates()
        if outcome.tells_people:
            for booking in run.bookings.holding_place():
                notify(
                    booking,
                    "run_changed",
                    sequence=run.calendar_sequence,
                    changes=outcome.lines,
                    removed=removed,
                )
        if outcome.joining_details_to:
            version = run.updated_at.isoformat()  # one email per change
            for booking in run.bookings.filter(status=BookingStatus.CONFIRMED):
                notify(booking, "joining_details", version=version)
        if outcome.lines or changed_fields:
            _record(
                run,
                by,
                "bookings.run_changed",
                outcome.lines
                or [
                    "Changed "
                    + ", ".join(str(Run._meta.get_field(n).verbose_name) for n in changed_fields)
                    + "."
                ],
            )
    return outcome


def create_run(*, sessions: list[NewSession], by: User | None = None, **fields: Any) -> Run:
    """A new run with its sessions (nobody has booked it yet, so nobody is told)."""
    with transaction.atomic():
        run = Run.objects.create(**fields)
        for new in sessions:
            if new.ends_at <= new.starts_at:
                raise BookingRefused("A session must end after it starts.")
            Session.objects.create(
                run=run, title=new.title, starts_at=new.starts_at, ends_at=new.ends_at
            )
        run.refresh_dates()
        _record(run, by, "wagtail.create", [f"Created with {len(sessions)} sessions."])
    return run


def update_run(run: Run, *, by: User | None = None, **fields: Any) -> Outcome:
    """Change a run's settings; a change of place tells the people holding places."""
    return edit_run(run, RunEdit(fields=fields), by=by)


def add_session(
    run: Run, starts_at: datetime, ends_at: datetime, title: str = "", *, by: User | None = None
) -> Outcome:
    return edit_run(run, RunEdit(added=[NewSession(starts_at, ends_at, title)]), by=by)


def change_session(
    session: Session,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    title: str | None = None,
    by: User | None = None,
) -> Outcome:
    change = SessionChange(
        session,
        session.title if title is None else title,
        starts_at or session.starts_at,
        ends_at or session.ends_at,
    )
    return edit_run(session.run, RunEdit(changed=[change]), by=by)


def remove_session(session: Session, *, by: User | None = None) -> Outcome:
    return edit_run(session.run, RunEdit(removed=[session]), by=by)
