"""Benchmark: the rendered "What's on" listing against a bare Django view listing the same rows,
at 10, 1,000 and 10,000 upcoming runs, A/B interleaved.

    .venv/bin/python bench/listing.py                      # SQLite
    DATABASE_URL=postgres://... .venv/bin/python bench/listing.py
    .venv/bin/python bench/listing.py --profile 1000       # where the rendered page's time goes

Pins itself to one CPU core and builds a throwaway test database. For each size, each round asks
in turn (Django's test client: the whole middleware, URL, Wagtail page and template cycle, no
network):

- the listing **signed in** (always rendered: the header is personal);
- the listing **anonymous, stale** (the places version raised just before, as after any booking,
  so the cached copy cannot answer);
- the listing **anonymous, cached** (a repeat visit);
- the **bare view** (`bench/urls.py`): a plain Django view that lists the same first 20 runs,
  with their sessions and places taken, in a minimal template: two queries.

It reports the median time of each, its ratio to the bare view's, the queries, and the median
time spent in SQL (measured around each query) against the bare view's SQL.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ.setdefault("LMS_TEST_DB", str(Path(tempfile.gettempdir()) / "bench-listing.sqlite3"))

import django

django.setup()
logging.disable(logging.INFO)  # the services' and Wagtail's log lines, while building

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

ROUNDS = 60
SIZES = (10, 1000, 10000)


class SqlTimer:
    """Counts the queries of one request and the time spent executing them."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - began
            self.queries += 1


def build(count, pages, venues, people):
    """Upcoming runs up to `count`: the first through the services (as organisers make them),
    the rest copied in bulk from those (creating 10,000 through the services takes an hour).
    Run i has i % 5 confirmed bookings."""
    import secrets
    import uuid
    from datetime import timedelta

    from lms.bookings import services
    from lms.bookings.models import Booking, BookingStatus, Run, Session
    from tests import factories

    have = Run.objects.count()
    for i in range(have, min(count, 10)):
        run = factories.run(
            page=pages[i % 10],
            capacity=15,
            venue=venues[i % 4],
            title=f"Run {i}",
            starts_in=timedelta(days=10 + i % 300),
        )
        for person in people[: i % 5]:
            services.book(person, run)
    have = Run.objects.count()
    if have >= count:
        return
    template = Run.objects.order_by("pk").first()
    session = template.sessions.get()
    length = session.ends_at - session.starts_at
    first_start = session.starts_at
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Run._meta.concrete_fields
        if not f.primary_key and not f.unique
    }
    new_runs = []
    for i in range(have, count):
        start = first_start + timedelta(days=i % 300, minutes=i % 600)
        new_runs.append(
            Run(
                **{
                    **fields,
                    "page_id": pages[i % 10].pk,
                    "venue_id": venues[i % 4].pk,
                    "title": f"Run {i}",
                    "calendar_uid": uuid.uuid4(),
                    "starts_at": start,
                    "ends_at": start + length,
                }
            )
        )
    new_runs = Run.objects.bulk_create(new_runs, batch_size=500)
    if new_runs[0].pk is None:  # backends that do not return keys from a bulk insert
        new_runs = list(Run.objects.filter(pk__gt=template.pk).order_by("pk")[have - 1 :])
    Session.objects.bulk_create(
        [Session(run=run, starts_at=run.starts_at, ends_at=run.ends_at) for run in new_runs],
        batch_size=500,
    )
    bookings = []
    numbered = Booking.objects.count()
    for n, run in enumerate(new_runs, start=have):
        for person in people[: n % 5]:
            bookings.append(
                Booking(
                    run=run,
                    person=person,
                    reference=f"BN{numbered + len(bookings):08d}",
                    checkin_token=secrets.token_urlsafe(24),
                    status=BookingStatus.CONFIRMED,
                    confirmed_at=run.starts_at - timedelta(days=1),
                )
            )
    Booking.objects.bulk_create(bookings, batch_size=500)
    # Fresh planner statistics, as autovacuum keeps them on a live database: straight after a
    # bulk insert PostgreSQL plans for empty tables (97 ms instead of 1 ms for the page's query).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from lms.core.cache import bump, bump_places

    bump()
    bump_places()


def measure(call, before=None):
    if before:
        before()
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        began = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - began
    assert response.status_code == 200, response.status_code
    return elapsed * 1000, timer.seconds * 1000, timer.queries


@override_settings(ROOT_URLCONF="bench.urls")
def main():
    profile_size = None
    if "--profile" in sys.argv:
        profile_size = int(sys.argv[sys.argv.index("--profile") + 1])
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    setup_test_environment()
    # The test runner's template instrumentation (a signal per template rendered) is no part of
    # serving a page: put Django's own rendering back.
    from django.template import Template
    from django.test import utils

    Template._render = utils._TestState.saved_data.template_render
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from demo.site import load_site
        from events.models import WhatsOnPage
        from lms.core.cache import bump_places
        from lms.pages.models import HomePage
        from tests import factories

        load_site()
        listing = HomePage.objects.get().add_child(
            instance=WhatsOnPage(title="What's on", slug="whats-on")
        )
        pages = [factories.course_page(f"Course {i}") for i in range(10)]
        venues = [factories.venue(city) for city in ("Manchester", "Bristol", "Leeds", "London")]
        people = [factories.person() for _ in range(20)]
        signed_in, anonymous = Client(), Client()
        signed_in.force_login(factories.person(email="reader@example.org"))
        url = listing.url
        variants = {
            "signed in": (lambda: signed_in.get(url), None),
            "anonymous, stale": (lambda: anonymous.get(url), bump_places),
            "anonymous, cached": (lambda: anonymous.get(url), None),
            "bare view": (lambda: anonymous.get("/bench/bare/"), None),
        }
        rows = []
        for size in SIZES:
            build(size, pages, venues, people)
            for call, _ in variants.values():
                call()  # warm up
            first = signed_in.get(url).content.decode()
            assert "Run 0" in first and "of 15 left" in first
            if profile_size == size:
                profile(variants["signed in"][0])
                return
            results = {name: [] for name in variants}
            for _ in range(ROUNDS):
                for name, (call, before) in variants.items():
                    results[name].append(measure(call, before))
            rows.append((size, results))
        load = os.getloadavg()
        print(
            f"database: {connection.vendor}; one core; {ROUNDS} rounds; load average {load[0]:.2f}"
        )
        print("runs | request | median ms | × bare | queries | SQL ms | SQL × bare")
        for size, results in rows:
            bare_ms = statistics.median(r[0] for r in results["bare view"])
            bare_sql = statistics.median(r[1] for r in results["bare view"])
            for name, measured in results.items():
                ms = statistics.median(r[0] for r in measured)
                sql = statistics.median(r[1] for r in measured)
                queries = sorted({r[2] for r in measured})
                print(
                    f"{size:,} | {name} | {ms:.2f} | {ms / bare_ms:.2f} | "
                    f"{'/'.join(map(str, queries))} | {sql:.2f} | {sql / bare_sql:.2f}"
                )
    finally:
        teardown_databases(old, verbosity=0)


def profile(call):
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(50):
        call()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    pstats.Stats(profiler).print_callers(
        r"builtins.any|models/base.py:462|inspect.py:3076|dateformat.py:40\(format"
    )
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(
        r"/work/main/(lms|events|courses|pages|templates)|query.py:.*__iter__|compiler.py.*execute_sql|boundfield|loader_tags|wagtail/(views|models)",
        60,
    )


if __name__ == "__main__":
    main()
