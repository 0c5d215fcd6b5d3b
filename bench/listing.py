"""Benchmark: the "What's on" listing at 10 and 1,000 runs, against a bare Django view.

    .venv/bin/python bench/listing.py            # SQLite
    DATABASE_URL=postgres://... .venv/bin/python bench/listing.py

Builds a throwaway test database, then for each size reports the listing's median server time
over repeated requests (Django's test client: the whole request/response cycle, no network), its
query count, and the median time of a bare view returning the same HTML bytes.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

REPEAT = 30


def median_ms(call, repeat=REPEAT):
    call()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build(count, listing):
    from datetime import timedelta

    from lms.bookings import services
    from tests import factories

    pages = [factories.course_page(f"Course {i}") for i in range(10)]
    venues = [factories.venue(city) for city in ("Manchester", "Bristol", "Leeds", "London")]
    people = [factories.person() for _ in range(20)]
    from lms.bookings.models import Run

    have = Run.objects.count()
    for i in range(have, count):
        run = factories.run(
            page=pages[i % 10],
            capacity=15,
            venue=venues[i % 4],
            title=f"Run {i}",
            starts_in=timedelta(days=10 + i % 300),
        )
        for person in people[: i % 5]:
            services.book(person, run)


@override_settings(ROOT_URLCONF="bench.urls")
def main():
    from bench.urls import BARE_HTML

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from demo.site import load_site
        from events.models import WhatsOnPage
        from lms.pages.models import HomePage

        load_site()
        listing = HomePage.objects.get().add_child(
            instance=WhatsOnPage(title="What's on", slug="whats-on")
        )
        client = Client()
        rows = []
        for size in (10, 1000):
            build(size, listing)
            url = listing.url
            response = client.get(url)
            assert response.status_code == 200 and b"Run 1" in response.content, (
                response.status_code
            )
            BARE_HTML["body"] = response.content
            from lms.core.cache import bump, bump_places

            def cold_get(url=url):
                bump_places()  # as after any booking: the cached copy is stale, so it renders
                return client.get(url)

            queries = []
            with connection.execute_wrapper(
                lambda execute, sql, *a, q=queries: q.append(sql) or execute(sql, *a)
            ):
                cold_get()
            cold_ms = median_ms(cold_get)
            warm_queries = []
            client.get(url)
            with connection.execute_wrapper(
                lambda execute, sql, *a, q=warm_queries: q.append(sql) or execute(sql, *a)
            ):
                client.get(url)
            listing_ms = median_ms(lambda url=url: client.get(url))
            # The same bytes through the same middleware, from a view that does no work.
            bare_ms = median_ms(lambda: client.get("/bench/bare/"))

            def cold_feed():
                bump()
                return client.get("/calendar/whats-on.ics")

            feed_cold_ms = median_ms(cold_feed, repeat=5)
            feed_ms = median_ms(lambda: client.get("/calendar/whats-on.ics"))
            rows.append(
                (
                    size,
                    cold_ms,
                    len(queries),
                    listing_ms,
                    len(warm_queries),
                    bare_ms,
                    feed_cold_ms,
                    feed_ms,
                )
            )
        print(f"database: {connection.vendor}")
        print(
            "runs | listing cold ms (queries) | listing cached ms (queries) | bare view ms | cached/bare | feed cold ms | feed cached ms"
        )
        for size, cold, cold_q, warm, warm_q, bare, feed_cold, feed in rows:
            print(
                f"{size} | {cold:.1f} ({cold_q}) | {warm:.1f} ({warm_q}) | {bare:.1f} | {warm / bare:.1f} | {feed_cold:.1f} | {feed:.1f}"
            )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
