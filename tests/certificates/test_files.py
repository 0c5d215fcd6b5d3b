"""Certificate PDFs and a run's ZIP are never public files: they are handed out only by views
that check who is asking, by Django, by nginx (X-Accel-Redirect) or by a redirect to the
storage's signed URL, and no page links the stored file itself."""

import hashlib
import importlib.util
import io
import zipfile

import pytest
from django.urls import reverse

from lms.certificates import services
from tests import factories

pytestmark = pytest.mark.django_db

MODES = ["django", "x-accel-redirect", "redirect"]


@pytest.fixture
def certificate(completed):
    return services.issue(completed)


@pytest.fixture
def delivery(settings):
    def choose(mode):
        settings.PROTECTED_FILE_DELIVERY = mode
        settings.PROTECTED_FILES_ACCEL_PREFIX = "/protected-media/"

    return choose


def pdf_url(certificate):
    return f"/certificates/{certificate.code}/download/"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def attachment(filename):
    return f'attachment; filename="{filename}"'


def assert_private(response):
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_refused(response):
    """Not the file, and no pointer to it: the same 404 as for a code that does not exist."""
    assert response.status_code == 404
    assert not response.has_header("X-Accel-Redirect") and not response.has_header("Location")


def test_the_owner_downloads_their_pdf_privately_under_a_name_that_says_what_it_is(
    client, certificate
):
    client.force_login(certificate.booking.person)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == attachment(f"certificate-{certificate.code}.pdf")
    assert_private(response)
    assert hashlib.sha256(body(response)).hexdigest() == certificate.sha256


@pytest.mark.parametrize("mode", MODES)
def test_nobody_but_the_owner_gets_a_valid_certificates_pdf_in_any_mode(
    client, certificate, make_person, delivery, mode
):
    delivery(mode)
    anonymous = client.get(pdf_url(certificate))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/login/")
    client.force_login(make_person(email="someone.else@example.org"))
    assert_refused(client.get(pdf_url(certificate)))
    # Staff without the certificates permission are nobody special.
    client.force_login(make_person(email="staff@example.org", is_staff=True))
    assert_refused(client.get(pdf_url(certificate)))
    # A real code and a made-up one get the same answer: a 404 confirms nothing.
    made_up = "/certificates/0000-0000-0000-0000-0000-0000-0000-0000/download/"
    assert client.get(made_up).status_code == 404


@pytest.mark.parametrize("mode", MODES)
def test_a_revoked_certificates_pdf_goes_to_organisers_and_not_to_its_owner(
    client, certificate, organiser, delivery, mode
):
    delivery(mode)
    services.revoke(certificate, "Issued in error", by=organiser)
    client.force_login(certificate.booking.person)
    assert_refused(client.get(pdf_url(certificate)))
    client.force_login(organiser)
    assert client.get(pdf_url(certificate)).status_code in (200, 302)


def test_behind_nginx_the_pdf_is_an_empty_answer_pointing_at_the_internal_location(
    client, certificate, delivery
):
    delivery("x-accel-redirect")
    client.force_login(certificate.booking.person)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/" + certificate.pdf.name
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == attachment(f"certificate-{certificate.code}.pdf")
    assert_private(response)


def test_with_signed_storage_the_pdf_is_a_redirect_that_no_cache_keeps(
    client, certificate, delivery
):
    delivery("redirect")
    client.force_login(certificate.booking.person)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert response["Location"] == certificate.pdf.storage.url(certificate.pdf.name)
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def archive(attend, organiser, django_capture_on_commit_callbacks):
    run = factories.run()
    for name in ("Ann Ash", "Bo Birch"):
        services.issue(attend(run, factories.person(full_name=name)))
    with django_capture_on_commit_callbacks(execute=True):
        archive = services.build_archive(run, by=organiser)
    archive.refresh_from_db()
    return archive


def zip_url(archive):
    return reverse("certificates_archive_download", args=[archive.pk])


def test_the_runs_zip_goes_to_organisers_privately(client, archive, organiser):
    client.force_login(organiser)
    response = client.get(zip_url(archive))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == attachment(f"certificates-run-{archive.run_id}.zip")
    assert_private(response)
    with zipfile.ZipFile(io.BytesIO(body(response))) as zip_file:
        assert len(zip_file.namelist()) == 2


@pytest.mark.parametrize("mode", MODES)
def test_the_runs_zip_goes_to_nobody_else_not_even_people_on_the_run(
    client, archive, delivery, mode
):
    delivery(mode)
    anonymous = client.get(zip_url(archive))
    assert anonymous.status_code == 302 and "X-Accel-Redirect" not in anonymous
    assert archive.file.name not in anonymous["Location"]
    person_on_the_run = archive.run.bookings.first().person
    client.force_login(person_on_the_run)
    refused = client.get(zip_url(archive))
    assert refused.status_code in (302, 403, 404) and "X-Accel-Redirect" not in refused
    assert archive.file.name not in refused.get("Location", "")


def test_behind_nginx_the_zip_is_handed_to_the_internal_location(
    client, archive, organiser, delivery
):
    delivery("x-accel-redirect")
    client.force_login(organiser)
    response = client.get(zip_url(archive))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/" + archive.file.name
    assert_private(response)


def test_certificates_and_zips_are_stored_under_the_prefix_the_web_server_refuses(
    certificate, archive
):
    # The nginx configuration in the README refuses /media/certificates/ on the public address.
    assert certificate.pdf.name.startswith("certificates/")
    assert archive.file.name.startswith("certificates/")


def stored_file_mentioned(html, *files):
    return [f.name for f in files if f.name in html or f.url in html]


def test_no_page_links_the_stored_files(client, certificate, organiser, archive, settings):
    client.force_login(certificate.booking.person)
    my_learning = client.get("/learning/").content.decode()
    assert pdf_url(certificate) in my_learning
    assert not stored_file_mentioned(my_learning, certificate.pdf)
    assert settings.MEDIA_URL + "certificates/" not in my_learning
    verification = client.get(f"/certificates/verify/{certificate.code}/").content.decode()
    verification += client.get(f"/certificates/verify/{certificate.code}.json").content.decode()
    assert not stored_file_mentioned(verification, certificate.pdf)

    client.force_login(organiser)
    for page in (
        reverse("certificates_run", args=[certificate.booking.run_id]),
        reverse("certificates_run", args=[archive.run_id]),
        reverse("certificates_archive", args=[archive.pk]),  # links the checked download
        reverse("certificate_list:index"),
        reverse("certificate_list:inspect", args=[certificate.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert not stored_file_mentioned(html, certificate.pdf, archive.file), page
        assert settings.MEDIA_URL + "certificates/" not in html, page


@pytest.fixture
def development_urls(settings):
    """The project's URLs as the development server (DEBUG) builds them, uploads included."""
    settings.DEBUG = True
    spec = importlib.util.find_spec("lms.urls")
    urls = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(urls)
    settings.ROOT_URLCONF = urls
    return urls


def test_the_development_server_serves_uploads_but_not_certificates_or_zips(
    client, certificate, archive, organiser, development_urls, settings
):
    picture = settings.MEDIA_ROOT / "original_images" / "view.png"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"\x89PNG public picture")
    public = client.get(settings.MEDIA_URL + "original_images/view.png")
    assert body(public) == b"\x89PNG public picture"
    client.force_login(organiser)  # not even for an organiser: only the checked views hand them out
    roundabout = "Images/../certificates/" + certificate.pdf.name.rsplit("/", 1)[-1]
    for name in (certificate.pdf.name, archive.file.name, roundabout):
        assert client.get(settings.MEDIA_URL + name).status_code == 404, name
    assert client.get(pdf_url(certificate)).status_code == 200
