# SPDX-License-Identifier: EUPL-1.2
"""The history for people: one way to label and format every change an audit event records.

A change is stored as ``{name: [before, after]}`` with raw values (see :mod:`apps.audit.services`). This
module turns it into rows in the viewer's language, driven by the audited model's metadata, so a new model
or field is covered the day it is added:

- the label is the field's translated ``verbose_name``; a reverse relation (an agreement's ``parties``) is
  labelled by the related model's ``verbose_name_plural``; a field without a translatable ``verbose_name``
  (``position``, ``key``, the parent foreign key) is internal and not shown; the few changes that are not a
  field have their labels in :data:`EXTRA_LABELS`;
- a value with choices shows its label; a boolean "Ja"/"Nej"; a DecimalField named ``amount`` or
  ``…_amount`` is money ("750 000 kr"), one named ``percent`` or ``…_percent`` a percentage; an integer
  field named ``month`` or ``…_month``, and the items of a list field named ``…_months``, are month
  names; dates read 2025-07-01; related objects read by their name, marked when they no longer exist;
  empty reads "–";
- a model may name the choices of a JSON list field in ``audit_choices = {"field": SomeChoices}``.

The event's summary is worded here too (:func:`summary_text`, from :mod:`apps.audit.summaries`).

Nothing here raises on an unexpected shape: an unknown field or value is shown as it was stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from domain.money import format_sek

from .models import AuditEvent
from .selectors import existing_pks, objects_by_pk
from .summaries import format_number, month_name, render_summary

EMPTY: Final = "–"

# Changes that are not a field of the audited model (written by services).
EXTRA_LABELS: Final[Mapping[str, Promise]] = {
    "note": _("note"),
    "added": _("added"),
    "changed": _("changed"),
    "removed": _("removed"),
}

_LAST: Final = 1_000_000  # sort position of changes that are not a field


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    summary: str
    rows: list[ChangeRow]
    # Who made the change as shown instead of the person, e.g. the municipality a shared organisation's
    # change came from ("" shows the actor).
    by: str = ""


def summary_text(event: AuditEvent) -> str:
    """What the event did, in the active language.

    From the untranslated message and its parameters; an event written before those were kept, or one
    whose stored message no longer fits its parameters, shows the text stored with it.
    """
    if event.summary_msgid:
        text = render_summary(event.summary_msgid, event.summary_params)
        if text is not None:
            return text
    return event.summary


@dataclass(frozen=True)
class _Slot:
    """What a change's name means for the audited model."""

    name: str
    label: str | None  # None: internal, not shown
    order: int
    field: models.Field[Any, Any] | None = None
    related_model: type[models.Model] | None = None
    choices: Mapping[str, str] = dataclass_field(default_factory=dict)


def _model(label: object) -> type[models.Model] | None:
    if not isinstance(label, str):
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _choices(pairs: Iterable[Any]) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        try:
            value, label = pair
        except (TypeError, ValueError):
            continue
        if isinstance(label, (list, tuple)):  # an optgroup
            result.update(_choices(label))
        else:
            result[str(value)] = str(label)
    return result


def _slot(model: type[models.Model] | None, name: str) -> _Slot:
    extra = EXTRA_LABELS.get(name)
    fallback = _Slot(name=name, label=capfirst(str(extra) if extra else name.replace("_", " ")), order=_LAST)
    if model is None:
        return fallback
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return fallback
    forward = [*model._meta.concrete_fields, *model._meta.many_to_many]
    order = forward.index(found) if found in forward else len(forward) + model._meta.get_fields().index(found)
    if isinstance(found, models.ForeignObjectRel):
        # A reverse relation, e.g. an agreement's "parties": labelled by the related model.
        reverse = found.related_model
        if not isinstance(reverse, type):
            return fallback
        return _Slot(
            name=name, label=capfirst(str(reverse._meta.verbose_name_plural)), order=order, related_model=reverse
        )
    if not isinstance(found, models.Field) or found.primary_key or not isinstance(found.verbose_name, Promise):
        # No translatable label: an internal field (ordering, keys, the parent object).
        return _Slot(name=name, label=None, order=order)
    choices = _choices(found.flatchoices) if found.choices else {}
    extra_choices = getattr(model, "audit_choices", None)
    if not choices and isinstance(extra_choices, Mapping) and name in extra_choices:
        declared = extra_choices[name]
        choices = _choices(declared.choices if hasattr(declared, "choices") else declared)
    related = found.related_model if found.is_relation and isinstance(found.related_model, type) else None
    return _Slot(
        name=name,
        label=capfirst(str(found.verbose_name)),
        order=order,
        field=found,
        related_model=related,
        choices=choices,
    )


def _is_reference(value: object) -> bool:
    return isinstance(value, Mapping) and {"model", "id", "name"} <= value.keys()


def _pairs(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    changes = event.changes if isinstance(event.changes, Mapping) else {}
    pairs = []
    for name, values in changes.items():
        if isinstance(values, list) and len(values) == 2:
            before, after = values
        else:
            before, after = None, values
        pairs.append((str(name), before, after))
    return pairs


class _References:
    """The related objects a page of events refers to, looked up with one query per model."""

    def __init__(self) -> None:
        self._refs: dict[str, set[Any]] = defaultdict(set)
        self._pks: dict[type[models.Model], set[Any]] = defaultdict(set)
        self._existing: dict[str, set[str]] = {}
        self._objects: dict[type[models.Model], dict[str, models.Model]] = {}

    def collect(self, slot: _Slot, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self.collect(slot, item)
        elif _is_reference(value):
            if isinstance(value["id"], (int, str)):
                self._refs[str(value["model"])].add(value["id"])
        elif slot.related_model is not None and _is_pk(value):
            self._pks[slot.related_model].add(value)

    def load(self) -> None:
        for label, ids in self._refs.items():
            model = _model(label)
            if model is not None:
                self._existing[label] = existing_pks(model, ids)
        for model, pks in self._pks.items():
            self._objects[model] = objects_by_pk(model, pks)

    def reference(self, ref: Mapping[str, Any]) -> str:
        label = str(ref["model"])
        model = _model(label)
        name = str(ref.get("name") or "") or f"#{ref['id']}"
        details = ref.get("details")
        if model is not None and isinstance(details, Mapping) and details:
            shown = [_format(_slot(model, str(key)), value, self) for key, value in details.items()]
            shown = [text for text in shown if text != EMPTY]
            if shown:
                name = f"{name} ({', '.join(shown)})"
        if label in self._existing and str(ref["id"]) not in self._existing[label]:
            return gettext("%(name)s (no longer exists)") % {"name": name}
        return name

    def object(self, model: type[models.Model], pk: Any) -> str:
        obj = self._objects.get(model, {}).get(str(pk))
        if obj is None:
            return gettext("%(name)s (no longer exists)") % {"name": f"#{pk}"}
        return str(obj)


def _is_pk(value: object) -> bool:
    """A bare primary key, as a change may hold for a foreign key instead of a :func:`reference`."""
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(slot: _Slot, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    try:
        if slot.name == "amount" or slot.name.endswith("_amount"):
            return format_sek(amount)
        if slot.name == "percent" or slot.name.endswith("_percent"):
            return f"{format_number(amount)}\u00a0%"
        return format_number(amount)
    except (ArithmeticError, ValueError):  # beyond what money holds: shown as stored
        return None


def _temporal(slot: _Slot, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if isinstance(slot.field, models.DateTimeField):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.date().isoformat()


def _format(slot: _Slot, value: Any, refs: _References) -> str:
    """One stored value as text for people."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, list):
        if isinstance(slot.field, models.JSONField) and slot.name.endswith("_months"):
            return ", ".join(month_name(item) or str(item) for item in value)
        return ", ".join(_format(slot, item, refs) for item in value)
    if _is_reference(value):
        return refs.reference(value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if slot.choices and str(value) in slot.choices:
        return slot.choices[str(value)]
    if slot.related_model is not None and _is_pk(value):
        return refs.object(slot.related_model, value)
    model_field = slot.field
    if isinstance(model_field, models.IntegerField) and (slot.name == "month" or slot.name.endswith("_month")):
        return month_name(value) or str(value)
    if isinstance(model_field, models.DecimalField):
        return _decimal(slot, value) or str(value)
    if isinstance(model_field, models.DateField):  # DateTimeField is a DateField
        return _temporal(slot, value) or str(value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def history_rows(events: Iterable[AuditEvent]) -> list[HistoryEntry]:
    """The events with their changes as labelled, formatted rows in the active language.

    The related objects the events refer to are looked up with one query per model, whatever the number
    of events.
    """
    events = list(events)
    models_by_type = {event.object_type: _model(event.object_type) for event in events}
    refs = _References()
    known: dict[tuple[str, str], _Slot] = {}
    parsed: list[tuple[AuditEvent, list[tuple[_Slot, Any, Any]]]] = []
    for event in events:
        model = models_by_type[event.object_type]
        slots = []
        for name, before, after in _pairs(event):
            slot = known.get((event.object_type, name))
            if slot is None:
                slot = known[event.object_type, name] = _slot(model, name)
            if slot.label is None:
                continue
            refs.collect(slot, before)
            refs.collect(slot, after)
            slots.append((slot, before, after))
        slots.sort(key=lambda item: item[0].order)
        parsed.append((event, slots))
    refs.load()
    entries = []
    for event, slots in parsed:
        rows = []
        for slot, before, after in slots:
            shown = ChangeRow(
                label=str(slot.label), before=_format(slot, before, refs), after=_format(slot, after, refs)
            )
            if shown.before != shown.after:
                rows.append(shown)
        entries.append(HistoryEntry(event=event, summary=summary_text(event), rows=rows))
    return entries


def change_rows(event: AuditEvent) -> list[ChangeRow]:
    """The rows of one event (for a page of events, :func:`history_rows` looks related objects up at once)."""
    return history_rows([event])[0].rows
