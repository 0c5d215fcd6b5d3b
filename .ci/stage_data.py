"""What the production stage's journey needs in the database, made through the site's own code
(pages through Wagtail, the run and its session through the run service the admin's run editor
calls), never by SQL.

    python .ci/stage_data.py setup FILE  the site's pages, a masterclass with one run next week,
                                         a podcast show with one episode; their ids as JSON in FILE
                                         (not on stdout, where the site's logs go)
    python .ci/stage_data.py end-run ID  the run's session moved to earlier today, as if a week
                                         had passed (the register and the survey need a run that
                                         has taken place)

Runs with the stage's environment (lms.settings.production)."""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from courses.models import MasterclassPage  # noqa: E402
from demo.podcast import artwork_png  # noqa: E402
from demo.site import load_site  # noqa: E402
from lms.bookings.models import Run, Session, Venue  # noqa: E402
from lms.bookings.runs import NewSession, create_run  # noqa: E402
from lms.pages.models import HomePage  # noqa: E402
from podcasts import synth  # noqa: E402
from podcasts.models import EpisodeAudio, EpisodePage, PodcastPage  # noqa: E402

EPISODE_SECONDS = 20


def setup(path):
    with transaction.atomic():
        load_site()  # home page, themes, footer pages, the default Site at SITE_URL's address
        home = HomePage.objects.get()
        course = home.add_child(
            instance=MasterclassPage(
                title="Data and digital transformation",
                slug="data-and-digital",
                summary="A one-day masterclass on using data to redesign council services.",
            )
        )
        course.save_revision().publish()
        venue = Venue.objects.create(
            name="Manchester Central Library",
            address="St Peter's Square",
            city="Manchester",
            region="north_west",
        )
        start = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
        run = create_run(
            sessions=[NewSession(start, start + timedelta(hours=6))],
            page=course,
            title="Manchester",
            reference_prefix="MC",
            venue=venue,
            capacity=20,
            certificate_requires_survey=True,
        )
        session = run.sessions.get()

        artwork = get_image_model().objects.create(
            title="Stage show artwork",
            file=ImageFile(ContentFile(artwork_png("Stage show")), name="stage-show.png"),
        )
        show = home.add_child(
            instance=PodcastPage(
                title="Stage show",
                slug="stage-show",
                artwork=artwork,
                description="A show the production stage publishes to listen to.",
                author="Council skills programme",
                owner_name="Programme team",
                owner_email="productivity@example.org",
            )
        )
        show.save_revision().publish()
        audio = EpisodeAudio(title="Stage episode", type="audio")
        audio.file.save(
            "stage-episode.mp3",
            ContentFile(synth.mp3(EPISODE_SECONDS, title="Stage episode", album="Stage show")),
            save=False,
        )
        audio.full_clean()
        audio.save()
        episode = show.add_child(
            instance=EpisodePage(
                title="Stage episode",
                slug="stage-episode",
                summary="Twenty seconds of tone.",
                show_notes="<p>Notes.</p>",
                audio=audio,
                published_at=timezone.now(),
                transcript="A tone, for twenty seconds.",
            )
        )
        episode.save_revision().publish()
    show = PodcastPage.objects.get(pk=show.pk)
    episode = EpisodePage.objects.get(pk=episode.pk)
    Path(path).write_text(
        json.dumps(
            {
                "run": run.pk,
                "session": session.pk,
                "course_url": course.url,
                "show_url": show.url,
                "episode": episode.pk,
                "episode_guid": str(episode.guid),
                "audio_size": audio.file.size,
                "audio_name": audio.file.name,
            }
        )
    )


def end_run(run_id):
    """Time passing, for one run: its session now ended an hour ago. An update of the rows, as the
    clock would make it, not an edit: an edit tells everyone booked that the run has moved."""
    run = Run.objects.get(pk=run_id)
    end = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    Session.objects.filter(run=run).update(starts_at=end - timedelta(hours=6), ends_at=end)
    run.refresh_dates()
    print(json.dumps({"run": run.pk, "ends_at": run.ends_at.isoformat()}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"] and len(sys.argv) == 3:
        setup(sys.argv[2])
    elif sys.argv[1:2] == ["end-run"] and len(sys.argv) == 3:
        end_run(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
