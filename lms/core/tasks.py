"""The project's background tasks: how they are declared, queued and recovered.

- `task` declares one (Django's tasks interface, django-tasks) that runs under the id of the request
  that queued it, so its log lines can be traced back to that request.
- `enqueue` is the one way the product queues a task. With the database queue (django-tasks-db,
  production) the queue row is written inside the caller's transaction: it commits or rolls back
  with the change that caused it (a transactional outbox), so no crash can commit a change and
  lose its email. With a backend that runs the task at once (tests, development) or that is not
  our database, the task is queued when the transaction commits, never for a change rolled back.
- `reclaim_stale` is the lease: a RUNNING task whose worker has not been seen for the lease is put
  back in the queue (django-tasks-db leaves it RUNNING for ever: upstream issue
  RealOrangeOne/django-tasks#46). The project's `db_worker` command beats and reclaims.

A task may so run more than once (a worker thought dead may have finished it): every task must be
safe to repeat. Emails are, through lms.core.mail.send_once; certificates, through the rule that a
booking holds at most one valid certificate.
"""

import functools
import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task as django_task

from . import requestid

logger = logging.getLogger(__name__)

REQUEST_ID = "request_id"  # the keyword argument that carries the request's id with a task


def task(**options):
    """Declare a project task (the same options as django-tasks' `task`). The function runs under
    the request id it was queued with (`requestid.bound`), so its log lines carry it."""

    def declare(function):
        @functools.wraps(function)
        def run(*args, request_id=None, **kwargs):
            with requestid.bound(request_id):
                return function(*args, **kwargs)

        run.carries_request_id = True
        return django_task(**options)(run)

    return declare


def _is_outbox(backend):
    """Whether the backend writes its queue to the database the product's changes are made in, so
    a queue row can share their transaction."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(backend, DatabaseBackend) and (
        router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    )


def enqueue(project_task, *args, **kwargs):
    """Queue a project task with the current request's id, in the current transaction where the
    queue is in our database, else once it commits. Returns the task's result where it was
    queued (or run) at once, or None where it waits for a commit.

    The task may be named by its dotted path ("lms.certificates.tasks.write_archive"): a service
    queues its app's tasks so without importing the task module, which imports the services."""
    if isinstance(project_task, str):
        project_task = import_string(project_task)
    if not getattr(project_task.func, "carries_request_id", False):
        raise TypeError(f"{project_task.module_path} is not declared with lms.core.tasks.task")
    kwargs[REQUEST_ID] = requestid.current()
    if _is_outbox(project_task.get_backend()):
        return project_task.enqueue(*args, **kwargs)
    queued = []
    transaction.on_commit(lambda: queued.append(project_task.enqueue(*args, **kwargs)))
    return queued[0] if queued else None  # on_commit runs at once outside a transaction


# --- The lease: workers beat, and the tasks of dead ones go back to the queue ---------------------


class WorkerLost(Exception):
    """Recorded on a task given up after its workers died too often while running it."""


def lease():
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def beat(worker_id):
    """Say that this worker is alive (it calls this every third of the lease or more often)."""
    from .models import TaskWorker

    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "last_seen": timezone.now(),
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
        },
    )


def leave(worker_id):
    """A worker that stops cleanly says so (its running task, if any, finished or failed)."""
    from .models import TaskWorker

    TaskWorker.objects.filter(worker_id=worker_id).delete()


def reclaim_stale(backend_name, now=None, starting=None):
    """Put back in the queue each RUNNING task whose worker has not been seen for the lease (or,
    after TASK_MAX_ATTEMPTS workers died on it, mark it failed). Returns how many were put back.
    `starting`: the id of a worker starting now, which holds no task yet: a task RUNNING under
    that id was left by an earlier process that had the same id, and is put back at once.

    Safe with several workers reclaiming at once: each change is conditional on the task still
    being RUNNING under the same claim."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import TaskWorker

    now = now or timezone.now()
    cutoff = now - lease()
    seen = dict(TaskWorker.objects.values_list("worker_id", "last_seen"))
    reclaimed = 0
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    for result in running.only("id", "worker_ids", "started_at", "task_path"):
        worker = result.worker_ids[-1] if result.worker_ids else None
        # A worker that never beat (or was forgotten) is judged by when it started the task.
        last_seen = seen.get(worker) or result.started_at
        if worker != starting and last_seen and last_seen >= cutoff:
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            failed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"The worker running this task died {len(result.worker_ids)} times "
                f"(workers {', '.join(result.worker_ids)}); given up.\n",
            )
            if failed:
                logger.error(
                    "Task %s %s given up: its workers died %d times",
                    result.pk,
                    result.task_path,
                    len(result.worker_ids),
                )
            continue
        if same_claim.update(status=TaskResultStatus.READY, started_at=None):
            reclaimed += 1
            logger.warning(
                "Task %s %s put back in the queue: its worker %s was last seen over %s ago",
                result.pk,
                result.task_path,
                worker,
                lease(),
            )
    TaskWorker.objects.filter(last_seen__lt=now - 10 * lease()).delete()
    return reclaimed
