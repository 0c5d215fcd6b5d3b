"""Benchmark: the podcast feed's 304 and cached 200 against the routed 200, A/B interleaved.

    .venv/bin/python bench/podcast.py

Pins itself to one CPU core and builds a throwaway test database with one show and five
episodes. Each round asks, in turn: the feed routed through Wagtail (its address's cached copy
dropped first, the built feed still cached), the feed from the cache before routing, and a
conditional GET with the ETag (304). Reports medians, ratios against the routed 200, and each
request's queries.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ.setdefault("LMS_TEST_DB", str(Path(tempfile.gettempdir()) / "bench-podcast.sqlite3"))

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

ROUNDS = 300


def timed(call):
    began = time.perf_counter()
    response = call()
    return time.perf_counter() - began, response


def main():
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            from wagtail.models import Page

            from demo.site import ensure_page_tree
            from podcasts import feed
            from podcasts.models import EpisodePage
            from tests import factories
            from tests.podcasts.conftest import TRANSCRIPT, make_audio

            root = Page.get_first_root_node() or ensure_page_tree()
            show = factories.podcast_show(root.get_children().first() or root)
            for number in range(1, 6):
                episode = EpisodePage(
                    title=f"Episode {number}",
                    slug=f"episode-{number}",
                    summary="How small changes to a letter change what people do.",
                    transcript=TRANSCRIPT,
                    episode_number=number,
                    season_number=1,
                    audio=make_audio(75, title=f"Episode {number} audio", seed=number),
                )
                show.add_child(instance=episode)
                episode.save_revision().publish()
            client = Client()
            path = show.url + "feed/"
            etag = client.get(path)["ETag"]

            class Request:  # what address_key reads
                def get_host(self):
                    return "testserver"

            request = Request()
            request.path = path
            asks = {
                "routed 200": lambda: (cache.delete(feed.address_key(request)), client.get(path))[
                    1
                ],
                "cached 200": lambda: client.get(path),
                "304": lambda: client.get(path, HTTP_IF_NONE_MATCH=etag),
            }
            times = {name: [] for name in asks}
            for _ in range(ROUNDS):
                for name, ask in asks.items():
                    seconds, response = timed(ask)
                    assert response.status_code == (304 if name == "304" else 200)
                    times[name].append(seconds)
            queries = {}
            for name, ask in asks.items():
                with CaptureQueriesContext(connection) as captured:
                    ask()
                queries[name] = len(captured)
        base = statistics.median(times["routed 200"])
        print(f"database: {connection.vendor}; one core; {ROUNDS} rounds, interleaved")
        for name in asks:
            median = statistics.median(times[name])
            print(
                f"{name}: {median * 1000:.2f} ms median, {median / base:.2f}x routed 200, "
                f"{queries[name]} queries"
            )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
