"""Writing audit events. Every service calls :func:`audit_record` inside its own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The values of an instance's concrete fields by field name, as JSON-friendly values (FKs by label).

    Field names, not labels, are stored so the history reads in the viewer's language
    (see :func:`apps.audit.selectors.change_rows`).
    """
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.primary_key or field.name in {"created_at", "updated_at"}:
            continue
        result[field.name] = _plain(getattr(instance, field.name))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field changes as {label: [old, new]} for the keys whose value differs."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def audit_record(
    *,
    actor,
    action: str,
    summary: str,
    obj: models.Model,
    agreement=None,
    organisation=None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=str(summary)[:500],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        agreement=agreement,
        organisation=organisation,
        changes={str(k): _plain(v) for k, v in (changes or {}).items()},
    )
