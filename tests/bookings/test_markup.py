"""The structure of the booking pages and What's on, as a screen reader walks it: the dates of a
run with several sessions are a list of their own, never inside a heading or a paragraph, and the
result count is announced without posing as a heading."""

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.utils import timezone

from events.models import WhatsOnPage
from lms.bookings import services
from lms.bookings.models import Audience
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def councillor(client):
    person = factories.person(role="councillor")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)
    return person


def session_dates(run):
    return [f"{timezone.localtime(s.starts_at):%A %-d %B %Y, %H:%M}" for s in run.sessions.all()]


def assert_dates_stand_alone(response, run):
    """Every session's date is an item of a list that sits in no heading or paragraph, and no
    heading or paragraph holds a date, a list or the "." and "·" that once trailed one."""
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").find("main")
    dates = session_dates(run)
    assert len(dates) == 3
    items = [li.get_text(" ", strip=True) for li in main.select("li")]
    for date in dates:
        assert any(item.startswith(date) for item in items), (date, items)
    for block in main.find_all(["h1", "h2", "h3", "p"]):
        assert block.find(["ul", "ol", "li"]) is None, block
        text = block.get_text(" ", strip=True)
        assert not any(date in text for date in dates), text
        assert text not in (".", "·") and not text.startswith((". ", "· ")), text


@pytest.fixture
def three_sessions():
    return factories.run(title="Cohort 4", days=3)


def test_first_booking_step_titles_the_run_and_lists_its_dates_outside_the_heading(
    client, councillor, three_sessions
):
    response = client.get(f"/book/{three_sessions.pk}/")
    assert_dates_stand_alone(response, three_sessions)
    h1 = BeautifulSoup(response.content, "html.parser").find("h1")
    assert h1.get_text(" ", strip=True) == f"Book {three_sessions.page.title}: Cohort 4"


def test_confirmation_and_cancel_pages_list_the_dates_outside_paragraphs(
    client, councillor, three_sessions
):
    booking = services.book(councillor, three_sessions).booking
    assert_dates_stand_alone(client.get(f"/bookings/{booking.reference}/"), three_sessions)
    assert_dates_stand_alone(client.get(f"/bookings/{booking.reference}/cancel/"), three_sessions)


def test_cannot_book_page_lists_the_dates_outside_paragraphs(client, councillor):
    officers_only = factories.run(title="Cohort 5", days=3, audience=Audience.OFFICERS)
    response = client.get(f"/book/{officers_only.pk}/")
    assert_dates_stand_alone(response, officers_only)
    title, h1 = title_and_h1(response)
    assert h1 == "You cannot book this place"
    assert title == f"You cannot book this place: {officers_only.page.title}, Cohort 5"


def test_whats_on_announces_its_count_in_a_live_paragraph_under_a_results_heading(client):
    run = factories.run(title="Leeds")
    listing = WhatsOnPage(title="What's on", slug="whats-on")
    run.page.get_parent().add_child(instance=listing)
    soup = BeautifulSoup(client.get(listing.url).content, "html.parser")
    status = soup.select('[role="status"]')
    assert [s.name for s in status] == ["p"]
    assert status[0].get_text(" ", strip=True) == "1 date"
    assert not soup.select("h1[role], h2[role], h3[role], h4[role]")
    # The results have a heading of their own, so they are not heard as part of "Filter".
    headings = [(h.name, h.get_text(" ", strip=True)) for h in soup.select("main h2, main h3")]
    assert headings.index(("h2", "Results")) > headings.index(("h2", "Filter"))
    assert headings.index(("h3", f"{run.page.title}: Leeds")) > headings.index(("h2", "Results"))


def title_and_h1(response):
    soup = BeautifulSoup(response.content, "html.parser")
    title = " ".join(soup.title.get_text().split()).removesuffix(" – Council skills programme")
    (h1,) = soup.find_all("h1")
    return title, h1.get_text(" ", strip=True)


def test_each_booking_step_is_titled_by_its_heading_and_its_booking(client, councillor):
    first, second = factories.run(title="Leeds"), factories.run(title="York")
    answered = client.post(f"/book/{first.pk}/", {"needs": ""}, follow=True)
    title, h1 = title_and_h1(answered)
    assert h1 == "Check your answers before booking"
    assert title == f"Check your answers before booking: {first.page.title}, Leeds"
    titles = set()
    for run in (first, second):
        title, h1 = title_and_h1(client.get(f"/book/{run.pk}/"))
        assert title == h1 == f"Book {run.page.title}: {run.title}"
        titles.add(title)
        booking = services.book(councillor, run).booking
        title, h1 = title_and_h1(client.get(f"/bookings/{booking.reference}/cancel/"))
        assert title == h1 == f"Are you sure you want to cancel booking {booking.reference}?"
        titles.add(title)
        title, h1 = title_and_h1(client.get(f"/bookings/{booking.reference}/"))
        assert (title, h1) == (f"Booking confirmed: {booking.reference}", "Booking confirmed")
        titles.add(title)
    assert len(titles) == 6  # no two of these pages share a title
