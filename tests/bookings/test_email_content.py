"""Every booking email stands on its own: read back as a person would, in the text part and in
the HTML part (parsed with lxml), it says what and when (every session, London time), where (the
venue's address and a map, or how to join online), until when the booking can be cancelled,
and links to My bookings and to add the run to a calendar — links that work."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import vobject
from django.core import mail
from django.urls import reverse

from lms.bookings import emails, runs, services
from lms.bookings.models import Booking, BookingStatus, Venue
from tests import factories

pytestmark = pytest.mark.django_db

SITE_URL = "https://learning.example.org"
LONDON = ZoneInfo("Europe/London")
# The events whose email is about a booking that no longer stands: no cancel-by date, nothing
# to add to a calendar.
ENDED = {"declined", "cancelled", "run_cancelled"}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE_URL
    settings.WAGTAILADMIN_BASE_URL = SITE_URL


# --- reading an email as a person would ---------------------------------------------------------


def html_part(message):
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return readable(lxml.html.document_fromstring(html))


def readable(doc):
    """A line break parts words, as on the screen (text_content() alone would join them)."""
    for br in doc.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return doc


def words(text):
    return " ".join(text.split())


def html_words(doc):
    return words(doc.body.text_content())


def html_links(doc):
    """Each link's words and address."""
    return [(words(a.text_content()), a.get("href")) for a in doc.iter("a")]


def text_links(body):
    return [word for word in body.split() if word.startswith(("http://", "https://"))]


def section(doc, heading):
    """The words from a heading to the next heading of its level or higher."""
    (start,) = [h for h in doc.iter("h2") if words(h.text_content()) == heading]
    parts = []
    for element in start.itersiblings():
        if element.tag in ("h1", "h2"):
            break
        parts.append(element.text_content())
    return words(" ".join(parts))


def london(moment, form="%A %-d %B %Y, %H:%M"):
    return moment.astimezone(LONDON).strftime(form)


def session_text(session):
    return f"{london(session.starts_at)} to {london(session.ends_at, '%H:%M')}"


def utc(moment, form):
    return moment.astimezone(UTC).strftime(form)


def get_ok(client, url):
    """A link back to the site works: it answers 200 (following redirects)."""
    assert url.startswith(SITE_URL + "/"), url
    response = client.get(url.removeprefix(SITE_URL), follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response


# --- the data: a two-session run at a venue, and one booking per kind of email -------------------


@pytest.fixture
def venue():
    return Venue.objects.create(
        name="Manchester Central Library",
        address="St Peter's Square\nAncoats",
        city="Manchester",
        region="north_west",
        access_information="Step-free entrance on Mount Street.",
    )


@pytest.fixture
def run(venue):
    return factories.run(
        capacity=5,
        venue=venue,
        days=2,
        # At 10:00 London time: a run starting at the hour the suite runs would end after
        # midnight when it runs in the evening, and its end would then be written with its day.
        starts_at=datetime.combine(
            (datetime.now(LONDON) + timedelta(days=30)).date(), time(10), tzinfo=LONDON
        ),
        cancellation_cutoff=(datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0),
    )


def email_for(event, booking):
    mail.outbox.clear()
    emails.send(booking.pk, event, key=f"test:{booking.pk}:{event}")
    (message,) = mail.outbox
    return message


@pytest.fixture
def booking(run):
    return services.add_person(factories.person(full_name="Sam Jones"), run)


def about(event, booking, run):
    """The booking an event's email is about, in the state it would be in."""
    if event == "moved":
        leeds = factories.run(
            run.page,
            title="Leeds",
            venue=run.venue,
            days=2,
            starts_at=run.starts_at + timedelta(days=1),
            cancellation_cutoff=run.cancellation_cutoff + timedelta(days=1),
        )
        return services.move(booking, leeds)
    if event in ("waitlisted", "requested", "offered", "declined", "cancelled"):
        status = {
            "waitlisted": BookingStatus.WAITLISTED,
            "requested": BookingStatus.REQUESTED,
            "offered": BookingStatus.OFFERED,
            "declined": BookingStatus.DECLINED,
            "cancelled": BookingStatus.CANCELLED,
        }[event]
        Booking.objects.filter(pk=booking.pk).update(
            status=status,
            offer_expires_at=datetime.now(UTC) + timedelta(days=2) if event == "offered" else None,
        )
    if event == "run_cancelled":
        services.cancel_run(booking.run, "The speaker is ill.")
    booking.refresh_from_db()
    return booking


@pytest.mark.parametrize("event", sorted(emails.MESSAGES))
def test_every_booking_email_says_what_when_and_where(event, booking, run, venue):
    booking = about(event, booking, run)
    message = email_for(event, booking)
    doc = html_part(message)
    sessions = list(booking.run.sessions.all())
    assert len(sessions) == 2
    course = f"{booking.run.page.title}: {booking.run.title}"

    for text in (words(message.body), html_words(doc)):
        assert course in text
        for session in sessions:
            assert session_text(session) in text, (event, text)
        assert "St Peter's Square" in text and "Ancoats" in text and "Manchester" in text
        assert "Step-free entrance on Mount Street." in text

    when = section(doc, "When")
    assert all(session_text(s) in when for s in sessions)
    where = section(doc, "Where")
    assert where.startswith("Manchester Central Library St Peter's Square Ancoats Manchester")

    # The map: OpenStreetMap searching for the venue's name and address.
    (map_link,) = [href for text, href in html_links(doc) if text.startswith("Map of")]
    assert map_link in text_links(message.body)
    assert urlsplit(map_link).netloc == "www.openstreetmap.org"
    assert parse_qs(urlsplit(map_link).query)["query"] == [
        "Manchester Central Library, St Peter's Square, Ancoats, Manchester"
    ]

    # My bookings, in both parts.
    my_bookings = SITE_URL + reverse("bookings:my_bookings")
    assert ("See your bookings", my_bookings) in html_links(doc)
    assert my_bookings in text_links(message.body)


@pytest.mark.parametrize("event", sorted(set(emails.MESSAGES) - ENDED))
def test_a_standing_booking_s_email_says_until_when_it_can_be_cancelled(event, booking, run):
    booking = about(event, booking, run)
    message = email_for(event, booking)
    cut_off = london(booking.run.cancellation_cutoff)
    expected = f"You can cancel until {cut_off} from My bookings"
    assert expected in words(message.body)
    assert section(html_part(message), "Cancelling").startswith(expected)


@pytest.mark.parametrize("event", sorted(ENDED))
def test_an_ended_booking_s_email_offers_no_cancelling_and_no_calendar(event, booking, run):
    message = email_for(event, about(event, booking, run))
    doc = html_part(message)
    headings = [words(h.text_content()) for h in doc.iter("h2")]
    assert "Cancelling" not in headings and "Add to your calendar" not in headings
    assert "You can cancel until" not in message.body
    assert "Google Calendar" not in message.body and "calendar.google.com" not in message.body


def test_the_calendar_links_add_every_session(client, booking, run):
    message = email_for("confirmed", booking)
    doc = html_part(message)
    links = html_links(doc)
    body_links = text_links(message.body)
    sessions = list(run.sessions.all())

    # The calendar file: every session, as the download serves it.
    (ics,) = [href for text, href in links if text.startswith("Calendar file (.ics)")]
    assert ics in body_links
    calendar = vobject.readOne(get_ok(client, ics).content.decode())
    starts = sorted(event.dtstart.value for event in calendar.vevent_list)
    assert starts == [s.starts_at for s in sessions]

    # Google Calendar and Outlook on the web: one link per session, with its own times.
    google = [href for text, href in links if text == "Google Calendar"]
    outlook = [href for text, href in links if text == "Outlook on the web"]
    assert len(google) == len(outlook) == len(sessions) == 2
    for number, (session, g, o) in enumerate(zip(sessions, google, outlook, strict=True), 1):
        assert g in body_links and o in body_links
        g_query = parse_qs(urlsplit(g).query)
        assert urlsplit(g).netloc == "calendar.google.com"
        assert g_query["action"] == ["TEMPLATE"]
        assert g_query["dates"] == [
            f"{utc(session.starts_at, '%Y%m%dT%H%M%SZ')}/{utc(session.ends_at, '%Y%m%dT%H%M%SZ')}"
        ]
        assert g_query["text"] == [f"{run.page.title}: {run.title} (day {number} of 2)"]
        assert g_query["location"] == [
            "Manchester Central Library, St Peter's Square, Ancoats, Manchester"
        ]
        o_query = parse_qs(urlsplit(o).query)
        assert urlsplit(o).netloc == "outlook.office.com"
        assert o_query["startdt"] == [utc(session.starts_at, "%Y-%m-%dT%H:%M:%SZ")]
        assert o_query["enddt"] == [utc(session.ends_at, "%Y-%m-%dT%H:%M:%SZ")]
        assert o_query["subject"] == g_query["text"]
        # The text part says which session each pair of links is for.
        assert f"Session {number}, {session_text(session)}:" in message.body


def test_every_link_back_to_the_site_works(client, booking):
    client.force_login(booking.person)
    message = email_for("confirmed", booking)
    ours = {href for _text, href in html_links(html_part(message)) if href.startswith(SITE_URL)}
    assert ours == {link for link in text_links(message.body) if link.startswith(SITE_URL)}
    assert len(ours) >= 3  # My bookings, the calendar file, the site itself
    for link in ours:
        get_ok(client, link)


def test_a_one_session_run_has_one_google_and_one_outlook_link(venue):
    booking = services.add_person(factories.person(), factories.run(venue=venue))
    links = html_links(html_part(email_for("confirmed", booking)))
    assert [text for text, _href in links if "Google" in text or "Outlook" in text] == [
        "Google Calendar",
        "Outlook on the web",
    ]


def test_without_a_cut_off_people_can_cancel_until_the_run_starts(venue):
    run = factories.run(venue=venue)
    booking = services.add_person(factories.person(), run)
    message = email_for("confirmed", booking)
    assert f"You can cancel until {london(run.starts_at)} from My bookings" in words(message.body)


def test_after_the_cut_off_the_email_says_whom_to_tell_instead(venue):
    cut_off = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    run = factories.run(venue=venue, starts_in=timedelta(days=1), cancellation_cutoff=cut_off)
    message = email_for("reminder", services.add_person(factories.person(), run))
    expected = (
        f"You could cancel online until {london(cut_off)}. "
        "If you can no longer come, please contact the programme team."
    )
    assert expected in words(message.body)
    assert section(html_part(message), "Cancelling") == expected
    assert "You can cancel until" not in message.body


# --- online runs: the joining details, released with the reminder --------------------------------

JOINING = "Join on Teams: https://teams.example.net/l/meetup-join/abc\nMeeting ID: 123 456"


def online_run(starts_in):
    return factories.run(online=True, joining_details=JOINING, starts_in=starts_in)


def test_before_release_an_online_run_s_email_says_when_the_joining_details_come(settings):
    settings.BOOKING_REMINDER_DAYS = 3
    run = online_run(timedelta(days=30))
    booking = services.add_person(factories.person(), run)
    message = email_for("confirmed", booking)
    release = london(run.starts_at - timedelta(days=3), "%A %-d %B %Y")
    for text in (words(message.body), section(html_part(message), "Where")):
        assert "Online." in text
        assert f"We will email you the joining details on {release}." in text
        assert "teams.example.net" not in text and "123 456" not in text


def test_the_reminder_brings_the_joining_details(settings, django_capture_on_commit_callbacks):
    settings.BOOKING_REMINDER_DAYS = 3
    run = online_run(timedelta(days=2, hours=12))  # inside the three days
    booking = services.add_person(factories.person(), run)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder:")
    doc = html_part(message)
    assert "How to join: Join on Teams: https://teams.example.net/l/meetup-join/abc" in words(
        message.body
    )
    assert "Meeting ID: 123 456" in message.body
    assert "Meeting ID: 123 456" in section(doc, "Where")
    join = "https://teams.example.net/l/meetup-join/abc"
    assert (join, join) in html_links(doc)  # a link to press, not just words
    # Every email after the release carries them too, for whoever holds a place.
    assert "Meeting ID: 123 456" in email_for("run_changed", booking).body
    del booking


@pytest.mark.parametrize(
    ("starts_in", "says"),
    [
        (timedelta(days=1), "If a place comes up for you, the joining details will come with it."),
        (timedelta(days=30), "People with a place are emailed the joining details on {release}."),
    ],
)
def test_joining_details_go_only_to_people_with_a_place(settings, starts_in, says):
    settings.BOOKING_REMINDER_DAYS = 3
    run = online_run(starts_in)
    waiting = services.add_person(factories.person(), run)
    Booking.objects.filter(pk=waiting.pk).update(status=BookingStatus.WAITLISTED)
    message = email_for("waitlisted", waiting)
    release = london(run.starts_at - timedelta(days=3), "%A %-d %B %Y")
    assert "123 456" not in message.body and "teams.example.net" not in message.body
    assert "123 456" not in html_words(html_part(message))
    assert says.format(release=release) in words(message.body)
    assert says.format(release=release) in section(html_part(message), "Where")


def test_joining_details_changed_after_release_go_again_to_everyone_with_a_place(
    settings, django_capture_on_commit_callbacks
):
    settings.BOOKING_REMINDER_DAYS = 3
    run = online_run(timedelta(days=1))
    holder = services.add_person(factories.person(), run)
    waiting = services.add_person(factories.person(), run)
    Booking.objects.filter(pk=waiting.pk).update(status=BookingStatus.WAITLISTED)
    mail.outbox.clear()
    for n, link in enumerate(["https://zoom.example.net/j/987", "https://zoom.example.net/j/654"]):
        with django_capture_on_commit_callbacks(execute=True):
            runs.update_run(run, joining_details=f"Join on Zoom: {link}")
        message = mail.outbox[n]
        assert message.to == [holder.person.email]
        assert message.subject.startswith("How to join:")
        assert f"How to join: Join on Zoom: {link}" in words(message.body)
        assert (link, link) in html_links(html_part(message))
        assert "teams.example.net" not in message.body
    assert len(mail.outbox) == 2  # one each time they changed, to the one person with a place


def test_joining_details_changed_before_release_wait_for_the_reminder(
    django_capture_on_commit_callbacks,
):
    run = online_run(timedelta(days=30))
    services.add_person(factories.person(), run)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        runs.update_run(run, joining_details="Join on Zoom: https://zoom.example.net/j/987")
    assert mail.outbox == []


def test_released_without_joining_details_the_email_names_no_past_day(settings):
    settings.BOOKING_REMINDER_DAYS = 3
    run = factories.run(online=True, starts_in=timedelta(days=1))  # details not written yet
    booking = services.add_person(factories.person(), run)
    message = email_for("reminder", booking)
    expected = "The organisers will email you the joining details before the first session."
    assert expected in words(message.body)
    assert expected in section(html_part(message), "Where")
    assert "We will email you the joining details on" not in message.body


def test_online_runs_are_never_on_a_map():
    booking = services.add_person(factories.person(), online_run(timedelta(days=30)))
    message = email_for("confirmed", booking)
    assert "openstreetmap" not in message.body
    assert not [t for t, _h in html_links(html_part(message)) if t.startswith("Map of")]
    google = [h for t, h in html_links(html_part(message)) if t == "Google Calendar"]
    assert parse_qs(urlsplit(google[0]).query)["location"] == ["Online"]


# --- the confirmation page: the same "Add to your calendar" -------------------------------------


def test_the_confirmation_page_offers_the_same_calendar_links(client, booking, run):
    client.force_login(booking.person)
    page = client.get(reverse("bookings:confirmation", args=[booking.reference]))
    assert page.status_code == 200
    doc = readable(lxml.html.document_fromstring(page.content.decode()))
    assert "Add to your calendar" in [words(h.text_content()) for h in doc.iter("h2")]
    on_page = [href for _t, href in html_links(doc) if "calendar" in href or ".ics" in href]
    in_email = [
        href
        for _t, href in html_links(html_part(email_for("confirmed", booking)))
        if "calendar" in href or ".ics" in href
    ]
    assert on_page == in_email
    assert len(on_page) == 1 + 2 * 2  # the file, then Google and Outlook for each session


def test_the_confirmation_page_reads_sessions_once_however_many_there_are(
    client, venue, django_assert_max_num_queries
):
    def confirmation_page(days):
        booking = services.add_person(factories.person(), factories.run(venue=venue, days=days))
        client.force_login(booking.person)
        url = reverse("bookings:confirmation", args=[booking.reference])
        client.get(url)
        return url

    one = confirmation_page(days=1)
    with django_assert_max_num_queries(30) as few:
        assert "Add to your calendar" in client.get(one).content.decode()
    queries = len(few)  # now: each request clears the connection's query log
    five = confirmation_page(days=5)
    with django_assert_max_num_queries(queries):
        html = client.get(five).content.decode()
    assert html.count("Google Calendar") == 5


def test_joining_details_are_never_on_the_site_or_its_public_calendars(client, settings):
    settings.BOOKING_REMINDER_DAYS = 3
    run = online_run(timedelta(days=1))  # released
    services.add_person(factories.person(), run)
    for url in (
        run.page.url,
        reverse("bookings:run_ics", kwargs={"run_id": run.pk}),
        reverse("bookings:public_feed"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"teams.example.net" not in response.content and b"123 456" not in response.content
    assert "Online" in client.get(run.page.url).content.decode()  # the run is listed there
