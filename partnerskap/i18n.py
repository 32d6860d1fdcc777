# SPDX-License-Identifier: EUPL-1.2
"""Strings Django itself shows but its Swedish catalogue lacks; translated in the project's locale/.

Nothing imports this module: it is here so that ``makemessages`` keeps these msgids in locale/sv
(which comes first in LOCALE_PATHS and so overrides Django's own catalogue).
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),  # the empty choice of every select (Django 6)
)
