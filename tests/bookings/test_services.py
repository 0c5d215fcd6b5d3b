"""The booking rules: eligibility, capacity, waiting list, offers, cancellation, moves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import OfficerProgrammePage
from lms.bookings import services
from lms.bookings.models import (
    Audience,
    Booking,
    BookingMode,
    BookingStatus,
    CancelReason,
    WaitlistOrder,
    WhenPlaceFrees,
)
from lms.bookings.services import BookingRefused
from tests import factories

pytestmark = pytest.mark.django_db


def test_books_a_confirmed_place_with_a_short_reference():
    run = factories.run(capacity=2)
    result = services.book(factories.person(), run, needs="Vegetarian")
    booking = result.booking
    assert result.created and booking.status == BookingStatus.CONFIRMED
    assert booking.reference.startswith("MC-") and len(booking.reference) == 7
    assert set(booking.reference[3:]) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert booking.needs == "Vegetarian"


def test_booking_twice_makes_one_booking():
    run, who = factories.run(), factories.person()
    first = services.book(who, run).booking
    second = services.book(who, run)
    assert not second.created and second.booking.pk == first.pk
    assert Booking.objects.count() == 1


def test_a_full_run_puts_people_on_the_waiting_list_in_order():
    run = factories.run(capacity=1)
    services.book(factories.person(), run)
    later = [services.book(factories.person(), run).booking for _ in range(2)]
    assert [b.status for b in later] == [BookingStatus.WAITLISTED] * 2
    assert [services.waiting_list_position(b) for b in later] == [1, 2]
    assert run.places_left == 0


@pytest.mark.parametrize(
    "audience, role, message",
    [
        (Audience.COUNCILLORS, "officer", "This masterclass is for councillors."),
        (Audience.OFFICERS, "councillor", "This masterclass is for council officers."),
        (Audience.ALUMNI, "officer", "is for people who have completed"),
    ],
)
def test_people_outside_the_audience_are_told_why(audience, role, message):
    run = factories.run(audience=audience)
    with pytest.raises(BookingRefused, match=message):
        services.book(factories.person(role=role), run)
    assert Booking.objects.count() == 0


def test_anyone_can_book_an_open_run_and_the_right_role_can_book_a_restricted_one():
    assert services.book(factories.person(role="other", council=None), factories.run()).created
    members = factories.run(audience=Audience.COUNCILLORS)
    assert services.book(factories.person(role="councillor"), members).created


def test_alumni_of_a_course_may_book_the_alumni_conference():
    programme = factories.course_page("Commercial skills for officers", OfficerProgrammePage)
    past = factories.run(page=programme, starts_in=timedelta(days=40))
    alumnus, newcomer = factories.person(role="officer"), factories.person(role="officer")
    services.book(alumnus, past)
    conference = factories.run(audience=Audience.ALUMNI, alumni_of=programme, title="Alumni day")
    with pytest.raises(BookingRefused, match="completed Commercial skills for officers"):
        services.book(alumnus, conference)  # the cohort has not happened yet
    past.sessions.update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=2)
    )
    past.refresh_dates()
    with pytest.raises(BookingRefused):
        services.book(alumnus, conference)  # a place on it is not enough: completion is attendance
    from lms.bookings import attendance

    booking = past.bookings.get(person=alumnus)
    attendance.mark(booking, past.sessions.get(), "attended")
    assert services.book(alumnus, conference).created
    with pytest.raises(BookingRefused):
        services.book(newcomer, conference)


def test_booking_window_and_past_and_cancelled_runs():
    now = timezone.now()
    not_yet = factories.run(booking_opens=now + timedelta(days=1))
    with pytest.raises(BookingRefused, match="Booking opens on"):
        services.book(factories.person(), not_yet)
    closed = factories.run(booking_closes=now - timedelta(minutes=1))
    with pytest.raises(BookingRefused, match="has closed"):
        services.book(factories.person(), closed)
    past = factories.run(starts_in=timedelta(days=-1))
    with pytest.raises(BookingRefused, match="already taken place"):
        services.book(factories.person(), past)
    cancelled = factories.run()
    services.cancel_run(cancelled, "Venue unavailable")
    with pytest.raises(BookingRefused, match="cancelled"):
        services.book(factories.person(), cancelled)
    assert Booking.objects.count() == 0


def test_per_council_cap_sends_the_next_person_from_that_council_to_the_waiting_list():
    run = factories.run(capacity=5, per_council_cap=1)
    assert (
        services.book(factories.person(council="MAN"), run).booking.status
        == BookingStatus.CONFIRMED
    )
    assert (
        services.book(factories.person(council="MAN"), run).booking.status
        == BookingStatus.WAITLISTED
    )
    assert (
        services.book(factories.person(council="BIR"), run).booking.status
        == BookingStatus.CONFIRMED
    )


def test_cancelling_offers_the_place_to_the_first_on_the_waiting_list_for_the_hold_period():
    run = factories.run(capacity=1, offer_hold_hours=24)
    first = services.book(factories.person(), run).booking
    waiting = services.book(factories.person(), run).booking
    now = timezone.now()
    services.cancel(first, now=now)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    assert waiting.offer_expires_at == now + timedelta(hours=24)
    assert services.accept_offer(waiting).status == BookingStatus.CONFIRMED


def test_run_setting_can_confirm_the_next_person_straight_away():
    run = factories.run(capacity=1, when_place_frees=WhenPlaceFrees.CONFIRM)
    first = services.book(factories.person(), run).booking
    waiting = services.book(factories.person(), run).booking
    services.cancel(first)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_an_expired_offer_moves_to_the_next_person():
    run = factories.run(capacity=1, offer_hold_hours=2)
    first = services.book(factories.person(), run).booking
    second = services.book(factories.person(), run).booking
    third = services.book(factories.person(), run).booking
    now = timezone.now()
    services.cancel(first, now=now)
    assert services.expire_offers(now + timedelta(hours=1)) == 0
    assert services.expire_offers(now + timedelta(hours=3)) == 1
    second.refresh_from_db(), third.refresh_from_db()
    assert (second.status, second.cancel_reason) == (
        BookingStatus.CANCELLED,
        CancelReason.OFFER_EXPIRED,
    )
    assert third.status == BookingStatus.OFFERED


def test_accepting_an_offer_after_it_expired_is_refused_and_passes_it_on():
    run = factories.run(capacity=1, offer_hold_hours=1)
    first = services.book(factories.person(), run).booking
    second = services.book(factories.person(), run).booking
    third = services.book(factories.person(), run).booking
    now = timezone.now()
    services.cancel(first, now=now)
    with pytest.raises(BookingRefused, match="expired"):
        services.accept_offer(second, now=now + timedelta(hours=2))
    third.refresh_from_db()
    assert third.status == BookingStatus.OFFERED


def test_new_councils_go_first_when_the_run_says_so_and_the_order_says_why():
    page = factories.course_page()
    earlier = factories.run(page=page, capacity=5, title="Bristol")
    services.book(factories.person(council="MAN"), earlier)  # Manchester already reached
    run = factories.run(page=page, capacity=1, waitlist_order=WaitlistOrder.NEW_COUNCILS_FIRST)
    services.book(factories.person(council="LDS"), run)
    from_reached = services.book(factories.person(council="MAN"), run).booking
    from_new = services.book(factories.person(council="BIR"), run).booking
    entries = services.waiting_list(run)
    assert [e.booking.pk for e in entries] == [from_new.pk, from_reached.pk]
    assert "Birmingham not yet reached by this course" in entries[0].reason
    assert "Manchester already reached by this course" in entries[1].reason


def test_cancellation_cut_off_applies_to_people_not_organisers():
    run = factories.run(cancellation_cutoff=timezone.now() - timedelta(hours=1))
    booking = services.book(factories.person(), run).booking
    with pytest.raises(BookingRefused, match="too late to cancel"):
        services.cancel(booking)
    assert (
        services.cancel(booking, reason=CancelReason.BY_ORGANISER).status == BookingStatus.CANCELLED
    )


def test_applications_are_approved_or_declined():
    run = factories.run(capacity=1, booking_mode=BookingMode.APPROVAL)
    a = services.book(factories.person(), run).booking
    b = services.book(factories.person(), run).booking
    assert a.status == b.status == BookingStatus.REQUESTED
    assert services.approve(a).status == BookingStatus.CONFIRMED
    assert services.approve(b).status == BookingStatus.WAITLISTED  # no place left
    c = services.book(factories.person(), run).booking
    assert services.decline(c).status == BookingStatus.DECLINED
    with pytest.raises(BookingRefused):
        services.approve(c)


def test_cancelling_a_run_cancels_every_active_booking_and_raises_the_calendar_sequence():
    run = factories.run(capacity=1)
    bookings = [services.book(factories.person(), run).booking for _ in range(2)]
    services.cancel_run(run, "The venue has closed")
    run.refresh_from_db()
    assert run.is_cancelled and run.calendar_sequence == 1
    for booking in bookings:
        booking.refresh_from_db()
        assert (booking.status, booking.cancel_reason) == (
            BookingStatus.CANCELLED,
            CancelReason.RUN_CANCELLED,
        )


def test_moving_a_booking_frees_its_place_for_the_waiting_list():
    page = factories.course_page()
    source = factories.run(page=page, capacity=1)
    target = factories.run(page=page, capacity=1, title="Bristol")
    booking = services.book(factories.person(), source, needs="Hearing loop").booking
    waiting = services.book(factories.person(), source).booking
    moved = services.move(booking, target)
    assert (
        moved.run == target
        and moved.status == BookingStatus.CONFIRMED
        and moved.needs == "Hearing loop"
    )
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    with pytest.raises(BookingRefused, match="full"):
        services.move(waiting, target)


def test_deleting_a_course_page_or_a_run_never_deletes_a_booking():
    from django.db.models import ProtectedError

    run = factories.run()
    booking = services.book(factories.person(), run).booking
    with pytest.raises(ProtectedError):
        run.page.delete()
    with pytest.raises(ProtectedError):
        run.delete()
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_unpublishing_a_page_keeps_its_bookings_and_closes_its_runs_to_new_bookings(client):
    run = factories.run()
    booking = services.book(factories.person(), run).booking
    run.page.unpublish()
    assert Booking.objects.filter(pk=booking.pk).exists()
    person = factories.person()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)
    assert client.get(f"/book/{run.pk}/").status_code == 404
