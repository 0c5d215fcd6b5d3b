"""Organisers manage runs in the Wagtail admin; nobody else can."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core import mail

from lms.bookings import services
from lms.bookings.models import BookingMode, BookingStatus, RunStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def test_organiser_sees_runs_and_a_runs_bookings_and_waiting_list(organiser_client):
    run = factories.run(capacity=1)
    held = services.book(factories.person(full_name="Holly Holder"), run).booking
    services.book(factories.person(full_name="Wanda Waiting", council="BIR"), run)
    assert organiser_client.get("/admin/runs/").status_code == 200
    page = organiser_client.get(f"/admin/runs/{run.pk}/manage/").content.decode()
    assert held.reference in page and "Holly Holder" in page
    assert "Wanda Waiting" in page and "First come, first served" in page
    assert "1</strong> confirmed" in page


def test_dashboard_lists_the_next_runs_and_how_full(organiser_client):
    run = factories.run(capacity=4, title="Leeds")
    services.book(factories.person(), run)
    page = organiser_client.get("/admin/").content.decode()
    assert "Next runs" in page and "Leeds" in page and "1 of 4" in page


def test_dashboard_shows_the_eight_soonest_runs_in_date_order_with_their_places(organiser_client):
    page = factories.course_page()
    # Made out of date order; each run has as many confirmed places as its days away.
    for days in (9, 3, 10, 1, 7, 5, 2, 8, 4, 6):
        run = factories.run(
            page, capacity=12, title=f"In {days} days", starts_in=timedelta(days=days)
        )
        for _ in range(days):
            services.book(factories.person(), run)
    panel = BeautifulSoup(organiser_client.get("/admin/").content, "html.parser").select_one(
        "[aria-labelledby=next-runs-heading]"
    )
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in panel.select("tbody tr")
    ]
    assert [row[0].split(": ")[-1] for row in rows] == [f"In {days} days" for days in range(1, 9)]
    assert [row[2] for row in rows] == [f"{days} of 12" for days in range(1, 9)]


def test_approve_decline_and_promote(organiser_client):
    run = factories.run(capacity=1, booking_mode=BookingMode.APPROVAL)
    a = services.book(factories.person(), run).booking
    b = services.book(factories.person(), run).booking
    organiser_client.post(f"/admin/runs/{run.pk}/action/approve/", {"booking": a.pk})
    organiser_client.post(f"/admin/runs/{run.pk}/action/decline/", {"booking": b.pk})
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status) == (BookingStatus.CONFIRMED, BookingStatus.DECLINED)


def test_cancel_run_needs_a_message_and_tells_everyone(
    organiser_client, django_capture_on_commit_callbacks
):
    run = factories.run()
    booking = services.book(factories.person(), run).booking
    organiser_client.post(f"/admin/runs/{run.pk}/action/cancel-run/", {"message": ""})
    run.refresh_from_db()
    assert run.status == RunStatus.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"/admin/runs/{run.pk}/action/cancel-run/", {"message": "Snow."})
    run.refresh_from_db(), booking.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and booking.status == BookingStatus.CANCELLED
    assert "Snow." in mail.outbox[-1].body


def test_add_a_person_and_move_them(organiser_client):
    page = factories.course_page()
    run = factories.run(page=page, capacity=2)
    other = factories.run(page=page, capacity=2, title="Bristol")
    person = factories.person(role="other", council=None, email="guest@example.org")
    response = organiser_client.post(
        f"/admin/runs/{run.pk}/action/add/", {"email": "GUEST@example.org"}, follow=True
    )
    booking = run.bookings.get(person=person)
    assert booking.status == BookingStatus.CONFIRMED
    assert "added" in response.content.decode()
    bad = organiser_client.post(
        f"/admin/runs/{run.pk}/action/add/", {"email": "nobody@example.org"}, follow=True
    )
    assert "Nobody has an account" in bad.content.decode()
    organiser_client.post(
        f"/admin/runs/{run.pk}/action/move/", {"booking": booking.pk, "to_run": other.pk}
    )
    assert other.bookings.get(person=person).status == BookingStatus.CONFIRMED


def test_bookings_export_matches_the_filtered_list(organiser_client):
    run = factories.run(capacity=1)
    services.book(factories.person(full_name="Ann Attendee"), run)
    services.book(factories.person(full_name="Wes Waiting"), run)
    response = organiser_client.get(
        "/admin/bookings/", {"run": run.pk, "status": "confirmed", "export": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["Name"] for r in rows] == ["Ann Attendee"]
    assert rows[0]["Council"] == "Manchester City Council"
    response = organiser_client.get("/admin/bookings/", {"run": run.pk, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["Ann Attendee", "Wes Waiting"]


def test_people_who_are_not_organisers_cannot_manage_runs(client, councillor):
    run = factories.run()
    booking = services.book(factories.person(), run).booking
    client.force_login(councillor)
    for url in ("/admin/runs/", f"/admin/runs/{run.pk}/manage/", "/admin/bookings/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    client.post(f"/admin/runs/{run.pk}/action/cancel/", {"booking": booking.pk})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_course_page_in_the_editor_links_to_its_runs(organiser_client):
    page = factories.course_page("Data and digital transformation")
    mine = factories.run(page=page, title="Manchester")
    factories.run(page=factories.course_page("Other course"), title="Elsewhere")
    editor = organiser_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    link = f"/admin/runs/?page={page.pk}"
    assert link in editor
    runs = organiser_client.get(link).content.decode()
    assert mine.title in runs and "Elsewhere" not in runs


def test_organiser_cancels_a_booking_and_the_place_goes_to_the_waiting_list(organiser_client):
    run = factories.run(capacity=1)
    held = services.book(factories.person(), run).booking
    waiting = services.book(factories.person(), run).booking
    response = organiser_client.post(
        f"/admin/runs/{run.pk}/action/cancel/", {"booking": held.pk}, follow=True
    )
    assert f"{held.reference} cancelled" in response.content.decode()
    held.refresh_from_db(), waiting.refresh_from_db()
    assert (held.status, held.cancel_reason) == (BookingStatus.CANCELLED, "by_organiser")
    assert waiting.status == BookingStatus.OFFERED


@pytest.mark.parametrize("action", ["approve", "decline", "cancel"])
def test_a_booking_action_with_an_altered_booking_id_says_so_and_changes_nothing(
    organiser_client, action
):
    run = factories.run(capacity=1, booking_mode=BookingMode.APPROVAL)
    booking = services.book(factories.person(), run).booking
    url = f"/admin/runs/{run.pk}/action/{action}/"
    for altered in ["", "abc", "1.5", f"{booking.pk}\x00", "-1", "²", "9" * 30, "9" * 5000]:
        response = organiser_client.post(url, {"booking": altered}, follow=True)
        assert response.status_code == 200
        assert "Choose a booking from the list on this page" in response.content.decode()
    assert organiser_client.post(url).status_code == 302  # no booking field at all
    assert organiser_client.post(url, {"booking": "999999"}).status_code == 404  # no such booking
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_offer_free_places_now_after_capacity_is_raised(organiser_client):
    run = factories.run(capacity=1)
    services.book(factories.person(), run)
    waiting = [services.book(factories.person(), run).booking for _ in range(2)]
    run.capacity = 2
    run.save()
    response = organiser_client.post(f"/admin/runs/{run.pk}/action/promote/", follow=True)
    assert "1 person offered or given a place" in response.content.decode()
    statuses = [type(b).objects.get(pk=b.pk).status for b in waiting]
    assert statuses == [BookingStatus.OFFERED, BookingStatus.WAITLISTED]


def test_adding_a_person_respects_capacity_and_the_council_cap(organiser_client):
    run = factories.run(capacity=3, per_council_cap=1)
    services.book(factories.person(council="MAN"), run)
    second = factories.person(council="MAN", email="second@example.org")
    organiser_client.post(f"/admin/runs/{run.pk}/action/add/", {"email": second.email})
    assert run.bookings.get(person=second).status == BookingStatus.WAITLISTED


def test_a_run_with_bookings_or_a_venue_with_runs_says_why_it_cannot_be_deleted(client):
    from django.contrib.auth import get_user_model

    from lms.bookings.models import Run, Venue

    # Organisers may not delete runs or venues at all; someone with every permission.
    client.force_login(
        get_user_model().objects.create_superuser(email="admin@example.org", password="x")
    )
    run = factories.run(venue=factories.venue())
    services.book(factories.person(), run)
    page = client.get(f"/admin/runs/delete/{run.pk}/").content.decode()
    assert "This run cannot be deleted." in page and "bookings (1)" in page
    assert "Yes, delete" not in page
    assert client.post(f"/admin/runs/delete/{run.pk}/").status_code == 409
    assert Run.objects.filter(pk=run.pk).exists()
    url = f"/admin/snippets/bookings/venue/delete/{run.venue_id}/"
    page = client.get(url).content.decode()
    assert "This venue cannot be deleted." in page and "runs (1)" in page
    assert client.post(url).status_code == 409
    assert Venue.objects.filter(pk=run.venue_id).exists()


def test_organiser_can_search_the_venues(organiser_client):
    """Searching sorts by city and name, which the search backend must be able to filter on (a
    search used to fail with a database error)."""
    factories.venue(city="Leeds")
    factories.venue(city="Bristol")
    for url in ("/admin/snippets/bookings/venue/", "/admin/snippets/bookings/venue/results/"):
        response = organiser_client.get(url, {"q": "Leeds"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Leeds Town Hall" in page and "Bristol Town Hall" not in page


def test_the_venue_chooser_finds_a_venue_from_the_first_letters_typed(organiser_client):
    """Choosing a run's venue: typing "Manch" finds Manchester's venue, as the chooser's search
    box promises (without autocomplete fields it matched only whole words)."""
    factories.venue(city="Manchester")
    factories.venue(city="Bristol")
    response = organiser_client.get(
        "/admin/snippets/choose/bookings/venue/results/", {"q": "Manch"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Manchester Town Hall" in page and "Bristol Town Hall" not in page


def test_a_course_page_with_runs_is_not_deleted_and_the_organiser_is_told_why(organiser_client):
    """Runs keep their page (PROTECT: bookings hang off them); Wagtail's delete used to fail
    with ProtectedError."""
    run = factories.run()
    url = f"/admin/pages/{run.page_id}/delete/"
    for response in (organiser_client.get(url), organiser_client.post(url)):
        assert response.status_code == 302
    page = organiser_client.get(response["Location"]).content.decode()
    assert "has runs, so it cannot be deleted" in page
    assert type(run.page).objects.filter(pk=run.page_id).exists()


def test_a_course_page_whose_alumni_a_run_is_for_says_why_it_cannot_be_deleted(organiser_client):
    """A run open only to a course's alumni keeps that course's page (PROTECT): the page said
    nothing and the "Yes, delete" was a server error."""
    course = factories.course_page(title="Leadership essentials")
    factories.run(page=factories.course_page(title="Leadership for alumni"), alumni_of=course)
    url = f"/admin/pages/{course.pk}/delete/"
    response = organiser_client.get(url)
    assert response.status_code == 302
    page = organiser_client.get(response["Location"]).content.decode()
    assert "cannot be deleted: runs of other courses are open only to its alumni" in page
    assert "Leadership for alumni" in page
    organiser_client.raise_request_exception = False
    assert organiser_client.post(url).status_code == 302
    assert type(course).objects.filter(pk=course.pk).exists()
