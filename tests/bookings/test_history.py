"""Every change of a booking's status leaves a history entry: who, when, from what, to what, why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.bookings import services
from lms.bookings.models import (
    Actor,
    BookingChange,
    BookingEvent,
    BookingMode,
    BookingStatus,
    CancelReason,
    WhenPlaceFrees,
)
from lms.bookings.services import BookingRefused
from tests import factories

pytestmark = pytest.mark.django_db


def entries(booking):
    """The booking's history, oldest first, as (change, from, to, actor, by, reason)."""
    return [
        (e.change, e.from_status, e.to_status, e.actor, e.by, e.reason)
        for e in BookingEvent.objects.filter(booking=booking).order_by("at", "pk")
    ]


def last(booking):
    return BookingEvent.objects.filter(booking=booking).order_by("at", "pk").last()


def test_booking_records_the_person_and_the_status_they_got():
    run = factories.run(capacity=1)
    first, second = factories.person(), factories.person()
    now = timezone.now()
    held = services.book(first, run, now=now).booking
    waiting = services.book(second, run, now=now).booking
    assert entries(held) == [
        (BookingChange.BOOKED, "", BookingStatus.CONFIRMED, Actor.PERSON, first, "")
    ]
    assert entries(waiting) == [
        (
            BookingChange.BOOKED,
            "",
            BookingStatus.WAITLISTED,
            Actor.PERSON,
            second,
            "No place was free.",
        )
    ]
    assert last(held).at == now


def test_booking_twice_records_once():
    run, who = factories.run(), factories.person()
    services.book(who, run)
    booking = services.book(who, run).booking
    assert len(entries(booking)) == 1


def test_the_council_cap_is_the_reason_for_waiting_when_places_remain():
    run = factories.run(capacity=5, per_council_cap=1)
    services.book(factories.person(council="MAN"), run)
    person = factories.person(council="MAN")
    waiting = services.book(person, run).booking
    assert (
        last(waiting).reason
        == f"{person.council} already holds the most places one council may have (1)."
    )


def test_an_application_approved_or_declined_names_the_organiser(organiser):
    run = factories.run(capacity=1, booking_mode=BookingMode.APPROVAL)
    person = factories.person()
    a = services.book(person, run).booking
    b = services.book(factories.person(), run).booking
    c = services.book(factories.person(), run).booking
    assert entries(a) == [
        (BookingChange.BOOKED, "", BookingStatus.REQUESTED, Actor.PERSON, person, "")
    ]
    services.approve(a, by=organiser)
    services.approve(b, by=organiser)
    services.decline(c, by=organiser, reason="Places are for the north west this time.")
    assert entries(a)[-1] == (
        BookingChange.APPROVED,
        BookingStatus.REQUESTED,
        BookingStatus.CONFIRMED,
        Actor.ORGANISER,
        organiser,
        "",
    )
    assert entries(b)[-1] == (
        BookingChange.APPROVED,
        BookingStatus.REQUESTED,
        BookingStatus.WAITLISTED,
        Actor.ORGANISER,
        organiser,
        "No place was free.",
    )
    assert entries(c)[-1] == (
        BookingChange.DECLINED,
        BookingStatus.REQUESTED,
        BookingStatus.DECLINED,
        Actor.ORGANISER,
        organiser,
        "Places are for the north west this time.",
    )


def test_a_refused_change_records_nothing(organiser):
    run = factories.run(capacity=1, booking_mode=BookingMode.APPROVAL)
    booking = services.book(factories.person(), run).booking
    services.decline(booking, by=organiser)
    with pytest.raises(BookingRefused):
        services.approve(booking, by=organiser)
    assert [e[0] for e in entries(booking)] == [BookingChange.BOOKED, BookingChange.DECLINED]


def test_the_person_cancelling_and_the_place_offered_on_by_the_system():
    run = factories.run(capacity=1, offer_hold_hours=24)
    person = factories.person()
    booking = services.book(person, run).booking
    waiting = services.book(factories.person(), run).booking
    now = timezone.now()
    services.cancel(booking, now=now)
    assert entries(booking)[-1] == (
        BookingChange.CANCELLED,
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        Actor.PERSON,
        person,
        "Cancelled by the person",
    )
    offer = last(waiting)
    assert (offer.change, offer.from_status, offer.to_status, offer.actor, offer.by) == (
        BookingChange.OFFERED,
        BookingStatus.WAITLISTED,
        BookingStatus.OFFERED,
        Actor.SYSTEM,
        None,
    )
    assert offer.reason.startswith(f"A place came free: {booking.reference} was cancelled.")
    assert offer.at == now


def test_an_organiser_cancelling_is_recorded_as_the_organiser(organiser):
    run = factories.run()
    booking = services.book(factories.person(), run).booking
    services.cancel(booking, reason=CancelReason.BY_ORGANISER, by=organiser)
    assert entries(booking)[-1] == (
        BookingChange.CANCELLED,
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        Actor.ORGANISER,
        organiser,
        "Cancelled by an organiser",
    )


def test_a_place_confirmed_straight_from_the_waiting_list():
    run = factories.run(capacity=1, when_place_frees=WhenPlaceFrees.CONFIRM)
    first = services.book(factories.person(), run).booking
    waiting = services.book(factories.person(), run).booking
    services.cancel(first)
    assert entries(waiting)[-1][:5] == (
        BookingChange.PROMOTED,
        BookingStatus.WAITLISTED,
        BookingStatus.CONFIRMED,
        Actor.SYSTEM,
        None,
    )


def test_accepting_an_offer_is_the_persons():
    run = factories.run(capacity=1)
    first = services.book(factories.person(), run).booking
    person = factories.person()
    waiting = services.book(person, run).booking
    services.cancel(first)
    services.accept_offer(waiting)
    assert entries(waiting)[-1] == (
        BookingChange.ACCEPTED,
        BookingStatus.OFFERED,
        BookingStatus.CONFIRMED,
        Actor.PERSON,
        person,
        "",
    )


def test_housekeeping_expiring_an_offer_is_the_systems():
    run = factories.run(capacity=1, offer_hold_hours=2)
    first = services.book(factories.person(), run).booking
    second = services.book(factories.person(), run).booking
    third = services.book(factories.person(), run).booking
    now = timezone.now()
    services.cancel(first, now=now)
    services.expire_offers(now + timedelta(hours=3))
    expired = last(second)
    assert (expired.change, expired.from_status, expired.to_status, expired.actor, expired.by) == (
        BookingChange.OFFER_EXPIRED,
        BookingStatus.OFFERED,
        BookingStatus.CANCELLED,
        Actor.SYSTEM,
        None,
    )
    assert (
        expired.reason.startswith("Offer held until") and "not taken up in time" in expired.reason
    )
    assert expired.at == now + timedelta(hours=3)
    assert last(third).change == BookingChange.OFFERED and last(third).actor == Actor.SYSTEM


def test_an_offer_accepted_too_late_is_withdrawn_by_the_system():
    run = factories.run(capacity=1, offer_hold_hours=1)
    first = services.book(factories.person(), run).booking
    second = services.book(factories.person(), run).booking
    now = timezone.now()
    services.cancel(first, now=now)
    with pytest.raises(BookingRefused):
        services.accept_offer(second, now=now + timedelta(hours=2))
    assert entries(second)[-1][:5] == (
        BookingChange.OFFER_EXPIRED,
        BookingStatus.OFFERED,
        BookingStatus.CANCELLED,
        Actor.SYSTEM,
        None,
    )


def test_an_organiser_offering_free_places_now(organiser):
    run = factories.run(capacity=1)
    services.book(factories.person(), run)
    waiting = services.book(factories.person(), run).booking
    run.capacity = 2
    run.save()
    services.promote_from_waitlist(run, by=organiser)
    offer = last(waiting)
    assert (offer.change, offer.actor, offer.by) == (
        BookingChange.OFFERED,
        Actor.ORGANISER,
        organiser,
    )
    assert offer.reason.startswith("An organiser offered the free places.")


def test_cancelling_a_run_records_the_organiser_and_their_message(organiser):
    run = factories.run(capacity=1)
    held = services.book(factories.person(), run).booking
    waiting = services.book(factories.person(), run).booking
    services.cancel_run(run, "The venue has flooded.", by=organiser)
    assert entries(held)[-1] == (
        BookingChange.RUN_CANCELLED,
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        Actor.ORGANISER,
        organiser,
        "The venue has flooded.",
    )
    assert entries(waiting)[-1][1:3] == (BookingStatus.WAITLISTED, BookingStatus.CANCELLED)


def test_a_move_is_recorded_on_both_runs(organiser):
    page = factories.course_page()
    source = factories.run(page=page, capacity=2, title="Manchester")
    target = factories.run(page=page, capacity=2, title="Bristol", starts_in=timedelta(days=40))
    booking = services.book(factories.person(), source).booking
    moved = services.move(booking, target, by=organiser)
    away, here = last(booking), last(moved)
    assert (
        away.change,
        away.from_status,
        away.to_status,
        away.actor,
        away.by,
        away.other_booking,
    ) == (
        BookingChange.MOVED_AWAY,
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        Actor.ORGANISER,
        organiser,
        moved,
    )
    assert away.reason.startswith(f"Moved to {target}") and moved.reference in away.reason
    assert (
        here.change,
        here.from_status,
        here.to_status,
        here.actor,
        here.by,
        here.other_booking,
    ) == (
        BookingChange.MOVED_HERE,
        "",
        BookingStatus.CONFIRMED,
        Actor.ORGANISER,
        organiser,
        booking,
    )
    assert here.reason.startswith(f"Moved from {source}") and booking.reference in here.reason


def test_an_organiser_adding_a_person(organiser):
    run = factories.run(capacity=1)
    services.book(factories.person(), run)
    added = services.add_person(factories.person(), run, by=organiser)
    assert entries(added) == [
        (
            BookingChange.ADDED,
            "",
            BookingStatus.WAITLISTED,
            Actor.ORGANISER,
            organiser,
            "No place was free.",
        )
    ]


def test_bookings_made_before_the_history_get_one_honest_first_entry():
    """The migration's backfill, run on bookings whose history was never written: one entry
    each, the status they hold, when they last changed, by nobody recorded."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lms.bookings.migrations.0007_booking_history")
    run = factories.run(capacity=1)
    held = services.book(factories.person(), run).booking
    waiting = services.book(factories.person(), run).booking
    BookingEvent.objects.all().delete()
    migration.first_entries(apps, None)
    for booking in (held, waiting):
        booking.refresh_from_db()
        (entry,) = BookingEvent.objects.filter(booking=booking)
        assert (entry.change, entry.from_status, entry.to_status, entry.actor, entry.by) == (
            BookingChange.BEFORE_HISTORY,
            "",
            booking.status,
            Actor.UNRECORDED,
            None,
        )
        assert (
            entry.at == booking.updated_at and "earlier changes were not recorded" in entry.reason
        )


def test_the_entry_is_written_with_the_change_and_goes_if_the_change_does(monkeypatch):
    run = factories.run()
    booking = services.book(factories.person(), run).booking

    def mail_queue_down(*args, **kwargs):
        raise ConnectionError("queue unavailable")

    monkeypatch.setattr(services, "notify", mail_queue_down)
    with pytest.raises(ConnectionError):
        services.cancel(booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert [e[0] for e in entries(booking)] == [BookingChange.BOOKED]
