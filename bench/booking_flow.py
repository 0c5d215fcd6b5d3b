"""Benchmark: the server time of one booking, request by request, and where it goes.

    .venv/bin/python bench/booking_flow.py                 # SQLite
    DATABASE_URL=postgres://... .venv/bin/python bench/booking_flow.py
    .venv/bin/python bench/booking_flow.py --profile       # and the profile of 50 bookings

One core (it pins itself), a throwaway test database, Django's test client in-process (no
network, no client parsing): 60 people each book a place through the four requests of the flow
(the form, the answers, "Confirm booking", the confirmation), with emails queued in the database
as in production. Reports each request's median and the flow's total: the server CPU a booking
costs, which bounds what `bench/booking_load.py` can reach on this machine.
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
os.environ.setdefault("LMS_TEST_DB", str(Path(tempfile.gettempdir()) / "bench-flow.sqlite3"))

import django

django.setup()
logging.disable(logging.INFO)

from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

PEOPLE = 60
STEPS = ("form", "answers", "confirm", "confirmation")


@override_settings(
    TASKS={
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "emails", "certificates"],
        }
    }
)
def main():
    import cProfile
    import pstats

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    setup_test_environment()
    from django.template import Template
    from django.test import utils

    Template._render = utils._TestState.saved_data.template_render  # as served, not as tested
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from allauth.account.models import EmailAddress

        from demo.site import load_site
        from tests import factories

        load_site()
        page = factories.course_page("Flow course")
        runs = [factories.run(page=page, capacity=PEOPLE, title=f"Run {i}") for i in range(3)]
        times = {step: [] for step in STEPS}
        profiler = cProfile.Profile() if "--profile" in sys.argv else None
        for n in range(PEOPLE):
            person = factories.person()
            EmailAddress.objects.create(
                user=person, email=person.email, verified=True, primary=True
            )
            client = Client()
            client.force_login(person)
            run = runs[n % 3]
            if profiler and n == 10:
                profiler.enable()
            asks = [
                lambda client=client, run=run: client.get(f"/book/{run.pk}/"),
                lambda client=client, run=run: client.post(f"/book/{run.pk}/", {"needs": ""}),
                lambda client=client, run=run: client.post(f"/book/{run.pk}/check/"),
            ]
            response = None
            for step, ask in zip(STEPS, asks, strict=False):
                began = time.perf_counter()
                response = ask()
                times[step].append(time.perf_counter() - began)
            assert response.status_code == 302, response.status_code
            began = time.perf_counter()
            assert client.get(response["Location"]).status_code == 200
            times["confirmation"].append(time.perf_counter() - began)
        if profiler:
            profiler.disable()
        load = os.getloadavg()[0]
        print(
            f"{os.environ.get('DATABASE_URL', 'sqlite').split(':')[0]}; one core; load {load:.2f}"
        )
        for step in STEPS:
            print(f"{step}: {statistics.median(times[step]) * 1000:.1f} ms median")
        total = sum(statistics.median(times[step]) for step in STEPS)
        print(f"one booking: {total * 1000:.1f} ms of server time: {1 / total:.1f} a second a core")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"/work/main/|render", 40)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
