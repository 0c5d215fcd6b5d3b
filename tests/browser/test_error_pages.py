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


def test_an_unknown_certificate_code_gets_the_check_page_with_its_error(page):
    code = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"
    response = page.goto(f"{page.base_url}/certificates/verify/{code}/")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    page.check_accessibility()
    assert page.locator("h1").inner_text() == "Check a certificate"
    assert page.title().startswith("Error: Check a certificate")
    assert "No certificate has this code." in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Certificate code").input_value() == code
    # The error summary's link takes you to the field, to correct the code and check again.
    page.locator(".error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "id_code"
