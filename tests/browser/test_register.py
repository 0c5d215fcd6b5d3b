"""An organiser takes the register on a phone: taps, a typed check-in, and mark the rest absent.
axe-core checks every page visited."""

from datetime import timedelta

import pytest

from lms.bookings import services
from lms.bookings.models import Attendance
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_as_organiser(page):
    from demo.site import ORGANISER_EMAIL, ORGANISER_PASSWORD, load_organiser

    load_organiser()
    page.visit("/account/login/?next=/admin/")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def test_organiser_takes_a_register_on_a_phone(phone_page):
    page = phone_page
    run = factories.run(capacity=5, starts_in=timedelta(minutes=-30))
    arriving, _late, absent = (
        services.add_person(factories.person(full_name=name), run)
        for name in ("Ada Arriving", "Lem Late", "Abe Absent")
    )
    session = run.sessions.get()
    sign_in_as_organiser(page)
    page.visit(f"/admin/runs/{run.pk}/manage/")
    page.get_by_role("link", name="Register for").first.click()
    page.wait_for_url("**/register/**")
    page.check_accessibility()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling

    # One tap marks someone late; the page comes back to the same person.
    page.get_by_role("button", name="Late: Lem Late").tap()
    page.wait_for_url("**#booking-*")
    page.check_accessibility()
    assert page.get_by_role("button", name="Late: Lem Late").get_attribute("aria-pressed") == "true"

    # Checking in by typed reference (the camera's fallback).
    page.get_by_role("link", name="Scan QR codes").tap()
    page.wait_for_url("**/scan/")
    page.check_accessibility()
    for expected in ("Checked in: Ada Arriving", "Already checked in: Ada Arriving"):
        page.get_by_label("Booking reference or QR code").fill(arriving.reference)
        with page.expect_navigation():
            page.get_by_role("button", name="Check in").tap()
        assert expected in page.locator(".scan-result").inner_text()
        page.check_accessibility()

    page.get_by_role("link", name="Back to the register").tap()
    page.wait_for_url("**/register/*/")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark the 1 not marked as absent").tap()
    page.check_accessibility()
    assert "1 person marked absent" in page.locator("body").inner_text()
    marks = dict(
        Attendance.objects.filter(session=session).values_list(
            "booking__person__full_name", "status"
        )
    )
    assert marks == {"Ada Arriving": "attended", "Lem Late": "late", "Abe Absent": "absent"}
    assert absent.reference in page.locator("body").inner_text()
