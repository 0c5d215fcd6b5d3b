"""Booking in a real browser: a councillor books, an officer is told no, a third person waits,
and the whole flow works from the keyboard alone. axe-core checks every page."""

import pytest
from allauth.account.models import EmailAddress

from lms.accounts.models import Council
from lms.bookings import services
from lms.bookings.models import Audience, BookingStatus
from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, check, limit=60):
    """Press Tab until the focused element passes `check` (JavaScript on document.activeElement)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {check})(document.activeElement)"):
            return
    pytest.fail(f"Nothing matching {check!r} can be reached with the Tab key")


def sign_in(page, role="councillor", council="MAN"):
    person = factories.person(role=role, council=council, password=PASSWORD)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    page.visit("/account/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    return person


@pytest.fixture
def masterclass(site_ready):
    venue = factories.venue("Manchester", "north_west")
    course = factories.course_page("Data and digital transformation")
    run = factories.run(
        page=course, capacity=2, title="Manchester", venue=venue, audience=Audience.COUNCILLORS
    )
    return course, run


def test_councillor_books_the_manchester_masterclass_and_sees_it_in_my_bookings(page, masterclass):
    course, run = masterclass
    person = sign_in(page)
    page.visit(course.url)
    assert "2 of 2 left" in page.locator(".run").inner_text()
    page.get_by_role("link", name="Book a place for Manchester").click()
    page.check_accessibility()
    page.get_by_label("Do you have any access or dietary needs? (optional)").fill("Vegetarian")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/check/")
    page.check_accessibility()
    assert "Vegetarian" in page.locator(".summary-list").inner_text()
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url("**/bookings/*/")
    page.check_accessibility()
    booking = run.bookings.get(person=person)
    assert booking.reference in page.locator(".panel").inner_text()
    page.get_by_role("link", name="See all your bookings").click()
    page.check_accessibility()
    assert booking.reference in page.locator("table").first.inner_text()


def test_officer_is_told_the_masterclass_is_for_councillors(page, masterclass):
    _course, run = masterclass
    sign_in(page, role="officer")
    page.visit(f"/book/{run.pk}/")
    assert "This masterclass is for councillors." in page.locator("main").inner_text()
    assert run.bookings.count() == 0


def test_third_person_joins_the_waiting_list_using_only_the_keyboard(page, masterclass):
    course, run = masterclass
    for council in ("BIR", "LDS"):
        services.book(factories.person(council=council), run)
    person = sign_in(page, council=Council.objects.get(code="BST").code)
    page.visit(course.url)
    assert "Full" in page.locator(".run").inner_text()
    link = page.get_by_role("link", name="Join the waiting list for Manchester")
    tab_to(page, "el.textContent.startsWith('Join the waiting list')")
    assert link.evaluate(
        "el => getComputedStyle(el).outlineStyle !== 'none' || getComputedStyle(el).boxShadow !== 'none'"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/book/*/")
    page.check_accessibility()
    tab_to(page, "el.id === 'id_needs'")
    page.keyboard.type("Hearing loop")
    tab_to(page, "el.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/")
    page.check_accessibility()
    tab_to(page, "el.textContent.trim() === 'Join the waiting list'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bookings/*/")
    page.check_accessibility()
    assert "number 1 on the waiting list" in page.locator("main").inner_text()
    booking = run.bookings.get(person=person)
    assert (booking.status, booking.needs) == (BookingStatus.WAITLISTED, "Hearing loop")
