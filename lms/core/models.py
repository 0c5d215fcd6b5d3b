"""What the task machinery must remember across processes: which emails went, and which task
workers are alive (see tasks.py and mail.py)."""

from django.db import models


class SentEmail(models.Model):
    """One email that must go at most once: its key names what it is about (a booking and an
    event, a survey invitation and an event...). The row is written before the message is handed
    to the mail server and marked sent right after the server accepted it."""

    wagtail_reference_index_ignore = True

    key = models.CharField(max_length=200, unique=True)
    first_tried_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.key


class TaskWorker(models.Model):
    """A running task worker (`manage.py db_worker`), seen alive at `last_seen`. A worker not seen
    for longer than the lease is dead: its RUNNING task is put back in the queue."""

    wagtail_reference_index_ignore = True

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
