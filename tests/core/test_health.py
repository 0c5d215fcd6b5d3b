"""/healthz: database, cache and queue; 200 or 503 with a tiny body that says nothing else."""

import json
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db


def queued(minutes_ago, status=TaskResultStatus.READY, run_after=None):
    task = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="lms.bookings.tasks.send_booking_email",
        queue_name="emails",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return task


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_a_head_probe_gets_the_status_alone(client):
    response = client.head("/healthz")
    assert response.status_code == 200 and response.content == b""


def test_it_costs_one_database_query(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_it_needs_no_sign_in_no_session_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')


def test_database_down_is_503_naming_the_check_and_nothing_else(client, caplog):
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "unavailable", "failing": ["database", "queue"]}
    assert b"db.internal" not in response.content and b"5432" not in response.content
    # The reason is in the log, for the operator.
    assert "db.internal" in caplog.text


def test_a_task_waiting_too_long_is_503(client, settings):
    settings.HEALTHZ_QUEUE_MAX_AGE = 15 * 60
    queued(minutes_ago=14)
    assert client.get("/healthz").status_code == 200
    queued(minutes_ago=16)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "failing": ["queue"]}


def test_old_finished_tasks_and_tasks_not_yet_due_do_not_count(client, settings):
    settings.HEALTHZ_QUEUE_MAX_AGE = 15 * 60
    queued(minutes_ago=600, status=TaskResultStatus.SUCCESSFUL)
    queued(minutes_ago=600, status=TaskResultStatus.FAILED)
    queued(minutes_ago=600, run_after=timezone.now() + timedelta(hours=1))  # scheduled for later
    assert client.get("/healthz").status_code == 200
    queued(minutes_ago=600, run_after=timezone.now() - timedelta(hours=1))  # due an hour ago
    assert client.get("/healthz").status_code == 503


def test_the_queue_check_can_be_turned_off(client, settings):
    settings.HEALTHZ_QUEUE_MAX_AGE = 0
    queued(minutes_ago=600)
    assert client.get("/healthz").status_code == 200


def test_a_cache_that_keeps_nothing_is_503(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["failing"] == ["cache"]


def test_a_cache_that_fails_is_503(client, monkeypatch):
    from lms.core import health

    def broken(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis.internal:6379")

    monkeypatch.setattr(health.cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"redis" not in response.content


def test_a_plain_http_probe_by_address_is_not_redirected_nor_refused(client, settings):
    """A load balancer probes over HTTP, often with the machine's address as Host."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.ALLOWED_HOSTS = ["learning.example.org"]
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    # and the rest of the site still is redirected
    assert client.get("/", HTTP_HOST="learning.example.org").status_code == 301


def test_it_is_never_answered_from_the_catalogue_cache(client, monkeypatch):
    from django.core.cache import cache

    looked_up = []
    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: looked_up.append(key) or real_get(key, *a, **k)
    )
    client.get("/healthz")
    assert not [key for key in looked_up if not key.startswith("healthz:")]


def test_other_methods_are_refused(client):
    response = client.post("/healthz")
    assert response.status_code == 405


def test_production_exempts_it_from_the_https_redirect(monkeypatch):
    import importlib
    import re
    import sys

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "learning.example.org")
    sys.modules.pop("lms.settings.production", None)
    production = importlib.import_module("lms.settings.production")
    sys.modules.pop("lms.settings.production", None)
    assert production.SECURE_SSL_REDIRECT
    assert any(re.search(pattern, "healthz") for pattern in production.SECURE_REDIRECT_EXEMPT)
    assert production.MIDDLEWARE.index("lms.core.health.HealthCheckMiddleware") < (
        production.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    )
