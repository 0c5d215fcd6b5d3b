"""Both CSV imports (a session's attendance, an intake's completions) go through the one import
flow (lms/core/imports.py): the same refusals in the same words, the same error summary, the same
preview-then-import steps, and nothing saved until the whole file is confirmed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import ElearningCoursePage
from lms.bookings import services
from lms.bookings.models import Attendance
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture(params=["attendance", "completions"])
def an_import(request):
    """(the import page's URL, a good file, the page to land on after importing)."""
    if request.param == "attendance":
        run = factories.run()
        booking = services.book(factories.person(), run).booking
        session = run.sessions.get()
        return (
            f"/admin/runs/{run.pk}/register/{session.pk}/import/",
            f"reference,status\n{booking.reference},attended\n",
            f"/admin/runs/{run.pk}/register/{session.pk}/",
        )
    page = factories.course_page("Contract management e-learning", page_class=ElearningCoursePage)
    run = factories.run(page=page, title="Spring intake", reference_prefix="EL")
    services.book(factories.person(email="ann@example.org"), run)
    return (
        f"/admin/runs/{run.pk}/completions/import/",
        "email,status\nann@example.org,completed\n",
        f"/admin/runs/{run.pk}/manage/",
    )


def upload(client, url, text):
    return client.post(url, {"file": SimpleUploadedFile("file.csv", text.encode(), "text/csv")})


def test_a_file_with_a_nul_character_is_refused_in_the_same_words(organiser_client, an_import):
    url, good, _ = an_import
    page = upload(organiser_client, url, good.replace("\n", "\n\x00", 1))
    assert page.status_code == 400
    assert "line 2 holds a NUL character, so it is not text" in page.content.decode()
    assert "Upload a corrected file" in page.content.decode()
    assert not Attendance.objects.exists()


def test_posting_no_file_shows_the_error_summary_linked_to_the_field(organiser_client, an_import):
    url, _, _ = an_import
    page = organiser_client.post(url, {})
    text = page.content.decode()
    assert page.status_code == 400
    assert "There is a problem" in text and 'href="#id_file"' in text


def test_the_preview_saves_nothing_and_confirming_imports_the_whole_file(
    organiser_client, an_import
):
    url, good, done = an_import
    preview = upload(organiser_client, url, good)
    assert preview.status_code == 200 and "Import 1 row" in preview.content.decode()
    assert f'href="{url}"' in preview.content.decode()  # choose another file
    assert not Attendance.objects.exists()
    imported = organiser_client.post(url, {"csv": good, "confirm": "1"})
    assert imported.status_code == 302 and imported["Location"] == done
    assert Attendance.objects.count() == 1
