import os

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from lms.accounts.models import Council

# Fixtures kept in their own modules, available to every test.
pytest_plugins = ["tests.clock"]

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database access from the test code of browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py load_demo` once for a module's tests; what it printed.

    Loading the demo takes half a minute, so the module's tests share one load, as Django's
    TestCase.setUpTestData shares a class's data: the demo is loaded inside a transaction that is
    rolled back after the module, and each test runs in its own savepoint inside it (request
    `db`, as every test does), so what one test changes the next never sees."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")  # the demo's certificate PDFs
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def manchester(db):
    return Council.objects.get(gss_code="E08000003")


@pytest.fixture
def make_person(db):
    """A person with a verified email address who can sign in with PASSWORD."""

    def make(email="person@example.org", verified=True, **fields):
        fields.setdefault("full_name", "Pat Person")
        user = get_user_model().objects.create_user(email=email, password=PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def councillor(make_person, manchester):
    return make_person(
        email="cllr.jones@example.org", full_name="Sam Jones", role="councillor", council=manchester
    )


@pytest.fixture
def organiser(db):
    from demo.site import ORGANISER_EMAIL, load_organiser

    load_organiser()
    return get_user_model().objects.get(email=ORGANISER_EMAIL)


@pytest.fixture
def database_queue(settings):
    """Tasks queued in the database, as in production, instead of run at once."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "emails", "certificates"],
        }
    }


@pytest.fixture
def demo_site(db):
    from demo.site import load_site

    load_site()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


_after_emptied_database = False


@pytest.fixture(autouse=True)
def fresh_content_types(request):
    """A test with a real transaction ends by emptying the database, and the content types come
    back under new ids: any id Django cached before then is stale. Forget them at the start of
    each such test and of the test after one (cheap; other tests keep the cache warm, as the
    query-count tests expect)."""
    global _after_emptied_database
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if transactional or _after_emptied_database:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    yield
    _after_emptied_database = transactional


def pytest_report_header(config):
    from django.conf import settings

    chromium = "present" if os.path.exists("/usr/bin/chromium") else "missing"
    return [
        f"database: {settings.DATABASES['default']['ENGINE']}",
        f"/usr/bin/chromium: {chromium}",
    ]
