"""An organiser writes to the people on a run: the confirmed, the waiting list or the attendees.
They see the message as people will read it, send it, and it is kept in the run's history."""

import pytest
from django.core import mail
from django.db import transaction
from wagtail.models import ModelLogEntry

from lms.bookings import attendance, messaging, services
from lms.bookings.messaging import MessageGroup, MessageRefused
from lms.bookings.models import BookingStatus
from lms.bookings.tasks import send_run_message
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_with_people():
    """A run of two places: Ann and Bo confirmed, Cy waiting; Ann attended, Bo did not."""
    run = factories.run(capacity=2)
    ann, bo, cy = (factories.person(full_name=name) for name in ("Ann Ash", "Bo Birch", "Cy Cedar"))
    for person in (ann, bo, cy):
        services.book(person, run)
    session = run.sessions.get()
    attendance.mark(run.bookings.get(person=ann), session, "attended")
    attendance.mark(run.bookings.get(person=bo), session, "absent")
    return run, ann, bo, cy


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def names(bookings):
    return [b.person.full_name for b in bookings]


def test_each_group_is_the_people_an_organiser_would_expect(run_with_people):
    run, *_ = run_with_people
    assert run.bookings.get(person__full_name="Cy Cedar").status == BookingStatus.WAITLISTED
    assert names(messaging.recipients(run, MessageGroup.CONFIRMED)) == ["Ann Ash", "Bo Birch"]
    assert names(messaging.recipients(run, MessageGroup.WAITING)) == ["Cy Cedar"]
    assert names(messaging.recipients(run, MessageGroup.ATTENDEES)) == ["Ann Ash"]


def test_sending_emails_each_person_once_and_records_it_in_the_runs_history(
    run_with_people, organiser, django_capture_on_commit_callbacks
):
    run, *_ = run_with_people
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = messaging.message_people(
            run,
            MessageGroup.CONFIRMED,
            "Room change",
            "We have moved to Room 4.\n\nLunch is at 12:30.",
            by=organiser,
        )
    assert sent.people == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        b.person.email for b in messaging.recipients(run, MessageGroup.CONFIRMED)
    )
    to_ann = next(m for m in mail.outbox if "Ann" in m.body)
    assert to_ann.subject == f"Room change ({run.page.title}: {run.title})"
    assert "Dear Ann Ash," in to_ann.body and "We have moved to Room 4." in to_ann.body
    assert "Lunch is at 12:30." in to_ann.body and "Bo Birch" not in to_ann.body
    html = {t: c for c, t in to_ann.alternatives}["text/html"]
    assert "<p>We have moved to Room 4.</p>" in html and "<p>Lunch is at 12:30.</p>" in html
    entry = ModelLogEntry.objects.get(action="bookings.run_messaged", object_id=str(run.pk))
    assert entry.user == organiser
    assert entry.data["subject"] == "Room change" and entry.data["people"] == 2
    assert entry.data["group"] == "confirmed"


def test_a_task_run_again_does_not_send_the_message_twice(
    run_with_people, django_capture_on_commit_callbacks
):
    run, ann, *_ = run_with_people
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = messaging.message_people(
            run, MessageGroup.ATTENDEES, "Thank you", "Thanks for coming."
        )
    assert len(mail.outbox) == 1
    booking = run.bookings.get(person=ann)
    send_run_message.call(
        booking.pk, "Thank you", "Thanks for coming.", f"{sent.key}:booking:{booking.pk}"
    )
    assert len(mail.outbox) == 1


def test_nothing_is_queued_or_recorded_when_the_change_rolls_back(
    run_with_people, django_capture_on_commit_callbacks
):
    run, *_ = run_with_people
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        messaging.message_people(run, MessageGroup.CONFIRMED, "Room change", "Room 4.")
        raise RuntimeError("something else in the same change failed")
    assert mail.outbox == []
    assert not ModelLogEntry.objects.filter(action="bookings.run_messaged").exists()


def test_an_empty_group_or_an_empty_message_is_refused_and_nothing_goes(
    django_capture_on_commit_callbacks,
):
    run = factories.run()
    services.book(factories.person(), run)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(MessageRefused, match="Nobody is in that group"):
            messaging.message_people(run, MessageGroup.WAITING, "Hello", "Hello.")
        with pytest.raises(MessageRefused, match="Write a subject and a message"):
            messaging.message_people(run, MessageGroup.CONFIRMED, "Hello", "   ")
    assert mail.outbox == []


def test_the_organiser_previews_then_sends_from_the_runs_page(
    organiser_client, run_with_people, django_capture_on_commit_callbacks
):
    run, *_ = run_with_people
    manage = organiser_client.get(f"/admin/runs/{run.pk}/manage/").content.decode()
    url = f"/admin/runs/{run.pk}/message/"
    assert f'href="{url}"' in manage and "Message people on this run" in manage
    assert organiser_client.get(url).status_code == 200
    mail.outbox.clear()
    answers = {"group": "waiting", "subject": "A place may come up", "body": "Keep the day free."}
    preview = organiser_client.post(url, {**answers, "preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200 and mail.outbox == []
    assert "This will go to <strong>1 person</strong>" in page
    assert "Dear Cy Cedar," in page and "Keep the day free." in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = organiser_client.post(url, {**answers, "send": "1"}, follow=True)
    assert sent.redirect_chain[-1][0] == f"/admin/runs/{run.pk}/manage/"
    assert "is on its way to 1 person" in sent.content.decode()
    assert [m.to[0] for m in mail.outbox] == [run.bookings.get(status="waitlisted").person.email]
    history = organiser_client.get(f"/admin/runs/history/{run.pk}/").content.decode()
    assert "Message “A place may come up” sent to 1 person" in history


def test_bad_input_keeps_what_was_typed_and_says_what_to_fix(organiser_client, run_with_people):
    run, *_ = run_with_people
    url = f"/admin/runs/{run.pk}/message/"
    page = organiser_client.post(
        url, {"group": "confirmed", "subject": "", "body": "Room 4, not 3.", "preview": "1"}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "This field is required" in text
    assert "Room 4, not 3." in text and "This will go to" not in text
    empty = factories.run(title="Leeds")
    page = organiser_client.post(
        f"/admin/runs/{empty.pk}/message/",
        {"group": "attendees", "subject": "Hello", "body": "Hello.", "send": "1"},
    )
    assert "Nobody is in that group on this run yet" in page.content.decode()
    assert "Hello." in page.content.decode()
    assert not ModelLogEntry.objects.filter(action="bookings.run_messaged").exists()


def test_only_organisers_who_may_change_runs_can_write_to_people(
    client, councillor, run_with_people
):
    run, *_ = run_with_people
    client.force_login(councillor)
    url = f"/admin/runs/{run.pk}/message/"
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"group": "confirmed", "subject": "x", "body": "y", "send": "1"}
        ).status_code
        == 403
    )
    assert not ModelLogEntry.objects.filter(action="bookings.run_messaged").exists()
