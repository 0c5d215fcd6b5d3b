"""Organisers upload episode audio in the media library; a file that is not audio is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from podcasts.models import EpisodeAudio

from .conftest import make_audio, mp3_bytes

pytestmark = pytest.mark.django_db


def upload(client, name, content, title="Episode 1 audio"):
    return client.post(
        reverse("wagtailmedia:add", args=["audio"]),
        {
            "title": title,
            "file": SimpleUploadedFile(name, content, content_type="audio/mpeg"),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def test_an_organiser_uploads_an_mp3_and_its_length_and_size_are_read(
    client, organiser, media_root
):
    client.force_login(organiser)
    response = upload(client, "episode-1.mp3", mp3_bytes(75))
    assert response.status_code == 302, response.content.decode()[:2000]
    audio = EpisodeAudio.objects.get(title="Episode 1 audio")
    assert audio.size == len(mp3_bytes(75))
    assert round(audio.duration) == 75
    assert audio.mime_type == "audio/mpeg"
    assert audio.uploaded_by_user == organiser


def test_a_text_file_named_mp3_is_refused_with_a_message_and_nothing_saved(
    client, organiser, media_root
):
    client.force_login(organiser)
    response = upload(client, "minutes.mp3", b"Minutes of the cabinet meeting\n" * 300)
    assert response.status_code == 200
    assert "This file is not audio we can publish" in response.content.decode()
    assert not EpisodeAudio.objects.exists()


def test_a_video_file_extension_is_refused(client, organiser, media_root):
    client.force_login(organiser)
    response = upload(client, "clip.mov", mp3_bytes(20))
    assert response.status_code == 200
    assert not EpisodeAudio.objects.exists()


def test_deleting_audio_an_episode_uses_says_why_it_cannot_and_keeps_it(client, organiser, episode):
    client.force_login(organiser)
    url = reverse("wagtailmedia:delete", args=[episode.audio_id])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "This audio cannot be deleted" in text and "podcast episodes (1)" in text
    assert "Yes, delete" not in text
    response = client.post(url)
    assert response.status_code == 409
    assert EpisodeAudio.objects.filter(pk=episode.audio_id).exists()


def test_audio_no_episode_uses_is_deleted_as_before(client, organiser, media_root):
    client.force_login(organiser)
    audio = make_audio(5)
    url = reverse("wagtailmedia:delete", args=[audio.pk])
    assert "Yes, delete" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not EpisodeAudio.objects.filter(pk=audio.pk).exists()
