# SPDX-License-Identifier: EUPL-1.2
"""What another person changed since a form was read: the audit events that moved a row's version on.

A versioned row's update event records ``"version": [n, n + 1]`` (apps.core.versioning.bump_version), so
the events that followed version ``n`` are those whose change starts at ``n`` or later. They are worded
like the history (:func:`apps.audit.display.history_rows`), in the viewer's language.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from .display import HistoryEntry, history_rows
from .models import AuditEvent

# A form open for a very long time meets at most this many later saves on the page.
MAX_EVENTS = 20


def _moved_from(event: AuditEvent) -> int | None:
    changes: Any = event.changes
    version = changes.get("version") if isinstance(changes, dict) else None
    if isinstance(version, list) and len(version) == 2 and isinstance(version[0], int):
        return version[0]
    return None


def changes_since(obj: models.Model, version: int | None) -> list[HistoryEntry]:
    """The saved changes of ``obj`` made after its version ``version``, oldest first."""
    if version is None or obj.pk is None:
        return []
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
    later = []
    for event in events.order_by("-id")[: MAX_EVENTS * 3]:
        moved_from = _moved_from(event)
        if moved_from is not None and moved_from >= version:
            later.append(event)
    return history_rows(reversed(later[:MAX_EVENTS]))
