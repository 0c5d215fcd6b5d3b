"""A task worker killed with kill -9 in the middle of a batch, then started again: nothing is lost
and nothing is done twice. The real worker command (`manage.py db_worker --queue-name '*'`) runs
as a separate process against this test's database, sending to a real SMTP server (aiosmtpd).

Each test stops the worker at a known point (the sink holds a message unanswered; the storage
holds a certificate unwritten), so what went before the kill is known exactly; nothing sleeps
for a guessed time: the test waits for what it can observe, with a timeout."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lms.bookings import services as bookings
from lms.bookings.attendance import mark
from lms.bookings.models import AttendanceStatus
from lms.certificates import services as certificates
from lms.certificates.models import Certificate
from lms.core.models import SentEmail
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 60
HOLD_AT = 20  # the worker is killed with this many done and the next one under way
LEASE_SECONDS = 2
TIMEOUT = 60
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def councils(transactional_db):
    """A transactional test starts from an emptied database: put the council directory back."""
    from lms.accounts.councils import load_councils

    load_councils()


def wait_for(condition, what, timeout=TIMEOUT, log=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            detail = f"\n--- worker log ---\n{log.read_text()}" if log and log.exists() else ""
            raise AssertionError(f"Timed out after {timeout}s waiting for {what}{detail}")
        time.sleep(0.05)


class Sink:
    """An SMTP server keeping every message it accepted. With `hold_at`, the message after that
    many is left unanswered (the sender waits for the server's reply) until `drop()`: it is then
    refused, as a message whose sender died before the server's reply never counts as sent."""

    def __init__(self, hold_at=None):
        self.messages = []
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.dropped = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.hold_at is not None and len(self.messages) == self.hold_at:
            self.hold_at = None
            self.holding.set()
            while not self.dropped.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Not accepted"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def drop(self):
        self.dropped.set()


@pytest.fixture
def sink():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Sink(hold_at=HOLD_AT)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    handler.drop()
    controller.stop()


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def workers(tmp_path, sink):
    """Start the production worker command as a process; every one started is stopped at the end."""
    started = []

    def start(**env):
        log = tmp_path / f"worker-{len(started) + 1}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.tasks.worker_settings",
            "DATABASE_URL": database_url(),
            "LMS_TEST_SMTP_PORT": str(sink.port),
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "TASK_LEASE_SECONDS": str(LEASE_SECONDS),
            **env,
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--no-reload",
            ],
            cwd=REPOSITORY,
            env=environment,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)


def stop(worker):
    """Stop a worker as systemd does (SIGTERM): it finishes its task and leaves."""
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=TIMEOUT) == 0, worker.log.read_text()


def kill_9(worker):
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=TIMEOUT)


def queued(queue_name):
    return DBTaskResult.objects.filter(queue_name=queue_name)


def unfinished(queue_name):
    return queued(queue_name).filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])


def test_run_cancelled_emails_reach_everyone_once_though_the_worker_is_killed_mid_batch(
    database_queue, sink, workers
):
    run = factories.run(capacity=PEOPLE)
    people = [factories.person() for _ in range(PEOPLE)]
    for person in people:
        bookings.book(person, run)
    DBTaskResult.objects.all().delete()  # their confirmations are not what this test is about
    bookings.cancel_run(run, "The venue is closed for repairs.")
    assert unfinished("emails").count() == PEOPLE

    first = workers()
    wait_for(sink.holding.is_set, f"email {HOLD_AT + 1} to reach the SMTP server", log=first.log)
    assert len(sink.messages) == HOLD_AT
    assert queued("emails").filter(status=TaskResultStatus.RUNNING).count() == 1
    kill_9(first)
    sink.drop()  # the message in flight was never accepted
    stuck = queued("emails").get(status=TaskResultStatus.RUNNING)  # what used to stay for ever

    second = workers()
    wait_for(
        lambda: not unfinished("emails").exists(), "every email task to finish", log=second.log
    )
    stop(second)

    recipients = Counter(address.addr_spec for m in sink.messages for address in m["To"].addresses)
    assert recipients == Counter({person.email: 1 for person in people}), second.log.read_text()
    assert {m["Subject"] for m in sink.messages} == {f"Cancelled: {run.page.title}: {run.title}"}
    assert len({m["Message-ID"] for m in sink.messages}) == PEOPLE
    assert set(queued("emails").values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    stuck.refresh_from_db()
    assert len(stuck.worker_ids) == 2  # begun by the killed worker, finished by the next
    assert (
        SentEmail.objects.filter(key__endswith=":run_cancelled", sent_at__isnull=False).count()
        == PEOPLE
    )


def test_certificates_are_issued_once_each_though_the_worker_is_killed_mid_batch(
    database_queue, sink, workers, tmp_path
):
    run = factories.run(capacity=PEOPLE)
    session = run.sessions.get()
    booked = []
    for _ in range(PEOPLE):
        booking = bookings.book(factories.person(), run).booking
        mark(booking, session, AttendanceStatus.ATTENDED)
        booked.append(booking)
    DBTaskResult.objects.all().delete()
    certificates.start_issue(run, [b.pk for b in booked])
    held = tmp_path / "held"

    first = workers(LMS_TEST_HOLD_AT=str(HOLD_AT), LMS_TEST_HELD_FLAG=str(held))
    # The worker writes certificates in batches of HOLD_AT (see worker_settings): it is held
    # rendering the first of the second batch, so the first batch is committed and no other.
    wait_for(held.exists, f"certificate {HOLD_AT + 1} to be under way", log=first.log)
    assert Certificate.objects.count() == HOLD_AT
    kill_9(first)
    task = queued("certificates").get()
    assert task.status == TaskResultStatus.RUNNING  # what used to stay for ever

    second = workers()
    wait_for(
        lambda: not unfinished("certificates").exists(),
        "the issuing task to finish",
        log=second.log,
    )
    stop(second)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.return_value == PEOPLE - HOLD_AT  # the retry issued only what was missing
    assert len(task.worker_ids) == 2
    issued = Certificate.objects.all()
    assert Counter(issued.values_list("booking", flat=True)) == Counter({b.pk: 1 for b in booked})
    assert not issued.filter(revoked_at__isnull=False).exists()
    for certificate in issued:
        with certificate.pdf.open("rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    assert sink.messages == []  # issuing sends no email (a certificate email would be keyed too)
