"""Nothing in production assumes one machine: what must be shared is shared (cache, sessions, task
queue, uploads), and no process keeps state that another would need. Production settings are
loaded here as an operator's environment would load them."""

import importlib
import re
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ["lms", "courses", "events", "podcasts"]
S3 = "storages.backends.s3.S3Storage"


@pytest.fixture
def production(monkeypatch):
    """production(**environment) -> the production settings module loaded under it."""

    def load(**environment):
        for name in (
            "REDIS_URL",
            "DJANGO_MEDIA_STORAGE",
            "DJANGO_MEDIA_STORAGE_OPTIONS",
            "PROTECTED_FILE_DELIVERY",
            "PODCAST_AUDIO_DELIVERY",
        ):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
        monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "learning.example.org")
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        sys.modules.pop("lms.settings.production", None)
        try:
            return importlib.import_module("lms.settings.production")
        finally:
            sys.modules.pop("lms.settings.production", None)

    return load


SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.db.DatabaseCache",
}


def test_the_cache_is_one_every_process_shares(production):
    """Rate limits, cached pages, the catalogue versions and /healthz all count on one cache:
    a per-process cache (local memory, files on one machine) would let each process count alone."""
    assert production(REDIS_URL="redis://cache:6379/0").CACHES["default"]["BACKEND"] == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert (
        production().CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    )
    for settings in (production(), production(REDIS_URL="redis://cache:6379/0")):
        assert {alias["BACKEND"] for alias in settings.CACHES.values()} <= SHARED_CACHES


def test_sessions_the_task_queue_and_email_are_not_local_to_a_process(production):
    settings = production()
    assert getattr(settings, "SESSION_ENGINE", "django.contrib.sessions.backends.db") in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }
    assert {queue["BACKEND"] for queue in settings.TASKS.values()} == {
        "django_tasks_db.DatabaseBackend"
    }
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def test_uploads_go_to_object_storage_when_told(production):
    settings = production(
        DJANGO_MEDIA_STORAGE=S3,
        DJANGO_MEDIA_STORAGE_OPTIONS='{"bucket_name": "lms-media", "querystring_auth": true, '
        '"querystring_expire": 300, "file_overwrite": false}',
        PROTECTED_FILE_DELIVERY="redirect",
    )
    assert settings.STORAGES["default"] == {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "lms-media",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
    assert settings.PODCAST_AUDIO_DELIVERY == "redirect"
    # One machine (or a folder every machine mounts) stays the default.
    assert (
        production().STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    )


def test_object_storage_refuses_deliveries_that_cannot_work_or_would_publish_files(production):
    with pytest.raises(ImproperlyConfigured, match="X-Accel-Redirect"):
        production(DJANGO_MEDIA_STORAGE=S3, PROTECTED_FILE_DELIVERY="x-accel-redirect")
    with pytest.raises(ImproperlyConfigured, match="signed URLs"):
        production(
            DJANGO_MEDIA_STORAGE=S3,
            DJANGO_MEDIA_STORAGE_OPTIONS='{"querystring_auth": false}',
            PROTECTED_FILE_DELIVERY="redirect",
        )
    with pytest.raises(ImproperlyConfigured, match="signed URLs"):
        production(
            DJANGO_MEDIA_STORAGE=S3,
            DJANGO_MEDIA_STORAGE_OPTIONS='{"default_acl": "public-read"}',
            PODCAST_AUDIO_DELIVERY="redirect",
        )


def python_files():
    for folder in SOURCE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text()


# Per-process memoisation that is allowed, and why: each is a pure function of files shipped in
# the repository, so every process computes the same answer and none needs another's.
MEMOISED = {
    "podcasts/useragents.py": "the vendored OPAWG user-agent lists, read once; matches memoised",
    "lms/core/bank_holidays.py": "GOV.UK's bank holidays from the installed package's own copy, read once",
    "lms/core/search.py": "the search backend's class, built once from the installed modelsearch",
    "lms/search/views.py": "which page models make each kind of search result, read from their code",
}


def test_no_process_keeps_state_another_would_need():
    """A module-level cache (functools.cache, lru_cache, a dict filled at run time) lives in one
    process: anything that must agree across machines belongs in the database or the cache."""
    found = {
        name
        for name, text in python_files()
        if name not in ("lms/settings/test.py", "lms/settings/dev.py")  # one machine by design
        and re.search(r"functools\.(lru_)?cache|@(lru_)?cache\b|cachetools|LocMemCache", text)
    }
    assert found == set(MEMOISED), f"new per-process memoisation: {found - set(MEMOISED)}"


def test_stored_files_are_reached_only_through_the_storage_api():
    """MEDIA_ROOT is a local folder: code that built paths under it would work on one machine
    and fail on the next. Only the settings and the development server (DEBUG) name it."""
    allowed = {
        "lms/settings/base.py",
        "lms/settings/test.py",
        "lms/settings/production.py",
        "lms/urls.py",
        "lms/core/files.py",
    }
    naming = {name for name, text in python_files() if re.search(r"\bMEDIA_ROOT\b", text)}
    assert naming <= allowed, naming - allowed
    local_paths = {
        name
        for name, text in python_files()
        if re.search(r"\.(pdf|file|audio)\.path\b|storage\.path\(", text)
    }
    assert not local_paths, local_paths


# The project's commands that an operator runs by hand, once, rather than from a timer.
ONE_OFF_COMMANDS = {
    "load_councils": "after migrate, or with a newer register; loads idempotently",
    "load_demo": "development only; refuses to run in production",
    "create_organiser": "once, when a site is set up",
}
# Long-running services meant to run as many at once as needed.
SERVICES = {
    "db_worker": "the task worker: each task is claimed by one worker (lms/core/tasks.py)",
}


def test_every_periodic_command_takes_the_lock():
    """Every command of the project's own (and django-tasks-db's pruning) that runs from a timer
    runs once however many machines run it (lms/core/locks.py; tests/core/test_locks.py runs two
    at once). A new command must be one or the other."""
    from django.core.management import get_commands, load_command_class

    own = {
        path.stem
        for folder in SOURCE_FOLDERS + ["demo"]
        for path in (ROOT / folder).rglob("management/commands/*.py")
        if path.stem != "__init__"
    }
    periodic = (own - set(ONE_OFF_COMMANDS) - set(SERVICES)) | {"prune_db_task_results"}
    assert {"booking_housekeeping", "survey_housekeeping"} <= periodic
    for name in periodic:
        command = load_command_class(get_commands()[name], name)
        assert hasattr(command.handle, "__wrapped__"), f"{name} does not take the lock"
