# SPDX-License-Identifier: EUPL-1.2
"""Tests: fast password hashing, in-memory e-mail, SQLite or DATABASE_URL (PostgreSQL in CI)."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PARTNERSKAP_ALLOW_DEMO_DATA = True
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
else:
    DATABASES["default"]["OPTIONS"]["pool"] = False  # test DB is created and dropped per run
# Local memory whatever CACHE_URL says, emptied before every test (tests/conftest.py), so that no test sees
# another's cached values; tests/apps/core/test_cache.py runs the Redis backend itself.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "partnerskap-tests"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
AUDIT_STRICT_SUMMARIES = True  # an audit summary must be an untranslated message (apps.audit.services)
