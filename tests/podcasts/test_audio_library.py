"""Organisers upload episode audio in the media library; a file that is not audio is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from podcasts.models import EpisodeAudio

from .conftest import mp3_bytes

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


def test_an_organiser_uploads_an_mp3_and_its_length_and_size_are_read(client, organiser, media_root):
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
