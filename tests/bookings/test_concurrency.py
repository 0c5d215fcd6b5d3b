"""Capacity under load: many people pressing "Confirm booking" at the same moment, over HTTP."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client

from lms.bookings import services
from lms.bookings.models import Booking, BookingStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def councils(transactional_db):
    """A transactional test starts from an emptied database: put the council directory back."""
    from lms.accounts.councils import load_councils

    load_councils()


PEOPLE = 20


def browser_session(live_server, run):
    """A signed-in person's HTTP session that has answered the questions and sits on
    the check-answers page, ready to confirm."""
    person = factories.person()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client = Client()
    client.force_login(person)
    http = requests.Session()
    http.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    form = BeautifulSoup(http.get(f"{live_server.url}/book/{run.pk}/").text, "html.parser")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    answered = http.post(
        f"{live_server.url}/book/{run.pk}/",
        data={"csrfmiddlewaretoken": token, "needs": ""},
        headers={"Referer": live_server.url},
    )
    assert answered.url.endswith("/check/")
    return http, token


def press_together(live_server, sessions, url):
    barrier = threading.Barrier(len(sessions))

    def press(pair):
        http, token = pair
        barrier.wait()
        return http.post(
            f"{live_server.url}{url}",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": live_server.url},
            timeout=60,
        ).status_code

    with ThreadPoolExecutor(len(sessions)) as pool:
        return list(pool.map(press, sessions))


def test_twenty_people_for_the_last_three_places(live_server):
    run = factories.run(capacity=5)
    for _ in range(2):
        services.book(factories.person(), run)
    sessions = [browser_session(live_server, run) for _ in range(PEOPLE)]

    statuses = press_together(live_server, sessions, f"/book/{run.pk}/check/")

    assert statuses == [200] * PEOPLE  # each followed its redirect to a confirmation page
    confirmed = run.bookings.filter(status=BookingStatus.CONFIRMED).count()
    waitlisted = run.bookings.filter(status=BookingStatus.WAITLISTED).count()
    assert (confirmed, waitlisted) == (5, PEOPLE - 3)
    assert Booking.objects.count() == 2 + PEOPLE


def test_the_same_person_pressing_confirm_many_times_at_once_gets_one_booking(live_server):
    run = factories.run(capacity=5)
    session = browser_session(live_server, run)
    press_together(live_server, [session] * 8, f"/book/{run.pk}/check/")
    assert run.bookings.count() == 1


def test_a_cancellation_racing_a_promotion_promotes_exactly_one(live_server):
    run = factories.run(capacity=1)
    holder = services.book(factories.person(), run).booking
    waiting = [services.book(factories.person(), run).booking for _ in range(3)]

    def cancel():
        services.cancel(holder)

    def promote():
        services.promote_from_waitlist(run)

    threads = [threading.Thread(target=cancel)] + [
        threading.Thread(target=promote) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    from django.db import connections

    connections.close_all()
    offered = Booking.objects.filter(run=run, status=BookingStatus.OFFERED)
    assert offered.count() == 1
    assert offered.get().pk == waiting[0].pk
