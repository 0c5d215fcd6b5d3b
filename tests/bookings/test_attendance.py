"""Taking attendance: the register, QR check-in, CSV import, and completion derived from it."""

from datetime import timedelta

import pytest

from lms.bookings import attendance, services
from lms.bookings.models import (
    Attendance,
    AttendanceChange,
    Booking,
    BookingStatus,
    CancelReason,
    CompletionRule,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def booked(run, n=1, **person_fields):
    return [services.book(factories.person(**person_fields), run).booking for _ in range(n)]


def register_url(run, session, action=""):
    return f"/admin/runs/{run.pk}/register/{session.pk}/{action}"


# --- Register ---------------------------------------------------------------------------------


def test_register_lists_confirmed_people_with_council_and_role(organiser_client):
    run = factories.run(capacity=1)
    (confirmed,) = booked(run, full_name="Carys Confirmed")
    booked(run, full_name="Wyn Waiting")  # waiting list: not on the register
    page = organiser_client.get(register_url(run, run.sessions.get())).content.decode()
    assert "Carys Confirmed" in page and "Manchester" in page and "Councillor" in page
    assert "Wyn Waiting" not in page
    assert confirmed.reference in page


def test_a_mark_with_an_altered_booking_id_says_so_and_marks_nobody(organiser_client):
    run = factories.run()
    (booking,) = booked(run)
    session = run.sessions.get()
    for altered in ["", "abc", "1.5", f"{booking.pk}\x00", "²", "9" * 30, "9" * 5000]:
        response = organiser_client.post(
            register_url(run, session, "mark/"),
            {"booking": altered, "status": "attended"},
            follow=True,
        )
        assert response.status_code == 200
        assert "Choose a person on the register" in response.content.decode()
    other = organiser_client.post(
        register_url(run, session, "mark/"), {"booking": "999999", "status": "attended"}
    )
    assert other.status_code == 404  # no such booking on this run
    assert not Attendance.objects.exists()


def test_one_tap_marks_and_a_later_correction_keeps_who_changed_what(organiser_client, organiser):
    run = factories.run()
    (booking,) = booked(run)
    session = run.sessions.get()
    organiser_client.post(
        register_url(run, session, "mark/"), {"booking": booking.pk, "status": "absent"}
    )
    organiser_client.post(
        register_url(run, session, "mark/"), {"booking": booking.pk, "status": "late"}
    )
    assert Attendance.objects.get(booking=booking, session=session).status == "late"
    history = list(AttendanceChange.objects.filter(booking=booking).order_by("changed_at", "pk"))
    assert [(c.old_status, c.new_status) for c in history] == [("", "absent"), ("absent", "late")]
    assert all(c.changed_by == organiser for c in history)
    page = organiser_client.get(register_url(run, session)).content.decode()
    assert "Absent → Late" in page and organiser.full_name in page


def test_marking_the_same_status_twice_records_one_change():
    run = factories.run()
    (booking,) = booked(run)
    session = run.sessions.get()
    attendance.mark(booking, session, "attended")
    attendance.mark(booking, session, "attended")
    assert AttendanceChange.objects.filter(booking=booking).count() == 1


def test_mark_all_remaining_absent_leaves_those_already_marked(organiser_client):
    run = factories.run()
    first, *others = booked(run, 3)
    session = run.sessions.get()
    attendance.mark(first, session, "attended")
    response = organiser_client.post(register_url(run, session, "absent/"), follow=True)
    assert "2 people marked absent" in response.content.decode()
    marks = dict(Attendance.objects.filter(session=session).values_list("booking_id", "status"))
    assert marks == {first.pk: "attended", others[0].pk: "absent", others[1].pk: "absent"}


def test_a_cancelled_booking_cannot_be_marked():
    run = factories.run()
    (booking,) = booked(run)
    services.cancel(booking)
    with pytest.raises(attendance.AttendanceRefused, match="not a confirmed booking"):
        attendance.mark(Booking.objects.get(pk=booking.pk), run.sessions.get(), "attended")


def test_people_without_the_permission_cannot_see_or_mark_a_register(client, councillor):
    run = factories.run()
    (booking,) = booked(run)
    session = run.sessions.get()
    client.force_login(councillor)
    assert client.get(register_url(run, session)).status_code in (302, 403)
    client.post(register_url(run, session, "mark/"), {"booking": booking.pk, "status": "attended"})
    assert not Attendance.objects.exists()


# --- Check-in by QR code or reference ---------------------------------------------------------


def test_scanning_a_qr_code_marks_the_person_present(organiser_client):
    run = factories.run()
    (booking,) = booked(run, full_name="Sian Scanned")
    session = run.sessions.get()
    response = organiser_client.post(
        register_url(run, session, "scan/"), {"code": attendance.qr_payload(booking)}
    )
    assert response.status_code == 200
    assert "Checked in: Sian Scanned" in response.content.decode()
    assert Attendance.objects.get(booking=booking, session=session).status == "attended"
    assert AttendanceChange.objects.get(booking=booking).source == "scan"


def test_a_typed_reference_works_as_well_as_the_code():
    run = factories.run()
    (booking,) = booked(run)
    result = attendance.check_in(run.sessions.get(), booking.reference.lower())
    assert result.ok


def test_scan_says_clearly_when_the_code_is_for_another_run_used_twice_cancelled_or_unknown(
    organiser_client,
):
    run, other_run = factories.run(), factories.run(title="Leeds")
    (here,) = booked(run, full_name="Hana Here")
    (elsewhere,) = booked(other_run, full_name="Ezra Elsewhere")
    (gone,) = booked(run, full_name="Gil Gone")
    services.cancel(gone)
    session = run.sessions.get()
    url = register_url(run, session, "scan/")

    def scan(code):
        response = organiser_client.post(url, {"code": code})
        return response.status_code, response.content.decode()

    assert scan(attendance.qr_payload(here))[0] == 200
    status, page = scan(attendance.qr_payload(here))
    assert status == 409 and "Already checked in: Hana Here" in page
    status, page = scan(attendance.qr_payload(elsewhere))
    assert status == 409 and "Wrong run: Ezra Elsewhere" in page and "Leeds" in page
    status, page = scan(attendance.qr_payload(gone))
    assert status == 409 and "Cancelled: Gil Gone" in page
    status, page = scan("LMS-CHECKIN:not-a-real-token")
    assert status == 409 and "Not recognised" in page
    assert Attendance.objects.filter(status="attended").count() == 1
    assert not Attendance.objects.filter(booking__in=[elsewhere, gone]).exists()


def test_checkin_tokens_are_unguessable_and_unique():
    run = factories.run(capacity=20)
    tokens = {b.checkin_token for b in booked(run, 20)}
    assert len(tokens) == 20
    assert all(len(t) >= 22 for t in tokens)  # 16 random bytes, base64url: 128 bits


# --- CSV import -------------------------------------------------------------------------------


def upload(client, run, session, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        register_url(run, session, "import/"),
        {"file": SimpleUploadedFile("attendance.csv", text.encode(), content_type="text/csv")},
    )


def test_import_previews_then_saves_the_whole_file(organiser_client):
    run = factories.run()
    a, b = booked(run, 2)
    session = run.sessions.get()
    text = f"reference,status\n{a.reference},attended\n{b.reference.lower()},Excused\n"
    preview = upload(organiser_client, run, session, text)
    assert preview.status_code == 200
    assert "Import 2 rows" in preview.content.decode()
    assert not Attendance.objects.exists()  # a preview saves nothing
    organiser_client.post(register_url(run, session, "import/"), {"csv": text, "confirm": "1"})
    marks = dict(Attendance.objects.values_list("booking_id", "status"))
    assert marks == {a.pk: "attended", b.pk: "excused"}
    assert set(AttendanceChange.objects.values_list("source", flat=True)) == {"import"}


def test_import_with_unknown_references_or_duplicate_rows_saves_nothing_and_names_each_line(
    organiser_client,
):
    run = factories.run()
    (a,) = booked(run)
    session = run.sessions.get()
    text = f"reference,status\n{a.reference},attended\nZZ-0000,attended\n{a.reference},absent\n{a.reference},maybe\n"
    response = upload(organiser_client, run, session, text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "No booking has the reference ZZ-0000" in page
    assert "is already on line 2" in page
    assert "“maybe” is not a mark" in page
    assert "Line 3" in page and "Line 4" in page and "Line 5" in page
    # Confirming the same file anyway (a forged or stale form) still saves nothing.
    organiser_client.post(register_url(run, session, "import/"), {"csv": text, "confirm": "1"})
    assert not Attendance.objects.exists()


def test_import_with_a_wrong_column_or_another_runs_booking_is_refused(organiser_client):
    run, other = factories.run(), factories.run(title="Leeds")
    (a,) = booked(run)
    (b,) = booked(other)
    session = run.sessions.get()
    page = upload(
        organiser_client, run, session, f"ref,mark\n{a.reference},attended\n"
    ).content.decode()
    assert "no “reference” or “status” column" in page
    page = upload(
        organiser_client, run, session, f"reference,status\n{b.reference},attended\n"
    ).content.decode()
    assert "booked on another run" in page
    assert not Attendance.objects.exists()


def test_import_of_a_file_that_is_not_text_keeps_the_form_with_a_message(organiser_client):
    run = factories.run()
    session = run.sessions.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = organiser_client.post(
        register_url(run, session, "import/"),
        {
            "file": SimpleUploadedFile(
                "photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF", content_type="text/csv"
            )
        },
    )
    assert response.status_code == 400
    assert "not a CSV file saved as UTF-8" in response.content.decode()


def test_import_of_a_file_with_a_nul_character_or_a_huge_cell_is_refused_naming_the_line(
    organiser_client,
):
    run = factories.run()
    (a,) = booked(run)
    session = run.sessions.get()
    nul = f"reference,status\n{a.reference},attended\nDD-\x00,absent\n"
    huge = f"reference,status\n{a.reference},attended\n{'A' * 140_000},absent\n"
    for text, problem in [
        (nul, "line 3 holds a NUL character"),
        (huge, "line 3: a cell is longer than 131,072 characters"),
    ]:
        response = upload(organiser_client, run, session, text)
        assert response.status_code == 400
        page = response.content.decode()
        assert "This file cannot be imported." in page
        assert f"The file cannot be read as CSV ({problem}" in page
        # Confirming the text anyway (a forged or stale form) is refused the same way.
        response = organiser_client.post(
            register_url(run, session, "import/"), {"csv": text, "confirm": "1"}
        )
        assert response.status_code == 400
        assert f"The file cannot be read as CSV ({problem}" in response.content.decode()
    assert not Attendance.objects.exists()


# --- Completion -------------------------------------------------------------------------------


def test_completion_needs_every_session_by_default_and_partial_attendance_shows():
    run = factories.run(days=3)
    (booking,) = booked(run)
    first, second, third = run.sessions.order_by("starts_at")
    attendance.mark(booking, first, "attended")
    attendance.mark(booking, second, "late")
    progress = Booking.objects.get(pk=booking.pk).completion()
    assert (progress.attended, progress.required, progress.total) == (2, 3, 3)
    assert not progress.completed and progress.partial
    attendance.mark(booking, third, "excused")
    assert not Booking.objects.get(pk=booking.pk).completion().completed  # excused is not present
    attendance.mark(booking, third, "attended")
    assert Booking.objects.get(pk=booking.pk).completion().completed


def test_completion_by_at_least_n_of_m_sessions():
    run = factories.run(days=3, completion_rule=CompletionRule.AT_LEAST, completion_min_sessions=2)
    keen, patchy = booked(run, 2)
    sessions = list(run.sessions.order_by("starts_at"))
    for session in sessions[:2]:
        attendance.mark(keen, session, "attended")
    attendance.mark(patchy, sessions[0], "attended")
    attendance.mark(patchy, sessions[1], "absent")
    completed = set(Booking.objects.filter(run=run).completed().values_list("pk", flat=True))
    assert completed == {keen.pk}


def test_a_cancelled_booking_never_completes_even_with_attendance():
    run = factories.run()
    (booking,) = booked(run)
    attendance.mark(booking, run.sessions.get(), "attended")
    services.cancel(booking, reason=CancelReason.BY_ORGANISER)
    assert not Booking.objects.filter(pk=booking.pk).completed().exists()


def test_a_run_cannot_ask_for_more_sessions_than_it_has():
    from django.core.exceptions import ValidationError

    run = factories.run(days=2)
    run.completion_rule, run.completion_min_sessions = CompletionRule.AT_LEAST, 3
    with pytest.raises(ValidationError, match="only 2 sessions"):
        run.full_clean()


def test_organiser_sees_attendance_and_completion_on_the_run_page(organiser_client):
    run = factories.run(days=2, starts_in=timedelta(days=3))
    done, partial = booked(run, 2)
    first, second = run.sessions.order_by("starts_at")
    for session in (first, second):
        attendance.mark(done, session, "attended")
    attendance.mark(partial, first, "attended")
    page = organiser_client.get(f"/admin/runs/{run.pk}/manage/").content.decode()
    assert "2 of 2 · completed" in page and "1 of 2 · partial" in page
    assert "<strong>1</strong> of 2 confirmed have completed" in page
    assert f"/admin/runs/{run.pk}/survey/" in page and f"/admin/certificates/runs/{run.pk}/" in page
    assert Booking.objects.get(pk=partial.pk).status == BookingStatus.CONFIRMED


# --- The person's QR code ---------------------------------------------------------------------


def read_qr(png_bytes):
    """Read a QR code back with an independent decoder (zxing-cpp), as a phone would."""
    import io

    import zxingcpp
    from PIL import Image

    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png_bytes)))]


def test_the_confirmation_email_carries_a_qr_code_that_checks_the_person_in(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = factories.run()
    with django_capture_on_commit_callbacks(execute=True):
        (booking,) = booked(run)
    (email,) = [m for m in mailoutbox if "Booking confirmed" in m.subject]
    (png,) = [
        content for name, content, mimetype in email.attachments if name == "check-in-code.png"
    ]
    (payload,) = read_qr(png)
    assert booking.reference not in payload  # the token, not the guessable reference
    assert attendance.check_in(run.sessions.get(), payload).ok


def test_my_bookings_shows_the_qr_code_of_upcoming_confirmed_places_only(client, councillor):
    import re
    import urllib.parse

    run, full = factories.run(), factories.run(capacity=0, title="Full")
    booking = services.book(councillor, run).booking
    services.book(councillor, full)  # waiting list: no code
    client.force_login(councillor)
    page = client.get("/bookings/").content.decode()
    images = re.findall(
        r'<img class="qr-code" src="data:image/svg\+xml;charset=utf-8,([^"]+)"', page
    )
    assert len(images) == 1
    assert f"Check-in QR code for booking {booking.reference}" in page
    svg = urllib.parse.unquote(images[0])
    assert svg.startswith("<svg") and "<path" in svg  # drawn by the browser from the page itself


def test_a_run_or_session_number_too_large_for_the_database_is_not_found(organiser_client):
    """The URL's integer converter takes any number of digits; the register used to fail with
    OverflowError on SQLite for a run number past 64 bits."""
    run = factories.run()
    session = run.sessions.get()
    huge = "9" * 40
    for url in (
        f"/admin/runs/{huge}/register/{session.pk}/",
        f"/admin/runs/{run.pk}/register/{huge}/",
        f"/admin/runs/{huge}/register/{session.pk}/scan/",
    ):
        assert organiser_client.get(url).status_code == 404
