"""An attendee answers the survey from My learning and downloads their certificate, then anyone
can verify it. axe-core checks every page visited."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from lms.bookings import attendance, services
from lms.certificates import services as certificates
from lms.surveys import services as surveys
from lms.surveys.models import Answer
from tests import factories

from .test_booking import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_attendee_answers_the_survey_and_downloads_the_certificate_from_my_learning(page):
    person = sign_in(page)
    run = factories.run(
        page=factories.course_page("Data and digital transformation"),
        starts_in=timedelta(days=-3),
        certificate_requires_survey=True,
    )
    booking = services.add_person(person, run)
    attendance.mark(booking, run.sessions.get(), "attended")
    surveys.send_invitations(run)

    page.visit("/learning/")
    assert "Not issued yet" in page.locator("main").inner_text()
    page.get_by_role("link", name="Tell us how Data and digital transformation").click()
    page.wait_for_url("**/survey/**")
    page.check_accessibility()

    # Sending without the required answers keeps the page, with an error summary, and saves nothing.
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").is_visible()
    page.check_accessibility()
    assert not Answer.objects.exists()

    page.get_by_label("Very satisfied", exact=True).check()
    page.get_by_label("9", exact=True).check()
    page.get_by_label("What was most useful?").fill("Hearing how other councils started.")
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_url("**/thank-you/")
    page.check_accessibility()

    # The organiser issues certificates; the survey was the last thing this run asked for.
    (issued,) = certificates.issue_all(run, [booking.pk])
    page.visit("/learning/")
    assert "Tell us how" not in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download certificate for Data and digital transformation (PDF)"
        ).click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert person.full_name in text and issued.code in text

    page.locator(f'a[href="/certificates/verify/{issued.code}/"]').click()
    page.wait_for_url("**/certificates/verify/**")
    page.check_accessibility()
    main = page.locator("main").inner_text()
    assert person.full_name in main and "Valid" in main
    import hashlib

    assert hashlib.sha256(content).hexdigest() in main
