"""What the booking flow costs the database, as a person books: the four requests (the form,
the answers, "Confirm booking", the confirmation) with the email queued in the database as in
production. Counts are stable where times are not (bench/booking_load.py has the times)."""

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from lms.bookings.models import Booking, BookingStatus
from tests import factories

pytestmark = pytest.mark.django_db

# The test's own transaction makes each atomic block a savepoint (two statements) that in
# production is the transaction itself: those are not the flow's queries.
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def book(client, run):
    """The flow as the browser goes through it; [(step, status, queries)]."""
    steps = []
    for step, call in [
        ("form", lambda: client.get(f"/book/{run.pk}/")),
        ("answers", lambda: client.post(f"/book/{run.pk}/", {"needs": ""})),
        ("confirm", lambda: client.post(f"/book/{run.pk}/check/")),
    ]:
        with CaptureQueriesContext(connection) as captured:
            response = call()
        steps.append((step, response, captured))
    with CaptureQueriesContext(connection) as captured:
        done = client.get(steps[-1][1]["Location"])
    steps.append(("confirmation", done, captured))
    return [
        (
            step,
            response.status_code,
            len([q for q in captured if not q["sql"].startswith(SAVEPOINTS)]),
        )
        for step, response, captured in steps
    ]


def test_booking_a_place_costs_twenty_queries_at_most(client, database_queue):
    person = factories.person()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)
    book(client, factories.run(title="First"))  # fills the caches a visitor's first page fills
    run = factories.run(capacity=20, title="Second")
    client.get(f"/book/{run.pk}/")  # the run is new: its page's route is read once

    steps = book(client, run)

    assert [(step, status) for step, status, _ in steps] == [
        ("form", 200),
        ("answers", 302),
        ("confirm", 302),
        ("confirmation", 200),
    ]
    assert Booking.objects.get(run=run, person=person).status == BookingStatus.CONFIRMED
    assert DBTaskResult.objects.filter(task_path__endswith="send_booking_email").count() == 2
    total = sum(queries for _, _, queries in steps)
    assert total <= 20, steps
