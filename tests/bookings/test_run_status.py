"""A run reads Upcoming, Running, Held or Cancelled; the admin's runs open on upcoming ones."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from lms.bookings import services
from lms.bookings.models import Run, RunPhase, Session
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_runs():
    page = factories.course_page()
    now = timezone.now()
    upcoming = factories.run(page, title="Leeds")
    running = factories.run(page, title="Bristol")
    held = factories.run(page, title="York")
    cancelled = factories.run(page, title="Hull")
    services.cancel_run(cancelled, "The hall is closed.")
    for run, start in ((running, now - timedelta(hours=1)), (held, now - timedelta(days=30))):
        Session.objects.filter(run=run).update(starts_at=start, ends_at=start + timedelta(hours=6))
        run.refresh_dates()
    return {"upcoming": upcoming, "running": running, "held": held, "cancelled": cancelled}


def test_each_run_reads_where_it_stands(four_runs):
    phases = {name: Run.objects.get(pk=run.pk).phase() for name, run in four_runs.items()}
    assert phases == {
        "upcoming": RunPhase.UPCOMING,
        "running": RunPhase.RUNNING,
        "held": RunPhase.HELD,
        "cancelled": RunPhase.CANCELLED,
    }
    for name, run in four_runs.items():
        assert list(Run.objects.in_phase(phases[name])) == [run]


def listed(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        row.select_one("td a").get_text(" ", strip=True).split(": ")[-1]: row.select("td")[
            3
        ].get_text(strip=True)
        for row in soup.select("tbody tr")
    }


def test_the_runs_listing_opens_on_upcoming_runs_with_a_filter_for_the_rest(
    client, organiser, four_runs
):
    client.force_login(organiser)
    assert listed(client.get("/admin/runs/")) == {"Leeds": "Upcoming"}
    assert listed(client.get("/admin/runs/", {"when": "running"})) == {"Bristol": "Running"}
    assert listed(client.get("/admin/runs/", {"when": "held"})) == {"York": "Held"}
    assert listed(client.get("/admin/runs/", {"when": "cancelled"})) == {"Hull": "Cancelled"}
    everything = listed(client.get("/admin/runs/", {"when": "all"}))
    assert everything == {
        "Leeds": "Upcoming",
        "Bristol": "Running",
        "York": "Held",
        "Hull": "Cancelled",
    }
    assert "Scheduled" not in client.get("/admin/runs/", {"when": "all"}).content.decode()
    response = client.get("/admin/runs/", {"when": "all", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row["Status"] for row in rows) == ["Cancelled", "Held", "Running", "Upcoming"]
    page = client.get(f"/admin/runs/{four_runs['held'].pk}/manage/").content.decode()
    assert "<strong>Held</strong>" in page
