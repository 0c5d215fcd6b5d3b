"""The home page: next dates for each audience, the themes, the latest episode, and a call to
action that fits the visitor."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from events.models import WhatsOnPage
from lms.bookings.models import Audience, BookingStatus
from lms.pages.models import HomePage
from tests import factories
from tests.podcasts.conftest import make_episode, media_root, show  # noqa: F401 (fixtures)
from tests.reports.conftest import book

pytestmark = pytest.mark.django_db


def soup_of(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def section(soup, heading):
    h2 = soup.find("h2", string=heading)
    assert h2 is not None, f"no section headed {heading!r}"
    return h2.find_parent("section")


@pytest.fixture
def whats_on(demo_site):
    return HomePage.objects.get().add_child(
        instance=WhatsOnPage(title="What's on", slug="whats-on")
    )


@pytest.fixture
def programme(whats_on):
    """Upcoming runs for each audience (and one drafted, one cancelled, one already held)."""
    masterclass = factories.course_page(title="Data and digital")
    cohort = factories.course_page(title="Commercial skills programme")
    conference = factories.course_page(title="Digital showcase")
    for n in range(4):
        factories.run(
            page=masterclass,
            title=f"Masterclass {n}",
            audience=Audience.COUNCILLORS,
            starts_in=timedelta(days=20 + n),
        )
    factories.run(page=cohort, title="Cohort 1", audience=Audience.OFFICERS, days=3)
    factories.run(
        page=conference,
        title="Alumni day",
        audience=Audience.ALUMNI,
        alumni_of=cohort,
        starts_in=timedelta(days=90),
    )
    factories.run(page=conference, title="Showcase 2027", starts_in=timedelta(days=40))
    held = factories.run(page=conference, title="Showcase 2026", starts_in=timedelta(days=-40))
    return {"masterclass": masterclass, "held": held}


def dates(soup, heading):
    """[(course and run, link)] under a "Next dates" heading."""
    group = section(soup, "Next dates").find("h3", string=heading).find_parent("div")
    return [(li.a.get_text(strip=True), li.a["href"]) for li in group.select("li")], group


def test_the_next_dates_are_shown_for_each_audience(client, programme):
    soup = soup_of(client)
    councillors, group = dates(soup, "For councillors")
    assert [text for text, _ in councillors] == [
        "Data and digital",
        "Data and digital",
        "Data and digital",
    ]  # the next three of four, each linking to its course page
    assert {href for _, href in councillors} == {programme["masterclass"].url}
    lines = [li.get_text(" ", strip=True) for li in group.select("li")]
    assert [f"Masterclass {n}" in line for n, line in enumerate(lines)] == [True] * 3
    assert group.find("a", string="All dates for councillors")["href"] == (
        "/whats-on/?audience=councillors"
    )
    officers, group = dates(soup, "For council officers")
    assert [text for text, _ in officers] == ["Commercial skills programme", "Digital showcase"]
    assert "first of 3 sessions" in group.get_text()
    assert "Alumni of a course only (Commercial skills programme)" in group.get_text()
    everyone, _ = dates(soup, "For everyone")
    assert [text for text, _ in everyone] == ["Digital showcase"]
    assert "Showcase 2026" not in soup.get_text()  # already held


def test_an_audience_with_no_dates_says_so_and_points_to_whats_on(client, whats_on):
    group = section(soup_of(client), "Next dates")
    assert group.get_text().count("No dates are open at the moment.") == 3
    assert group.find("a", string="See everything on What's on")["href"] == "/whats-on/"


def test_the_themes_link_to_their_pages(client, demo_site):
    themes = section(soup_of(client), "The programme's themes")
    links = [(a.get_text(strip=True), a["href"]) for a in themes.select(".card__title a")]
    assert links[0] == ("Transforming services", "/themes/transforming-services/")
    assert len(links) == 4


def test_the_latest_episode_is_shown_with_its_show(client, demo_site, make_episode):  # noqa: F811
    make_episode(number=1, title="Letters that work")
    make_episode(number=2, title="Nudging recycling")
    make_episode(number=3, title="Not yet out", publish=False)
    episode = section(soup_of(client), "Latest podcast episode")
    assert episode.h3.a.get_text(strip=True) == "Nudging recycling"
    assert episode.h3.a["href"] == "/nudges-for-social-good/episode-2/"
    assert "Nudges for Social Good" in episode.get_text()


def test_without_episodes_the_home_page_has_no_podcast_section(client, demo_site):
    assert soup_of(client).find("h2", string="Latest podcast episode") is None


def test_visitors_are_asked_to_create_an_account_or_sign_in(client, demo_site):
    hero = soup_of(client).select_one(".hero")
    assert hero.find("a", string="Create an account")["href"] == "/account/signup/"
    assert hero.find("a", string="or sign in")["href"] == "/account/login/"


def test_signed_in_people_see_their_next_booking(client, programme, councillor):
    runs = list(programme["masterclass"].runs.order_by("starts_at"))
    book(runs[3], councillor)  # a confirmed place, but a later one
    book(runs[0], councillor, status=BookingStatus.CANCELLED)
    book(runs[1], councillor, status=BookingStatus.WAITLISTED)  # not a place (yet)
    next_one = book(runs[2], councillor)
    book(programme["held"], councillor)  # over already
    client.force_login(councillor)
    hero = soup_of(client).select_one(".hero")
    text = hero.get_text(" ", strip=True)
    assert "Your next booking is Data and digital: Masterclass 2" in text
    assert hero.find("a", string="Data and digital: Masterclass 2")["href"] == (
        f"/bookings/{next_one.reference}/"
    )
    assert "Create an account" not in text


def test_signed_in_people_with_no_booking_are_invited_to_whats_on(client, whats_on, councillor):
    client.force_login(councillor)
    hero = soup_of(client).select_one(".hero")
    assert "You have no places booked." in hero.get_text()
    assert hero.find("a", string="Find a course on What's on")["href"] == "/whats-on/"


def test_the_home_page_costs_the_same_queries_however_big_the_programme(
    client,
    programme,
    councillor,
    make_episode,  # noqa: F811
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_episode(number=1)
    book(programme["masterclass"].runs.first(), councillor)
    client.force_login(councillor)

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    queries()  # the first request ever makes the site's settings rows
    before = queries()
    for n in range(6):
        page = factories.course_page(title=f"Course {n}")
        for audience in Audience.COUNCILLORS, Audience.OFFICERS, Audience.ANYONE:
            factories.run(page=page, audience=audience, days=2, starts_in=timedelta(days=5 + n))
    make_episode(number=2, published_at=timezone.now())
    assert queries() == before


def test_the_home_page_is_titled_by_its_heading_once(client, demo_site, settings):
    """The home page is titled with the site's name: the tab reads it once, not "X – X"."""
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert page.title.get_text(strip=True) == page.h1.get_text(strip=True)
    home = HomePage.objects.get()
    home.title = "Skills for councils"
    home.save()  # as an edit does: a queryset update would leave the cached route's copy as it was
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert page.title.get_text(strip=True) == (
        f"Skills for councils – {settings.WAGTAIL_SITE_NAME}"
    )
