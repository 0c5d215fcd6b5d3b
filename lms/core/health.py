"""`/healthz`: is this web process able to serve? For load balancers and uptime checks.

Three checks, each as cheap as it can be:
- the database: one query, which is also the queue check below (an answer at all proves the
  connection);
- the cache, the one shared cache that rate limits and cached pages count on: a set and a get of
  a fresh value (a get alone would pass on a cache that stores nothing);
- the task queue: no task has been waiting to run for longer than `HEALTHZ_QUEUE_MAX_AGE`
  seconds (a READY task of django-tasks-db, counted from when it was queued or, for a task
  queued to run later, from when it became due). A dead or hopelessly late worker shows here.
  0 turns this check off.

200 `{"status": "ok"}` when all pass, 503 `{"status": "unavailable", "failing": [...]}` naming
the checks that failed, and nothing else: no versions, host names or exception text (those go to
the log, under the request id). Never cached (`Cache-Control: no-store`), no authentication.

`HealthCheckMiddleware` answers it, second in MIDDLEWARE (after the request log, so probes are
logged like any request), ahead of everything that could get in the way of a probe: the HTTPS
redirect (a load balancer probes the app over plain HTTP; SECURE_REDIRECT_EXEMPT says the same,
should the order ever change), the host check (a load balancer may probe by the machine's address
rather than the site's name, which ALLOWED_HOSTS would refuse with 400), sessions, the cached
"What's on" pages and Wagtail's redirects and pages.
"""

import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

PATH = "/healthz"
DEFAULT_QUEUE_MAX_AGE = 15 * 60

logger = logging.getLogger("lms.health")


def queue_is_late():
    """True when a task has waited longer than HEALTHZ_QUEUE_MAX_AGE: one EXISTS query over the
    READY rows (django-tasks-db keeps a partial index on them), so cheap however long the table of
    finished tasks grows. Raises on any database error."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    max_age = getattr(settings, "HEALTHZ_QUEUE_MAX_AGE", DEFAULT_QUEUE_MAX_AGE)
    if not max_age:
        # The database is still checked: an answer at all proves the connection.
        DBTaskResult.objects.filter(pk__isnull=True).exists()
        return False
    due_before = timezone.now() - timedelta(seconds=max_age)
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, enqueued_at__lt=due_before)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=due_before))
        .exists()
    )


def cache_round_trip():
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)  # a fresh key each time: probes never read each other's
    return cache.get(key) == value


def checks():
    """{"database": ok, "cache": ok, "queue": ok}. Failures are logged with their reason."""
    results = {}
    try:
        late = queue_is_late()
        results["database"] = True
        results["queue"] = not late
        if late:
            logger.error(
                "Health check: a task has waited more than %ss to run.",
                getattr(settings, "HEALTHZ_QUEUE_MAX_AGE", DEFAULT_QUEUE_MAX_AGE),
            )
    except Exception:
        logger.exception("Health check: the database did not answer.")
        results["database"] = False
        results["queue"] = False
    try:
        results["cache"] = cache_round_trip()
        if not results["cache"]:
            logger.error("Health check: the cache did not return what was stored.")
    except Exception:
        logger.exception("Health check: the cache did not answer.")
        results["cache"] = False
    return results


def healthz(request):
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
    else:
        results = checks()
        failing = [name for name, ok in results.items() if not ok]
        body = {"status": "unavailable", "failing": failing} if failing else {"status": "ok"}
        response = HttpResponse(
            b"" if request.method == "HEAD" else json.dumps(body),
            status=503 if failing else 200,
            content_type="application/json",
        )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return healthz(request)
        return self.get_response(request)
