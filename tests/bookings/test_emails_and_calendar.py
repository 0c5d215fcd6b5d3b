"""Booking emails and their calendar files, read back with an independent parser (vobject)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.core import mail

from lms.bookings import runs, services
from lms.bookings.models import Session
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call and then its after-commit work (the emails), as in production."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def calendar_of(message, method):
    attachments = [a for a in message.attachments if a[0].endswith(".ics")]
    alternatives = [c for c, t in message.alternatives if t.startswith("text/calendar")]
    assert len(attachments) == 1 and len(alternatives) == 1
    _name, content, mimetype = attachments[0]
    assert mimetype == f"text/calendar; method={method}"
    text = content.decode() if isinstance(content, bytes) else content
    assert text == alternatives[0]
    return vobject.readOne(text)


def test_confirmation_email_carries_an_invitation(committed):
    venue = factories.venue()
    run = factories.run(capacity=2, venue=venue)
    person = factories.person(full_name="Sam Jones")
    booking = committed(services.book, person, run).booking

    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject.startswith("Booking confirmed")
    assert booking.reference in message.body
    html = next(c for c, t in message.alternatives if t == "text/html")
    assert booking.reference in html

    cal = calendar_of(message, "REQUEST")
    assert cal.method.value == "REQUEST"
    assert cal.vtimezone.tzid.value == "Europe/London"
    event = cal.vevent
    session = run.sessions.get()
    assert event.uid.value == f"{run.calendar_uid}-{session.pk}@council-skills-programme"
    assert event.sequence.value == "0"
    assert event.dtstart.value == session.starts_at  # aware datetimes compare in UTC
    # TZID resolved through the file's own VTIMEZONE to London's offset on that day.
    london = session.starts_at.astimezone(ZoneInfo("Europe/London"))
    assert event.dtstart.value.utcoffset() == london.utcoffset()
    assert f"DTSTART;TZID=Europe/London:{london:%Y%m%dT%H%M%S}" in cal.serialize().replace(
        "\r\n ", ""
    )
    assert event.dtend.value == session.ends_at
    assert "Manchester Town Hall" in event.location.value
    assert event.attendee.value == f"mailto:{person.email}"
    assert event.organizer.value.startswith("mailto:")


def test_cancellation_sends_method_cancel_with_the_same_uid(committed):
    run = factories.run()
    booking = committed(services.book, factories.person(), run).booking
    invite_uid = calendar_of(mail.outbox[0], "REQUEST").vevent.uid.value
    committed(services.cancel, booking)
    cal = calendar_of(mail.outbox[1], "CANCEL")
    assert cal.method.value == "CANCEL"
    assert cal.vevent.uid.value == invite_uid
    assert cal.vevent.status.value == "CANCELLED"


def test_a_change_of_time_raises_the_sequence_and_tells_people(committed):
    run = factories.run(capacity=1)
    committed(services.book, factories.person(), run)
    committed(services.book, factories.person(), run)  # waitlisted: holds no place
    mail.outbox.clear()
    session = run.sessions.get()
    committed(
        runs.change_session,
        session,
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )
    session.refresh_from_db()
    (message,) = mail.outbox
    assert message.subject.startswith("Changed")
    event = calendar_of(message, "REQUEST").vevent
    assert event.sequence.value == "1"
    assert event.dtstart.value == session.starts_at


def test_a_change_of_venue_raises_the_sequence(committed):
    run = factories.run()
    committed(services.book, factories.person(), run)
    committed(runs.update_run, run, venue=factories.venue("Bristol", "south_west"))
    assert calendar_of(mail.outbox[-1], "REQUEST").vevent.sequence.value == "1"


def test_waiting_list_offer_and_run_cancellation_emails(committed):
    run = factories.run(capacity=1)
    first = committed(services.book, factories.person(), run).booking
    committed(services.book, factories.person(email="next@example.org"), run)
    assert mail.outbox[-1].subject.startswith("You are on the waiting list")
    assert "number 1 on the waiting list" in mail.outbox[-1].body
    committed(services.cancel, first)
    offer = mail.outbox[-1]
    assert offer.to == ["next@example.org"] and offer.subject.startswith("A place is free")
    mail.outbox.clear()
    committed(services.cancel_run, run, "The venue has flooded.")
    assert len(mail.outbox) == 1  # only the person still holding a place (the offer)
    assert "The venue has flooded." in mail.outbox[0].body
    assert calendar_of(mail.outbox[0], "CANCEL").vevent.status.value == "CANCELLED"


def test_reminders_go_once_two_days_before(committed):
    soon = factories.run(starts_in=timedelta(days=1))
    later = factories.run(starts_in=timedelta(days=5))
    committed(services.book, factories.person(), soon)
    committed(services.book, factories.person(), later)
    mail.outbox.clear()
    assert committed(services.send_reminders) == 1
    assert committed(services.send_reminders) == 0
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder")


def test_multi_day_cohort_has_one_event_per_session():
    run = factories.run(days=3)
    from lms.bookings.calendar import build_calendar

    cal = vobject.readOne(build_calendar([run]).decode())
    events = cal.contents["vevent"]
    assert len(events) == 3
    assert len({e.uid.value for e in events}) == 3
    assert [e.dtstart.value for e in events] == list(
        Session.objects.filter(run=run).values_list("starts_at", flat=True)
    )
    assert "day 1 of 3" in events[0].summary.value


def test_emails_are_sent_only_after_the_booking_is_committed(django_capture_on_commit_callbacks):
    run = factories.run()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.book(factories.person(), run)
    assert mail.outbox == [] and len(callbacks) == 1
    assert run.bookings.count() == 1  # the booking itself is saved; its email waits for commit


def test_a_cancellation_outranks_the_invitation_and_booking_again_outranks_both(committed):
    """Calendar programs apply a message only if its SEQUENCE is above the last for that UID."""
    run = factories.run(capacity=5)
    person = factories.person()
    first = committed(services.book, person, run).booking
    invite = calendar_of(mail.outbox[-1], "REQUEST").vevent
    committed(services.cancel, first)
    cancel = calendar_of(mail.outbox[-1], "CANCEL").vevent
    committed(services.book, person, run)
    again = calendar_of(mail.outbox[-1], "REQUEST").vevent
    assert invite.uid.value == cancel.uid.value == again.uid.value
    assert [int(e.sequence.value) for e in (invite, cancel, again)] == [0, 1, 2]


def test_a_cancelled_run_outranks_every_invitation_people_had(committed):
    run = factories.run(capacity=5)
    person = factories.person()
    committed(services.cancel, committed(services.book, person, run).booking)
    committed(services.book, person, run)
    session = run.sessions.get()
    committed(runs.change_session, session, starts_at=session.starts_at + timedelta(hours=1))
    last_invite = calendar_of(mail.outbox[-1], "REQUEST").vevent
    committed(services.cancel_run, run, "The venue has flooded.")
    cancel = calendar_of(mail.outbox[-1], "CANCEL").vevent
    assert int(cancel.sequence.value) > int(last_invite.sequence.value) == 3
    assert cancel.status.value == "CANCELLED"


def test_an_invitation_for_a_place_only_offered_is_tentative(committed):
    """People holding an offer are told of a change of time too; their calendar must not show
    the place as theirs before they accept it."""
    run = factories.run(capacity=1)
    holder = committed(services.book, factories.person(), run).booking
    committed(services.book, factories.person(email="offered@example.org"), run)
    committed(services.cancel, holder)  # the place is offered to the next person
    session = run.sessions.get()
    committed(runs.change_session, session, starts_at=session.starts_at + timedelta(hours=1))
    (changed,) = [
        m for m in mail.outbox if m.to == ["offered@example.org"] and "Changed" in m.subject
    ]
    event = calendar_of(changed, "REQUEST").vevent
    assert event.status.value == "TENTATIVE"
    assert event.summary.value.endswith("(place offered: accept it in My bookings)")
