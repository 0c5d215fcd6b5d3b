"""Settings shared by every environment. dev, test and production import from here."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# Overridden from the environment in production; dev and test set their own.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

# The site's name and public address, the one source for both: every email names the site and
# links to SITE_URL (never the address a request happened to arrive at), and so do Wagtail's.
SITE_NAME = os.environ.get("SITE_NAME", "Council skills programme")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Project apps first so their templates, static files and commands win (lms.core's
    # `db_worker` replaces django-tasks-db's: see lms/core/tasks.py).
    "lms.core",
    "lms.accounts",
    "lms.pages",
    "lms.bookings",
    "lms.surveys",
    "lms.certificates",
    "lms.learning",
    "lms.search",
    "lms.reports",
    "courses",
    "events",
    "podcasts",
    "demo",
    # Wagtail. The users app is replaced by our own config so the admin edits our user model.
    "lms.accounts.apps.AccountsUsersAppConfig",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtailmedia",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Background work: Django's tasks interface, database worker in production.
    "django_tasks",
    "django_tasks_db",
    # Accounts: sign-up, email verification, sign-in, password reset.
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for the TemplatesSetting form renderer
]

MIDDLEWARE = [
    # First: every request gets its id (lms/core/requestid.py) and one log line, whatever answers.
    "lms.core.requestlog.RequestLogMiddleware",
    # /healthz for load balancers, answered before the HTTPS redirect, the host check, sessions
    # and the cached pages can get in a probe's way (lms/core/health.py).
    "lms.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A path holding a NUL character is "not found" before anything looks it up (PostgreSQL
    # refuses NUL in text). Ahead of the catalogue cache and Wagtail's redirects, which read it.
    "lms.core.null_characters.NullCharacterPathMiddleware",
    # Any /admin/ page: sign in first; without admin access, a 403 page (no redirect loop).
    # After the NUL check, so a NUL in an admin address is "not found" as everywhere else.
    "lms.accounts.admin_access.AdminAccessMiddleware",
    # Input that some of Wagtail's admin views take unchecked (a parent page id, the editor's
    # JSON, a `next` address…): 400 with a message, before the view (after the access check).
    "lms.core.admin_input.AdminInputMiddleware",
    # Repeat anonymous visits to the "What's on" listing, answered from the cache (placed after
    # the security-header middleware so cached answers carry the same headers).
    "lms.core.cache.CachedCatalogueMiddleware",
    # The Wagtail Site for the request's host, from the cache (lms/core/routing.py).
    "lms.core.routing.CachedSiteMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Sessions are read from the shared cache and written to both it and the database: every signed-in
# request read its session row, and a flushed cache loses no one's sign-in.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.pages.context_processors.site_links",
            ],
        },
    },
]
# Every Django form renders its fields through templates/includes/field.html.
FORM_RENDERER = "lms.forms.SiteFormRenderer"

# SQLite under var/ unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes SQLite take the write lock when a transaction starts, so two bookings for
    # the last place queue up instead of both reading "one left" (SQLite ignores select_for_update).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query when its estimated cost is high, as the organisers'
    # figures over a whole programme are: measured at about 120 ms of compilation per figure
    # for queries that run in less (bench/README.md). This site's queries are short; JIT off.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the only identifier, and it must be verified before signing in.
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "lms.accounts.forms.LoginForm", "signup": "lms.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
# One address per person, as email is the login: a new one (at /account/email/) replaces it only
# once confirmed from the new inbox; until then the old address stays in use.
ACCOUNT_CHANGE_EMAIL = True
# Sign-up says plainly when an address already has an account (people here are council staff
# who forget they registered; the rate limits below bound anyone probing for addresses).
ACCOUNT_PREVENT_ENUMERATION = False
# Email subjects start "[SITE_NAME] " (lms/accounts/adapter.py).
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so they are visible and reviewed.
    "change_password": "5/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:account"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Wagtail's own login form would bypass allauth's rate limits: send it to allauth instead
# (lms/urls.py also routes /admin/login/ there explicitly).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Likewise Wagtail's front-end login for private pages (lms/urls.py also routes /_util/login/).
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Shared passwords on private pages and document collections are guessed without any limit, are
# not anyone's own and cannot be withdrawn from one person: everyone here has an account, so
# private content is for signed-in people or groups (lms/urls.py answers their forms 404).
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# The admin's account page neither changes email (unverified, no limit) nor password (old one
# guessed without limit): it links to allauth's pages for both (lms/accounts/wagtail_hooks.py).
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# The admin would send a hash of each organiser's email address to Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True  # stored in UTC, shown in Europe/London

STATIC_URL = "/static/"
# Where `collectstatic` puts the files nginx serves (deploy/nginx/lms.conf).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work goes through Django's tasks interface. Immediate (inline) unless a settings
# module chooses the database worker; see production.py.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "emails", "certificates"],
    }
}

# The lease of a task worker (manage.py db_worker, lms/core/tasks.py): a RUNNING task whose worker
# has not been seen for this long goes back to the queue; after TASK_MAX_ATTEMPTS workers died on
# it, it is marked failed. Longer than any pause a live worker may have; shorter than people wait.
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "60"))
TASK_MAX_ATTEMPTS = 5

DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Council skills programme <programme@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Reminders go this many days before a run's first session, and an online run's joining details
# with them: before then, booking emails say the day the details will come.
BOOKING_REMINDER_DAYS = int(os.environ.get("BOOKING_REMINDER_DAYS", "2"))

WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
# Wagtail's database backend, with searches containing a double quote readable on SQLite: on
# PostgreSQL its full-text search, in English whatever the cluster's default (so "councils" finds
# "council"; SQLite's FTS5 ignores the setting). A changed SEARCH_CONFIG or search_fields needs
# `manage.py update_index` for pages saved before.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "lms.core.search", "SEARCH_CONFIG": "english"},
}
# Podcast audio lives in wagtailmedia's library, in our own model that reads each file's
# duration, size and bit rate on upload (podcasts/models.py). Apple accepts MP3 and AAC (M4A).
WAGTAILMEDIA = {
    "MEDIA_MODEL": "podcasts.EpisodeAudio",
    "AUDIO_EXTENSIONS": ["mp3", "m4a"],
    "VIDEO_EXTENSIONS": [],
}
# Proxies in front of the site that append to X-Forwarded-For (none when running locally).
TRUSTED_PROXY_HOPS = 0
# Files handed out only after a check (certificate PDFs and ZIPs, counted podcast audio), sent by
# lms/core/files.py: "django" sends the bytes itself; "x-accel-redirect" hands them to nginx from
# an internal location whose URL starts with PROTECTED_FILES_ACCEL_PREFIX; "redirect" sends a
# 302 to the storage's signed URL. PODCAST_AUDIO_DELIVERY and PODCAST_ACCEL_PREFIX, when set,
# choose for the podcast audio alone (podcasts/delivery.py, which streams byte ranges itself).
PROTECTED_FILE_DELIVERY = "django"
PROTECTED_FILES_ACCEL_PREFIX = "/protected-media/"
# Audio requests per minute from one address (IPv6: one /64) before it is answered 429 and not
# counted (podcasts/counting.py, with the site's one rate limiter in lms/core/ratelimit.py).
PODCAST_RATE_LIMIT = 120
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Content Security Policy for the public site. Wagtail's admin is not ready for a strict CSP,
# so it is excluded.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Contact details shown in the footer and on the accessibility statement.
PROGRAMME_CONTACT_EMAIL = os.environ.get("PROGRAMME_CONTACT_EMAIL", "productivity@example.org")

# Where the council directory is read from (mySociety, CC-BY-4.0; see lms/accounts/data/README.md).
COUNCILS_CSV = BASE_DIR / "lms" / "accounts" / "data" / "uk_local_authorities.csv"

# /healthz fails when a queued task has waited longer than this many seconds to run (0: never).
# It takes every web process out of a load balancer's rotation at once, so set it well above the
# longest backlog you accept (a conference's certificates, a run's cancellation emails).
HEALTHZ_QUEUE_MAX_AGE = int(os.environ.get("HEALTHZ_QUEUE_MAX_AGE", 15 * 60))


def logging_config(level="INFO"):
    """Everything to stdout, one line a record, each naming the request id it happened under
    (lms/core/requestid.py; "-" outside any request or task), for example

        2026-03-02 10:15:04,211 INFO [3f2c…] lms.requests: GET /whats-on/ 200 12ms
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "lms.core.requestid.RequestIdFilter"}},
        "formatters": {
            "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request_id"],
                "formatter": "line",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
    }


LOGGING = logging_config(os.environ.get("DJANGO_LOG_LEVEL", "INFO"))
