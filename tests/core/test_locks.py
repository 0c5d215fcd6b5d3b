"""Periodic commands run once however many machines run their timers: two runs at once, one
does the work and the other says it skipped (PostgreSQL: an advisory lock; SQLite: the cache)."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.management.commands import prune_db_task_results as upstream_prune

from lms.bookings import services as booking_services
from lms.core import locks
from lms.surveys import services as survey_services

pytestmark = pytest.mark.django_db

# Every command the README runs from a timer, with the work it does (replaced here by work that
# waits until told to finish, so that the second run certainly starts while the first is busy).
PERIODIC = {
    "booking_housekeeping": [
        (booking_services, "expire_offers"),
        (booking_services, "send_reminders"),
    ],
    "survey_housekeeping": [
        (survey_services, "open_due_surveys"),
        (survey_services, "send_reminders"),
    ],
    "prune_db_task_results": [(upstream_prune.Command, "handle")],
}


@pytest.fixture
def slow_work(monkeypatch, settings):
    """Replace a command's work with work that records each call and waits for `finish`."""
    started, finish, calls = threading.Event(), threading.Event(), []

    def install(command):
        if command == "prune_db_task_results":  # it works only on the production queue
            settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        first_target = PERIODIC[command][0]
        for owner, name in PERIODIC[command]:

            def work(*args, _name=name, _owner=owner, **kwargs):
                calls.append(_name)
                if (_owner, _name) == first_target:
                    started.set()
                    assert finish.wait(20), "the test never let the first run finish"
                return 0

            monkeypatch.setattr(owner, name, work)
        return started, finish, calls

    return install


def run_command(name, outputs):
    out = StringIO()
    try:
        call_command(name, stdout=out)
    finally:
        outputs.append(out.getvalue())
        connection.close()  # this thread's own connection (and with it any lock it held)


@pytest.mark.parametrize("command", sorted(PERIODIC))
def test_two_runs_at_once_do_the_work_once(command, slow_work):
    started, finish, calls = slow_work(command)
    first_output, second_output = [], []
    first = threading.Thread(target=run_command, args=(command, first_output))
    first.start()
    assert started.wait(20), "the first run never started its work"
    # The first run is in the middle of its work: a second run, as from another machine.
    second = threading.Thread(target=run_command, args=(command, second_output))
    second.start()
    second.join(20)
    finish.set()
    first.join(20)
    assert not first.is_alive() and not second.is_alive()

    assert calls == [name for _, name in PERIODIC[command]]  # each piece of work exactly once
    assert second_output == [f"Skipped: {command} is already running elsewhere.\n"]
    assert "Skipped" not in first_output[0]


@pytest.mark.parametrize("command", sorted(PERIODIC))
def test_the_lock_is_let_go_after_each_run(command, slow_work):
    _started, finish, calls = slow_work(command)
    finish.set()
    for _ in range(2):
        out = StringIO()
        call_command(command, stdout=out)
        assert "Skipped" not in out.getvalue()
    assert len(calls) == 2 * len(PERIODIC[command])


def test_the_lock_is_let_go_when_the_work_fails():
    with pytest.raises(RuntimeError), locks.held("failing-job") as got:
        assert got
        raise RuntimeError("the work broke")
    with locks.held("failing-job") as got:
        assert got


def test_locks_of_different_names_do_not_stand_in_each_others_way():
    with locks.held("one") as one, locks.held("two") as two:
        assert one and two
