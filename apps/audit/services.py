# SPDX-License-Identifier: EUPL-1.2
"""Writing audit events. Every service calls :func:`audit_record` inside its own transaction.

What a change holds is plain JSON: ``{name: [before, after]}`` where ``name`` is a field of the audited
model (or of a related model, or one of :data:`apps.audit.display.EXTRA_LABELS`) and the values are the
field's raw values: choice codes, ``True``/``False``, amounts as decimal strings, dates in ISO 8601, and
related objects as a :func:`reference`. The words are chosen when the history is shown
(:mod:`apps.audit.display`), so it reads in the viewer's language.

The summary is kept the same way: the untranslated message (marked with ``gettext_noop`` where it is
written, so ``makemessages`` finds it) and its parameters. A parameter that is itself words of the
product (a status, a role, a model's name, an amount, a month) is stored as a code with
:func:`choice_param`, :func:`kind_param`, :func:`money_param`, :func:`percent_param` or
:func:`month_param` and worded when shown. The ``summary`` column keeps the text in the default language
for the admin and search.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from .models import AuditEvent
from .signals import recorded
from .summaries import SummaryError, SummaryParams, render_summary

logger = logging.getLogger(__name__)


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


# Summary parameters that are words of the product, worded when the history is shown ---------------------


def choice_param(instance: models.Model, field: str, *, lower: bool = False) -> dict[str, Any]:
    """The value of a field with choices (a status, a role), shown by its label in the viewer's language."""
    param: dict[str, Any] = {
        "type": "choice",
        "model": instance._meta.label_lower,
        "field": field,
        "value": _plain(getattr(instance, field)),
    }
    if lower:
        param["lower"] = True
    return param


def kind_param(model: models.Model | type[models.Model]) -> dict[str, Any]:
    """What kind of thing ``model`` is ("Insats", "Intervention"): its ``verbose_name``, capitalised."""
    return {"type": "kind", "model": model._meta.label_lower}


def money_param(amount: Decimal) -> dict[str, Any]:
    """An amount of money, shown as "750 000 kr"."""
    return {"type": "money", "value": str(amount)}


def percent_param(value: Decimal) -> dict[str, Any]:
    """A percentage, shown as "2,5 %" in Swedish and "2.5 %" in English."""
    return {"type": "percent", "value": str(value)}


def month_param(month: int) -> dict[str, Any]:
    """A month's number, shown as its name ("oktober", "October")."""
    return {"type": "month", "value": month}


def _strict() -> bool:
    return bool(getattr(settings, "AUDIT_STRICT_SUMMARIES", settings.DEBUG))


def _check_summary(summary: str, params: SummaryParams) -> None:
    """Refuse an already translated summary, a message without a Swedish translation, or unfit parameters.

    An untranslated message is one the default language's catalogue translates; a summary that was
    translated (or interpolated) before it was passed is not, so it is caught in whichever language the
    write ran.
    """
    if isinstance(summary, Promise) or not isinstance(summary, str):
        raise SummaryError(f"The audit summary must be an untranslated message (gettext_noop): {summary!r}")
    with translation.override(settings.LANGUAGE_CODE):
        if translation.gettext(summary) == summary:
            raise SummaryError(
                f"The audit summary {summary!r} is not an untranslated message with a translation in "
                f"{settings.LANGUAGE_CODE!r}: pass gettext_noop(...) and its parameters, and translate it."
            )
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            render_summary(summary, params, strict=True)


def _summary(summary: str, summary_params: Mapping[str, Any] | Sequence[Any] | None) -> tuple[SummaryParams, str]:
    """The summary's parameters as stored, checked (``AUDIT_STRICT_SUMMARIES``), and its default-language text."""
    params: SummaryParams
    if summary_params is None:
        params = {}
    elif isinstance(summary_params, Mapping):
        params = {str(k): _plain(v) for k, v in summary_params.items()}
    elif isinstance(summary_params, Sequence) and not isinstance(summary_params, str):
        params = [_plain(v) for v in summary_params]
    else:
        raise SummaryError(f"The audit summary's parameters must be a mapping or a list: {summary_params!r}")
    if _strict():
        _check_summary(summary, params)
    with translation.override(settings.LANGUAGE_CODE):
        text = render_summary(str(summary), params)
    if text is None:
        logger.warning("Audit summary %r does not fit its parameters %r", summary, params)
        text = str(summary)
    return params, text


def _event(
    *,
    actor: Any,
    action: str,
    summary: str,
    params: SummaryParams,
    text: str,
    obj: models.Model,
    agreement: models.Model | None,
    organisation: models.Model | None,
    changes: Mapping[str, Any] | None,
) -> AuditEvent:
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=text[:500],
        summary_msgid=str(summary),
        summary_params=params,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        agreement_id=agreement.pk if agreement is not None else None,
        organisation_id=organisation.pk if organisation is not None else None,
        changes={str(k): _plain(v) for k, v in (changes or {}).items()},
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    summary: str,
    summary_params: Mapping[str, Any] | Sequence[Any] | None = None,
    obj: models.Model,
    agreement: models.Model | None = None,
    organisation: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record one event of a write, in the write's transaction.

    ``summary`` is the untranslated message, e.g. ``gettext_noop("Intervention added: %s")``, and
    ``summary_params`` its parameters: a mapping for ``%(name)s`` placeholders, a list for ``%s``. Plain
    values (names, dates in ISO 8601, what a person wrote) are shown as they are; words of the product
    are passed with :func:`choice_param`, :func:`kind_param`, :func:`money_param`, :func:`percent_param`
    or :func:`month_param`. With ``AUDIT_STRICT_SUMMARIES`` (default: ``DEBUG``; on in the tests) a
    summary that is not such a message, or parameters that do not fit it, raise :class:`SummaryError`.
    """
    params, text = _summary(summary, summary_params)
    event = _event(
        actor=actor,
        action=action,
        summary=summary,
        params=params,
        text=text,
        obj=obj,
        agreement=agreement,
        organisation=organisation,
        changes=changes,
    )
    event.save(force_insert=True)
    recorded.send(sender=AuditEvent, events=[event])
    return event


@dataclass(frozen=True)
class AuditItem:
    """One event of :func:`audit_record_many`: what it is about and its field changes."""

    obj: models.Model
    agreement: models.Model | None = None
    organisation: models.Model | None = None
    changes: Mapping[str, Any] | None = None


def audit_record_many(
    *,
    actor: Any,
    action: str,
    summary: str,
    summary_params: Mapping[str, Any] | Sequence[Any] | None = None,
    items: Iterable[AuditItem],
) -> list[AuditEvent]:
    """Record the same kind of event for many objects at once (one insert), in the write's transaction.

    For a bulk write such as the recalculation of many payment plans: each event is what :func:`audit_record`
    would write for its item, with the same summary (checked once, as strictly) and the same actor.
    """
    params, text = _summary(summary, summary_params)
    events = [
        _event(
            actor=actor,
            action=action,
            summary=summary,
            params=params,
            text=text,
            obj=item.obj,
            agreement=item.agreement,
            organisation=item.organisation,
            changes=item.changes,
        )
        for item in items
    ]
    if not events:
        return []
    written = AuditEvent.objects.bulk_create(events)
    recorded.send(sender=AuditEvent, events=written)
    return written
