"""Organisers issue (after a confirmation listing every name), revoke, re-issue and download a
run's certificates as a ZIP in the Wagtail admin; nobody else can."""

import csv
import hashlib
import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from lms.certificates import services
from lms.certificates.models import ArchiveStatus, Certificate, CertificateArchive
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the request queued for after its commit (the test's own transaction never commits).
    Where the view is not inside a transaction, as in a real request with tasks run inline, the
    organiser is told the outcome at once (tests/certificates/test_issue_inline.py)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_issuing_shows_every_name_first_and_issues_nothing_until_confirmed(
    organiser_client, attend, committed
):
    run = factories.run()
    ann = attend(run, factories.person(full_name="Ann Attended"))
    bob = attend(run, factories.person(full_name="Bob Attended"))
    attend(run, factories.person(full_name="Nora Noshow"), sessions=0)
    page = organiser_client.get(f"/admin/certificates/runs/{run.pk}/").content.decode()
    assert "Issue 2 certificates" in page and "Nora Noshow" not in page
    confirm = BeautifulSoup(
        organiser_client.get(f"/admin/certificates/runs/{run.pk}/issue/").content, "html.parser"
    )
    names = [row.find("td").get_text(strip=True) for row in confirm.select("tbody tr")]
    assert names == ["Ann Attended", "Bob Attended"]
    assert confirm.find("button", string="Issue 2 certificates")
    assert confirm.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert not Certificate.objects.exists()
    with committed():
        response = organiser_client.post(
            f"/admin/certificates/runs/{run.pk}/issue/", {"booking": [ann.pk, bob.pk]}, follow=True
        )
    assert "Issuing 2 certificates in the background" in response.content.decode()
    assert {c.booking for c in Certificate.objects.all()} == {ann, bob}


def test_confirming_twice_issues_once(organiser_client, completed, committed):
    url = f"/admin/certificates/runs/{completed.run_id}/issue/"
    for _ in range(2):
        with committed():
            assert (
                organiser_client.post(url, {"booking": [completed.pk]}, follow=True).status_code
                == 200
            )
    assert Certificate.objects.count() == 1


def test_with_a_task_worker_the_bulk_issue_happens_off_the_request(
    organiser_client, completed, settings
):
    from lms.certificates.tasks import issue_certificates

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "emails", "certificates"],
        }
    }
    url = f"/admin/certificates/runs/{completed.run_id}/issue/"
    response = organiser_client.post(url, {"booking": [completed.pk]}, follow=True)
    assert "Issuing 1 certificate in the background" in response.content.decode()
    assert not Certificate.objects.exists()  # the request only queued the work
    assert issue_certificates.call(completed.run_id, [completed.pk]) == 1  # what the worker runs
    assert Certificate.objects.get().booking == completed


def test_a_tampered_confirmation_issues_nothing_and_does_not_fail(
    organiser_client, completed, committed
):
    url = f"/admin/certificates/runs/{completed.run_id}/issue/"
    with committed():
        response = organiser_client.post(url, {"booking": ["not-a-number", "-1"]}, follow=True)
    assert response.status_code == 200
    assert not Certificate.objects.exists()


def test_a_confirmation_tampered_with_other_digits_or_a_huge_number_does_not_fail(
    organiser_client, completed, committed
):
    url = f"/admin/certificates/runs/{completed.run_id}/issue/"
    # "²" and "٣" pass str.isdigit(); int() refuses the first. 10**30 is beyond any id, and
    # int() refuses strings of more than 4,300 digits.
    with committed():
        response = organiser_client.post(
            url, {"booking": ["²", "٣", "9" * 30, "9" * 5000]}, follow=True
        )
    assert response.status_code == 200
    assert not Certificate.objects.exists()


def test_revoke_asks_for_a_reason_then_the_public_page_says_revoked(
    organiser_client, client, completed
):
    certificate = services.issue(completed)
    url = f"/admin/certificates/{certificate.pk}/revoke/"
    page = BeautifulSoup(organiser_client.post(url, {"reason": ""}).content, "html.parser")
    assert "This field is required" in page.get_text()
    certificate.refresh_from_db()
    assert certificate.is_valid
    organiser_client.post(url, {"reason": "Attendance recorded in error"})
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Attendance recorded in error"
    run_page = organiser_client.get(
        f"/admin/certificates/runs/{completed.run_id}/"
    ).content.decode()
    assert "Attendance recorded in error" in run_page
    assert (
        "has been revoked"
        in client.get(f"/certificates/verify/{certificate.code}/").content.decode()
    )


def test_reissue_gives_a_new_code_and_revokes_the_old(organiser_client, completed):
    old = services.issue(completed)
    response = organiser_client.post(f"/admin/certificates/{old.pk}/reissue/", follow=True)
    new = Certificate.objects.valid().get()
    assert new.code != old.code and new.replaces == old
    assert f"new code {new.code}" in response.content.decode()
    assert organiser_client.get(f"/admin/certificates/{old.pk}/reissue/").status_code == 405


def test_zip_of_a_run_holds_every_valid_certificate_as_issued(
    organiser_client, attend, django_capture_on_commit_callbacks
):
    run = factories.run()
    certificates = [
        services.issue(attend(run, factories.person(full_name=n))) for n in ("Ann Ash", "Bo Birch")
    ]
    services.revoke(services.issue(attend(run, factories.person(full_name="Cy Cedar"))), "Error")
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(f"/admin/certificates/runs/{run.pk}/zip/")
    archive = CertificateArchive.objects.get()
    assert response["Location"] == f"/admin/certificates/zips/{archive.pk}/"
    page = organiser_client.get(response["Location"]).content.decode()
    assert "Ready: 2 certificates" in page and 'http-equiv="refresh"' not in page
    download = organiser_client.get(f"/admin/certificates/zips/{archive.pk}/download/")
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as zip_file:
        hashes = {
            name: hashlib.sha256(zip_file.read(name)).hexdigest() for name in zip_file.namelist()
        }
    assert hashes == {
        f"{slug}-{c.code}.pdf": c.sha256
        for slug, c in zip(("ann-ash", "bo-birch"), certificates, strict=True)
    }


def test_a_zip_being_built_shows_progress_and_refreshes_itself(
    organiser_client, completed, organiser
):
    archive = CertificateArchive.objects.create(
        run=completed.run, requested_by=organiser, status=ArchiveStatus.BUILDING, total=40, done=20
    )
    page = organiser_client.get(f"/admin/certificates/zips/{archive.pk}/").content.decode()
    assert "20 of 40" in page and '<meta http-equiv="refresh"' in page
    assert (
        organiser_client.get(f"/admin/certificates/zips/{archive.pk}/download/").status_code == 404
    )
    # Asking again while it builds does not start a second one.
    assert services.build_archive(completed.run, by=organiser) == archive


def test_listing_filters_by_run_and_status_and_exports_csv(organiser_client, attend):
    run, other = factories.run(title="Leeds"), factories.run(title="York")
    valid = services.issue(attend(run, factories.person(full_name="Val Valid")))
    services.revoke(services.issue(attend(run, factories.person(full_name="Rey Revoked"))), "Error")
    services.issue(attend(other, factories.person(full_name="Otto Other")))
    page = organiser_client.get(
        "/admin/certificates/", {"run": run.pk, "status": "valid"}
    ).content.decode()
    assert "Val Valid" in page and "Rey Revoked" not in page and "Otto Other" not in page
    export = organiser_client.get("/admin/certificates/", {"run": run.pk, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert {(r["Name"], r["Status"]) for r in rows} == {
        ("Val Valid", "Valid"),
        ("Rey Revoked", "Revoked"),
    }
    assert next(r for r in rows if r["Name"] == "Val Valid")["Code"] == valid.code


def test_people_without_certificate_permissions_can_do_nothing(client, completed, make_person):
    certificate = services.issue(completed)
    client.force_login(make_person(email="staff@example.org", is_staff=True))
    run = completed.run_id
    for url in (
        f"/admin/certificates/runs/{run}/",
        f"/admin/certificates/runs/{run}/issue/",
        "/admin/certificates/runs/",
    ):
        assert client.get(url).status_code in (302, 403)
    client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"reason": "Mischief"})
    client.post(f"/admin/certificates/{certificate.pk}/reissue/")
    client.post(f"/admin/certificates/runs/{run}/zip/")
    certificate.refresh_from_db()
    assert certificate.is_valid and Certificate.objects.count() == 1
    assert not CertificateArchive.objects.exists()


def test_runs_that_have_begun_are_listed_with_their_certificates(organiser_client, completed):
    from datetime import timedelta

    from django.utils import timezone

    from lms.bookings.models import Session

    Session.objects.filter(run=completed.run).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-6),
    )
    completed.run.refresh_dates()
    services.issue(completed)
    factories.run(title="Still to come")
    page = BeautifulSoup(organiser_client.get("/admin/certificates/runs/").content, "html.parser")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("tbody tr")]
    assert len(rows) == 1 and rows[0][0].endswith("Manchester") and rows[0][2] == "1"


def test_the_admin_menu_leads_organisers_to_certificates_and_hides_them_from_others(
    organiser_client, client, make_person
):
    menu = organiser_client.get("/admin/").content.decode()
    assert "/admin/certificates/runs/" in menu and "/admin/certificates/" in menu
    editor = make_person(email="editor@example.org", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "/admin/certificates/runs/" not in client.get("/admin/").content.decode()
