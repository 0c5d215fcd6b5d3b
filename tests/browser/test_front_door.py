"""From the home page to a course by links alone, on a desktop without JavaScript and on a
phone, with axe-core on every page: the navigation, the themes index and a theme page."""

from datetime import timedelta

import pytest

from demo.site import load_navigation
from events.models import WhatsOnPage
from lms.bookings.models import Audience
from lms.pages.models import HomePage, Theme, ThemeIndexPage
from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def front_door(site_ready):
    home = HomePage.objects.get()
    whats_on = home.add_child(instance=WhatsOnPage(title="What's on", slug="whats-on"))
    load_navigation(whats_on, ThemeIndexPage.objects.get())
    page = factories.course_page(
        title="Data and digital transformation",
        theme=Theme.objects.get(slug="transforming-services"),
    )
    factories.run(page=page, title="Manchester", audience=Audience.COUNCILLORS)
    factories.run(page=page, title="Leeds", starts_in=timedelta(days=45), days=2)
    return page


def test_a_visitor_finds_a_course_through_the_themes_without_javascript(
    page_without_js, front_door
):
    page = page_without_js
    page.visit("/")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == ["What's on", "Themes"]
    assert page.get_by_role("heading", name="For councillors").is_visible()

    nav.get_by_role("link", name="Themes").click()
    page.wait_for_url("**/themes/")
    page.check_accessibility()
    assert nav.get_by_role("link", name="Themes").get_attribute("aria-current") == "page"

    page.get_by_role("link", name="Transforming services").click()
    page.wait_for_url("**/themes/transforming-services/")
    page.check_accessibility()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.get_by_role("link").all_inner_texts() == ["Home", "Themes"]
    assert page.get_by_role("heading", name="What it has achieved").is_visible()

    page.get_by_role("link", name="Data and digital transformation").first.click()
    page.wait_for_url(f"**{front_door.url}")
    page.check_accessibility()
    assert page.get_by_role("heading", name="Dates and places").is_visible()


def test_on_a_phone_the_header_wraps_with_large_targets(phone_page, front_door, councillor):
    page = phone_page

    def fits_the_screen():
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for link in page.locator("header a, header button").all():
            box = link.bounding_box()
            assert box["height"] >= 44 or link.inner_text() == "Council skills programme", (
                link.inner_text()
            )
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, link.inner_text()

    page.visit("/")
    fits_the_screen()
    page.get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_label("Email").fill(councillor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    page.visit("/")
    fits_the_screen()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == [
        "What's on",
        "Themes",
        "My bookings",
        "My learning",
        "My account",
    ]
    assert "You have no places booked." in page.locator(".hero").inner_text()
    page.get_by_role("link", name="Find a course on What's on").click()
    page.wait_for_url("**/whats-on/")
    page.check_accessibility()
    fits_the_screen()
