"""Reading the audit trail: events with their changes as rows labelled in the viewer's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

# Changes that are not a single model field (written by services).
EXTRA_LABELS = {"parties": _("parties"), "decisions": _("decision"), "note": _("note")}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: Any
    after: Any


def _display(field, value):
    if value is None or value == "":
        return None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def change_rows(event: AuditEvent) -> list[ChangeRow]:
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        model = None
    rows = []
    for name, values in (event.changes or {}).items():
        before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        if name in EXTRA_LABELS:
            label = str(EXTRA_LABELS[name])
        elif field is not None and hasattr(field, "verbose_name"):
            label = str(field.verbose_name)
        else:
            label = name
        rows.append(ChangeRow(label=label[:1].upper() + label[1:], before=_display(field, before),
                              after=_display(field, after)))
    return rows


def agreement_events(agreement) -> QuerySet[AuditEvent]:
    """The agreement's history; the agreement itself was fetched through the scoped selectors."""
    return agreement.audit_events.select_related("actor")
