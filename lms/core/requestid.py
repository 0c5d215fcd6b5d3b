"""The id of the request being served, for the log lines it causes — its own, and those of the
tasks it queues, which run later in another process under the same id.

Web: a middleware sets it for each request (from a trusted proxy's header, or new).
Tasks: `lms.core.tasks.enqueue` carries `current()` along with the task, and a task declared with
`lms.core.tasks.task` runs under `bound(id)` in the worker.
Logging: `RequestIdFilter` puts it on every record as `record.request_id` ("-" outside both)."""

import contextvars
import logging
from contextlib import contextmanager

_request_id = contextvars.ContextVar("lms_request_id", default=None)


def current():
    """The id of the request (or of the request that queued the running task), or None."""
    return _request_id.get()


@contextmanager
def bound(request_id):
    """Run a block under `request_id` (a task run for a request, a request being served)."""
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record, so a format string can always name it.

    Django logs a 4xx answer ("Not Found: /x") after the middleware has returned, outside the
    request's block; such records carry the request itself, which holds its id."""

    def filter(self, record):
        record.request_id = (
            _request_id.get()
            or getattr(getattr(record, "request", None), "request_id", None)
            or "-"
        )
        return True
