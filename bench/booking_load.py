"""Benchmark: booking requests per second under concurrent clients, gunicorn and PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/lms_bench .venv/bin/python bench/booking_load.py

Migrates the database named by DATABASE_URL (use a throwaway one), creates RUNS runs of
CAPACITY places and one signed-in person per client, starts gunicorn on 127.0.0.1:8765, and
has CLIENTS threads each book every run through the real flow (GET the form, POST the answers,
POST "Confirm booking", the confirmation page it redirects to). Emails are queued in the
database as in production (`bench/settings.py`), for the worker to render and send: the
benchmark counts them afterwards. Reports bookings per second and HTTP requests per second, then
checks that no run holds more confirmed places than it has. All traffic stays on loopback and
the request count is bounded (CLIENTS x RUNS x 4).
"""

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
CLIENTS, RUNS, CAPACITY, WORKERS = 50, 12, 10, 4
BASE = "http://127.0.0.1:8765"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from allauth.account.models import EmailAddress  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def prepare():
    from demo.site import load_site
    from lms.bookings.models import BookingStatus
    from tests import factories

    call_command("migrate", verbosity=0)
    load_site()
    page = factories.course_page("Load test course")
    runs = [factories.run(page=page, capacity=CAPACITY, title=f"Load {i}") for i in range(RUNS)]
    sessions = []
    for _ in range(CLIENTS):
        person = factories.person()
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        client = Client()
        client.force_login(person)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return runs, sessions, BookingStatus


def book_all(session_id, runs, counter):
    http = requests.Session()
    http.cookies.set(settings.SESSION_COOKIE_NAME, session_id)
    for run in runs:
        form = BeautifulSoup(http.get(f"{BASE}/book/{run.pk}/").text, "html.parser")
        token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
        headers = {"Referer": BASE}
        http.post(
            f"{BASE}/book/{run.pk}/",
            data={"csrfmiddlewaretoken": token, "needs": ""},
            headers=headers,
        )
        response = http.post(
            f"{BASE}/book/{run.pk}/check/", data={"csrfmiddlewaretoken": token}, headers=headers
        )
        assert response.status_code == 200, response.status_code
        with counter["lock"]:
            counter["requests"] += 4  # the confirmation page after the redirect counts too


def main():
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a throwaway PostgreSQL database.")
    runs, sessions, BookingStatus = prepare()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi",
            "--bind",
            "127.0.0.1:8765",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        for _ in range(50):
            try:
                requests.get(BASE + "/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        counter = {"requests": 0, "lock": threading.Lock()}
        start = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(lambda s: book_all(s, runs, counter), sessions))
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    bookings = CLIENTS * RUNS
    print(f"{CLIENTS} clients, {RUNS} runs of {CAPACITY} places, gunicorn {WORKERS} workers")
    print(
        f"{bookings} bookings in {elapsed:.1f} s: {bookings / elapsed:.1f} bookings/s, "
        f"{counter['requests'] / elapsed:.1f} HTTP requests/s"
    )
    over = [
        r.pk for r in runs if r.bookings.filter(status=BookingStatus.CONFIRMED).count() > CAPACITY
    ]
    full = sum(r.bookings.filter(status=BookingStatus.CONFIRMED).count() == CAPACITY for r in runs)
    print(f"runs over capacity: {len(over)}; runs exactly full: {full} of {RUNS}")
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(task_path__endswith="send_booking_email").count()
    print(f"booking emails queued for the worker: {queued} (one per booking: {bookings})")
    load = os.getloadavg()
    print(f"load average after the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
