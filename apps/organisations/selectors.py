# SPDX-License-Identifier: EUPL-1.2
"""Reads of the organisation register (staff only: partners never list other organisations)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

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
