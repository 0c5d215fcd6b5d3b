"""The show's feed, read back by two independent parsers (feedparser and podcastparser) and as
plain XML: the tags Apple and the Podcasting 2.0 namespace ask for, sizes and durations that
match the files, guids that never move, conditional GET and a cache that follows publishing."""

import io
import os
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import podcastparser
import pytest
from django.utils import timezone

from podcasts.models import Chapter, EpisodePage, PodcastPage, podcast_guid
from tests import factories

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}

# Apple's required and recommended channel tags, and the Podcasting 2.0 ones we promise.
CHANNEL_TAGS = [
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "lastBuildDate",
    "atom:link",
    "itunes:image",
    "itunes:category",
    "itunes:explicit",
    "itunes:author",
    "itunes:owner/itunes:name",
    "itunes:owner/itunes:email",
    "itunes:type",
    "podcast:guid",
    "podcast:locked",
]
ITEM_TAGS = [
    "title",
    "link",
    "enclosure",
    "guid",
    "pubDate",
    "description",
    "itunes:duration",
    "itunes:episode",
    "itunes:season",
    "itunes:episodeType",
    "podcast:transcript",
]


@pytest.fixture
def feed_path(show):
    return show.url + "feed/"


def fetch(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, response.status_code
    return response


def channel_of(body):
    return ET.fromstring(body).find("channel")


@pytest.fixture
def published(show, make_episode):
    """Two published episodes (the second with its own artwork and chapters), a draft, and an
    episode published then unpublished."""
    from tests.podcasts.conftest import make_image

    first = make_episode(seconds=75, number=1)
    second = make_episode(seconds=90, number=2, artwork=make_image(3000, 3000, title="Ep 2 art"))
    Chapter.objects.create(episode=second, start=0, title="Welcome")
    second.save_revision().publish()
    make_episode(number=3, publish=False, title="A draft")
    withdrawn = make_episode(number=4, title="Withdrawn")
    withdrawn.unpublish()
    return first, EpisodePage.objects.get(pk=second.pk)


def test_the_feed_is_well_formed_rss_with_every_required_tag(client, show, feed_path, published):
    show.copyright = "© 2020 Local Government Association"
    show.save_revision().publish()

    response = fetch(client, feed_path)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # well-formed, or this raises
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for tag in CHANNEL_TAGS:
        assert channel.find(tag, NS) is not None, f"channel has no {tag}"
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        for tag in ITEM_TAGS:
            assert item.find(tag, NS) is not None, f"item has no {tag}"

    assert channel.findtext("language") == "en-gb"
    assert channel.find("itunes:category", NS).get("text") == "Government"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.findtext("itunes:type", namespaces=NS) == "episodic"
    owner_email = channel.findtext("itunes:owner/itunes:email", namespaces=NS)
    assert owner_email == "productivity@example.org"
    assert channel.find("itunes:image", NS).get("href").startswith("http://localhost/")
    locked = channel.find("podcast:locked", NS)
    assert locked.text == "yes" and locked.get("owner") == "productivity@example.org"
    assert channel.find("atom:link", NS).get("href") == show.full_url + "feed/"
    assert channel.findtext("copyright") == "© 2020 Local Government Association"


def test_feedparser_reads_the_channel_and_episodes(client, show, feed_path, published):
    first, second = published
    parsed = feedparser.parse(fetch(client, feed_path).content)

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Nudges for Social Good"
    assert parsed.feed.language == "en-gb"
    assert parsed.feed.publisher_detail == {
        "name": "Productivity team",
        "email": "productivity@example.org",
    }
    assert parsed.feed.tags[0].term == "Government"
    # Apple's current values are "true"/"false"; feedparser 6 knows only the old "yes"/"clean"
    # and reads "false" as None, which is still "not explicit".
    assert not parsed.feed.itunes_explicit
    assert parsed.feed.image.href.startswith("http://localhost/")
    assert [entry.id for entry in parsed.entries] == [str(second.guid), str(first.guid)]
    for entry, episode in zip(parsed.entries, (second, first), strict=True):
        assert entry.guidislink is False
        assert entry.title == episode.title
        assert entry.summary == episode.summary
        assert entry.itunes_duration == str(round(episode.audio.duration))
        assert entry.itunes_episode == str(episode.episode_number)
        assert entry.itunes_season == "1"
        assert entry.itunes_episodetype == "full"
        (enclosure,) = entry.enclosures
        assert enclosure.href == "http://localhost" + episode.audio_path()
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == os.path.getsize(episode.audio.file.path)
        assert entry.published_parsed[:6] == episode.published_at.utctimetuple()[:6]


def test_podcastparser_reads_the_same_feed(client, show, feed_path, published):
    first, second = published
    body = fetch(client, feed_path).content
    parsed = podcastparser.parse(show.full_url + "feed/", io.BytesIO(body))

    assert parsed["title"] == "Nudges for Social Good"
    assert parsed["language"] == "en-gb"
    assert parsed["itunes_author"] == "Local Government Association"
    assert parsed["itunes_owner"] == {
        "name": "Productivity team",
        "email": "productivity@example.org",
    }
    assert parsed["itunes_categories"] == [["Government"]]
    assert parsed["explicit"] is False
    assert parsed["type"] == "episodic"
    assert parsed["cover_url"].startswith("http://localhost/")
    episodes = parsed["episodes"]
    assert [episode["guid"] for episode in episodes] == [str(second.guid), str(first.guid)]
    for parsed_episode, episode in zip(episodes, (second, first), strict=True):
        (enclosure,) = parsed_episode["enclosures"]
        assert enclosure["file_size"] == os.path.getsize(episode.audio.file.path)
        assert enclosure["file_size"] == episode.audio.size
        assert enclosure["mime_type"] == "audio/mpeg"
        assert enclosure["url"] == "http://localhost" + episode.audio_path()
        assert parsed_episode["total_time"] == round(episode.audio.duration)
        assert parsed_episode["number"] == episode.episode_number
        assert parsed_episode["season"] == 1
        assert parsed_episode["type"] == "full"
        assert parsed_episode["published"] == int(episode.published_at.timestamp())
    assert episodes[0]["episode_art_url"].startswith("http://localhost/")
    assert "episode_art_url" not in episodes[1]


def test_the_podcasting_2_tags(client, show, feed_path, published):
    first, second = published
    channel = channel_of(fetch(client, feed_path).content)

    show.refresh_from_db()
    bare_feed_url = (show.full_url + "feed/").split("://", 1)[1]
    assert channel.findtext("podcast:guid", namespaces=NS) == str(podcast_guid(bare_feed_url))
    assert channel.findtext("podcast:guid", namespaces=NS) == str(show.guid)
    items = {item.findtext("guid"): item for item in channel.findall("item")}
    transcript = items[str(first.guid)].find("podcast:transcript", NS)
    assert transcript.get("url") == first.full_url + "transcript/"
    assert transcript.get("type") == "text/plain"
    assert items[str(first.guid)].find("podcast:chapters", NS) is None
    chapters = items[str(second.guid)].find("podcast:chapters", NS)
    assert chapters.get("url") == second.full_url + "chapters/"
    assert chapters.get("type") == "application/json+chapters"
    # The files the tags point at are there, with those types.
    assert client.get(second.url + "transcript/")["Content-Type"].startswith("text/plain")
    assert client.get(second.url + "chapters/")["Content-Type"].startswith(
        "application/json+chapters"
    )


def test_drafts_and_unpublished_episodes_are_not_in_the_feed(client, feed_path, published):
    items = channel_of(fetch(client, feed_path).content).findall("item")
    titles = [item.findtext("title") for item in items]
    assert titles == ["Episode 2", "Episode 1"]


def test_an_episode_guid_stays_the_same_after_editing_and_republishing(client, feed_path, episode):
    before = channel_of(fetch(client, feed_path).content).find("item").findtext("guid")
    episode.title = "Episode 1, corrected"
    episode.slug = "episode-1-corrected"
    episode.save_revision().publish()

    item = channel_of(fetch(client, feed_path).content).find("item")

    assert item.findtext("title") == "Episode 1, corrected"
    assert item.findtext("guid") == before == str(episode.guid)
    assert item.find("guid").get("isPermaLink") == "false"


def test_the_show_guid_is_made_once_and_kept_when_the_slug_changes(client, show):
    original = show.guid
    assert original == podcast_guid("localhost/nudges-for-social-good/feed/")

    show.slug = "nudges"
    show.save_revision().publish()

    show = PodcastPage.objects.get(pk=show.pk)
    assert show.guid == original
    channel = channel_of(fetch(client, "/nudges/feed/").content)
    assert channel.findtext("podcast:guid", namespaces=NS) == str(original)
    assert channel.find("atom:link", NS).get("href") == "http://localhost/nudges/feed/"

    # Even an old revision, made before the show had its guid, cannot take it away.
    show.revisions.order_by("created_at").first().publish()
    assert PodcastPage.objects.get(pk=show.pk).guid == original


def test_a_repeat_request_gets_304_not_modified(client, feed_path, episode):
    first = fetch(client, feed_path)
    assert first["ETag"] and first["Last-Modified"]

    by_etag = client.get(feed_path, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(feed_path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    stale = client.get(feed_path, HTTP_IF_NONE_MATCH='"something-else"')

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304
    assert stale.status_code == 200 and stale.content == first.content


def test_the_feed_is_cached_and_a_publish_shows_up_in_the_next_response(
    client, feed_path, make_episode
):
    make_episode(number=1)
    first = fetch(client, feed_path)
    # A change that bypasses Wagtail's publishing is not seen: the feed comes from the cache.
    EpisodePage.objects.update(summary="Changed behind the feed's back.")
    assert fetch(client, feed_path).content == first.content

    make_episode(number=2, published_at=timezone.now())

    second = fetch(client, feed_path)
    items = channel_of(second.content).findall("item")
    assert [item.findtext("title") for item in items] == ["Episode 2", "Episode 1"]
    assert second["ETag"] != first["ETag"]
    assert client.get(feed_path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_unpublishing_and_deleting_episodes_leave_the_feed_at_once(client, feed_path, make_episode):
    one = make_episode(number=1)
    two = make_episode(number=2)
    assert len(channel_of(fetch(client, feed_path).content).findall("item")) == 2

    one.unpublish()
    assert len(channel_of(fetch(client, feed_path).content).findall("item")) == 1

    two.delete()
    assert channel_of(fetch(client, feed_path).content).findall("item") == []


def test_replacing_an_episode_audio_changes_the_enclosure(client, feed_path, episode):
    from django.core.files.base import ContentFile

    from tests.podcasts.conftest import mp3_bytes

    fetch(client, feed_path)
    audio = episode.audio
    audio.file.save("replacement.mp3", ContentFile(mp3_bytes(90, seed=9)), save=False)
    audio.full_clean()
    audio.save()

    enclosure = channel_of(fetch(client, feed_path).content).find("item/enclosure")

    assert int(enclosure.get("length")) == os.path.getsize(audio.file.path) == audio.size
    assert channel_of(fetch(client, feed_path).content).findtext(
        "item/itunes:duration", namespaces=NS
    ) == str(round(audio.duration))


def test_last_build_date_is_when_the_feed_last_changed(client, feed_path, make_episode):
    episode = make_episode(published_at=timezone.now() - timedelta(days=30))
    channel = channel_of(fetch(client, feed_path).content)
    parsed = feedparser.parse(fetch(client, feed_path).content)
    episode.refresh_from_db()
    assert parsed.feed.updated_parsed[:6] == episode.last_published_at.utctimetuple()[:6]
    assert channel.findtext("lastBuildDate")


def test_login_restricted_episodes_are_not_in_the_feed(client, show, make_episode):
    from wagtail.models import PageViewRestriction

    make_episode(number=1)
    private = make_episode(number=2, title="For members only")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    items = channel_of(fetch(client, show.url + "feed/").content).findall("item")

    assert [item.findtext("title") for item in items] == ["Episode 1"]


def test_restricting_a_published_episode_takes_it_out_of_the_next_feed(
    client, feed_path, make_episode
):
    from wagtail.models import PageViewRestriction

    make_episode(number=1)
    episode = make_episode(number=2)
    first = fetch(client, feed_path)
    assert len(channel_of(first.content).findall("item")) == 2

    restriction = PageViewRestriction.objects.create(
        page=episode, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    second = fetch(client, feed_path)
    assert [item.findtext("title") for item in channel_of(second.content).findall("item")] == [
        "Episode 1"
    ]
    assert client.get(feed_path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200

    restriction.delete()
    assert len(channel_of(fetch(client, feed_path).content).findall("item")) == 2


def test_a_control_character_pasted_into_an_episode_does_not_break_the_feed(
    client, show, feed_path, make_episode
):
    # \x0b is Word's manual line break; XML 1.0 cannot carry it.
    make_episode(
        number=1,
        title="Letters\x0bthat work",
        summary="How small changes\x0b to a letter\x0c change what people do.",
        show_notes="<p>Notes\x0b from the studio.</p>",
    )
    show.description = "Behavioural insights\x0b for councils."
    show.save_revision().publish()

    response = fetch(client, feed_path)

    channel = channel_of(response.content)  # well-formed, or this raises
    assert channel.findtext("description") == "Behavioural insights for councils."
    item = channel.find("item")
    assert item.findtext("title") == "Lettersthat work"
    assert item.findtext("description") == "How small changes to a letter change what people do."
    assert item.findtext("content:encoded", namespaces=NS) == "<p>Notes from the studio.</p>"
    assert not feedparser.parse(response.content).bozo


def test_links_in_the_show_notes_are_absolute(client, show, feed_path, make_episode):
    make_episode(
        number=1,
        show_notes=(
            f'<p>More on <a linktype="page" id="{show.pk}">the show page</a>, the '
            '<a href="https://www.local.gov.uk/">LGA</a> and <a href="#top">the top</a>.</p>'
        ),
    )

    notes = channel_of(fetch(client, feed_path).content).findtext(
        "item/content:encoded", namespaces=NS
    )

    assert f'<a href="{show.full_url}">the show page</a>' in notes
    assert show.full_url.startswith("http://localhost/")
    assert '<a href="https://www.local.gov.uk/">LGA</a>' in notes
    assert '<a href="#top">the top</a>' in notes
    assert 'href="/' not in notes


def test_a_cached_feed_and_its_304_are_answered_without_routing(
    client, feed_path, episode, django_assert_max_num_queries, django_assert_num_queries
):
    first = fetch(client, feed_path)
    with django_assert_max_num_queries(2):
        again = fetch(client, feed_path)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # No query at all: neither the Site, nor the page route, nor the specific page is looked up.
    with django_assert_num_queries(0):
        not_modified = client.get(feed_path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]


def test_an_edited_episode_changes_the_validator_at_once(client, feed_path, episode):
    first = fetch(client, feed_path)
    episode.title = "Renamed after publishing"
    episode.save_revision().publish()

    changed = client.get(feed_path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert feedparser.parse(changed.content).entries[0].title == "Renamed after publishing"
    # The 200 carries the ETag the next conditional request is checked against.
    assert client.get(feed_path, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_a_login_restricted_show_feed_is_never_answered_from_the_cache(
    client, show, feed_path, episode
):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=show, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(factories.person())
    member = fetch(client, feed_path)
    assert member.status_code == 200
    client.logout()

    anonymous = client.get(feed_path)
    etag = client.get(feed_path, HTTP_IF_NONE_MATCH=member["ETag"])

    assert anonymous.status_code == 302 and etag.status_code == 302
