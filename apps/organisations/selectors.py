# SPDX-License-Identifier: EUPL-1.2
"""Reads of the organisation register (staff only: partners never list other organisations).

Scoped to the viewer's tenant: staff see their own municipality's or region's bodies, the shared
organisations (non-profits and the rest: one per organisationsnummer, no tenant), and another tenant's
public bodies only where a higher area makes them visible (a party to an agreement the viewer sees).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce

from apps.core.access import one_or_404, require

from .models import Organisation
from .pages import count_columns, visible_providers
from .scope import tenant_body_ids


def visible_filter(user: Any) -> Q:
    """The organisations ``user`` (staff) sees in the register: their tenants' bodies, every organisation that
    is not a public body (shared by all tenants), and those the registered providers make visible."""
    condition = ~Q(kind=Organisation.Kind.PUBLIC_BODY) | Q(pk__in=sorted(tenant_body_ids(user)))
    for provider in visible_providers():
        condition |= Q(pk__in=provider(user))
    return condition


def organisations(user, *, q: str = "", kind: str = "") -> QuerySet[Organisation]:
    if not user.has_perm("organisations.view_organisation"):
        return Organisation.objects.none()
    qs = Organisation.objects.select_related("parent")
    if not user.is_superuser:
        qs = qs.filter(visible_filter(user))
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        match = Q(name__icontains=q.strip())
        if len(digits) >= 6:
            match |= Q(org_number__startswith=f"{digits[:6]}-{digits[6:]}" if len(digits) > 6 else digits)
        qs = qs.filter(match)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def with_counts(user: Any, qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """``qs`` with every count a higher area registered for the list (``pages.register_count``), each
    annotated as ``count_<name>`` and scoped to what ``user`` may see by its provider; 0 when none."""
    for column in count_columns():
        qs = qs.annotate(**{f"count_{column.name}": Coalesce(column.provider(user), Value(0))})
    return qs


def get_organisation(user, pk: int) -> Organisation:
    return organisations(user).get(pk=pk)


def neighbours(user: Any, organisation: Organisation) -> tuple[Organisation | None, QuerySet[Organisation]]:
    """The body ``organisation`` belongs to and the organisations below it, among those ``user`` sees (so that
    the page links only to pages that open: another municipality's body shows no more of its municipality)."""
    visible = organisations(user)
    parent = visible.filter(pk=organisation.parent_id).first() if organisation.parent_id else None
    return parent, visible.filter(parent=organisation).order_by("name")


# Permissions that the scoped lookup already proves: ``organisations`` lists nothing without it.
SEEN_PERMS = frozenset({"organisations.view_organisation"})


def access_organisation(user: Any, pk: object, *, perm: str | None) -> Organisation:
    """The organisation ``pk`` if ``user`` may see it in the register (Http404 otherwise: missing and not
    visible alike, apps.core.access) and holds ``perm`` on it (403 otherwise). ``user`` None is the system."""
    qs = Organisation.objects.select_related("parent") if user is None else organisations(user)
    organisation = one_or_404(qs, pk)
    if user is not None:
        require(user, perm, organisation, seen=SEEN_PERMS)
    return organisation
