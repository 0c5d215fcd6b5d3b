"""The booking flow and My bookings over HTTP, including bad input."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.utils import timezone

from lms.bookings import services
from lms.bookings.models import Audience, Booking, BookingStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(role="councillor", council="MAN"):
        person = factories.person(role=role, council=council)
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        client.force_login(person)
        return person

    return sign_in


def test_course_page_lists_its_runs_with_places_left(client):
    page = factories.course_page()
    run = factories.run(page=page, capacity=3, title="Manchester")
    services.book(factories.person(), run)
    html = client.get(page.url).content.decode()
    assert "Manchester" in html and "2 of 3 left" in html and "Book a place" in html
    full = factories.run(page=page, capacity=1, title="Bristol")
    services.book(factories.person(), full)
    services.book(factories.person(), full)
    html = client.get(page.url).content.decode()
    assert "Full, 1 on the waiting list" in html and "Join the waiting list" in html


def test_course_page_makes_the_same_number_of_queries_for_one_run_or_ten(
    client, django_assert_max_num_queries
):
    page = factories.course_page()
    factories.run(page=page)
    client.get(page.url)
    with django_assert_max_num_queries(30) as few:
        client.get(page.url)
    for _ in range(9):
        factories.run(page=page)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page.url)


def test_councillor_books_answers_check_confirm(client, signed_in):
    person = signed_in()
    run = factories.run(capacity=2)
    response = client.post(f"/book/{run.pk}/", {"needs": "Step-free access"})
    assert response.status_code == 302 and response["Location"] == f"/book/{run.pk}/check/"
    check = client.get(response["Location"]).content.decode()
    assert "Step-free access" in check and "Confirm booking" in check
    assert Booking.objects.count() == 0  # nothing booked before confirming
    response = client.post(f"/book/{run.pk}/check/")
    booking = Booking.objects.get(person=person)
    assert response["Location"] == f"/bookings/{booking.reference}/"
    page = client.get(response["Location"]).content.decode()
    assert "Booking confirmed" in page and booking.reference in page
    assert booking.needs == "Step-free access" and booking.status == BookingStatus.CONFIRMED
    # Pressing confirm again (back button, double click) makes no second booking.
    again = client.post(f"/book/{run.pk}/check/")
    assert again["Location"] == f"/bookings/{booking.reference}/"
    assert Booking.objects.count() == 1


def test_an_officer_is_told_why_a_members_only_masterclass_is_closed_to_them(client, signed_in):
    signed_in(role="officer")
    run = factories.run(audience=Audience.COUNCILLORS)
    page = client.get(f"/book/{run.pk}/").content.decode()
    assert "This masterclass is for councillors." in page
    client.post(f"/book/{run.pk}/check/")
    assert Booking.objects.count() == 0


def test_full_run_offers_the_waiting_list_and_shows_the_position(client, signed_in):
    run = factories.run(capacity=1)
    services.book(factories.person(), run)
    signed_in()
    client.post(f"/book/{run.pk}/", {"needs": ""})
    assert "Join the waiting list" in client.get(f"/book/{run.pk}/check/").content.decode()
    response = client.post(f"/book/{run.pk}/check/")
    page = client.get(response["Location"]).content.decode()
    assert "You are on the waiting list" in page and "number 1 on the waiting list" in page


def test_bad_input_changes_nothing(client, signed_in):
    signed_in()
    assert client.get("/book/999999/").status_code == 404
    assert client.get("/book/not-a-number/").status_code == 404
    run = factories.run()
    response = client.post(f"/book/{run.pk}/", {"needs": "x" * 1001})
    soup = BeautifulSoup(response.content, "html.parser")
    assert "1,000 characters or fewer" in soup.select_one(".error-summary").get_text()
    assert soup.select_one("#id_needs").get_text().strip() == "x" * 1001  # kept
    past = factories.run(starts_in=timedelta(days=-2))
    assert "already taken place" in client.get(f"/book/{past.pk}/").content.decode()
    closed = factories.run(booking_closes=timezone.now() - timedelta(hours=1))
    assert "has closed" in client.get(f"/book/{closed.pk}/").content.decode()
    assert Booking.objects.count() == 0


def test_someone_elses_booking_is_not_found(client, signed_in):
    other = services.book(factories.person(), factories.run()).booking
    signed_in()
    for url in (f"/bookings/{other.reference}/", f"/bookings/{other.reference}/cancel/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/bookings/{other.reference}/cancel/").status_code == 404
    assert client.post(f"/bookings/{other.reference}/accept/").status_code == 404
    other.refresh_from_db()
    assert other.status == BookingStatus.CONFIRMED


def test_booking_needs_a_verified_email(client):
    person = factories.person()
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    client.force_login(person)
    run = factories.run()
    response = client.post(f"/book/{run.pk}/", {"needs": ""})
    assert "verif" in response.content.decode().lower()
    assert Booking.objects.count() == 0


def test_my_bookings_lists_cancels_and_accepts_offers(client, signed_in):
    person = signed_in()
    run = factories.run(capacity=1)
    mine = services.book(person, run).booking
    page = client.get("/bookings/").content.decode()
    assert mine.reference in page and "Confirmed" in page
    assert "Are you sure" in client.get(f"/bookings/{mine.reference}/cancel/").content.decode()
    response = client.post(f"/bookings/{mine.reference}/cancel/")
    assert "has been cancelled" in client.get(response["Location"]).content.decode()

    # A place offered from the waiting list is accepted with one click.
    other_run = factories.run(capacity=1)
    holder = services.book(factories.person(), other_run).booking
    waiting = services.book(person, other_run).booking
    assert "number 1" in client.get("/bookings/").content.decode()
    services.cancel(holder)
    assert "Accept" in client.get("/bookings/").content.decode()
    client.post(f"/bookings/{waiting.reference}/accept/")
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_my_bookings_says_what_past_places_came_to(client, signed_in):
    from lms.bookings import attendance

    person = signed_in()
    held = {
        "Came to everything": factories.run(
            title="Came to everything", starts_in=-timedelta(days=9)
        ),
        "Missed a day": factories.run(title="Missed a day", starts_in=-timedelta(days=20), days=2),
        "No register yet": factories.run(title="No register yet", starts_in=-timedelta(days=2)),
    }
    for title, run in held.items():
        booking = services.add_person(person, run)
        if title != "No register yet":
            attendance.mark(booking, run.sessions.order_by("starts_at").first(), "attended")
    past = BeautifulSoup(client.get("/bookings/").content, "html.parser").find("h2", string="Past")
    statuses = {
        row.td.a.next_sibling.strip(": "): row.find_all("td")[3].find(string=True).strip()
        for row in past.find_next_sibling("table").tbody.find_all("tr")
    }
    assert statuses == {
        "Came to everything": "Attended: completed",
        "Missed a day": "Attended 1 of 2 sessions",
        "No register yet": "Confirmed",
    }


def test_cancel_after_the_cut_off_is_refused_with_a_message(client, signed_in):
    person = signed_in()
    run = factories.run(cancellation_cutoff=timezone.now() - timedelta(minutes=5))
    booking = services.book(person, run).booking
    listed = BeautifulSoup(client.get("/bookings/").content, "html.parser").select_one("tbody")
    assert booking.reference in listed.get_text() and "Cancel" not in listed.get_text()
    response = client.post(f"/bookings/{booking.reference}/cancel/", follow=True)
    assert "too late to cancel" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_empty_my_bookings_says_what_to_do(client, signed_in):
    signed_in()
    response = client.get("/bookings/")
    assert "You have no upcoming bookings" in response.content.decode()
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.title.get_text(strip=True) == "My bookings – Council skills programme"
    assert len(soup.find_all(string="Your calendar")) == 1


def _section_text(soup, heading):
    found = soup.find("h2", string=heading)
    return found.find_next_sibling("table").get_text(" ", strip=True) if found else None


def test_my_bookings_lists_cancelled_places_on_their_own_without_calendar_links(client, signed_in):
    person = signed_in()
    coming = services.book(person, factories.run(title="Coming up")).booking
    cancelled = services.book(person, factories.run(title="Called off")).booking
    services.cancel(cancelled)
    soup = BeautifulSoup(client.get("/bookings/").content, "html.parser")
    upcoming, ended = _section_text(soup, "Upcoming"), _section_text(soup, "Cancelled")
    assert coming.reference in upcoming and cancelled.reference not in upcoming
    assert cancelled.reference in ended and "Cancelled" in ended
    assert "Add to calendar" in upcoming and "Add to calendar" not in ended
    assert "Cancel booking" not in ended


def test_a_run_of_several_days_shows_its_last_day_in_my_bookings(client, signed_in):
    person = signed_in()
    run = factories.run(title="Two days", days=2)
    services.book(person, run)
    soup = BeautifulSoup(client.get("/bookings/").content, "html.parser")
    last_day = timezone.localtime(run.sessions.order_by("starts_at").last().ends_at)
    assert f"to {last_day:%-d %B %Y}" in _section_text(soup, "Upcoming")


def test_a_bookings_page_gives_the_address_map_cancel_by_and_a_cancel_link(client, signed_in):
    person = signed_in()
    run = factories.run(venue=factories.venue("Leeds", "yorkshire"))
    booking = services.book(person, run).booking
    soup = BeautifulSoup(client.get(f"/bookings/{booking.reference}/").content, "html.parser")
    where = soup.find("dt", string="Where").find_next_sibling("dd")
    assert "Leeds Town Hall" in where.get_text() and "1 High Street" in where.get_text()
    assert where.find("a")["href"].startswith("https://www.openstreetmap.org/search?")
    assert soup.find("dt", string="Cancelling") is not None
    cancel = soup.find("a", string="Cancel this booking")
    assert cancel["href"] == f"/bookings/{booking.reference}/cancel/"
    assert client.get(cancel["href"]).status_code == 200


def test_a_place_on_a_run_that_has_ended_is_not_a_fresh_confirmation(client, signed_in):
    person = signed_in()
    booking = services.add_person(person, factories.run(starts_in=-timedelta(days=7)))
    soup = BeautifulSoup(client.get(f"/bookings/{booking.reference}/").content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Your place on this course"
    assert soup.find(class_="qr-code") is None
    assert soup.find(string="Add to your calendar") is None
    assert soup.find("a", string="Cancel this booking") is None
