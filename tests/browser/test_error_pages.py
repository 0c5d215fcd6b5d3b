"""The 404 and 500 pages, as a person sees them, checked with axe-core like every other page."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_not_found_page(page):
    page.visit("/no-such-course/")
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.get_by_role("link", name="start again from the home page").is_visible()


@override_settings(ROOT_URLCONF="tests.core.test_error_pages")
def test_the_server_error_page(page):
    page.visit("/broken/")
    assert page.locator("h1").inner_text() == "Sorry, there is a problem with the service"
    # The stylesheet arrived: the header has the site's colours, not the browser's defaults.
    header = page.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
