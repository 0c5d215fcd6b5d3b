"""A listener finds the podcast and an episode in a real browser: the native player and the
transcript below it are there, with and without JavaScript. axe-core checks every page visited."""

import pytest
from wagtail.models import Site

from podcasts.models import Chapter, EpisodePage, PodcastPage
from tests import factories
from tests.podcasts.conftest import make_audio

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def podcast(site_ready, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    home = Site.objects.get(is_default_site=True).root_page
    show = factories.podcast_show(home, slug="podcast-in-a-browser")
    episode = EpisodePage(
        title="Letters that get council tax paid",
        slug="letters",
        summary="How small changes to a letter change what people do.",
        audio=make_audio(75),
        episode_number=1,
        season_number=1,
        transcript="Amira: Welcome to Nudges for Social Good.\n\nTom: Today, letters.",
    )
    show.add_child(instance=episode)
    Chapter.objects.create(episode=episode, start=0, title="Welcome")
    episode.save_revision().publish()
    return PodcastPage.objects.get(pk=show.pk), EpisodePage.objects.get(pk=episode.pk)


def test_a_listener_goes_from_the_show_to_an_episode_with_its_player_and_transcript(page, podcast):
    show, episode = podcast
    page.visit(show.url)
    assert "RSS feed" in page.locator("main").inner_text()
    page.get_by_role("link", name="Letters that get council tax paid").click()
    page.wait_for_url(f"**{episode.url}")
    page.check_accessibility()

    player = page.locator("audio")
    assert player.get_attribute("preload") == "none"
    assert player.get_attribute("src") == episode.audio_path()
    assert player.evaluate("el => el.controls") is True
    assert page.get_by_role("heading", name="Transcript").is_visible()
    speaker = page.locator(".transcript__speaker").first
    assert speaker.inner_text() == "Amira:"
    # The transcript comes straight after the player in the reading order.
    follows = page.evaluate(
        "() => !!(document.querySelector('audio').compareDocumentPosition("
        "document.getElementById('transcript-heading')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert follows


def test_the_episode_page_works_without_javascript(page_without_js, podcast):
    _, episode = podcast
    page_without_js.visit(episode.url)
    text = page_without_js.locator("main").inner_text()
    assert "Amira: Welcome to Nudges for Social Good." in text
    assert page_without_js.locator("audio[controls]").count() == 1
    download = page_without_js.get_by_role("link", name="Download the transcript as plain text")
    assert download.is_visible()
