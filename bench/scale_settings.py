# SPDX-License-Identifier: EUPL-1.2
"""Settings of bench/scale.py: production's, with what a benchmark on one machine needs.

The benchmark process, its command subprocesses and its gunicorn all run with these, so that every figure
comes from the same stack: production settings (DEBUG off, the database task backend, connection pooling
when DATABASE_URL names PostgreSQL) with plain HTTP on 127.0.0.1 (no TLS redirect), the test client's host
allowed, static files named without a manifest (no collectstatic for a throw-away run), and one URL more:
a bare signed-in view to compare the pages with (bench/scale_urls.py). bench/scale.py sets SECRET_KEY and
the database for all of them; started alone, a random key is used. Not for production.
"""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("LOG_LEVEL", "ERROR")  # 404s of a probe are not news; a 500 still logs its traceback

from partnerskap.settings.prod import *  # noqa: E402, F403
from partnerskap.settings.prod import ALLOWED_HOSTS, STORAGES  # noqa: E402

ROOT_URLCONF = "bench.scale_urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # django.test.Client's host, for the in-process measurements
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
