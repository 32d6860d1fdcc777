# SPDX-License-Identifier: EUPL-1.2
"""Reading the audit trail: an object's events, and the related objects their changes refer to.

Turning events into labelled rows for people is :mod:`apps.audit.display`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEvent


def agreement_events(agreement: models.Model, *, also: Q | None = None) -> QuerySet[AuditEvent]:
    """The agreement's history; the agreement itself was fetched through the scoped selectors.

    ``also`` adds other events that belong in it (the agreements area passes the changes of name and number
    of the shared organisations that are its parties).
    """
    condition = Q(agreement_id=agreement.pk)
    if also is not None:
        condition |= also
    return AuditEvent.objects.filter(condition).select_related("actor")


def _clean_pks(model: type[models.Model], pks: Collection[Any]) -> set[Any]:
    clean = set()
    for pk in pks:
        try:
            clean.add(model._meta.pk.to_python(pk))
        except (ValidationError, TypeError, ValueError):
            continue
    return clean


def existing_pks(model: type[models.Model], pks: Collection[Any]) -> set[str]:
    """Which of ``pks`` still exist, as strings (one query)."""
    clean = _clean_pks(model, pks)
    if not clean:
        return set()
    return {str(pk) for pk in model._base_manager.filter(pk__in=clean).values_list("pk", flat=True)}


def objects_by_pk(model: type[models.Model], pks: Collection[Any]) -> dict[str, models.Model]:
    """The objects among ``pks`` that still exist, by their pk as a string (one query)."""
    clean = _clean_pks(model, pks)
    if not clean:
        return {}
    return {str(obj.pk): obj for obj in model._base_manager.filter(pk__in=clean)}
