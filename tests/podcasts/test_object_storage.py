"""The podcast with no local disk: audio uploaded, read on upload, put in the feed and served in
byte ranges when the files live in object storage (several machines, one bucket)."""

import feedparser
import pytest

from tests.object_storage import ObjectStorage, use_object_storage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def object_storage(settings):
    use_object_storage(settings)


def test_audio_in_object_storage_is_read_listed_and_served_in_ranges(client, show, episode):
    assert isinstance(episode.audio.file.storage, ObjectStorage)
    with episode.audio.file.open("rb") as handle:
        data = handle.read()
    assert episode.audio.size == len(data) and episode.audio.duration > 0

    feed = feedparser.parse(client.get(show.url + "feed/").content)
    (enclosure,) = feed.entries[0].enclosures
    assert int(enclosure.length) == len(data)

    response = client.get(
        episode.audio_path(),
        HTTP_RANGE="bytes=100-199",
        HTTP_USER_AGENT="Overcast/3.0 (+http://overcast.fm/; iOS podcast app)",
    )
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == data[100:200]


def test_with_object_storage_audio_can_redirect_to_a_signed_url(client, episode, settings):
    settings.PODCAST_AUDIO_DELIVERY = "redirect"
    response = client.get(
        episode.audio_path(), HTTP_USER_AGENT="Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"https://bucket.example.net/{episode.audio.file.name}?")
