"""Settings of the real `manage.py db_worker` that the kill -9 tests start: the test settings, with
the database queue, the test's database, an SMTP server (the test's sink) and a short lease.
From the environment: DATABASE_URL (the test database), LMS_TEST_SMTP_PORT, MEDIA_ROOT,
TASK_LEASE_SECONDS; LMS_TEST_HOLD_AT and LMS_TEST_HELD_FLAG for the holding storage, which also
makes the certificates' INSERT batches that size, so the worker is held between two batches."""

import os
from pathlib import Path

from lms.settings.test import *  # noqa: F403
from lms.settings.test import DATABASES, STORAGES

DATABASES["default"].pop("TEST", None)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails", "certificates"],
    }
}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["LMS_TEST_SMTP_PORT"])
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 60
MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
if os.environ.get("LMS_TEST_HOLD_AT"):
    STORAGES = {**STORAGES, "default": {"BACKEND": "tests.tasks.holding_storage.HoldingStorage"}}
    CERTIFICATE_ISSUE_BATCH = int(os.environ["LMS_TEST_HOLD_AT"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
