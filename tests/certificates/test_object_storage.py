"""Certificates with no local disk: issued, downloaded, zipped and handed out by a signed
redirect when the files live in object storage (several machines, one bucket)."""

import hashlib
import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lms.certificates import services
from tests import factories
from tests.object_storage import ObjectStorage, use_object_storage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def object_storage(settings):
    use_object_storage(settings)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_issue_download_and_zip_without_a_local_path(
    client, attend, organiser, settings, django_capture_on_commit_callbacks
):
    run = factories.run()
    certificates = [
        services.issue(attend(run, factories.person(full_name=name)))
        for name in ("Ann Ash", "Bo Birch")
    ]
    assert isinstance(certificates[0].pdf.storage, ObjectStorage)
    with pytest.raises(NotImplementedError):
        certificates[0].pdf.path  # noqa: B018 (no local path to be had: the point of this test)

    client.force_login(certificates[0].booking.person)
    pdf = body(client.get(f"/certificates/{certificates[0].code}/download/"))
    assert hashlib.sha256(pdf).hexdigest() == certificates[0].sha256
    assert "Ann Ash" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    with django_capture_on_commit_callbacks(execute=True):
        archive = services.build_archive(run, by=organiser)
    archive.refresh_from_db()
    client.force_login(organiser)
    zipped = body(client.get(reverse("certificates_archive_download", args=[archive.pk])))
    with zipfile.ZipFile(io.BytesIO(zipped)) as zip_file:
        assert len(zip_file.namelist()) == 2


def test_with_object_storage_redirect_hands_out_a_signed_url(client, attend, settings):
    settings.PROTECTED_FILE_DELIVERY = "redirect"
    certificate = services.issue(attend(factories.run(), factories.person()))
    client.force_login(certificate.booking.person)
    response = client.get(f"/certificates/{certificate.code}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"https://bucket.example.net/{certificate.pdf.name}?")
    assert "X-Amz-Signature=" in response["Location"]
