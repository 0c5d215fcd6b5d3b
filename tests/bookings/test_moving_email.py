"""Moving a booking to another run tells the person it moved, and takes the old run out of their
calendar while putting the new one in: read back with an independent parser (vobject)."""

from datetime import timedelta

import pytest
import vobject
from django.core import mail

from lms.bookings import services
from lms.bookings.models import BookingStatus
from lms.bookings.notices import email_key
from lms.core.models import SentEmail
from tests import factories

pytestmark = pytest.mark.django_db


def ics_attachments(message):
    """{filename: (method in the MIME type, parsed calendar)} of the message's .ics files."""
    found = {}
    for name, content, mimetype in message.attachments:
        if name.endswith(".ics"):
            text = content.decode() if isinstance(content, bytes) else content
            found[name] = (mimetype, vobject.readOne(text))
    return found


def uids(cal):
    return sorted(event.uid.value for event in cal.vevent_list)


def test_a_moved_booking_gets_one_email_saying_it_moved_with_cancel_and_request(
    django_capture_on_commit_callbacks, organiser
):
    page = factories.course_page("Data and digital transformation")
    source = factories.run(page=page, capacity=2, title="Manchester", days=2)
    target = factories.run(
        page=page,
        capacity=2,
        title="Bristol",
        starts_in=timedelta(days=45),
        venue=factories.venue("Bristol", "south_west"),
    )
    person = factories.person(email="sam@example.org")
    booking = services.book(person, source).booking
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moved = services.move(booking, target, by=organiser)

    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    assert (
        message.subject
        == "Your booking moved from Manchester to Bristol: Data and digital transformation"
    )
    assert "cancelled" not in message.subject.lower() and "You cancelled" not in message.body
    assert "Your booking moved from Manchester to Bristol" in message.body
    assert moved.reference in message.body and booking.reference in message.body
    assert "check-in-code.png" in [a[0] for a in message.attachments]

    files = ics_attachments(message)
    assert set(files) == {"cancellation.ics", "invitation.ics"}
    cancel_type, cancel = files["cancellation.ics"]
    request_type, request = files["invitation.ics"]
    assert cancel_type == "text/calendar; method=CANCEL" and cancel.method.value == "CANCEL"
    assert request_type == "text/calendar; method=REQUEST" and request.method.value == "REQUEST"
    # Every event of the old run (both its days) cancelled by its own UID; the new run's sent.
    assert uids(cancel) == sorted(
        f"{source.calendar_uid}-{s.pk}@council-skills-programme" for s in source.sessions.all()
    )
    assert {e.status.value for e in cancel.vevent_list} == {"CANCELLED"}
    assert uids(request) == [
        f"{target.calendar_uid}-{target.sessions.get().pk}@council-skills-programme"
    ]
    assert request.vevent.dtstart.value == target.sessions.get().starts_at
    assert "Bristol" in request.vevent.location.value
    assert request.vevent.attendee.value == cancel.vevent.attendee.value == "mailto:sam@example.org"
    # The calendar part mail programs act on is the new run's invitation.
    (alternative,) = [c for c, t in message.alternatives if t.startswith("text/calendar")]
    assert uids(vobject.readOne(alternative)) == uids(request)

    # Sent once, under the new booking's key.
    assert SentEmail.objects.filter(
        key=email_key(moved.pk, "moved"), sent_at__isnull=False
    ).exists()
    assert not SentEmail.objects.filter(key=email_key(booking.pk, "cancelled")).exists()


def test_the_freed_place_on_the_old_run_is_still_offered(django_capture_on_commit_callbacks):
    page = factories.course_page()
    source = factories.run(page=page, capacity=1)
    target = factories.run(page=page, capacity=1, title="Bristol")
    booking = services.book(factories.person(), source).booking
    waiting = services.book(factories.person(email="next@example.org"), source).booking
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, target)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "A place is free for you",
        "Your booking moved from Manchester to Bristol",
    ]
