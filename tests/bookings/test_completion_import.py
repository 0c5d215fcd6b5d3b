"""Completions of an e-learning intake from the provider's CSV file, matched on email: preview,
then the whole file or nothing, recorded as attendance so completion has one definition."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import ElearningCoursePage
from lms.bookings import attendance, services
from lms.bookings.models import Attendance, AttendanceChange, Booking
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def intake():
    page = factories.course_page("Contract management e-learning", page_class=ElearningCoursePage)
    return factories.run(page=page, title="Spring intake", reference_prefix="EL", capacity=20)


def book(run, email, **fields):
    return services.book(factories.person(email=email, **fields), run).booking


def url(run):
    return f"/admin/runs/{run.pk}/completions/import/"


def upload(client, run, content, name="completions.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(url(run), {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, run, text, follow=True):
    return client.post(url(run), {"csv": text, "confirm": "1"}, follow=follow)


def completed(run):
    return set(Booking.objects.filter(run=run).completed().values_list("person__email", flat=True))


def test_preview_shows_every_change_and_saves_nothing(organiser_client, intake):
    book(intake, "ada@example.org", full_name="Ada Able")
    book(intake, "ben@example.org", full_name="Ben Busy")
    text = "email,status\nada@example.org,completed\nben@example.org,in progress\n"
    response = upload(organiser_client, intake, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada Able" in page and "Ben Busy" in page
    assert "<strong>1</strong> will be recorded as completed" in page
    assert "<strong>1</strong> as not completed" in page
    assert "Import 2 rows" in page
    assert not Attendance.objects.exists() and not AttendanceChange.objects.exists()


def test_import_records_completion_as_attendance_at_every_session_by_the_organiser(
    organiser_client, organiser
):
    page = factories.course_page("E-learning in modules", page_class=ElearningCoursePage)
    run = factories.run(page=page, days=3, reference_prefix="EL")
    done = book(run, "done@example.org")
    book(run, "later@example.org")
    text = "email,status\ndone@example.org,Completed\nlater@example.org,not started\n"
    response = confirm(organiser_client, run, text)
    assert "1 completion recorded; 1 person marked not completed." in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/admin/runs/{run.pk}/manage/"
    assert completed(run) == {"done@example.org"}
    assert set(Attendance.objects.filter(booking=done).values_list("status", flat=True)) == {
        "attended"
    }
    assert Attendance.objects.filter(booking=done).count() == 3
    changes = AttendanceChange.objects.all()
    assert changes.count() == 6
    assert set(changes.values_list("source", "changed_by")) == {("import", organiser.pk)}
    # The run page shows what the one definition of completion says.
    assert (
        "<strong>1</strong> of 2 confirmed have completed"
        in organiser_client.get(f"/admin/runs/{run.pk}/manage/").content.decode()
    )


def test_emails_match_whatever_their_case_and_spaces_and_status_words_vary(
    organiser_client, intake
):
    book(intake, "carys.jones@example.org")
    book(intake, "dev@example.org")
    book(intake, "eve@example.org")
    text = (
        "\ufeffName,Email Address,Completion Status\n"
        "Carys Jones,  Carys.JONES@Example.org ,COMPLETE\n"
        "Dev,dev@example.org,yes\n"
        "Eve,eve@example.org,In-Progress\n"
    )
    assert upload(organiser_client, intake, text).status_code == 200
    confirm(organiser_client, intake, text)
    assert completed(intake) == {"carys.jones@example.org", "dev@example.org"}


def test_one_bad_row_imports_nothing_and_each_problem_names_its_line(organiser_client, intake):
    book(intake, "ada@example.org")
    book(intake, "ben@example.org")
    book(factories.run(title="Another intake", page=intake.page), "stranger@example.org")
    factories.person(email="nobody.booked@example.org")
    text = (
        "email,status\n"
        "ada@example.org,completed\n"
        "\n"
        "x@y.org,completed\n"
        "stranger@example.org,completed\n"
        "nobody.booked@example.org,completed\n"
        "ADA@example.org,completed\n"
        "ben@example.org,maybe\n"
        ",completed\n"
    )
    response = upload(organiser_client, intake, text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing has been imported: 6 problems" in page
    # Line numbers are the file's own: the blank line 3 is counted, and skipped.
    assert "Line 4</a>: Nobody booked on this intake has the email x@y.org." in page
    assert "Line 5</a>: Nobody booked on this intake has the email stranger@example.org." in page
    assert (
        "Line 6</a>: Nobody booked on this intake has the email nobody.booked@example.org." in page
    )
    assert "Line 7</a>: ada@example.org is already on line 2." in page
    assert "Line 8</a>: “maybe” is not a completion status" in page
    assert "Line 9</a>: No email address." in page
    assert 'name="confirm"' not in page
    # Confirming the same file anyway (a forged or stale form) still records nothing.
    response = confirm(organiser_client, intake, text, follow=False)
    assert response.status_code == 400
    assert "no completions were recorded" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_cancelled_booking_is_refused(organiser_client, intake):
    gone = book(intake, "gone@example.org")
    services.cancel(gone)
    book(intake, "here@example.org")
    text = "email,status\nhere@example.org,completed\ngone@example.org,completed\n"
    page = upload(organiser_client, intake, text).content.decode()
    assert (
        f"gone@example.org has no confirmed place: their booking {gone.reference} is cancelled."
        in page
    )
    with pytest.raises(attendance.AttendanceRefused):
        attendance.apply_completion_import(intake, text)
    assert not Attendance.objects.exists()


def test_a_later_file_saying_in_progress_corrects_an_earlier_completion(organiser_client, intake):
    book(intake, "ada@example.org", full_name="Ada Able")
    confirm(organiser_client, intake, "email,status\nada@example.org,completed\n")
    assert completed(intake) == {"ada@example.org"}
    text = "email,status\nada@example.org,in progress\n"
    page = upload(organiser_client, intake, text).content.decode()
    assert "<td>Completed</td><td><strong>Not completed</strong> (changes)</td>" in page
    response = confirm(organiser_client, intake, text)
    assert "0 completions recorded; 1 person marked not completed." in response.content.decode()
    assert completed(intake) == set()
    history = AttendanceChange.objects.order_by("changed_at", "pk").values_list(
        "old_status", "new_status"
    )
    assert list(history) == [("", "attended"), ("attended", "absent")]


def test_the_same_file_imported_twice_changes_nothing_the_second_time(organiser_client, intake):
    for name in "abc":
        book(intake, f"{name}@example.org")
    text = "email,status\na@example.org,completed\nb@example.org,not started\nc@example.org,completed\n"
    first = confirm(organiser_client, intake, text).content.decode()
    assert "2 completions recorded; 1 person marked not completed." in first
    changes = AttendanceChange.objects.count()
    page = upload(organiser_client, intake, text).content.decode()
    assert "<strong>0</strong> will be recorded as completed" in page and "3 are already so" in page
    second = confirm(organiser_client, intake, text).content.decode()
    assert (
        "0 completions recorded; 0 people marked not completed; 3 rows were already so." in second
    )
    assert AttendanceChange.objects.count() == changes
    assert completed(intake) == {"a@example.org", "c@example.org"}


def test_completion_is_seen_through_the_one_definition(organiser, intake):
    done = book(intake, "done@example.org")
    book(intake, "not.yet@example.org")
    plan = attendance.apply_completion_import(
        intake, "email,status\ndone@example.org,passed\nnot.yet@example.org,no\n", by=organiser
    )
    assert [r.booking for r in plan.newly_completed] == [done]
    assert list(Booking.objects.completed()) == [done]
    assert done.completion().completed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("\n\n", "The file is empty."),
        ("\ufeff", "The file is empty."),
        ("email,status\n\n", "The file has a header row but no rows of people."),
        ("mail,result\nada@example.org,completed\n", "The file has no “email” or “status” column."),
        ("email,result\nada@example.org,completed\n", "The file has no “status” column."),
    ],
)
def test_empty_files_and_wrong_columns_are_refused_as_a_whole(
    organiser_client, intake, content, message
):
    book(intake, "ada@example.org")
    response = upload(organiser_client, intake, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This file cannot be imported." in page and message in page
    assert "Import 1 row" not in page
    assert not Attendance.objects.exists()
    assert attendance.plan_completion_import(intake, content).errors


def test_a_file_of_no_bytes_or_no_file_at_all_keeps_the_form_with_an_error_summary(
    organiser_client, intake
):
    response = upload(organiser_client, intake, b"")
    assert (
        response.status_code == 400 and "The submitted file is empty." in response.content.decode()
    )
    response = organiser_client.post(url(intake), {})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert attendance.plan_completion_import(intake, "").errors == [
        "The file is empty. The header row must name an “email” and a “status” column, for example: email,status."
    ]


def test_a_file_that_is_not_utf8_text_keeps_the_form_with_an_error_summary(
    organiser_client, intake
):
    response = upload(
        organiser_client, intake, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", name="photo.csv"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_file"' in page
    assert "not a CSV file saved as UTF-8" in page
    response = upload(
        organiser_client, intake, "email,status\nzoë@example.org,completed\n".encode("cp1252")
    )
    assert (
        response.status_code == 400 and "not a CSV file saved as UTF-8" in response.content.decode()
    )


def test_a_file_with_a_nul_character_or_a_huge_cell_is_refused_as_the_attendance_import_refuses_it(
    organiser_client, intake
):
    book(intake, "ada@example.org")
    nul = "email,status\nada@example.org,completed\nbob@example.org\x00,completed\n"
    huge = f"email,status\nada@example.org,completed\n{'b' * 140_000}@example.org,completed\n"
    for text, problem in [
        (nul, "line 3 holds a NUL character"),
        (huge, "line 3: a cell is longer than 131,072 characters"),
    ]:
        response = upload(organiser_client, intake, text)
        assert response.status_code == 400
        assert f"The file cannot be read as CSV ({problem}" in response.content.decode()
        response = confirm(organiser_client, intake, text)
        assert response.status_code == 400
        assert f"The file cannot be read as CSV ({problem}" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_run_page_links_to_the_import_only_for_provider_courses(organiser_client, intake):
    link = "Import completions from the provider"
    assert link in organiser_client.get(f"/admin/runs/{intake.pk}/manage/").content.decode()
    masterclass = factories.run()
    assert (
        link not in organiser_client.get(f"/admin/runs/{masterclass.pk}/manage/").content.decode()
    )
    assert organiser_client.get(url(masterclass)).status_code == 404
    with pytest.raises(attendance.AttendanceRefused):
        attendance.apply_completion_import(masterclass, "email,status\n")
    assert organiser_client.get(url(intake)).status_code == 200


def test_only_people_who_may_take_attendance_can_import(client, make_person, intake):
    book(intake, "ada@example.org")
    text = "email,status\nada@example.org,completed\n"
    # Signed out: to the sign-in page.
    response = client.get(url(intake))
    assert response.status_code == 302 and "login" in response["Location"]
    # In the admin, but without the attendance permission: 403, and nothing recorded.
    editor = make_person(email="editor@example.org", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_booking"),
    )
    client.force_login(editor)
    assert client.get(url(intake)).status_code == 403
    assert client.post(url(intake), {"csv": text, "confirm": "1"}).status_code == 403
    run_page = client.get(f"/admin/runs/{intake.pk}/manage/")
    assert run_page.status_code == 200 and "Import completions" not in run_page.content.decode()
    # A councillor (no admin access at all) is turned away too, with the no-access page.
    client.force_login(make_person(email="cllr@example.org", role="councillor"))
    assert client.post(url(intake), {"csv": text, "confirm": "1"}).status_code == 403
    assert not Attendance.objects.exists()


def test_attendance_import_line_numbers_count_blank_lines(organiser_client):
    run = factories.run()
    booking = services.book(factories.person(), run).booking
    session = run.sessions.get()
    plan = attendance.plan_import(
        session, f"reference,status\n\n{booking.reference},attended\n\nZZ-0000,absent\n"
    )
    assert plan.row_errors == [(5, "No booking has the reference ZZ-0000.")]
