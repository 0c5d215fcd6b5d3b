"""`manage.py db_worker`: django-tasks-db's worker (same options) with a lease.

While it runs, a thread records the worker as alive every quarter of TASK_LEASE_SECONDS and puts
back in the queue any RUNNING task whose worker has not been seen for the lease: a worker killed
mid-task (kill -9, out of memory, a machine lost) no longer leaves its task RUNNING for ever.
It also does so once at start, before taking any task, and then puts back at once a task left
RUNNING under its own id (a worker restarted with a fixed --worker-id)."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from lms.core import tasks

logger = logging.getLogger("lms.core.tasks")


class LeasedWorker(db_worker.Worker):
    def run(self):
        tasks.reclaim_stale(self.backend_name, starting=self.worker_id)
        tasks.beat(self.worker_id)
        stop = threading.Event()
        beating = threading.Thread(
            target=self.keep_beating, args=(stop,), name="lease", daemon=True
        )
        beating.start()
        try:
            super().run()
        finally:
            stop.set()
            beating.join(timeout=settings.TASK_LEASE_SECONDS)
            tasks.leave(self.worker_id)

    def keep_beating(self, stop):
        every = settings.TASK_LEASE_SECONDS / 4
        try:
            while not stop.wait(every):
                try:
                    close_old_connections()
                    tasks.beat(self.worker_id)
                    tasks.reclaim_stale(self.backend_name)
                except Exception:  # the database may be away for a moment: try again next beat
                    logger.exception("Worker %s could not renew its lease", self.worker_id)
        finally:
            connection.close()


class Command(db_worker.Command):
    help = db_worker.Command.help + ", putting back the tasks of workers that died (a lease)"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
