"""The admin records the organiser who made each change, and shows a booking's history on the
booking's page, the run's history and the bookings export."""

import pytest
from django.urls import reverse

from lms.bookings import services
from lms.bookings.models import Actor, BookingChange, BookingEvent, BookingMode
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def latest(booking):
    return BookingEvent.objects.filter(booking=booking).order_by("at", "pk").last()


def test_approve_decline_cancel_add_and_promote_in_the_admin_name_the_organiser(organiser_client, organiser):
    run = factories.run(capacity=1, booking_mode=BookingMode.APPROVAL)
    a, b = (services.book(factories.person(), run).booking for _ in range(2))
    organiser_client.post(f"/admin/runs/{run.pk}/action/approve/", {"booking": a.pk})
    organiser_client.post(f"/admin/runs/{run.pk}/action/decline/", {"booking": b.pk})
    added_person = factories.person(email="added@example.org")
    organiser_client.post(f"/admin/runs/{run.pk}/action/add/", {"email": "added@example.org"})
    added = run.bookings.get(person=added_person)
    organiser_client.post(f"/admin/runs/{run.pk}/action/cancel/", {"booking": a.pk})
    # The place freed by the organiser's cancellation goes to the waiting list by the run's rule.
    assert [(latest(x).change, latest(x).actor, latest(x).by) for x in (b, a)] == [
        (BookingChange.DECLINED, Actor.ORGANISER, organiser),
        (BookingChange.CANCELLED, Actor.ORGANISER, organiser),
    ]
    assert [e.change for e in BookingEvent.objects.filter(booking=added)] == [
        BookingChange.ADDED, BookingChange.OFFERED,
    ]
    assert BookingEvent.objects.get(booking=added, change=BookingChange.ADDED).by == organiser
    assert BookingEvent.objects.get(booking=a, change=BookingChange.APPROVED).by == organiser


def test_offering_free_places_now_names_the_organiser(organiser_client, organiser):
    run = factories.run(capacity=1)
    services.book(factories.person(), run)
    waiting = services.book(factories.person(), run).booking
    run.capacity = 2
    run.save()
    organiser_client.post(f"/admin/runs/{run.pk}/action/promote/")
    assert (latest(waiting).change, latest(waiting).by) == (BookingChange.OFFERED, organiser)


def test_moving_and_cancelling_a_run_in_the_admin_name_the_organiser(organiser_client, organiser):
    page = factories.course_page()
    run = factories.run(page=page, capacity=2)
    other = factories.run(page=page, capacity=2, title="Bristol")
    booking = services.book(factories.person(), run).booking
    organiser_client.post(f"/admin/runs/{run.pk}/action/move/", {"booking": booking.pk, "to_run": other.pk})
    moved = other.bookings.get(person=booking.person)
    assert (latest(booking).change, latest(booking).by) == (BookingChange.MOVED_AWAY, organiser)
    assert (latest(moved).change, latest(moved).by) == (BookingChange.MOVED_HERE, organiser)
    organiser_client.post(f"/admin/runs/{other.pk}/action/cancel-run/", {"message": "Snow."})
    entry = latest(moved)
    assert (entry.change, entry.actor, entry.by, entry.reason) == (
        BookingChange.RUN_CANCELLED, Actor.ORGANISER, organiser, "Snow."
    )


def test_a_person_cancelling_on_the_site_is_recorded_as_the_person(client):
    run = factories.run()
    person = factories.person()
    booking = services.book(person, run).booking
    client.force_login(person)
    client.post(reverse("bookings:cancel", args=[booking.reference]))
    assert (latest(booking).change, latest(booking).actor, latest(booking).by) == (
        BookingChange.CANCELLED, Actor.PERSON, person,
    )
