# SPDX-License-Identifier: EUPL-1.2
"""An audit event's summary in the viewer's language: the untranslated message and its parameters.

A service records ``gettext_noop("Intervention added: %s")`` with ``["Del 1 – Kulturtolkar"]``
(:func:`apps.audit.services.audit_record`); the message is translated when the history is shown. Plain
parameters (names, ISO dates, what a person wrote) are shown as stored; a parameter that is words of the
product is stored as a code in a small mapping with a ``type`` and worded here:

- ``{"type": "choice", "model": "agreements.agreement", "field": "status", "value": "active"}``: the
  label of that choice (``"lower": true`` in lower case);
- ``{"type": "kind", "model": "agreements.intervention"}``: the model's ``verbose_name``, capitalised;
- ``{"type": "money", "value": "750000.00"}``: "750 000 kr";
- ``{"type": "percent", "value": "2.5"}``: "2,5 %";
- ``{"type": "month", "value": 10}``: the month's name.

A related object stored as a reference (:func:`apps.audit.services.reference`) reads by its name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from domain.money import format_sek

SummaryParams = dict[str, Any] | list[Any]

# The placeholders of a %-format string (%% is a literal percent sign).
_PLACEHOLDER: Final = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*\d*(?:\.\d+)?(?P<conversion>[a-zA-Z%])")


class SummaryError(ValueError):
    """A summary that is not an untranslated message of a catalogue, or parameters that do not fit it."""


def format_number(value: Decimal) -> str:
    """A decimal number in the active language's format, without trailing zeros: "1 500,5"."""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True, force_grouping=True)


def month_name(value: object) -> str | None:
    """The name of month number ``value`` in the active language, or None when it is not a month."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return str(MONTHS[number]) if number in MONTHS else None


def _model(label: object) -> type[models.Model]:
    if not isinstance(label, str):
        raise SummaryError(f"not a model label: {label!r}")
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise SummaryError(f"no such model: {label!r}") from exc


def _choice(param: Mapping[str, Any], strict: bool) -> str:
    model = _model(param.get("model"))
    try:
        field = model._meta.get_field(str(param.get("field")))
    except FieldDoesNotExist as exc:
        raise SummaryError(f"no such field: {param!r}") from exc
    value = param.get("value")
    labels = {str(key): str(label) for key, label in getattr(field, "flatchoices", None) or ()}
    label = labels.get(str(value))
    if label is None:
        if strict:
            raise SummaryError(f"not a choice of {model._meta.label_lower}.{field.name}: {value!r}")
        label = str(value)
    return label.lower() if param.get("lower") else label


def _kind(param: Mapping[str, Any], strict: bool) -> str:
    return capfirst(str(_model(param.get("model"))._meta.verbose_name))


def _money(param: Mapping[str, Any], strict: bool) -> str:
    return format_sek(Decimal(str(param.get("value"))))


def _percent(param: Mapping[str, Any], strict: bool) -> str:
    return f"{format_number(Decimal(str(param.get('value'))))}\u00a0%"


def _month(param: Mapping[str, Any], strict: bool) -> str:
    name = month_name(param.get("value"))
    if name is None:
        raise SummaryError(f"not a month: {param!r}")
    return name


_TYPES: Final[Mapping[str, Callable[[Mapping[str, Any], bool], str]]] = {
    "choice": _choice,
    "kind": _kind,
    "money": _money,
    "percent": _percent,
    "month": _month,
}


def _param(value: Any, strict: bool) -> Any:
    if isinstance(value, Mapping):
        if "type" in value:
            worded = _TYPES.get(str(value["type"]))
            if worded is None:
                raise SummaryError(f"unknown summary parameter type: {value!r}")
            return worded(value, strict)
        if {"model", "id", "name"} <= value.keys():  # a reference: the object's name when the event was written
            return str(value["name"])
    return value


def _check_placeholders(msgid: str, params: object) -> None:
    found = [(m["name"], m["conversion"]) for m in _PLACEHOLDER.finditer(msgid) if m["conversion"] != "%"]
    names = {name for name, _conversion in found if name is not None}
    positional = sum(1 for name, _conversion in found if name is None)
    if isinstance(params, Mapping):
        if positional or names != set(params):
            raise SummaryError(f"parameters {sorted(params)} do not fit {msgid!r}")
    elif isinstance(params, list):
        if names or positional != len(params):
            raise SummaryError(f"{len(params)} parameters do not fit {msgid!r}")
    else:
        raise SummaryError(f"parameters must be a mapping or a list: {params!r}")


def render_summary(msgid: str, params: object, *, strict: bool = False) -> str | None:
    """The summary in the active language; None when the stored message and parameters do not fit.

    The parameters must fill the message's placeholders exactly. ``strict`` (used when an event is
    written, in the tests and with DEBUG) raises :class:`SummaryError` instead, also for a code that is
    not a choice of its field.
    """
    try:
        _check_placeholders(msgid, params)
        text = gettext(msgid)
        if isinstance(params, Mapping):
            return text % {str(k): _param(v, strict) for k, v in params.items()} if params else text
        if isinstance(params, list):
            return text % tuple(_param(v, strict) for v in params) if params else text
        raise SummaryError(f"parameters must be a mapping or a list: {params!r}")
    except SummaryError:
        if strict:
            raise
        return None
    except (ArithmeticError, KeyError, TypeError, ValueError) as exc:  # a stored shape that does not fit
        if strict:
            raise SummaryError(f"{msgid!r} with {params!r}: {exc}") from exc
        return None
