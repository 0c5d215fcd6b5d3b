"""A show with artwork and episodes with real MP3 audio, for every podcast test."""

import functools
import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from podcasts import synth
from podcasts.models import EpisodeAudio, EpisodePage
from tests import factories

TRANSCRIPT = (
    "Amira: Welcome to Nudges for Social Good.\n\n"
    "Tom: Today we look at letters that get council tax paid on time."
)


@functools.cache
def mp3_bytes(seconds, seed=0):
    """MP3 bytes made once per length for the whole test run (encoding takes about a second)."""
    return synth.mp3(seconds, seed=seed)


def png_bytes(width=1400, height=1400, mode="RGB", fmt="PNG"):
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height), "#1d70b8" if mode == "RGB" else 128).save(buffer, fmt)
    return buffer.getvalue()


def make_image(width=1400, height=1400, mode="RGB", fmt="PNG", title="Show artwork"):
    extension = "jpg" if fmt == "JPEG" else fmt.lower()
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(io.BytesIO(png_bytes(width, height, mode, fmt)), name=f"art.{extension}"),
    )


def make_audio(seconds=75, title="Episode audio", seed=0):
    """An EpisodeAudio read from a real MP3 the way an upload is (clean() fills the facts)."""
    audio = EpisodeAudio(title=title, type="audio")
    audio.file.save(f"episode-{seconds}s.mp3", ContentFile(mp3_bytes(seconds, seed)), save=False)
    audio.full_clean()
    audio.save()
    return audio


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def show(db, media_root):
    from demo.site import ensure_page_tree

    root = Page.get_first_root_node() or ensure_page_tree()
    parent = root.get_children().first() or root
    return factories.podcast_show(parent)


@pytest.fixture
def make_episode(show):
    """An episode under the show: make_episode(seconds=75, number=1, **fields); published unless
    publish=False, which leaves a draft that is not live."""

    def make(seconds=75, number=1, publish=True, **fields):
        fields.setdefault("title", f"Episode {number}")
        fields.setdefault("slug", f"episode-{number}")
        fields.setdefault("summary", "How small changes to a letter change what people do.")
        fields.setdefault("transcript", TRANSCRIPT)
        fields.setdefault("published_at", timezone.now() - timedelta(days=10 - number))
        fields.setdefault("episode_number", number)
        fields.setdefault("live", publish)
        fields.setdefault("season_number", 1)
        if "audio" not in fields:
            fields["audio"] = make_audio(seconds, title=f"Episode {number} audio", seed=number)
        episode = EpisodePage(**fields)
        show.add_child(instance=episode)
        revision = episode.save_revision()
        if publish:
            revision.publish()
        return EpisodePage.objects.get(pk=episode.pk)

    return make


@pytest.fixture
def episode(make_episode):
    return make_episode()
