"""A new councillor's whole journey by keyboard alone: from the home page, signed out, to a
confirmed place, through links and forms only (the home page is the one address typed), with
axe-core on every page on the way."""

import pytest
from allauth.account.models import EmailAddress

from demo.site import load_navigation
from events.models import WhatsOnPage
from lms.bookings.models import Audience, BookingStatus
from lms.pages.models import HomePage, Theme, ThemeIndexPage
from tests import factories
from tests.browser.test_booking import tab_to
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programme(site_ready):
    home = HomePage.objects.get()
    whats_on = home.add_child(instance=WhatsOnPage(title="What's on", slug="whats-on"))
    load_navigation(whats_on, ThemeIndexPage.objects.get())
    course = factories.course_page(
        "Data and digital transformation", theme=Theme.objects.get(slug="transforming-services")
    )
    venue = factories.venue("Manchester", "north_west")
    run = factories.run(
        page=course, title="Manchester", venue=venue, capacity=20, audience=Audience.COUNCILLORS
    )
    person = factories.person(role="councillor", council="MAN", password=PASSWORD)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return run, person


def press_enter_and_land(page, pattern):
    page.keyboard.press("Enter")
    page.wait_for_url(pattern)
    page.check_accessibility()


def focused_text(check):
    return f"(el.textContent || '').trim().startsWith({check!r})"


def test_a_councillor_books_from_the_home_page_by_keyboard_alone(page, programme):
    run, person = programme
    page.visit("/")

    tab_to(page, focused_text("Sign in"))
    press_enter_and_land(page, "**/account/login/**")
    tab_to(page, "el.type === 'email'")
    page.keyboard.type(person.email)
    tab_to(page, "el.type === 'password'")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.check_accessibility()
    assert "Sign out" in page.locator("header").inner_text()

    tab_to(page, "el.closest('nav[aria-label=Main]') && el.textContent.trim() === \"What's on\"")
    press_enter_and_land(page, "**/whats-on/")
    tab_to(page, focused_text("Data and digital transformation: Manchester"))
    press_enter_and_land(page, f"**{run.page.url}")
    tab_to(page, focused_text("Book a place"))
    press_enter_and_land(page, f"**/book/{run.pk}/")
    tab_to(page, "el.textContent.trim() === 'Continue'")
    press_enter_and_land(page, "**/check/")
    tab_to(page, "el.textContent.trim() === 'Confirm booking'")
    press_enter_and_land(page, "**/bookings/*/")

    booking = run.bookings.get(person=person)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.reference in page.locator(".panel").inner_text()
    # Every page on the way was checked by axe: home, sign in, the account page, What's on, the
    # course, the booking question, check your answers and the confirmation.
    assert len(page.checked) == 8
