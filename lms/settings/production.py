"""Production: everything secret or site-specific comes from the environment.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS (comma-separated), DATABASE_URL.
Optional: DJANGO_CSRF_TRUSTED_ORIGINS, REDIS_URL, EMAIL_HOST/PORT/HOST_USER/HOST_PASSWORD,
EMAIL_USE_TLS, EMAIL_TIMEOUT, TASK_LEASE_SECONDS, DEFAULT_FROM_EMAIL, SITE_URL, MEDIA_ROOT,
DJANGO_SECURE_HSTS_SECONDS, PROTECTED_FILE_DELIVERY, PROTECTED_FILES_ACCEL_PREFIX,
PODCAST_AUDIO_DELIVERY, PODCAST_ACCEL_PREFIX, PODCAST_RATE_LIMIT,
DJANGO_TRUSTED_PROXY_HOPS (proxies in front that set X-Forwarded-For; 1 by default),
SITE_NAME, BOOKING_REMINDER_DAYS, HEALTHZ_QUEUE_MAX_AGE, DJANGO_LOG_LEVEL, DJANGO_MEDIA_STORAGE and
DJANGO_MEDIA_STORAGE_OPTIONS (object storage for uploads).
"""

import json
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import logging_config


def env(name, default=None, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS, for example 'learning.example.org'.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS everywhere; the proxy in front (nginx, a load balancer) terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies stand in front of gunicorn and append the client's address to
# X-Forwarded-For (nginx alone: 1; a load balancer and nginx: 2). Rate limits and podcast
# download counts read the client's address from there (lms/core/client.py); with
# the wrong number every listener would look like the proxy.
TRUSTED_PROXY_HOPS = int(env("DJANGO_TRUSTED_PROXY_HOPS", "1"))
# allauth's sign-in and sign-up rate limits read the same chain the same way.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_HOPS
SECURE_SSL_REDIRECT = env("DJANGO_SECURE_SSL_REDIRECT", "true").lower() == "true"
# A load balancer probes /healthz over plain HTTP. lms.core.health answers it ahead of
# SecurityMiddleware anyway; this keeps it so if the middleware order ever changes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads (images, documents, podcast audio, certificates): MEDIA_ROOT on this machine by
# default, which is shared only if every machine mounts the same folder. Past one machine, object
# storage: DJANGO_MEDIA_STORAGE names the storage class and DJANGO_MEDIA_STORAGE_OPTIONS (JSON)
# its options, e.g. django-storages' S3Storage on a private bucket with signed URLs (README,
# "Past one machine"). The code reaches stored files only through the storage API.
STORAGES = {
    "default": {
        "BACKEND": env("DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(env("DJANGO_MEDIA_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A shared cache: allauth's rate limits must count across every web process.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lms_cache",
        }
    }


def delivery(name, default):
    value = env(name, default)
    if value not in ("django", "x-accel-redirect", "redirect"):
        raise ImproperlyConfigured(f"{name} must be 'django', 'x-accel-redirect' or 'redirect'.")
    return value


# Certificate PDFs and ZIPs, and podcast audio after counting: behind nginx, let it send the
# bytes ("x-accel-redirect", with an `internal` location at PROTECTED_FILES_ACCEL_PREFIX; see the
# README), or "redirect" to object storage that signs its URLs. The podcast's older names, when
# set, choose for the audio alone.
PROTECTED_FILE_DELIVERY = delivery("PROTECTED_FILE_DELIVERY", "django")
PROTECTED_FILES_ACCEL_PREFIX = env("PROTECTED_FILES_ACCEL_PREFIX", "/protected-media/")
PODCAST_AUDIO_DELIVERY = delivery("PODCAST_AUDIO_DELIVERY", PROTECTED_FILE_DELIVERY)
PODCAST_ACCEL_PREFIX = env("PODCAST_ACCEL_PREFIX", PROTECTED_FILES_ACCEL_PREFIX)
PODCAST_RATE_LIMIT = int(env("PODCAST_RATE_LIMIT", "120"))

if STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
    # nginx can hand out only files on its own disk (X-Accel-Redirect to an `alias` of
    # MEDIA_ROOT); from object storage, the bytes go by Django or by a signed redirect.
    if "x-accel-redirect" in (PROTECTED_FILE_DELIVERY, PODCAST_AUDIO_DELIVERY):
        raise ImproperlyConfigured(
            "X-Accel-Redirect needs files on the web server's disk: with DJANGO_MEDIA_STORAGE, set "
            "PROTECTED_FILE_DELIVERY (and PODCAST_AUDIO_DELIVERY) to 'redirect' or 'django'."
        )
    # A redirect to an unsigned URL would make every certificate and episode a public file.
    if "redirect" in (PROTECTED_FILE_DELIVERY, PODCAST_AUDIO_DELIVERY) and (
        STORAGES["default"]["OPTIONS"].get("querystring_auth") is False
        or STORAGES["default"]["OPTIONS"].get("default_acl") in ("public-read", "public-read-write")
    ):
        raise ImproperlyConfigured(
            "PROTECTED_FILE_DELIVERY='redirect' needs signed URLs on a private bucket: "
            "querystring_auth must not be false and default_acl must not be public."
        )

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "true").lower() == "true"
# A mail server that never answers must not hold the task worker for ever (its lease stays
# renewed while it waits, so nothing else would take the task over): fail, and say so.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))

# Tasks are queued in the database and run by `manage.py db_worker --queue-name '*'` (lms.core's,
# with a lease: TASK_LEASE_SECONDS, 60 by default; see README "Tasks: none lost, none twice").
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails", "certificates"],
    }
}

# To stdout, one line a record naming its request id (base.logging_config); one line a request
# from lms.core.requestlog, so gunicorn's access log can stay off.
LOGGING = logging_config(env("DJANGO_LOG_LEVEL", "INFO"))

LMS_DEMO_ALLOWED = False
