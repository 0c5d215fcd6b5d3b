"""The demo show reads true: Nudges for Social Good launched on 11 February 2020 and had over 800
downloads in its first month (PROGRAMME.md), counted by the download rules from a replayed
request log, and the admin page says the same number.

One test, one load (the audio is made and a few thousand requests are counted: it takes a while).
"""

from datetime import date

import mutagen
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from demo import podcast, site
from podcasts import stats
from podcasts.models import DailySalt, EpisodePage, Listen, PodcastPage

pytestmark = pytest.mark.django_db


def test_the_demo_show_has_real_episodes_and_just_over_800_counted_downloads(
    client, organiser, media_root
):
    site.load_site()
    first_month = podcast.load_podcast()

    show = PodcastPage.objects.get(slug="nudges-for-social-good")
    assert show.live and show.get_parent().specific_class.__name__ == "HomePage"
    figures = stats.show_figures(show)
    assert figures.launched == date(2020, 2, 11)  # the behavioural insights conference
    assert figures.first_month_days == (date(2020, 2, 11), date(2020, 3, 11))
    assert 800 <= first_month <= 850
    assert first_month == figures.first_month
    assert figures.total > first_month  # a trickle after the first month

    # The admin page says the same number.
    client.force_login(organiser)
    page = BeautifulSoup(client.get(reverse("podcast_stats")).content, "html.parser")
    assert (
        page.select_one(".figures-headline")
        .get_text(strip=True)
        .startswith(
            f"{first_month:,} downloads in the show's first month (11 February 2020 to 11 March 2020)"
        )
    )
    summary = page.find("caption", string=lambda s: s and "Nudges for Social Good: downloads" in s)
    first_row = summary.find_parent("table").select("tbody tr")[0]
    assert first_row.find_all("td")[-1].get_text(strip=True) == f"{first_month:,}"

    # Every episode is published with a transcript, and its audio is a real file mutagen reads.
    episodes = list(EpisodePage.objects.child_of(show).live().order_by("published_at"))
    assert 4 <= len(episodes) <= 6
    assert [e.published_at.date() for e in episodes[:3]] == [date(2020, 2, 11)] * 3
    for episode in episodes:
        words = len(episode.transcript.split())
        assert 100 <= words <= 320, (episode.title, words)
        assert episode.summary and episode.show_notes
        parsed = mutagen.File(episode.audio.file.path)
        assert parsed is not None and type(parsed).__name__ == "MP3"
        assert abs(parsed.info.length - episode.audio.duration) < 1
        assert episode.audio.size == episode.audio.file.size
    lengths = sorted(e.audio.duration for e in episodes)
    assert lengths[0] < 60 <= lengths[1] and lengths[-1] <= 121  # the trailer is under a minute
    assert sum(1 for e in episodes if e.chapters.exists()) in (1, 2)

    # The log behaves like listeners: some stopped before a minute (not downloads), bots left
    # no trace, apps are named, and an app no list knows is "Other / unknown".
    assert Listen.objects.filter(downloaded_at__isnull=True).exists()
    apps = set(Listen.objects.values_list("app", flat=True))
    assert {"Apple Podcasts", "Spotify", "Overcast", "Pocket Casts", "Chrome", ""} <= apps
    assert not apps & {"Googlebot", "Microsoft Bingbot", "AhrefsBot", "curl"}
    assert DailySalt.objects.count() <= 2  # old salts are gone, as in real use

    # Loading again adds nothing.
    counts = (EpisodePage.objects.count(), Listen.objects.count(), PodcastPage.objects.count())
    assert podcast.load_podcast() is None
    assert (
        EpisodePage.objects.count(),
        Listen.objects.count(),
        PodcastPage.objects.count(),
    ) == counts


def test_the_artwork_is_a_square_rgb_png_podcast_apps_accept():
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(podcast.artwork_png()))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (1400, 1400))
