"""Changes to runs and their sessions: every one through a service that tells the people holding
places once, with calendar files read back by an independent parser (vobject)."""

from datetime import timedelta

import pytest
import vobject
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.bookings import attendance, runs, services
from lms.bookings.models import Run, Session
from lms.bookings.services import BookingRefused
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def booked(committed):
    """A three-session run with two confirmed places and one person waiting; no email yet."""
    run = factories.run(capacity=2, days=3)
    people = [factories.person() for _ in range(3)]
    for person in people:
        committed(services.book, person, run)
    mail.outbox.clear()
    return Run.objects.get(pk=run.pk), people


def calendars(message):
    """Each calendar attachment read back by vobject, by METHOD; the invitation is also the
    text/calendar alternative calendar programs act on."""
    found = {}
    for name, content, mimetype in message.attachments:
        if name.endswith(".ics"):
            cal = vobject.readOne(content.decode() if isinstance(content, bytes) else content)
            assert mimetype == f"text/calendar; method={cal.method.value}"
            found[cal.method.value] = cal
    alternatives = [c for c, t in message.alternatives if t.startswith("text/calendar")]
    assert len(alternatives) == 1
    assert vobject.readOne(alternatives[0]).method.value == "REQUEST"
    return found


def holders(run):
    return sorted(run.bookings.holding_place().values_list("person__email", flat=True))


def test_moving_a_session_tells_each_person_holding_a_place_once(booked, committed, organiser):
    run, _people = booked
    second = run.sessions.all()[1]
    new_start = second.starts_at + timedelta(days=7)
    outcome = committed(
        runs.change_session,
        second,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=6),
        by=organiser,
    )
    assert sorted(m.to[0] for m in mail.outbox) == holders(run)  # not the person waiting
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject.startswith("Changed")
    when = "%A %-d %B %Y, %H:%M"
    moved = f"Session 2 moves from {timezone.localtime(second.starts_at):{when}} to {timezone.localtime(new_start):{when}}."
    assert moved in message.body
    request = calendars(message)["REQUEST"]
    assert [e.sequence.value for e in request.vevent_list] == ["1", "1", "1"]
    assert new_start in [e.dtstart.value for e in request.vevent_list]
    assert Run.objects.get(pk=run.pk).calendar_sequence == 1
    assert outcome.summary.startswith("2 people holding places will be told: session 2 moves from")
    entry = ModelLogEntry.objects.for_instance(run).get(action="bookings.run_changed")
    assert entry.user == organiser and "Session 2 moves" in entry.data["changes"][0]


def test_adding_a_session_sends_an_invitation_with_every_session_and_the_dates_follow(
    booked, committed
):
    run, _ = booked
    last = run.ends_at
    start = last + timedelta(days=7)
    committed(runs.add_session, run, start, start + timedelta(hours=3), "Module 4: Review")
    assert len(mail.outbox) == 2
    assert "A session is added (Module 4: Review)" in mail.outbox[0].body
    request = calendars(mail.outbox[0])["REQUEST"]
    assert len(request.vevent_list) == 4
    assert {e.sequence.value for e in request.vevent_list} == {"1"}
    assert "CANCEL" not in calendars(mail.outbox[0])
    run.refresh_from_db()
    assert run.ends_at == start + timedelta(hours=3) and run.calendar_sequence == 1


def test_removing_a_session_cancels_it_and_updates_the_rest(booked, committed):
    run, _ = booked
    first, second, third = run.sessions.all()
    removed_uid = f"{run.calendar_uid}-{first.pk}@council-skills-programme"
    committed(runs.remove_session, first)
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "Session 1 on" in message.body and "is cancelled" in message.body
    found = calendars(message)
    assert sorted(e.uid.value for e in found["REQUEST"].vevent_list) == sorted(
        f"{run.calendar_uid}-{s.pk}@council-skills-programme" for s in (second, third)
    )
    (cancelled,) = found["CANCEL"].vevent_list
    assert cancelled.uid.value == removed_uid
    assert cancelled.status.value == "CANCELLED" and cancelled.sequence.value == "1"
    assert cancelled.dtstart.value == first.starts_at
    run.refresh_from_db()
    assert run.starts_at == second.starts_at and run.calendar_sequence == 1
    assert not Session.objects.filter(pk=first.pk).exists()


def test_the_last_session_of_a_booked_run_is_not_removed(committed):
    run = factories.run()
    committed(services.book, factories.person(), run)
    mail.outbox.clear()
    with pytest.raises(BookingRefused, match="cancel the run instead"):
        runs.remove_session(run.sessions.get())
    run.refresh_from_db()
    assert run.sessions.count() == 1 and run.starts_at is not None and run.calendar_sequence == 0
    assert mail.outbox == []


def test_a_session_with_attendance_is_not_removed(booked):
    run, people = booked
    session = run.sessions.first()
    attendance.mark(run.bookings.get(person=people[0]), session, "attended")
    with pytest.raises(BookingRefused, match="attendance marked"):
        runs.remove_session(session)
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_change_of_place_tells_people_and_a_change_of_capacity_does_not(booked, committed):
    run, _ = booked
    committed(runs.update_run, run, capacity=5)
    assert mail.outbox == [] and Run.objects.get(pk=run.pk).calendar_sequence == 0
    committed(runs.update_run, run, venue=factories.venue("Leeds", "yorkshire"))
    assert len(mail.outbox) == 2
    assert "The place changes from Online to Leeds Town Hall, Leeds." in mail.outbox[0].body
    assert "Leeds Town Hall" in calendars(mail.outbox[0])["REQUEST"].vevent.location.value


def test_several_changes_saved_together_are_one_email_each(booked, committed):
    run, _ = booked
    _first, second, third = run.sessions.all()
    edit = runs.RunEdit(
        changed=[
            runs.SessionChange(
                second,
                "",
                second.starts_at + timedelta(hours=1),
                second.ends_at + timedelta(hours=1),
            )
        ],
        removed=[third],
        added=[
            runs.NewSession(third.starts_at + timedelta(days=1), third.ends_at + timedelta(days=1))
        ],
    )
    committed(runs.edit_run, run, edit)
    assert len(mail.outbox) == 2
    assert len(calendars(mail.outbox[0])["REQUEST"].vevent_list) == 3
    assert Run.objects.get(pk=run.pk).calendar_sequence == 1


def test_saving_or_deleting_models_directly_tells_nobody(booked, committed):
    run, _ = booked
    session = run.sessions.last()
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    committed(session.save)
    run.venue = factories.venue()
    committed(run.save)
    committed(session.delete)
    assert mail.outbox == []
    assert Run.objects.get(pk=run.pk).calendar_sequence == 0
