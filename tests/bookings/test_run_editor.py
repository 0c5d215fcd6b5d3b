"""The run editor: a run and its sessions on one form, changes that affect people shown first
and made through the run services only when the organiser confirms."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from lms.bookings import attendance, services
from lms.bookings.models import Run, Session
from tests import factories

pytestmark = pytest.mark.django_db

WHEN = "%Y-%m-%d %H:%M"


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def form_data(response):
    """What the editor's form would post as it stands, read from its HTML."""
    form = BeautifulSoup(response.content, "html.parser").select_one("form[method=post]")
    data = {}
    for field in form.select("input[name], textarea[name]"):
        if field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[field["name"]] = "on"
        elif field.name == "textarea":
            data[field["name"]] = field.get_text()
        else:
            data[field["name"]] = field.get("value") or ""
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        data[select["name"]] = chosen.get("value", "") if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def booked_run(django_capture_on_commit_callbacks):
    run = factories.run(capacity=5, days=2)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.book(factories.person(), run)
    mail.outbox.clear()
    return run


def test_moving_a_session_is_shown_first_and_made_only_when_confirmed(
    organiser_client, booked_run, django_capture_on_commit_callbacks
):
    url = f"/admin/runs/edit/{booked_run.pk}/"
    data = form_data(organiser_client.get(url))
    second = booked_run.sessions.all()[1]
    new_start = timezone.localtime(second.starts_at + timedelta(days=7))
    data["sessions-1-starts_at"] = new_start.strftime(WHEN)
    data["sessions-1-ends_at"] = (new_start + timedelta(hours=6)).strftime(WHEN)

    check = organiser_client.post(url, data)
    assert check.status_code == 200
    page = text(check)
    assert "3 people holding places will be told" in page
    assert f"Session 2 moves from {timezone.localtime(second.starts_at):%A %-d %B %Y}" in page
    assert f"to {new_start:%A %-d %B %Y, %H:%M}" in page
    assert Session.objects.get(pk=second.pk).starts_at == second.starts_at and mail.outbox == []
    # Everything typed is carried on the confirmation page.
    carried = form_data(check)
    assert carried["sessions-1-starts_at"] == data["sessions-1-starts_at"]

    back = organiser_client.post(url, {**carried, "back": "1"})
    assert form_data(back)["sessions-1-starts_at"] == data["sessions-1-starts_at"]
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = organiser_client.post(url, {**carried, "confirmed": "1"})
    assert done.status_code == 302
    assert Session.objects.get(pk=second.pk).starts_at == new_start.replace(second=0)
    assert len(mail.outbox) == 3 and all(m.subject.startswith("Changed") for m in mail.outbox)
    assert Run.objects.get(pk=booked_run.pk).calendar_sequence == 1


def test_a_change_that_affects_nobody_is_saved_at_once(organiser_client, booked_run):
    url = f"/admin/runs/edit/{booked_run.pk}/"
    data = form_data(organiser_client.get(url))
    data["capacity"] = "8"
    response = organiser_client.post(url, data)
    assert response.status_code == 302
    run = Run.objects.get(pk=booked_run.pk)
    assert run.capacity == 8 and run.calendar_sequence == 0 and mail.outbox == []


def test_adding_and_removing_sessions_in_the_editor(
    organiser_client, booked_run, django_capture_on_commit_callbacks
):
    url = f"/admin/runs/edit/{booked_run.pk}/"
    data = form_data(organiser_client.get(url))
    first, second = booked_run.sessions.all()
    start = timezone.localtime(second.starts_at + timedelta(days=14))
    data.update(
        {
            "sessions-TOTAL_FORMS": "3",
            "sessions-2-id": "",
            "sessions-2-title": "Module 3",
            "sessions-2-DELETE": "",
            "sessions-2-starts_at": start.strftime(WHEN),
            "sessions-2-ends_at": (start + timedelta(hours=2)).strftime(WHEN),
            "sessions-0-DELETE": "1",
        }
    )
    page = text(organiser_client.post(url, data))
    assert "A session is added (Module 3)" in page and "Session 1 on" in page
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url, {**data, "confirmed": "1"})
    run = Run.objects.get(pk=booked_run.pk)
    assert [s.title for s in run.sessions.all()] == ["", "Module 3"]
    assert not Session.objects.filter(pk=first.pk).exists()
    assert run.starts_at == second.starts_at and run.ends_at == start.replace(second=0) + timedelta(
        hours=2
    )
    assert len(mail.outbox) == 3  # one each


def test_the_last_session_of_a_booked_run_cannot_be_removed(organiser_client):
    run = factories.run()
    services.book(factories.person(), run)
    url = f"/admin/runs/edit/{run.pk}/"
    data = form_data(organiser_client.get(url))
    data["sessions-0-DELETE"] = "1"
    page = text(organiser_client.post(url, data))
    assert "cancel the run instead" in page
    assert run.sessions.count() == 1


def test_a_session_with_attendance_cannot_be_removed(organiser_client, booked_run):
    session = booked_run.sessions.first()
    attendance.mark(booked_run.bookings.first(), session, "attended")
    url = f"/admin/runs/edit/{booked_run.pk}/"
    data = form_data(organiser_client.get(url))
    data["sessions-0-DELETE"] = "1"
    page = text(organiser_client.post(url, data))
    assert "has attendance marked" in page and "cannot be removed" in page
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_new_run_needs_a_session(organiser_client):
    page = factories.course_page()
    data = form_data(organiser_client.get("/admin/runs/new/"))
    data.update(
        {
            "page": str(page.pk),
            "title": "Leeds",
            "capacity": "20",
            "reference_prefix": "LD",
            "sessions-TOTAL_FORMS": "0",
        }
    )
    refused = organiser_client.post("/admin/runs/new/", data)
    assert refused.status_code == 200 and not Run.objects.filter(title="Leeds").exists()
    start = timezone.localtime(timezone.now() + timedelta(days=40))
    data.update(
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-id": "",
            "sessions-0-title": "",
            "sessions-0-starts_at": start.strftime(WHEN),
            "sessions-0-ends_at": (start + timedelta(hours=3)).strftime(WHEN),
        }
    )
    assert organiser_client.post("/admin/runs/new/", data).status_code == 302
    run = Run.objects.get(title="Leeds")
    assert run.starts_at == start.replace(second=0, microsecond=0) and run.sessions.count() == 1


def test_sessions_are_listed_but_changed_only_in_their_run(organiser_client, booked_run):
    session = booked_run.sessions.first()
    assert organiser_client.get("/admin/sessions/").status_code == 200
    for url in (
        f"/admin/sessions/edit/{session.pk}/",
        f"/admin/sessions/delete/{session.pk}/",
        "/admin/sessions/new/",
    ):
        assert organiser_client.get(url).status_code in (302, 403)
    assert organiser_client.post(f"/admin/sessions/delete/{session.pk}/").status_code in (302, 403)
    assert Session.objects.filter(pk=session.pk).exists()


def test_copying_a_run_makes_a_new_run_with_its_own_sessions(organiser_client, booked_run):
    url = f"/admin/runs/copy/{booked_run.pk}/"
    data = form_data(organiser_client.get(url))
    data["title"] = "Manchester again"
    assert organiser_client.post(url, data).status_code == 302
    copy = Run.objects.get(title="Manchester again")
    assert copy.sessions.count() == 2 and copy.bookings.count() == 0
    assert (
        booked_run.sessions.count() == 2
        and copy.starts_at == booked_run.sessions.first().starts_at.replace(second=0)
    )


def test_an_altered_session_id_gets_a_message_not_an_error_page(organiser_client, booked_run):
    url = f"/admin/runs/edit/{booked_run.pk}/"
    data = form_data(organiser_client.get(url))
    for altered in ["abc", "1.5", "a\x00b", "9" * 30]:
        response = organiser_client.post(
            url, {**data, "sessions-0-id": altered, "capacity": "9"}, follow=True
        )
        assert response.status_code == 200
        assert "The sessions on this form were altered" in response.content.decode()
    assert Run.objects.get(pk=booked_run.pk).capacity == 5


def test_new_joining_details_are_shown_first_then_sent_to_people_with_a_place(
    organiser_client, settings, django_capture_on_commit_callbacks
):
    settings.BOOKING_REMINDER_DAYS = 3  # the run starts tomorrow: its details went out
    run = factories.run(
        online=True, joining_details="https://teams.example.net/l/old", starts_in=timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            services.book(factories.person(), run)
    mail.outbox.clear()
    url = f"/admin/runs/edit/{run.pk}/"
    data = form_data(organiser_client.get(url))
    data["joining_details"] = "Join on Teams: https://teams.example.net/l/new"

    check = organiser_client.post(url, data)
    assert check.status_code == 200
    assert "2 people with places will be sent the new joining details." in text(check)
    assert "Save and tell 2 people" in text(check)
    assert "updated calendar invitation" not in text(check)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = organiser_client.post(url, {**form_data(check), "confirmed": "1"})
    assert done.status_code == 302
    assert Run.objects.get(pk=run.pk).joining_details.endswith("/l/new")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject.startswith("How to join:")
        assert "https://teams.example.net/l/new" in message.body
        assert "/l/old" not in message.body
    assert Run.objects.get(pk=run.pk).calendar_sequence == 0  # no calendar changed
