# SPDX-License-Identifier: EUPL-1.2
"""The user a management command acts as (``--user USERNAME``).

Without ``--user`` a command acts for the platform: whoever runs ``manage.py`` holds the database, so it
sees the whole installation, like the admin. With ``--user`` it sees and may do exactly what that person
may through the pages: the same access layer and scoped selectors, so that a municipality's scheduled
export holds that municipality's agreements and nothing of another's.

May import: Django, core, accounts.
"""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from apps.core.commands import bad_input

from .models import User


def add_user_argument(parser: CommandParser, *, help_text: str) -> None:
    parser.add_argument("--user", metavar="USERNAME", help=help_text)


def command_user(username: str | None) -> User | None:
    """The active user ``username``, or None (the platform) without one; bad input for an unknown name."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise bad_input(_("No active user %(name)s.") % {"name": username})
    return user
