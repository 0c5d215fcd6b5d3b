"""Every change to a booking happens here: views, admin actions, commands and tasks call these.

Capacity is protected by locking the run's row for the length of the transaction
(`select_for_update`, which PostgreSQL honours; SQLite ignores it but its IMMEDIATE transactions,
set in settings, serialise writers). Anything that frees a place fills it from the waiting list
in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.accounts.models import Role
from lms.core.time import when as _when

from . import history
from .models import (
    Audience,
    Booking,
    BookingChange,
    BookingMode,
    BookingStatus,
    CancelReason,
    Run,
    RunStatus,
    WaitlistOrder,
    WhenPlaceFrees,
    new_reference,
)
from .notices import notify

if TYPE_CHECKING:
    from wagtail.models import Page

    from lms.accounts.models import User


class BookingRefused(Exception):
    """The change cannot be made; the message says why, in words for the person."""


def _run_in_words(run):
    return f"{run}, {_when(run.starts_at)}" if run.starts_at else str(run)


# --- Who may book ---------------------------------------------------------------------------


def has_completed(person: User, course_page: Page) -> bool:
    """Whether a person has completed a run of a course (by attendance and the run's rule):
    the alumni rule reads only this."""
    return Booking.objects.filter(person=person, run__page=course_page).completed().exists()


def eligibility_problem(person: User, run: Run, now: datetime | None = None) -> str | None:
    """Why this person cannot book this run, or None if they can."""
    now = now or timezone.now()
    kind = run.page.specific_class._meta.verbose_name if run.page_id else "course"
    if run.status == RunStatus.CANCELLED:
        return "This run has been cancelled."
    if run.draft:
        return "This run is not open for booking yet."
    if run.starts_at is None:
        return "This run has no dates yet."
    if run.starts_at <= now:
        return "This run has already taken place."
    if run.booking_opens and now < run.booking_opens:
        return f"Booking opens on {_when(run.booking_opens)}."
    if now >= run.closes_at():
        return "Booking for this run has closed."
    if run.audience == Audience.COUNCILLORS and person.role != Role.COUNCILLOR:
        return f"This {kind} is for councillors."
    if run.audience == Audience.OFFICERS and person.role != Role.OFFICER:
        return f"This {kind} is for council officers."
    if run.audience == Audience.ALUMNI and not (
        run.alumni_of_id and has_completed(person, run.alumni_of)
    ):
        course = run.alumni_of.title if run.alumni_of_id else "the course"
        return f"This {kind} is for people who have completed {course}."
    return None


# --- Places ---------------------------------------------------------------------------------


def _lock(run):
    """The run, locked until the transaction ends (its page read with it, unlocked)."""
    return Run.objects.select_related("page").select_for_update(of=("self",)).get(pk=run.pk)


def _council_has_room(run, council_id):
    if not run.per_council_cap or not council_id:
        return True
    held = run.bookings.holding_place().filter(person__council_id=council_id).count()
    return held < run.per_council_cap


def _places_left(run):
    return run.capacity - run.bookings.holding_place().count()


def _status_for_a_new_place(run, person):
    """Confirmed if a place is free (and the person's council is under its cap), else waiting."""
    if _places_left(run) > 0 and _council_has_room(run, person.council_id):
        return BookingStatus.CONFIRMED
    return BookingStatus.WAITLISTED


def _why_waiting(run, person):
    """Why a new place went to the waiting list, in words for the history."""
    if _places_left(run) <= 0:
        return "No place was free."
    return (
        f"{person.council} already holds the most places one council may have "
        f"({run.per_council_cap})."
    )


def _lock_booking(booking, expected_status=None, refusal=""):
    """Lock the booking's run and re-read the booking inside the transaction."""
    run = _lock(booking.run)
    booking = Booking.objects.select_related("person").get(pk=booking.pk)
    if expected_status is not None and booking.status != expected_status:
        raise BookingRefused(refusal)
    return run, booking


def _create(run, person, status, now, needs=""):
    fields = {"needs": needs, "created_at": now}
    if status == BookingStatus.CONFIRMED:
        fields["confirmed_at"] = now
    if status == BookingStatus.WAITLISTED:
        fields["waitlisted_at"] = now
    for _ in range(10):
        reference = new_reference(run.reference_prefix)
        if not Booking.objects.filter(reference=reference).exists():
            return Booking.objects.create(
                run=run, person=person, status=status, reference=reference, **fields
            )
    raise RuntimeError("Could not find a free booking reference")  # 32^4 per prefix: ~never


@dataclass
class BookingResult:
    booking: Booking
    created: bool


def book(person: User, run: Run, needs: str = "", now: datetime | None = None) -> BookingResult:
    """Book a place: confirmed if one is free, else the waiting list; an application where
    the run is by approval. Asking twice returns the booking already made."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            run = _lock(run)
            existing = run.bookings.active().filter(person=person).first()
            if existing:
                return BookingResult(existing, created=False)
            problem = eligibility_problem(person, run, now)
            if problem:
                raise BookingRefused(problem)
            if run.booking_mode == BookingMode.APPROVAL:
                status = BookingStatus.REQUESTED
            else:
                status = _status_for_a_new_place(run, person)
            why = _why_waiting(run, person) if status == BookingStatus.WAITLISTED else ""
            booking = _create(run, person, status, now, needs)
            history.record(booking, BookingChange.BOOKED, by=person, reason=why, at=now)
            notify(
                booking,
                {BookingStatus.REQUESTED: "requested", BookingStatus.CONFIRMED: "confirmed"}.get(
                    status, "waitlisted"
                ),
            )
            return BookingResult(booking, created=True)
    except IntegrityError:
        # A simultaneous second submission by the same person won the race: return its booking.
        existing = run.bookings.active().filter(person=person).first()
        if existing is None:
            raise
        return BookingResult(existing, created=False)


def approve(booking: Booking, now: datetime | None = None, by: User | None = None) -> Booking:
    """Approve an application: a place if one is free, else the waiting list. `by`: the
    organiser (recorded in the booking's history)."""
    now = now or timezone.now()
    with transaction.atomic():
        run, booking = _lock_booking(
            booking,
            BookingStatus.REQUESTED,
            "Only applications waiting for a decision can be approved.",
        )
        booking.status = _status_for_a_new_place(run, booking.person)
        why = ""
        if booking.status == BookingStatus.CONFIRMED:
            booking.confirmed_at = now
        else:
            booking.waitlisted_at = now
            why = _why_waiting(run, booking.person)
        booking.save()
        history.record(
            booking, BookingChange.APPROVED, BookingStatus.REQUESTED, by=by, reason=why, at=now
        )
        notify(booking, "confirmed" if booking.status == BookingStatus.CONFIRMED else "waitlisted")
        return booking


def decline(
    booking: Booking, now: datetime | None = None, by: User | None = None, reason: str = ""
) -> Booking:
    """Decline an application. `by`: the organiser; `reason`: why, if they gave one."""
    with transaction.atomic():
        _, booking = _lock_booking(
            booking,
            BookingStatus.REQUESTED,
            "Only applications waiting for a decision can be declined.",
        )
        booking.status = BookingStatus.DECLINED
        booking.save()
        history.record(
            booking, BookingChange.DECLINED, BookingStatus.REQUESTED, by=by, reason=reason, at=now
        )
        notify(booking, "declined")
        return booking


def cancel(
    booking: Booking,
    reason: str = CancelReason.BY_PERSON,
    now: datetime | None = None,
    by: User | None = None,
) -> Booking:
    """Cancel a booking and offer the freed place to the waiting list.

    A person can cancel until the run's cut-off; an organiser at any time. `by`: who did it
    (the person, when not given and the reason is theirs).
    """
    now = now or timezone.now()
    with transaction.atomic():
        run, booking = _lock_booking(booking)
        if not booking.is_active:
            raise BookingRefused("This booking is not active.")
        if (
            reason == CancelReason.BY_PERSON
            and run.cancellable_until()
            and now >= run.cancellable_until()
        ):
            raise BookingRefused(
                "It is too late to cancel online. Please contact the programme team."
            )
        was = booking.status
        _cancel(booking, reason, now)
        if by is None and reason == CancelReason.BY_PERSON:
            by = booking.person
        history.record(
            booking, BookingChange.CANCELLED, was, by=by, reason=CancelReason(reason).label, at=now
        )
        notify(booking, "cancelled")
        fill_places(run, now, reason=f"A place came free: {booking.reference} was cancelled.")
        return booking


def _cancel(booking, reason, now):
    booking.status = BookingStatus.CANCELLED
    booking.cancel_reason = reason
    booking.cancelled_at = now
    booking.offer_expires_at = None
    booking.save()


# --- The waiting list -----------------------------------------------------------------------


@dataclass
class WaitlistEntry:
    booking: Booking
    position: int
    reason: str


def _councils_reached(run):
    """Councils with a confirmed place on any run of this course."""
    return set(
        Booking.objects.filter(run__page_id=run.page_id, status=BookingStatus.CONFIRMED)
        .exclude(person__council_id=None)
        .values_list("person__council_id", flat=True)
    )


def waiting_list(run: Run) -> list[WaitlistEntry]:
    """The waiting list in the order places will be offered, each with why it stands there."""
    entries = list(
        run.bookings.waitlisted().select_related("person__council").order_by("waitlisted_at", "pk")
    )
    if run.waitlist_order == WaitlistOrder.NEW_COUNCILS_FIRST:
        reached = _councils_reached(run)
        entries.sort(key=lambda b: (b.person.council_id in reached or b.person.council_id is None,))
    result = []
    for position, booking in enumerate(entries, start=1):
        joined = f"joined {_when(booking.waitlisted_at)}"
        if run.waitlist_order == WaitlistOrder.NEW_COUNCILS_FIRST:
            council = booking.person.council
            if council is None:
                why = f"Not at a council; {joined}"
            elif council.pk in reached:
                why = f"{council.name} already reached by this course; {joined}"
            else:
                why = f"{council.name} not yet reached by this course; {joined}"
        else:
            why = f"First come, first served: {joined}"
        result.append(WaitlistEntry(booking, position, why))
    return result


def waiting_list_position(booking: Booking) -> int | None:
    for entry in waiting_list(booking.run):
        if entry.booking.pk == booking.pk:
            return entry.position
    return None


def fill_places(
    run: Run,
    now: datetime | None = None,
    by: User | None = None,
    reason: str = "A place came free.",
) -> list[Booking]:
    """Offer (or give) free places to the waiting list, in order. Call with the run locked.
    `by` and `reason` go into each booking's history (nobody: the system did it)."""
    now = now or timezone.now()
    changed = []
    if run.status == RunStatus.CANCELLED or (run.starts_at and run.starts_at <= now):
        return changed
    free = _places_left(run)
    for entry in waiting_list(run):
        if free <= 0:
            break
        booking = entry.booking
        if not _council_has_room(run, booking.person.council_id):
            continue
        if run.when_place_frees == WhenPlaceFrees.CONFIRM:
            booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now
            change, why = BookingChange.PROMOTED, reason
        else:
            booking.status = BookingStatus.OFFERED
            booking.offer_expires_at = now + timedelta(hours=run.offer_hold_hours)
            change, why = (
                BookingChange.OFFERED,
                f"{reason} Held until {_when(booking.offer_expires_at)}.",
            )
        booking.save()
        history.record(booking, change, BookingStatus.WAITLISTED, by=by, reason=why, at=now)
        notify(booking, "promoted" if booking.status == BookingStatus.CONFIRMED else "offered")
        changed.append(booking)
        free -= 1
    return changed


def promote_from_waitlist(
    run: Run, now: datetime | None = None, by: User | None = None
) -> list[Booking]:
    """An organiser (`by`) offers the run's free places to the waiting list now."""
    with transaction.atomic():
        reason = "An organiser offered the free places." if by else "A place came free."
        return fill_places(_lock(run), now, by=by, reason=reason)


def accept_offer(booking: Booking, now: datetime | None = None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        run, booking = _lock_booking(
            booking,
            BookingStatus.OFFERED,
            "There is no offer of a place to accept on this booking.",
        )
        expired = booking.offer_expires_at is not None and booking.offer_expires_at <= now
        if expired:
            # Withdrawn for good (committed), and the place passed on, before saying no.
            held_until = booking.offer_expires_at
            _cancel(booking, CancelReason.OFFER_EXPIRED, now)
            history.record(
                booking,
                BookingChange.OFFER_EXPIRED,
                BookingStatus.OFFERED,
                reason=f"Offer held until {_when(held_until)} was not taken up in time.",
                at=now,
            )
            fill_places(
                run, now, reason=f"A place came free: the offer to {booking.reference} expired."
            )
        else:
            booking.status, booking.confirmed_at, booking.offer_expires_at = (
                BookingStatus.CONFIRMED,
                now,
                None,
            )
            booking.save()
            history.record(
                booking, BookingChange.ACCEPTED, BookingStatus.OFFERED, by=booking.person, at=now
            )
            notify(booking, "confirmed")
    if expired:
        raise BookingRefused(
            "Sorry, this offer has expired and the place has gone to the next person."
        )
    return booking


def expire_offers(now: datetime | None = None) -> int:
    """Withdraw offers not taken up in time and offer those places on. Returns how many."""
    now = now or timezone.now()
    expired = 0
    run_ids = set(
        Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now).values_list(
            "run_id", flat=True
        )
    )
    for run_id in run_ids:
        with transaction.atomic():
            run = Run.objects.select_for_update().get(pk=run_id)
            for booking in run.bookings.filter(
                status=BookingStatus.OFFERED, offer_expires_at__lte=now
            ):
                held_until = booking.offer_expires_at
                _cancel(booking, CancelReason.OFFER_EXPIRED, now)
                history.record(
                    booking,
                    BookingChange.OFFER_EXPIRED,
                    BookingStatus.OFFERED,
                    reason=f"Offer held until {_when(held_until)} was not taken up in time.",
                    at=now,
                )
                expired += 1
            fill_places(run, now)
    return expired


# --- Organisers' changes to whole runs ------------------------------------------------------


def cancel_run(
    run: Run, message: str = "", now: datetime | None = None, by: User | None = None
) -> list[Booking]:
    """Cancel a run: every active booking is cancelled, and the run says why. `by`: the
    organiser, recorded in each booking's history with the message."""
    now = now or timezone.now()
    with transaction.atomic():
        run = _lock(run)
        if run.status == RunStatus.CANCELLED:
            raise BookingRefused("This run is already cancelled.")
        run.status, run.cancellation_message = RunStatus.CANCELLED, message
        run.calendar_sequence += 1
        run.save()
        bookings = list(run.bookings.active())
        for booking in bookings:
            was = booking.status
            _cancel(booking, CancelReason.RUN_CANCELLED, now)
            history.record(booking, BookingChange.RUN_CANCELLED, was, by=by, reason=message, at=now)
            notify(booking, "run_cancelled")
        return bookings


def move(
    booking: Booking, to_run: Run, now: datetime | None = None, by: User | None = None
) -> Booking:
    """Move a person's booking to another run of the same course, keeping their needs. `by`:
    the organiser, recorded in the history of both bookings."""
    now = now or timezone.now()
    with transaction.atomic():
        runs = {
            r.pk: r
            for r in Run.objects.select_for_update()
            .filter(pk__in=[booking.run_id, to_run.pk])
            .order_by("pk")
        }
        source, target = runs[booking.run_id], runs[to_run.pk]
        booking = Booking.objects.get(pk=booking.pk)
        if source.pk == target.pk:
            raise BookingRefused("The booking is already on that run.")
        if not booking.is_active:
            raise BookingRefused("Only active bookings can be moved.")
        if target.status == RunStatus.CANCELLED:
            raise BookingRefused("That run has been cancelled.")
        if target.draft:
            raise BookingRefused("That run is a draft: publish it first.")
        if target.bookings.active().filter(person=booking.person_id).exists():
            raise BookingRefused("This person already has a booking on that run.")
        if _places_left(target) <= 0:
            raise BookingRefused("That run is full.")
        moved = _create(target, booking.person, BookingStatus.CONFIRMED, now, booking.needs)
        was = booking.status
        _cancel(booking, CancelReason.MOVED, now)
        history.record(
            booking,
            BookingChange.MOVED_AWAY,
            was,
            by=by,
            other_booking=moved,
            at=now,
            reason=f"Moved to {_run_in_words(target)} as {moved.reference}.",
        )
        history.record(
            moved,
            BookingChange.MOVED_HERE,
            by=by,
            other_booking=booking,
            at=now,
            reason=f"Moved from {_run_in_words(source)}, booking {booking.reference}.",
        )
        notify(moved, "moved")  # one email: the old run's events cancelled, the new run's sent
        fill_places(
            source, now, reason=f"A place came free: {booking.reference} moved to another run."
        )
        return moved


# --- Changes of time or place, reminders ----------------------------------------------------


def run_changed(run: Run) -> None:
    """Time or place changed: raise the calendar SEQUENCE and tell everyone holding a place."""
    with transaction.atomic():
        run = _lock(run)
        run.calendar_sequence += 1
        Run.objects.filter(pk=run.pk).update(calendar_sequence=run.calendar_sequence)
        for booking in run.bookings.holding_place():
            notify(booking, "run_changed", sequence=run.calendar_sequence)


def send_reminders(now: datetime | None = None, ahead: timedelta | None = None) -> int:
    """Remind people with a confirmed place on runs starting within `ahead` (by default
    settings.BOOKING_REMINDER_DAYS days). The reminder is also what releases an online run's
    joining details (`Run.joining_details_released_at`). Returns how many were sent."""
    now = now or timezone.now()
    if ahead is None:
        ahead = timedelta(days=settings.BOOKING_REMINDER_DAYS)
    due = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        run__status=RunStatus.SCHEDULED,
        run__starts_at__gt=now,
        run__starts_at__lte=now + ahead,
    )
    count = 0
    for booking in due:
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                notify(booking, "reminder")
                count += 1
    return count


def add_person(
    person: User, run: Run, needs: str = "", now: datetime | None = None, by: User | None = None
) -> Booking:
    """An organiser (`by`) books someone in: the audience and booking window do not apply;
    capacity, the per-council cap and the waiting list do."""
    now = now or timezone.now()
    with transaction.atomic():
        run = _lock(run)
        if run.status == RunStatus.CANCELLED:
            raise BookingRefused("This run has been cancelled.")
        if run.draft:
            raise BookingRefused("This run is a draft: publish it before adding people.")
        if run.bookings.active().filter(person=person).exists():
            raise BookingRefused(f"{person} already has a booking on this run.")
        status = _status_for_a_new_place(run, person)
        why = _why_waiting(run, person) if status == BookingStatus.WAITLISTED else ""
        booking = _create(run, person, status, now, needs)
        history.record(booking, BookingChange.ADDED, by=by, reason=why, at=now)
        notify(booking, "confirmed" if status == BookingStatus.CONFIRMED else "waitlisted")
        return booking
