"""Searching in a real browser: from the header's box on the home page to the results, grouped
by kind, and on to the episode whose transcript holds the words, by keyboard alone; the empty, no-result and error
states; with and without JavaScript. axe-core checks every page visited."""

import pytest
from wagtail.models import Site

from podcasts.models import EpisodePage
from tests import factories
from tests.podcasts.conftest import make_audio

pytestmark = pytest.mark.django_db(transaction=True)

BOX = "Search courses, conferences and podcast episodes"
# How far the page is wider than the screen (horizontal scrolling when above 0).
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def tab_to(page, check, limit=40):
    """Press Tab until the focused element passes `check` (JavaScript on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {check})(document.activeElement)"):
            return
    pytest.fail(f"Nothing matching {check!r} can be reached with the Tab key")


@pytest.fixture
def programme(site_ready, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    home = Site.objects.get(is_default_site=True).root_page
    course = factories.course_page("Behavioural insights", summary="Nudging residents kindly.")
    factories.run(page=course, venue=factories.venue())
    show = factories.podcast_show(
        home, slug="nudges", description="Behavioural insights for councils."
    )
    episode = EpisodePage(
        title="Letters that get council tax paid",
        slug="letters",
        summary="How small changes to a letter change what people do.",
        audio=make_audio(5),
        episode_number=1,
        transcript="Amira: Welcome.\n\nTom: Nudging works because of reciprocity.",
    )
    show.add_child(instance=episode)
    episode.save_revision().publish()
    return course, EpisodePage.objects.get(pk=episode.pk)


def test_a_visitor_searches_from_the_header_and_reaches_the_episode(page, programme):
    course, episode = programme
    page.visit("/")
    # By keyboard alone: the header's box is among the first stops after the skip link.
    tab_to(page, "el.getAttribute('name') === 'q'", limit=4)
    page.keyboard.type("nudging")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=nudging")
    page.check_accessibility()

    assert page.get_by_role("heading", level=1).inner_text() == "Search results for “nudging”"
    assert page.title().startswith("Search results for “nudging” – ")
    assert page.get_by_role("searchbox", name=BOX).input_value() == "nudging"
    headings = page.locator("main h2").all_inner_texts()
    assert headings == ["Courses (1)", "Podcast episodes (1)"]
    first = page.locator(".search-result").first
    assert first.get_by_role("link").get_attribute("href") == course.url
    assert "Next date:" in first.inner_text()
    assert page.locator("mark").first.inner_text() == "Nudging"

    tab_to(page, "el.textContent === 'Letters that get council tax paid'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{episode.url}")
    page.check_accessibility()


def test_the_empty_no_result_and_error_states_are_accessible(page, programme):
    page.visit("/search/")
    assert "Search for a course, a conference or a podcast episode" in page.inner_text("main")

    page.get_by_role("searchbox", name=BOX).fill("zeppelins")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=zeppelins")
    page.check_accessibility()
    assert page.get_by_role("heading", name="No results").is_visible()

    page.visit("/search/?q=" + "word+" * 41)
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    page.get_by_role("link", name="Search words must be 200 characters or fewer").click()
    focused = page.evaluate("document.activeElement.getAttribute('name')")
    assert focused == "q"


def test_search_works_without_javascript(page_without_js, programme):
    page = page_without_js
    page.visit("/")
    page.get_by_role("searchbox", name=BOX).fill("reciprocity")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=reciprocity")
    page.check_accessibility()
    assert page.locator("main h2").all_inner_texts() == ["Podcast episodes (1)"]


def test_the_header_box_and_results_fit_a_phone(phone_page, programme):
    page = phone_page
    page.visit("/")
    box = page.get_by_role("searchbox", name=BOX).bounding_box()
    button = page.locator("header").get_by_role("button", name="Search").bounding_box()
    assert box["height"] >= 44 and button["height"] >= 44 and button["width"] >= 44
    assert page.evaluate(OVERFLOW) <= 0
    page.visit("/search/?q=nudging")
    assert page.evaluate(OVERFLOW) <= 0
