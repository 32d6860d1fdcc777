# SPDX-License-Identifier: EUPL-1.2
"""Agreements' reactions to writes: an agreement or a party saved or deleted in any way (a service, which
also audits it, or the admin, which does not) changes the register, whose cached values (apps.core.cache:
the list's filter choices, the invitation count) are retired after the commit.

Connected once in :meth:`AgreementsConfig.ready`. May import: core (the shared cache), this app's models.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from apps.core.cache import register_changed

from .models import Agreement, Party


def on_register_written(sender: type[Model], **kwargs: Any) -> None:
    """Dates, status, parties, invitations: what the cached values are computed from."""
    register_changed()


# (signal, receiver, dispatch_uid, sender): checked in a fresh interpreter by tests/apps/finance/test_receivers.py.
RECEIVERS = (
    (post_save, on_register_written, "agreements.register_agreement_saved", Agreement),
    (post_delete, on_register_written, "agreements.register_agreement_deleted", Agreement),
    (post_save, on_register_written, "agreements.register_party_saved", Party),
    (post_delete, on_register_written, "agreements.register_party_deleted", Party),
)


def connect() -> None:
    for signal, receiver, uid, sender in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
