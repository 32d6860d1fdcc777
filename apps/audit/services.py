"""Writing audit events. Every service calls :func:`audit_record` inside its own transaction.

What a change holds is plain JSON: ``{name: [before, after]}`` where ``name`` is a field of the audited
model (or of a related model, or one of :data:`apps.audit.display.EXTRA_LABELS`) and the values are the
field's raw values: choice codes, ``True``/``False``, amounts as decimal strings, dates in ISO 8601, and
related objects as a :func:`reference`. The words are chosen when the history is shown
(:mod:`apps.audit.display`), so it reads in the viewer's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEvent


def reference(obj: models.Model, *, name: str | None = None, details: Iterable[str] = ()) -> dict[str, Any]:
    """A related object in a change: its model and id, and its name as it was when the change was made.

    ``details`` names fields of ``obj`` (e.g. a party's ``role``) whose raw values are kept beside the name
    and labelled at display time, so a name such as "Föreningen Alfa (Idéburen part)" is not frozen in the
    language of the person who made the change.
    """
    ref: dict[str, Any] = {"model": obj._meta.label_lower, "id": obj.pk, "name": str(obj) if name is None else name}
    fields = {field: _plain(getattr(obj, field)) for field in details}
    if fields:
        ref["details"] = fields
    return ref


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return reference(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, models.Choices):
        return value.value
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The values of an instance's concrete fields by field name, as JSON-friendly values (FKs as references).

    Field names, not labels, are stored so the history reads in the viewer's language
    (see :func:`apps.audit.display.history_rows`).
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
    """Field changes as {name: [old, new]} for the keys whose value differs."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def audit_record(
    *,
    actor: Any,
    action: str,
    summary: str,
    obj: models.Model,
    agreement: models.Model | None = None,
    organisation: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=str(summary)[:500],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        agreement_id=agreement.pk if agreement is not None else None,
        organisation_id=organisation.pk if organisation is not None else None,
        changes={str(k): _plain(v) for k, v in (changes or {}).items()},
    )
