# SPDX-License-Identifier: EUPL-1.2
"""Production: refuses to start with DEBUG, a default secret or demo data."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "0") == "1"
PARTNERSKAP_ALLOW_DEMO_DATA = os.environ.get("PARTNERSKAP_DEMO_DATA", "0") == "1"

if DEBUG:
    raise ImproperlyConfigured("Production settings refuse to run with DEBUG=1.")
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value (at least 50 characters) in production.")
if PARTNERSKAP_ALLOW_DEMO_DATA:
    raise ImproperlyConfigured("Production settings refuse to run with demo data (PARTNERSKAP_DEMO_DATA=1).")

# Gunicorn's workers and the task worker are separate processes: local memory would give each its own values
# and generation counters, so a write in one would not retire the others' (apps/core/cache.py). Production
# caches in Redis (CACHE_URL) or not at all.
if not os.environ.get("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

TASKS["default"]["BACKEND"] = os.environ.get("PARTNERSKAP_TASK_BACKEND", "django_tasks_db.DatabaseBackend")  # noqa: F405

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
