"""A small searchable site: the demo's home page and themes, a podcast show with episodes, and
course and conference pages built by the tests."""

import pytest
from wagtail.models import Site

from podcasts.models import EpisodePage
from tests import factories
from tests.podcasts.conftest import make_audio


@pytest.fixture
def home(demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def show(home):
    return factories.podcast_show(home)


@pytest.fixture
def make_episode(show):
    """A published episode: make_episode(title, transcript=…, **fields). All share one short
    audio file (encoding audio is the slow part)."""
    audio = make_audio(5)
    numbers = iter(range(1, 1000))

    def make(title, publish=True, **fields):
        number = next(numbers)
        fields.setdefault("summary", "How small changes to a letter change what people do.")
        fields.setdefault("transcript", "Amira: Welcome to Nudges for Social Good.")
        fields.setdefault("live", publish)
        episode = EpisodePage(
            title=title, slug=f"episode-{number}", episode_number=number, audio=audio, **fields
        )
        show.add_child(instance=episode)
        revision = episode.save_revision()
        if publish:
            revision.publish()
        return EpisodePage.objects.get(pk=episode.pk)

    return make
