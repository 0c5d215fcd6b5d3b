"""Benchmark: the podcast feed's 304 and cached 200 against the routed 200, and a counted 64 KB
audio range against a bare view sending 64 KB, A/B interleaved.

    .venv/bin/python bench/podcast.py
    .venv/bin/python bench/podcast.py --profile     # where the audio request's time goes

Pins itself to one CPU core and builds a throwaway test database with one show and five
episodes. Each round asks, in turn: the feed routed through Wagtail (its address's cached copy
dropped first, the built feed still cached), the feed from the cache before routing, a
conditional GET with the ETag (304), a player's 64 KB range of an episode (counted: one listen
grows), and `bench/urls.py`'s bare view reading the same 64 KB of the stored file. Reports
medians, ratios against the routed 200 (feeds) or the bare view (audio), and each request's
queries.
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


# Every request comes from one address: the per-address limit would answer 429 after 60.
@override_settings(ROOT_URLCONF="bench.urls", PODCAST_RATE_LIMIT=10**9)
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
            from bench.urls import BARE_FILE

            played = EpisodePage.objects.live().order_by("pk").first()
            BARE_FILE["name"] = played.audio.file.name
            player = {
                "HTTP_RANGE": "bytes=65536-131071",
                "HTTP_USER_AGENT": "AppleCoreMedia/1.0.0.20E247 (iPhone; U; CPU OS 16_4)",
            }
            asks = {
                "routed 200": lambda: (cache.delete(feed.address_key(request)), client.get(path))[
                    1
                ],
                "cached 200": lambda: client.get(path),
                "304": lambda: client.get(path, HTTP_IF_NONE_MATCH=etag),
                "audio 64 KB, counted": lambda: client.get(played.audio_path(), **player),
                "bare 64 KB view": lambda: client.get("/bench/range/"),
            }
            expected = {"304": 304, "audio 64 KB, counted": 206, "bare 64 KB view": 206}
            if "--profile" in sys.argv:
                import cProfile
                import pstats

                ask = asks["audio 64 KB, counted"]
                with cProfile.Profile() as profiler:
                    for _ in range(200):
                        b"".join(ask().streaming_content)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"/work/main/", 40)
                with CaptureQueriesContext(connection) as captured:
                    ask()
                print(*(q["sql"][:200] for q in captured), sep="\n")
                return
            times = {name: [] for name in asks}
            for _ in range(ROUNDS):
                for name, ask in asks.items():
                    seconds, response = timed(ask)
                    assert response.status_code == expected.get(name, 200), (name, response)
                    if response.streaming:
                        b"".join(response.streaming_content)
                    times[name].append(seconds)
            queries = {}
            for name, ask in asks.items():
                with CaptureQueriesContext(connection) as captured:
                    ask()
                queries[name] = len(captured)
        base = statistics.median(times["routed 200"])
        bare = statistics.median(times["bare 64 KB view"])
        load = os.getloadavg()[0]
        print(
            f"database: {connection.vendor}; one core; {ROUNDS} rounds, interleaved; "
            f"load average {load:.2f}"
        )
        for name in asks:
            median = statistics.median(times[name])
            against = (
                f"{median / bare:.2f}x bare 64 KB view"
                if "64 KB" in name
                else f"{median / base:.2f}x routed 200"
            )
            print(f"{name}: {median * 1000:.2f} ms median, {against}, {queries[name]} queries")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
