"""The "What's on" listing and the calendar feeds, read back with vobject."""

from datetime import timedelta

import pytest
import vobject
from bs4 import BeautifulSoup
from django.utils import timezone

from courses.models import OfficerProgrammePage
from events.models import WhatsOnPage
from lms.bookings import runs as run_services
from lms.bookings import services
from lms.bookings.models import Audience, BookingMode, CalendarFeed, Session
from lms.pages.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes():
    return {
        slug: Theme.objects.create(name=name, slug=slug, summary=name)
        for slug, name in [
            ("transforming-services", "Transforming services"),
            ("generating-income", "Generating income"),
        ]
    }


@pytest.fixture
def programme(themes):
    digital = factories.course_page(
        "Data and digital transformation", theme=themes["transforming-services"]
    )
    commercial = factories.course_page(
        "Commercial skills for officers", OfficerProgrammePage, theme=themes["generating-income"]
    )
    runs = {
        "manchester": factories.run(
            page=digital,
            title="Manchester",
            venue=factories.venue("Manchester", "north_west"),
            audience=Audience.COUNCILLORS,
        ),
        "bristol": factories.run(
            page=digital,
            title="Bristol",
            venue=factories.venue("Bristol", "south_west"),
            starts_in=timedelta(days=70),
            audience=Audience.COUNCILLORS,
        ),
        "london": factories.run(
            page=commercial,
            title="Cohort 3",
            venue=factories.venue("London", "london"),
            audience=Audience.OFFICERS,
            reference_prefix="OC",
        ),
        "online": factories.run(
            page=commercial, title="Online cohort", online=True, audience=Audience.OFFICERS
        ),
        "past": factories.run(page=digital, title="Newcastle", starts_in=timedelta(days=-10)),
    }
    listing = WhatsOnPage(title="What's on", slug="whats-on")
    digital.get_parent().add_child(instance=listing)
    return runs, listing


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(" ", strip=True) for h in soup.select(".run__title")]


def test_listing_shows_every_upcoming_run_in_date_order(client, programme):
    _runs, listing = programme
    shown = titles(client.get(listing.url))
    assert len(shown) == 4 and not any("Newcastle" in t for t in shown)
    assert shown[-1].endswith("Bristol")  # the latest


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"theme": "generating-income"}, {"Cohort 3", "Online cohort"}),
        ({"audience": "councillors"}, {"Manchester", "Bristol"}),
        ({"region": "south_west"}, {"Bristol"}),
        ({"region": "online"}, {"Online cohort"}),
        ({"city": "London"}, {"Cohort 3"}),
        ({"q": "digital manchester"}, {"Manchester"}),
        ({"q": "nothing like this"}, set()),
    ],
)
def test_listing_filters(client, programme, query, expected):
    _, listing = programme
    shown = {t.split(": ", 1)[1] for t in titles(client.get(listing.url, query))}
    assert shown == expected


def test_listing_filters_by_month(client, programme):
    runs, listing = programme
    month = timezone.localtime(runs["bristol"].starts_at).strftime("%Y-%m")
    shown = {t.split(": ", 1)[1] for t in titles(client.get(listing.url, {"month": month}))}
    assert "Bristol" in shown and "Manchester" not in shown


def test_listing_bad_filter_value_is_explained_not_an_error(client, programme):
    _, listing = programme
    response = client.get(listing.url, {"region": "atlantis"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_listing_paginates(client, programme):
    _, listing = programme
    WhatsOnPage.per_page = 2
    try:
        first = client.get(listing.url)
        assert "Page 1 of 2" in first.content.decode() and len(titles(first)) == 2
        assert len(titles(client.get(listing.url, {"page": 2}))) == 2
    finally:
        WhatsOnPage.per_page = 20


def test_public_feed_matches_the_listing_and_has_no_attendee_data(client, programme):
    runs, _ = programme
    services.book(factories.person(email="secret@example.org"), runs["manchester"])
    response = client.get("/calendar/whats-on.ics", {"audience": "councillors"})
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "secret@example.org" not in text and "ATTENDEE" not in text
    cal = vobject.readOne(text)
    summaries = sorted(e.summary.value for e in cal.contents["vevent"])
    assert summaries == [
        "Data and digital transformation: Bristol",
        "Data and digital transformation: Manchester",
    ]
    assert cal.vtimezone.tzid.value == "Europe/London"
    assert cal.method.value == "PUBLISH"
    by_summary = {e.summary.value: e for e in cal.contents["vevent"]}
    assert_event_matches(by_summary["Data and digital transformation: Bristol"], runs["bristol"])


def test_public_feed_answers_conditional_requests(client, programme):
    runs, _ = programme
    first = client.get("/calendar/whats-on.ics")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/calendar/whats-on.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/calendar/whats-on.ics", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Booking someone changes nothing public; moving a session does.
    services.book(factories.person(role="officer"), runs["london"])
    assert client.get("/calendar/whats-on.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    session = runs["london"].sessions.get()
    run_services.change_session(session, starts_at=session.starts_at + timedelta(hours=1))
    assert client.get("/calendar/whats-on.ics", HTTP_IF_NONE_MATCH=etag).status_code == 200


def assert_event_matches(event, run):
    """UID, SEQUENCE, start and end in UTC, TZID resolved to London's offset on the day."""
    session = run.sessions.get()
    assert event.uid.value == f"{run.calendar_uid}-{session.pk}@council-skills-programme"
    assert event.sequence.value == str(run.calendar_sequence)
    assert event.dtstart.value == session.starts_at and event.dtend.value == session.ends_at
    london = timezone.localtime(session.starts_at)
    assert event.dtstart.value.utcoffset() == london.utcoffset()


def test_run_calendar_download(client, programme):
    runs, _ = programme
    cal = vobject.readOne(client.get(f"/runs/{runs['london'].pk}/calendar.ics").content.decode())
    assert cal.method.value == "PUBLISH"
    assert cal.vevent.summary.value == "Commercial skills for officers: Cohort 3"
    assert_event_matches(cal.vevent, runs["london"])
    course_page = client.get(runs["london"].page.url).content.decode()
    assert f"/runs/{runs['london'].pk}/calendar.ics" in course_page
    assert client.get("/runs/999999/calendar.ics").status_code == 404


def test_personal_feed_is_secret_revocable_and_shows_only_my_bookings(client, programme):
    runs, _ = programme
    me, other = factories.person(), factories.person()
    services.book(me, runs["manchester"])
    services.book(other, runs["bristol"])
    client.force_login(me)
    client.post("/calendar/personal/reset/")
    token = CalendarFeed.objects.get(person=me).token
    assert len(token) >= 32
    client.logout()  # calendar apps do not sign in
    cal = vobject.readOne(client.get(f"/calendar/personal/{token}.ics").content.decode())
    assert [e.summary.value for e in cal.contents["vevent"]] == [
        "Data and digital transformation: Manchester"
    ]
    assert cal.method.value == "PUBLISH"
    assert_event_matches(cal.vevent, runs["manchester"])
    client.force_login(me)
    client.post("/calendar/personal/reset/")
    assert client.get(f"/calendar/personal/{token}.ics").status_code == 404
    assert client.get("/calendar/personal/guess.ics").status_code == 404


def test_every_filter_has_a_plain_label(client, programme):
    _, listing = programme
    soup = BeautifulSoup(client.get(listing.url).content, "html.parser")
    labels = [label.get_text(strip=True) for label in soup.select(".filters label.label")]
    assert labels == ["Search", "Theme", "Who can book", "Region", "City", "Month"]


def test_cached_listing_is_never_stale(client, programme, django_assert_max_num_queries):
    runs, listing = programme
    first = client.get(listing.url).content.decode()
    with django_assert_max_num_queries(0):  # answered from the cache before any routing
        repeat = client.get(listing.url)
    assert repeat.content.decode() == first
    assert "default-src 'self'" in repeat["Content-Security-Policy"]
    assert repeat["X-Frame-Options"] == "DENY"
    services.book(factories.person(role="officer"), runs["london"])
    assert "9 of 10 left" in client.get(listing.url, {"city": "London"}).content.decode()
    session = runs["bristol"].sessions.get()
    session.starts_at += timedelta(hours=2)
    session.ends_at += timedelta(hours=2)
    run_services.change_session(
        Session.objects.get(pk=session.pk), starts_at=session.starts_at, ends_at=session.ends_at
    )
    moved = timezone.localtime(session.starts_at).strftime("%H:%M")
    assert moved in client.get(listing.url, {"city": "Bristol"}).content.decode()
    runs["london"].page.unpublish()
    assert "Cohort 3" not in client.get(listing.url).content.decode()


def test_signed_in_people_see_their_own_header_on_the_listing(client, programme):
    _, listing = programme
    client.get(listing.url)  # an anonymous copy is now cached
    client.force_login(factories.person(full_name="Nadia Named"))
    page = client.get(listing.url).content.decode()
    assert "My bookings" in page and "Sign out" in page


def personal_feed(client, person):
    """What a calendar app subscribed to the person's feed reads (signed out, as apps are)."""
    feed, _ = CalendarFeed.objects.get_or_create(person=person)
    response = client.get(f"/calendar/personal/{feed.token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return response.content.decode()


def test_personal_feed_says_which_places_are_confirmed_and_which_are_not_yet(client, programme):
    runs, _ = programme
    me = factories.person()
    services.book(me, runs["manchester"])
    full = factories.run(title="Full masterclass", capacity=1)
    services.book(factories.person(), full)
    services.book(me, full)  # waiting list
    offered = factories.run(title="Offered masterclass", capacity=1)
    taken = services.book(factories.person(), offered).booking
    services.book(me, offered)
    services.cancel(taken)  # the place is offered to me, first on the waiting list
    by_approval = factories.run(title="Approval masterclass", booking_mode=BookingMode.APPROVAL)
    services.book(me, by_approval)
    cancelled = factories.run(title="Cancelled booking")
    services.cancel(services.book(me, cancelled).booking)

    cal = vobject.readOne(personal_feed(client, me))
    events = {e.summary.value: e.status.value for e in cal.contents["vevent"]}
    assert events == {
        "Data and digital transformation: Manchester": "CONFIRMED",
        "Data and digital transformation: Full masterclass (waiting list)": "TENTATIVE",
        "Data and digital transformation: Offered masterclass "
        "(place offered: accept it in My bookings)": "TENTATIVE",
        "Data and digital transformation: Approval masterclass "
        "(application awaiting approval)": "TENTATIVE",
    }
    # Accepting the offer turns the same event (same UID) into a confirmed one.
    offer = offered.bookings.get(person=me)
    services.accept_offer(offer)
    cal = vobject.readOne(personal_feed(client, me))
    (event,) = [e for e in cal.contents["vevent"] if "Offered masterclass" in e.summary.value]
    assert event.status.value == "CONFIRMED"
    assert event.summary.value == "Data and digital transformation: Offered masterclass"
    assert event.uid.value.startswith(str(offered.calendar_uid))


def test_personal_feed_is_one_named_calendar_that_asks_to_be_refreshed(client, programme):
    runs, _ = programme
    me, other = factories.person(), factories.person()
    services.book(me, runs["manchester"])
    first = vobject.readOne(personal_feed(client, me))
    assert first.contents["x-wr-calname"][0].value == "My council skills bookings"
    assert first.contents["name"][0].value == "My council skills bookings"
    refresh = first.contents["refresh-interval"][0]
    assert refresh.params["VALUE"] == ["DURATION"] and refresh.value == "PT1H"
    assert first.contents["x-published-ttl"][0].value == "PT1H"
    # The same calendar on every request, and after the address is replaced; another person's
    # is another calendar.
    uid = first.uid.value
    assert vobject.readOne(personal_feed(client, me)).uid.value == uid
    client.force_login(me)
    client.post("/calendar/personal/reset/")
    client.logout()
    assert vobject.readOne(personal_feed(client, me)).uid.value == uid
    assert vobject.readOne(personal_feed(client, other)).uid.value != uid


def test_an_empty_personal_feed_is_still_a_valid_calendar(client, programme):
    runs, _ = programme
    me = factories.person()
    services.cancel(services.book(me, runs["manchester"]).booking)
    text = personal_feed(client, me)
    cal = vobject.readOne(text)
    assert "vevent" not in cal.contents
    # RFC 5545: at least one component. A London VTIMEZONE with its rules around today.
    assert cal.vtimezone.tzid.value == "Europe/London"
    assert [c.name for c in cal.components()] == ["VTIMEZONE"]
    assert {"standard", "daylight"} <= set(cal.vtimezone.contents)


def test_public_feed_is_a_named_calendar_with_a_uid_per_set_of_filters(client, programme):
    def read(**filters):
        return vobject.readOne(client.get("/calendar/whats-on.ics", filters).content.decode())

    everything, councillors = read(), read(audience="councillors")
    assert everything.contents["x-wr-calname"][0].value == "Council skills programme: what's on"
    assert everything.contents["refresh-interval"][0].params["VALUE"] == ["DURATION"]
    assert read().uid.value == everything.uid.value
    assert read(audience="councillors").uid.value == councillors.uid.value
    assert read(audience="councillors", utm_source="newsletter").uid.value == councillors.uid.value
    assert councillors.uid.value != everything.uid.value


def test_personal_feed_queries_do_not_grow_with_bookings(
    client, programme, django_assert_max_num_queries
):
    runs, _ = programme
    me = factories.person(role="officer")
    services.book(me, runs["london"])
    feed, _ = CalendarFeed.objects.get_or_create(person=me)
    with django_assert_max_num_queries(8) as few:
        client.get(f"/calendar/personal/{feed.token}.ics")
    for title in ("A", "B", "C", "D"):
        services.book(me, factories.run(title=title, audience=Audience.ANYONE))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/calendar/personal/{feed.token}.ics")
    assert len(vobject.readOne(response.content.decode()).contents["vevent"]) == 5
