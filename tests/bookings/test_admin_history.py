"""The admin records the organiser who made each change, and shows a booking's history on the
booking's page, the run's history and the bookings export."""

import csv
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
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


def test_approve_decline_cancel_add_and_promote_in_the_admin_name_the_organiser(
    organiser_client, organiser
):
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
        BookingChange.ADDED,
        BookingChange.OFFERED,
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
    organiser_client.post(
        f"/admin/runs/{run.pk}/action/move/", {"booking": booking.pk, "to_run": other.pk}
    )
    moved = other.bookings.get(person=booking.person)
    assert (latest(booking).change, latest(booking).by) == (BookingChange.MOVED_AWAY, organiser)
    assert (latest(moved).change, latest(moved).by) == (BookingChange.MOVED_HERE, organiser)
    organiser_client.post(f"/admin/runs/{other.pk}/action/cancel-run/", {"message": "Snow."})
    entry = latest(moved)
    assert (entry.change, entry.actor, entry.by, entry.reason) == (
        BookingChange.RUN_CANCELLED,
        Actor.ORGANISER,
        organiser,
        "Snow.",
    )


def test_a_person_cancelling_on_the_site_is_recorded_as_the_person(client):
    run = factories.run()
    person = factories.person()
    booking = services.book(person, run).booking
    client.force_login(person)
    client.post(reverse("bookings:cancel", args=[booking.reference]))
    assert (latest(booking).change, latest(booking).actor, latest(booking).by) == (
        BookingChange.CANCELLED,
        Actor.PERSON,
        person,
    )


def _moved_booking(organiser):
    page = factories.course_page()
    run = factories.run(page=page, capacity=1, title="Manchester")
    other = factories.run(page=page, capacity=2, title="Bristol")
    person = factories.person(full_name="Molly Mover")
    booking = services.book(person, run).booking
    waiting = services.book(factories.person(full_name="Wes Waiting"), run).booking
    moved = services.move(booking, other, by=organiser)
    return run, other, booking, moved, waiting


def test_a_bookings_admin_page_shows_its_history(organiser_client, organiser):
    _run, _other, booking, moved, _waiting = _moved_booking(organiser)
    page = BeautifulSoup(
        organiser_client.get(reverse("booking_list:inspect", args=[booking.pk])).content,
        "html.parser",
    )
    heading = page.find("h2", id="booking-history")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in heading.find_next("table").select("tbody tr")
    ]
    assert [row[1:4] for row in rows] == [
        ["Booked", "—", "Confirmed"],
        ["Moved to another run", "Confirmed", "Cancelled"],
    ]
    assert rows[0][4] == f"The person ({booking.person})"
    assert rows[1][4] == f"An organiser ({organiser})" and moved.reference in rows[1][5]


def test_the_runs_page_shows_its_latest_changes_and_links_to_its_full_history(
    organiser_client, organiser
):
    run, _other, booking, moved, waiting = _moved_booking(organiser)
    page = BeautifulSoup(
        organiser_client.get(f"/admin/runs/{run.pk}/manage/").content, "html.parser"
    )
    table = page.find("h2", id="run-history").find_next("table")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")
    ]
    changes = [(row[1].split(" · ")[0], row[2]) for row in rows]
    # Newest first, this run's bookings only (not the new booking on the other run).
    assert changes[0] == (waiting.reference, "Place offered from the waiting list")
    assert (booking.reference, "Moved to another run") in changes and moved.reference not in str(
        changes
    )
    link = page.find("a", string=lambda s: s and "full booking history" in s)
    listing = BeautifulSoup(organiser_client.get(link["href"]).content, "html.parser")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in listing.select("table.listing tbody tr")
    ]
    # Every change to this run's bookings; the booking moved to the other run is not among them.
    assert len(rows) == BookingEvent.objects.filter(booking__run=run).count() == 4
    assert not any(row[1].startswith(moved.reference) for row in rows)
    assert sum(row[1].startswith(booking.reference) for row in rows) == 2


def test_a_runs_history_exports_every_change_of_that_run(organiser_client, organiser):
    run, _other, booking, moved, _waiting = _moved_booking(organiser)
    response = organiser_client.get(
        reverse("booking_history:index"), {"run": run.pk, "export": "csv"}
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    expected = BookingEvent.objects.filter(booking__run=run).count()
    assert len(rows) == expected == 4  # two bookings, the move, the offer
    moved_away = next(r for r in rows if r["Change"] == "Moved to another run")
    assert (
        moved_away["Reference"],
        moved_away["From"],
        moved_away["To"],
        moved_away["Who"],
        moved_away["Changed by"],
    ) == (
        booking.reference,
        "Confirmed",
        "Cancelled",
        "An organiser",
        organiser.full_name,
    )
    assert moved.reference in moved_away["Why"]
    offer = next(r for r in rows if r["Change"] == "Place offered from the waiting list")
    assert (offer["Name"], offer["Who"], offer["Changed by"]) == ("Wes Waiting", "The system", "")


def test_the_bookings_export_carries_each_bookings_history(organiser_client, organiser):
    run, _other, booking, moved, waiting = _moved_booking(organiser)
    response = organiser_client.get(reverse("booking_list:index"), {"run": run.pk, "export": "csv"})
    rows = {
        r["Reference"]: r
        for r in csv.DictReader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    }
    lines = rows[booking.reference]["History"].split("\n")
    assert len(lines) == 2
    assert "Booked: Confirmed, by The person (Molly Mover)" in lines[0]
    assert (
        "Moved to another run: Confirmed → Cancelled, by An organiser" in lines[1]
        and moved.reference in lines[1]
    )
    assert (
        "Place offered from the waiting list: On the waiting list → Place offered, by The system"
        in (rows[waiting.reference]["History"])
    )
    response = organiser_client.get(
        reverse("booking_list:index"), {"run": run.pk, "export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *data = list(sheet.iter_rows(values_only=True))
    by_reference = {row[0]: row[header.index("History")] for row in data}
    assert by_reference[booking.reference].split("\n") == lines


def test_the_bookings_export_reads_histories_in_a_fixed_number_of_queries(
    organiser_client, organiser, django_assert_max_num_queries
):
    run = factories.run(capacity=3)
    for _ in range(6):
        services.book(factories.person(), run)

    def export():
        response = organiser_client.get(
            reverse("booking_list:index"), {"run": run.pk, "export": "csv"}
        )
        return b"".join(response.streaming_content)

    export()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as six:
        export()
    for _ in range(6):
        services.book(factories.person(), run)
    with django_assert_max_num_queries(len(six.captured_queries)):
        export()


def test_nobody_but_organisers_reads_the_booking_history(client, councillor):
    client.force_login(councillor)
    response = client.get(reverse("booking_history:index"))
    assert response.status_code in (302, 403)
