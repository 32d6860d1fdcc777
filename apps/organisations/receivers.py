# SPDX-License-Identifier: EUPL-1.2
"""Organisations' reactions to writes: a body added, moved or removed changes every user's scope, and any
audited write, or an organisation saved some other way (the admin), changes the register, whose cached values
(apps.core.cache) are then retired after the commit.

Connected once in :meth:`OrganisationsConfig.ready`. May import: accounts (the scope cache), audit (its
``recorded`` signal), core (the shared cache), this app's models. The audit trail and core are siblings that
do not import each other: this is the lowest room that sees both, so the audit trail's signal is connected
to the cache's generations here.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from apps.accounts.selectors import scope_changed
from apps.audit.models import AuditEvent
from apps.audit.signals import recorded
from apps.core.cache import register_changed

from .models import Organisation

# Audited actions that change nothing of the register (someone signing in, or failing to).
NOT_REGISTER_ACTIONS = ("login.",)


def on_hierarchy_written(sender: type[Organisation], **kwargs: Any) -> None:
    """What "below a body" covers may have changed: drop every cached scope in this process."""
    scope_changed()


def on_organisation_written(sender: type[Organisation], **kwargs: Any) -> None:
    """A name, a kind or a place in the hierarchy may have changed, by a service or not (the admin)."""
    register_changed()


def on_audit_recorded(sender: type[AuditEvent], events: list[AuditEvent], **kwargs: Any) -> None:
    """Every service writes an audit event: the register changed, unless all of them are sign-ins."""
    if any(not event.action.startswith(NOT_REGISTER_ACTIONS) for event in events):
        register_changed()


# (signal, receiver, dispatch_uid, sender): checked in a fresh interpreter by tests/apps/finance/test_receivers.py.
RECEIVERS = (
    (post_save, on_hierarchy_written, "organisations.scope_saved", Organisation),
    (post_delete, on_hierarchy_written, "organisations.scope_deleted", Organisation),
    (post_save, on_organisation_written, "organisations.register_saved", Organisation),
    (post_delete, on_organisation_written, "organisations.register_deleted", Organisation),
    (recorded, on_audit_recorded, "organisations.register_audited", AuditEvent),
)


def connect() -> None:
    for signal, receiver, uid, sender in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
