"""The audio library reads every upload; the show and episode ids never move."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from podcasts.models import EpisodeAudio, podcast_guid

from .conftest import make_audio, mp3_bytes


def test_podcast_guid_matches_the_namespace_example():
    # The example in the Podcasting 2.0 namespace's documentation of podcast:guid.
    assert podcast_guid("https://podnews.net/rss") == uuid.UUID(
        "9b024349-ccf0-5f69-a609-6b82873eab3c"
    )
    assert podcast_guid("http://podnews.net/rss/") == podcast_guid("podnews.net/rss")


@pytest.mark.django_db
def test_an_upload_is_read_for_duration_size_and_header(media_root):
    audio = make_audio(75)
    assert audio.mime_type == "audio/mpeg"
    assert audio.size == len(mp3_bytes(75)) == audio.file.size
    assert 74.5 < audio.duration < 75.5
    assert 1000 < audio.header_bytes < 2000  # the ID3 tag the file starts with
    assert audio.bitrate == 32_000
    assert audio.type == "audio"


@pytest.mark.django_db
def test_a_file_that_is_not_audio_is_refused_on_the_file_field(media_root):
    audio = EpisodeAudio(title="Minutes", type="audio")
    audio.file.save("minutes.mp3", ContentFile(b"Minutes of the meeting\n" * 200), save=False)
    with pytest.raises(ValidationError) as error:
        audio.full_clean()
    assert "not audio" in " ".join(error.value.message_dict["file"])


def test_an_episode_guid_survives_edits_and_a_copy_gets_its_own(episode):
    guid = episode.guid
    episode.title = "Episode 1: letters that work"
    episode.save_revision().publish()
    episode.refresh_from_db()
    assert episode.guid == guid
    copy = episode.copy(update_attrs={"slug": "episode-1-copy", "title": "Copy"})
    assert copy.guid != guid
