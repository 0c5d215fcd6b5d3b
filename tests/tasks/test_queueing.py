"""Tasks are queued with the change that causes them, carry the request's id, and every email
goes once; a task whose worker died goes back to the queue after the lease."""

import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lms.bookings import services
from lms.bookings.tasks import send_booking_email
from lms.core import mail, requestid
from lms.core.models import SentEmail, TaskWorker
from lms.core.tasks import enqueue, reclaim_stale
from tests import factories

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def emails_queued():
    # Wagtail may queue its own reference-index updates on the "default" queue too.
    return DBTaskResult.objects.filter(queue_name="emails")


def booked_run(people):
    run = factories.run(capacity=people)
    for _ in range(people):
        services.book(factories.person(), run)
    return run


def test_with_the_database_queue_a_rolled_back_change_queues_nothing(database_queue):
    run = booked_run(3)
    DBTaskResult.objects.all().delete()  # the three confirmations
    with pytest.raises(Boom), transaction.atomic():
        services.cancel_run(run, "Venue flooded")
        assert emails_queued().count() == 3  # queued inside the transaction...
        raise Boom
    assert not emails_queued().exists()  # ...and gone with it
    run.refresh_from_db()
    assert run.status != "cancelled"


def test_with_the_database_queue_a_committed_change_queues_exactly_its_emails(database_queue):
    run = booked_run(3)
    DBTaskResult.objects.all().delete()
    cancelled = services.cancel_run(run, "Venue flooded")
    queued = emails_queued()
    assert sorted((t.task_path, t.queue_name, t.args_kwargs["args"][:2]) for t in queued) == sorted(
        ("lms.bookings.tasks.send_booking_email", "emails", [b.pk, "run_cancelled"])
        for b in cancelled
    )
    assert {t.status for t in queued} == {TaskResultStatus.READY}


def test_where_tasks_run_at_once_they_wait_for_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = booked_run(2)
    mailoutbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        services.cancel_run(run, "Venue flooded")
        raise Boom
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_run(run, "Venue flooded")
        assert mailoutbox == []  # not before the commit
    assert len(mailoutbox) == 2


def test_enqueue_refuses_a_task_not_declared_as_the_projects():
    from django_tasks import task

    from lms.certificates.tasks import write_archive

    with pytest.raises(TypeError):
        enqueue(task(write_archive.func.__wrapped__), 1)


def test_a_task_logs_under_the_id_of_the_request_that_queued_it(
    database_queue, caplog, django_capture_on_commit_callbacks
):
    run = booked_run(1)
    DBTaskResult.objects.all().delete()
    with requestid.bound("req-7f3a"):
        services.cancel_run(run, "Venue flooded")
    queued = emails_queued().get()
    assert queued.args_kwargs["kwargs"] == {"request_id": "req-7f3a"}
    assert requestid.current() is None
    caplog.handler.addFilter(requestid.RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="lms.core.mail"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])  # as a worker
    sent = [r for r in caplog.records if r.getMessage().startswith("Email booking:")]
    assert [r.request_id for r in sent] == ["req-7f3a"]
    assert requestid.current() is None


def test_where_tasks_run_at_once_the_request_id_still_reaches_them(
    caplog, django_capture_on_commit_callbacks
):
    caplog.handler.addFilter(requestid.RequestIdFilter())
    # The contexts close last first: the request is over when the commit runs the task, and the
    # task still logs under its id.
    with (
        caplog.at_level(logging.INFO, logger="lms.core.mail"),
        django_capture_on_commit_callbacks(execute=True),
        requestid.bound("req-b2c9"),
    ):
        services.book(factories.person(), factories.run())
    sent = [r for r in caplog.records if r.getMessage().startswith("Email booking:")]
    assert [r.request_id for r in sent] == ["req-b2c9"]


def test_an_email_task_run_twice_sends_once_with_a_stable_message_id(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book(factories.person(), factories.run()).booking
    assert len(mailoutbox) == 1
    send_booking_email.call(booking.pk, "confirmed", f"booking:{booking.pk}:confirmed")  # a retry
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == mail.message_id(
        f"booking:{booking.pk}:confirmed"
    )


def test_each_change_of_time_or_place_is_its_own_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = factories.run()
    booking = services.book(factories.person(), run).booking
    mailoutbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.run_changed(run)
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Changed", "Changed"]
    assert len({m.extra_headers["Message-ID"] for m in mailoutbox}) == 2
    sequence = run.__class__.objects.get(pk=run.pk).calendar_sequence
    send_booking_email.call(
        booking.pk, "run_changed", f"booking:{booking.pk}:run_changed:sequence-{sequence}"
    )
    assert len(mailoutbox) == 2  # a retry of the second is not a third


def test_an_attempt_cut_short_after_the_server_took_it_is_resent_as_the_same_message(
    mailoutbox, caplog
):
    booking = services.book(factories.person(), factories.run()).booking  # not committed: no email
    key = f"booking:{booking.pk}:confirmed"
    SentEmail.objects.create(key=key)  # a worker died between the server's "250" and recording it
    with caplog.at_level(logging.WARNING, logger="lms.core.mail"):
        send_booking_email.call(booking.pk, "confirmed", key)
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [mail.message_id(key)]
    assert "may be a copy" in caplog.text
    assert SentEmail.objects.get(key=key).attempts == 2


def running_task(worker_ids, started_ago):
    run = booked_run(1)
    task = emails_queued().filter(args_kwargs__args__0=run.bookings.get().pk).get()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=worker_ids,
        started_at=timezone.now() - started_ago,
    )
    return task


def test_the_task_of_a_worker_not_seen_for_the_lease_goes_back_to_the_queue(
    database_queue, settings, caplog
):
    settings.TASK_LEASE_SECONDS = 60
    now = timezone.now()
    TaskWorker.objects.create(worker_id="dead", last_seen=now - timedelta(seconds=61))
    TaskWorker.objects.create(worker_id="alive", last_seen=now - timedelta(seconds=5))
    orphan = running_task(["dead"], timedelta(minutes=10))
    busy = running_task(["alive"], timedelta(minutes=10))  # a long task of a live worker
    fresh = running_task(["never-beat"], timedelta(seconds=30))  # judged from its start
    with caplog.at_level(logging.WARNING, logger="lms.core.tasks"):
        assert reclaim_stale("default") == 1
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[orphan.pk] == TaskResultStatus.READY
    assert statuses[busy.pk] == statuses[fresh.pk] == TaskResultStatus.RUNNING
    assert "put back in the queue" in caplog.text
    assert reclaim_stale("default", now=now + timedelta(seconds=31)) == 1  # now "never-beat" too
    assert DBTaskResult.objects.get(pk=fresh.pk).status == TaskResultStatus.READY


def test_a_task_whose_workers_keep_dying_is_given_up(database_queue, settings):
    task = running_task([f"w{n}" for n in range(settings.TASK_MAX_ATTEMPTS)], timedelta(hours=1))
    assert reclaim_stale("default") == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "lms.core.tasks.WorkerLost"


def test_a_worker_restarted_under_the_same_id_puts_back_the_task_its_last_life_left(database_queue):
    TaskWorker.objects.create(worker_id="worker-1", last_seen=timezone.now())  # beat just now
    task = running_task(["worker-1"], timedelta(seconds=1))
    assert reclaim_stale("default") == 0
    assert reclaim_stale("default", starting="worker-1") == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
