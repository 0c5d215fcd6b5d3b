"""One log line per request, under a request id that is returned to the client and named on
every log line written while the request is served."""

import io
import logging
import logging.config
import re

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import include, path

from lms.core import requestid

ID_LINE = re.compile(r"^[0-9a-f]{32}$")


def fails(request):
    logging.getLogger("lms.test").warning("inside the view")
    raise RuntimeError("the view broke")


def says_hello(request):
    from django.http import HttpResponse

    logging.getLogger("lms.test").warning("inside the view")
    return HttpResponse("hello")


urlpatterns = [path("hello/", says_hello), path("fails/", fails), path("", include("lms.urls"))]


@pytest.fixture
def log_lines():
    """What the project's LOGGING writes to stdout, captured from a handler configured exactly
    as settings.LOGGING configures it."""
    stream = io.StringIO()
    config = django_settings.LOGGING
    handler = logging.StreamHandler(stream)
    handler.addFilter(requestid.RequestIdFilter())
    handler.setFormatter(logging.Formatter(config["formatters"]["line"]["format"]))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture
def request_lines(log_lines):
    return lambda: [line for line in log_lines() if " lms.requests: " in line]


@override_settings(ROOT_URLCONF=__name__)
def test_each_request_gets_a_new_id_returned_and_logged_once(client, request_lines, log_lines):
    first = client.get("/hello/?token=secret-value")
    second = client.get("/hello/")
    assert ID_LINE.match(first["X-Request-ID"]) and ID_LINE.match(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    lines = request_lines()
    assert len(lines) == 2
    # method, path without the query string, status, duration, and the id on the line
    assert re.search(
        r"INFO \[" + first["X-Request-ID"] + r"\] lms.requests: GET /hello/ 200 \d+ms$", lines[0]
    )
    assert "secret-value" not in "\n".join(log_lines())
    # The view's own line names the same request.
    view_lines = [line for line in log_lines() if "inside the view" in line]
    assert f"[{first['X-Request-ID']}]" in view_lines[0]


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_is_logged_with_its_request_id_on_the_error_report_too(
    client, request_lines, log_lines
):
    client.raise_request_exception = False
    response = client.get("/fails/")
    assert response.status_code == 500
    rid = response["X-Request-ID"]
    assert re.search(rf"\[{rid}\] lms.requests: GET /fails/ 500 \d+ms$", request_lines()[0])
    errors = [line for line in log_lines() if "django.request" in line]
    assert errors and all(f"[{rid}]" in line for line in errors)


def test_404s_and_pages_wagtail_serves_are_logged_too(client, request_lines, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert request_lines()[-1].endswith(
        " GET /no-such-page/ 404 " + request_lines()[-1].rsplit(" ", 1)[-1]
    )


@override_settings(ROOT_URLCONF=__name__)
def test_a_path_cannot_forge_a_log_line(client, log_lines, db):
    response = client.get("/hello/%0A2026-01-01 INFO [x] lms.requests: GET /admin/ 200 1ms")
    lines = log_lines()
    assert not any(line.startswith("2026-01-01") for line in lines)
    ours = [line for line in lines if f"[{response['X-Request-ID']}] lms.requests:" in line]
    assert len(ours) == 1 and "/hello/%0A2026-01-01%20INFO" in ours[0]


def test_django_s_own_not_found_lines_name_the_request_too(client, log_lines, db):
    response = client.get("/no-such-page-at-all/")
    not_found = [line for line in log_lines() if "Not Found" in line]
    assert not_found and f"[{response['X-Request-ID']}]" in not_found[0]


@override_settings(ROOT_URLCONF=__name__, TRUSTED_PROXY_HOPS=0)
def test_without_a_proxy_in_front_the_clients_id_is_ignored(client):
    response = client.get("/hello/", HTTP_X_REQUEST_ID="chosen-by-the-client-123")
    assert response["X-Request-ID"] != "chosen-by-the-client-123"
    assert ID_LINE.match(response["X-Request-ID"])


@override_settings(ROOT_URLCONF=__name__, TRUSTED_PROXY_HOPS=1)
def test_behind_a_trusted_proxy_its_id_is_kept(client, request_lines):
    nginx_id = "0f3c9a7d2b1e4f6a8c5d7e9f1a2b3c4d"
    response = client.get("/hello/", HTTP_X_REQUEST_ID=nginx_id, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response["X-Request-ID"] == nginx_id
    assert f"[{nginx_id}]" in request_lines()[0]


@pytest.mark.parametrize(
    "value",
    [
        "short",
        "x" * 65,
        "has space in it",
        "line\nbreak-and-more",
        'quote"-and-more',
        "-starts-with-dash",
        "",
    ],
)
@override_settings(ROOT_URLCONF=__name__, TRUSTED_PROXY_HOPS=1)
def test_even_from_a_trusted_proxy_only_a_plain_token_is_kept(client, value):
    response = client.get("/hello/", HTTP_X_REQUEST_ID=value)
    assert ID_LINE.match(response["X-Request-ID"])


def test_the_log_format_names_the_request_id_outside_requests_too(log_lines):
    logging.getLogger("lms.test").warning("from a command")
    assert "[-] lms.test: from a command" in log_lines()[-1]


def test_production_logs_every_line_to_stdout_with_the_request_id(monkeypatch):
    """The LOGGING of production settings, configured for real: a line written under a request id
    reaches stdout naming it."""
    import importlib
    import sys

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "learning.example.org")
    monkeypatch.delenv("DJANGO_LOG_LEVEL", raising=False)
    sys.modules.pop("lms.settings.production", None)
    production = importlib.import_module("lms.settings.production")
    sys.modules.pop("lms.settings.production", None)
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    before = logging.root.handlers[:], logging.root.level
    try:
        logging.config.dictConfig(production.LOGGING)
        with requestid.bound("abc123def456"):
            logging.getLogger("lms.anything").info("a line")
    finally:
        for handler in logging.root.handlers[:]:
            logging.root.removeHandler(handler)
        for handler in before[0]:
            logging.root.addHandler(handler)
        logging.root.setLevel(before[1])
    assert re.search(r"INFO \[abc123def456\] lms.anything: a line$", stdout.getvalue().strip())
