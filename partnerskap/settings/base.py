# SPDX-License-Identifier: EUPL-1.2
"""Settings shared by every environment. Environment-specific modules import * from here."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PARTNERSKAP_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "apps.core",  # first: its templates (base layout, form field templates) override Django's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",  # the database task backend's queue (production; the quick start runs tasks at once)
    "axes",  # before apps.accounts: its login receivers run first (apps/accounts/receivers.py)
    "apps.audit",
    "apps.accounts",
    "apps.organisations",
    "apps.agreements",
    "apps.documents",
    "apps.finance",
    "apps.demo",  # top of the house: demo data for the quick start and tests
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.DefaultLanguageMiddleware",
    "apps.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.DatabaseBusyMiddleware",  # SQLite's write lock not had in time: 503, not 500
    "apps.accounts.middleware.NoStoreForSignedInMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "partnerskap.urls"
WSGI_APPLICATION = "partnerskap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"


def database_from_env(default_sqlite: Path) -> dict[str, Any]:
    """SQLite by default; DATABASE_URL (postgres://…) switches to PostgreSQL with connection pooling."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite,
            # IMMEDIATE: a write transaction takes the lock when it begins, so a busy database makes it wait
            # (up to "timeout" seconds) instead of failing halfway; apps.core.middleware turns a wait that
            # runs out into a "try again" page (503), never a 500.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "5")),
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["pool"] = os.environ.get("DATABASE_POOL", "1") == "1"
        config["CONN_MAX_AGE"] = 0  # pooling replaces persistent connections
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "partnerskap.sqlite3")}


def cache_from_env(url: str | None) -> dict[str, Any]:
    """Django's cache from CACHE_URL: unset (or ``locmem://``) is local memory, one per process (the quick
    start, one app server); ``redis://host:6379/0`` (``rediss://`` with TLS, ``unix://`` a socket) is Redis,
    shared by every app server and worker, which production needs (apps/core/cache.py keeps its generation
    counters there: a write on one server must be seen by all); ``dummy://`` caches nothing.

    Redis is asked with short timeouts: when it is down, apps.core.cache computes the value instead (a
    warning in the log, never a 500), and a page must not wait long for an answer that will not come."""
    if not url or url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": (url or "").removeprefix("locmem://") or "partnerskap",
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        timeout = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.25"))
        return {
            "BACKEND": "apps.core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "partnerskap"),  # a Redis shared with others
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix://, locmem:// or dummy://: {url!r}"
    )


CACHES = {"default": cache_from_env(os.environ.get("CACHE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "agreements:list"
LOGOUT_REDIRECT_URL = "login"
# Login throttling (django-axes): 10 failures within 15 minutes pause logging in for that account and,
# separately, for that address; the page says when to try again (apps/accounts/throttle.py).
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time the page promises holds
AXES_LOCKOUT_CALLABLE = "apps.accounts.throttle.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False  # English-only admin pages; unlock with manage.py axes_reset_username
AXES_VERBOSE = False
# Behind N reverse proxies, set PARTNERSKAP_TRUSTED_PROXIES=N so that failures count per client address,
# not per proxy (apps/accounts/throttle.py client_address).
PARTNERSKAP_TRUSTED_PROXIES = int(os.environ.get("PARTNERSKAP_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttle.client_address"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["partnerskap.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"  # translated and product-styled, not Django's English page
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the <meta> tag, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

PAGINATE_BY = 25

# Work after commit (reading an uploaded document; later reminders and mass recalculation) runs as a task
# (django.tasks). The quick start runs each task at once, in the process that queued it, once the request's
# transaction has committed; production sets PARTNERSKAP_TASK_BACKEND=django_tasks_db.DatabaseBackend (the
# default in prod settings) and runs `python manage.py db_worker` beside the web servers.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PARTNERSKAP_TASK_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
    }
}
# An uploaded document is read in a separate process with these limits (apps/documents/reader.py).
PARTNERSKAP_IMPORT_READER = {
    "memory_mb": int(os.environ.get("PARTNERSKAP_IMPORT_MEMORY_MB", "768")),
    "seconds": int(os.environ.get("PARTNERSKAP_IMPORT_SECONDS", "30")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
