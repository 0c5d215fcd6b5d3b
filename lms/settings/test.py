"""Test settings: fast hashing, in-memory email and cache, tasks inline."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR

VAR_DIR.mkdir(exist_ok=True)  # the local SQLite database and cache live here (not in git)

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "emails", "certificates"],
    }
}

LMS_DEMO_ALLOWED = True

# Certificates and other uploads written by tests never land in the working copy.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lms-test-media-"))

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than shared-cache memory: concurrent live-server requests then wait for
    # SQLite's write lock (IMMEDIATE transactions) instead of failing with "table is locked".
    # LMS_TEST_DB lets two test runs on one machine keep out of each other's way.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("LMS_TEST_DB", str(VAR_DIR / "test.sqlite3"))
    }
