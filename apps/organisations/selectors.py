# SPDX-License-Identifier: EUPL-1.2
"""Reads of the organisation register (staff only: partners never list other organisations)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.core.access import one_or_404, require

from .models import Organisation


def organisations(user, *, q: str = "", kind: str = "") -> QuerySet[Organisation]:
    if not user.has_perm("organisations.view_organisation"):
        return Organisation.objects.none()
    qs = Organisation.objects.select_related("parent").annotate(
        agreement_count=Count("parties__agreement", distinct=True)
    )
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        match = Q(name__icontains=q.strip())
        if len(digits) >= 6:
            match |= Q(org_number__startswith=f"{digits[:6]}-{digits[6:]}" if len(digits) > 6 else digits)
        qs = qs.filter(match)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def get_organisation(user, pk: int) -> Organisation:
    return organisations(user).get(pk=pk)


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
