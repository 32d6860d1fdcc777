# SPDX-License-Identifier: EUPL-1.2
"""Organisations' reactions to writes: a body added, moved or removed changes every user's scope.

Connected once in :meth:`OrganisationsConfig.ready`. May import: accounts (the scope cache), this app's models.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from apps.accounts.selectors import scope_changed

from .models import Organisation


def on_hierarchy_written(sender: type[Organisation], **kwargs: Any) -> None:
    """What "below a body" covers may have changed: drop every cached scope in this process."""
    scope_changed()


# (signal, receiver, dispatch_uid, sender): checked in a fresh interpreter by tests/apps/finance/test_receivers.py.
RECEIVERS = (
    (post_save, on_hierarchy_written, "organisations.scope_saved", Organisation),
    (post_delete, on_hierarchy_written, "organisations.scope_deleted", Organisation),
)


def connect() -> None:
    for signal, receiver, uid, sender in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
