"""Each Figures page makes the same number of queries however much there is to count: more
runs, bookings, registers and survey answers make the queries work harder, never more of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.bookings.models import BookingStatus

from .conftest import A, P, answer, at, book, held_run, person

PAGES = [
    (reverse("reports_summary"), {"year": "2019/20"}),
    (reverse("reports_summary"), {"year": "2019/20", "export": "csv"}),
    (reverse("reports_reach"), {"year": "all"}),
    (reverse("reports_never_reached"), {"role": "councillor"}),
    (reverse("reports_paragraph"), {"year": "2019/20", "theme": "transforming-services"}),
]


def _counts(client, programme):
    pages = PAGES + [
        (reverse("reports_course"), {"year": "2019/20", "course": programme.digital.pk})
    ]
    out = []
    for url, query in pages:
        client.get(url, query)  # once first: per-process caches (content types, sites) filled
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, query).status_code == 200
        out.append(len(captured))
    return out


@pytest.mark.django_db
def test_figures_pages_make_as_many_queries_with_more_to_count(client, organiser, programme):
    client.force_login(organiser)
    before = _counts(client, programme)
    people = [
        person(f"More {i}", "councillor", code)
        for i, code in enumerate(["MAN", "LEE", "YOR", "CAM"] * 3)
    ]
    for day in (10, 17):
        run = held_run(
            programme.digital,
            f"Leeds {day}",
            at(2020, 2, day),
            city="Leeds",
            audience="councillors",
        )
        for i, someone in enumerate(people):
            booking = book(run, someone, marks=[A if i % 3 else P])
            if i % 2:
                answer(run, booking, "Very satisfied", 9)
        book(run, person(f"Waiting {day}", "councillor", "KEN"), status=BookingStatus.WAITLISTED)
    assert _counts(client, programme) == before
