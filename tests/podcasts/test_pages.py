"""The show and episode pages a listener sees, the transcript and chapters files, and the rule
that an episode is never published without its transcript and audio."""

import json
import re
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from podcasts.models import Chapter, EpisodePage, SubscribeLink
from tests.podcasts.conftest import make_audio

LONDON = ZoneInfo("Europe/London")


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_show_page_lists_live_episodes_newest_first_with_number_date_and_length(
    client, show, make_episode
):
    make_episode(seconds=75, number=1, published_at=datetime(2020, 2, 6, 9, 0, tzinfo=LONDON))
    make_episode(seconds=75, number=2, published_at=datetime(2020, 2, 20, 9, 0, tzinfo=LONDON))
    make_episode(seconds=75, number=3, publish=False, title="Not yet")
    SubscribeLink.objects.create(
        show=show, name="Apple Podcasts", url="https://podcasts.apple.com/gb/podcast/id1"
    )

    response = client.get(show.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Episode 2") < html.index("Episode 1")
    assert "Not yet" not in html
    page = text_of(html)
    assert "Season 1, episode 2 · Thursday 20 February 2020 · 1 min 15 s" in page
    assert "Behavioural insights for councils, demystified." in page
    assert "productivity@example.org" in page
    assert "Government" in page and "English (UK)" in page
    assert "Explicit content No" in page
    assert 'href="https://podcasts.apple.com/gb/podcast/id1"' in html
    assert f'href="{show.full_url}feed/"' in html
    assert 'type="application/rss+xml"' in html
    assert "<img" in html and 'alt=""' in html  # the artwork, as a rendition, decorative


def test_the_episode_page_has_the_player_with_the_transcript_below_it(client, make_episode):
    episode = make_episode(
        seconds=75,
        number=4,
        published_at=datetime(2020, 1, 24, 10, 0, tzinfo=LONDON),
        transcript="Amira: Welcome to the show.\n\nTom: Letters matter.\nA line nobody says.",
    )

    response = client.get(episode.url)

    assert response.status_code == 200
    html = response.content.decode()
    audio = re.search(r"<audio[^>]*>", html).group(0)
    assert 'preload="none"' in audio and "controls" in audio
    assert f'src="{episode.audio_path()}"' in audio
    assert episode.audio_path().startswith("/podcasts/audio/")
    assert 'aria-label="Listen to Episode 4"' in audio
    # Directly below the player: the transcript section, its heading and the words.
    after_player = html[html.index("</audio>") :]
    next_heading = re.search(r"<h2[^>]*>([^<]+)</h2>", after_player).group(1)
    assert next_heading == "Transcript"
    assert '<strong class="transcript__speaker">Amira:</strong> Welcome to the show.' in html
    assert '<strong class="transcript__speaker">Tom:</strong> Letters matter.' in html
    assert "<p>A line nobody says.</p>" in html
    page = text_of(html)
    assert "Published Friday 24 January 2020" in page
    assert '<time datetime="PT1M15S">1 min 15 s</time>' in html
    assert "Season 1 · Episode 4" in page
    assert f'href="{episode.url}transcript/"' in html


def test_headings_run_in_order_on_the_episode_page(client, make_episode):
    episode = make_episode()
    Chapter.objects.create(episode=episode, start=0, title="Welcome")
    html = client.get(episode.url).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])", html[html.index("<main") :])]
    assert levels[0] == 1
    assert all(after - before <= 1 for before, after in pairwise(levels))


def test_the_transcript_file_is_plain_text(client, make_episode):
    episode = make_episode(transcript="Amira: Welcome, café owners.\n\nTom: Thanks.")

    response = client.get(episode.url + "transcript/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "Episode 1\n\nAmira: Welcome, café owners.\n\nTom: Thanks.\n"
    )
    assert 'filename="episode-1-transcript.txt"' in response["Content-Disposition"]


def test_chapters_are_listed_and_served_as_podcasting_json_chapters(client, make_episode):
    episode = make_episode()
    Chapter.objects.create(episode=episode, start=0, title="Welcome", sort_order=0)
    Chapter.objects.create(
        episode=episode,
        start=65,
        title="The letter trial",
        url="https://example.org/trial",
        sort_order=1,
    )

    page = client.get(episode.url).content.decode()
    response = client.get(episode.url + "chapters/")

    assert "1:05" in text_of(page) and "The letter trial" in page
    assert response["Content-Type"] == "application/json+chapters; charset=utf-8"
    document = json.loads(response.content)
    assert document["version"] == "1.2.0"
    assert document["chapters"] == [
        {"startTime": 0, "title": "Welcome"},
        {"startTime": 65, "title": "The letter trial", "url": "https://example.org/trial"},
    ]


def test_an_episode_without_chapters_has_no_chapters_file(client, episode):
    assert client.get(episode.url + "chapters/").status_code == 404
    assert "Chapters" not in client.get(episode.url).content.decode()


def test_the_show_page_makes_the_same_number_of_queries_for_one_episode_or_four(
    client, show, make_episode
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_episode(number=1)
    client.get(show.url)  # renditions of the artwork are made on the first view
    with CaptureQueriesContext(connection) as one:
        client.get(show.url)
    for number in (2, 3, 4):
        make_episode(number=number)
    client.get(show.url)  # publishing them made the cached route stale: routed once again
    with CaptureQueriesContext(connection) as four:
        response = client.get(show.url)

    assert response.content.decode().count('class="episode-list__item"') == 4
    assert len(four) == len(one)


def test_private_episodes_are_not_listed_on_the_show_page(client, show, make_episode):
    from wagtail.models import PageViewRestriction

    make_episode(number=1)
    private = make_episode(number=2, title="For members only")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    html = client.get(show.url).content.decode()

    assert "Episode 1" in html
    assert "For members only" not in html


def test_drafts_are_not_shown(client, make_episode):
    draft = make_episode(publish=False)
    assert client.get(f"/nudges-for-social-good/{draft.slug}/").status_code == 404


# Publishing through the Wagtail admin, as the demo organiser does it.


def draft(show, **fields):
    """A draft episode that is missing something publishing needs (made as Wagtail saves drafts:
    without the full validation)."""
    fields = {"title": "Draft", "slug": "draft", "summary": "Coming soon.", **fields}
    episode = EpisodePage(live=False, **fields)
    show.add_child(instance=episode)
    episode.save_revision(clean=False)
    return EpisodePage.objects.get(pk=episode.pk)


def edit_form(client, episode):
    response = client.get(f"/admin/pages/{episode.pk}/edit/")
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def publish(client, episode, data):
    return client.post(
        f"/admin/pages/{episode.pk}/edit/", {**data.dict(), "action-publish": "action-publish"}
    )


def test_publishing_without_a_transcript_is_refused_but_a_draft_saves(organiser_client, show):
    client = organiser_client
    episode = draft(show, audio=make_audio(), transcript="")
    data = edit_form(client, episode)
    data["summary"] = "A new summary."

    refused = publish(client, episode, data)

    assert refused.status_code == 200
    assert "This field is required." in refused.context["form"].errors["transcript"]
    assert "The page could not be" in refused.content.decode()
    episode.refresh_from_db()
    assert not episode.live

    saved = client.post(f"/admin/pages/{episode.pk}/edit/", data.dict())

    assert saved.status_code == 302
    episode.refresh_from_db()
    assert not episode.live
    assert episode.get_latest_revision_as_object().summary == "A new summary."

    data["transcript"] = "Amira: Welcome."
    published = publish(client, episode, data)

    assert published.status_code == 302
    episode.refresh_from_db()
    assert episode.live and episode.transcript == "Amira: Welcome."


def test_publishing_without_audio_is_refused_but_a_draft_saves(organiser_client, show):
    client = organiser_client
    episode = draft(show, transcript="Amira: Welcome.", audio=None)
    data = edit_form(client, episode)
    assert data["audio"] == ""

    refused = publish(client, episode, data)

    assert refused.status_code == 200
    assert "This field is required." in refused.context["form"].errors["audio"]
    assert not EpisodePage.objects.get(pk=episode.pk).live

    saved = client.post(f"/admin/pages/{episode.pk}/edit/", data.dict())

    assert saved.status_code == 302
    assert not EpisodePage.objects.get(pk=episode.pk).live


def test_bulk_publish_refuses_episodes_without_a_transcript_or_audio(client, show, make_episode):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(
        email="editor@example.org", password="a-long-unusual-passphrase-42"
    )
    client.force_login(admin)
    no_transcript = draft(
        show, title="No words yet", slug="no-words", audio=make_audio(), transcript=""
    )
    no_audio = draft(
        show, title="No sound yet", slug="no-sound", transcript="Amira: Hi.", audio=None
    )
    ready = make_episode(number=3, publish=False, title="Ready to go")
    explorer = f"/admin/pages/{show.pk}/"
    url = (
        f"/admin/bulk/wagtailcore/page/publish/?id={no_transcript.pk}&id={no_audio.pk}"
        f"&id={ready.pk}&next={explorer}"
    )

    refused = client.post(url, {}, follow=True)

    assert refused.status_code == 200
    assert refused.redirect_chain[-1][0] == explorer
    message = " ".join(str(m) for m in refused.context["messages"])
    assert "“No words yet” needs a transcript" in message
    assert "“No sound yet” needs audio" in message
    assert not EpisodePage.objects.filter(live=True).exists()  # nothing published by halves

    published = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={ready.pk}&next={explorer}")

    assert published.status_code == 302
    assert EpisodePage.objects.get(pk=ready.pk).live
