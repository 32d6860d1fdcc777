# SPDX-License-Identifier: EUPL-1.2
"""Settings for running management commands in a subprocess against a file database of the test's own.

The test settings keep SQLite in memory (gone when the process ends); a subprocess needs a file that a
fixture migrates first. ``PARTNERSKAP_COMMAND_TEST_DB`` names it.
"""

import os

from partnerskap.settings.test import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PARTNERSKAP_COMMAND_TEST_DB"]}}
