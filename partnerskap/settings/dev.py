# SPDX-License-Identifier: EUPL-1.2
"""Development and the quick start: SQLite unless DATABASE_URL is set, DEBUG on, demo data allowed."""

from .base import *  # noqa: F403

DEBUG = True
PARTNERSKAP_ALLOW_DEMO_DATA = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405 - the SQLite file and uploads live here
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
