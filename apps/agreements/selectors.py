# SPDX-License-Identifier: EUPL-1.2
"""Reads of agreements, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from apps.organisations.models import Organisation

from .models import Agreement, Goal, Indicator, Intervention, Party
from .permissions import visible_party_filter


def visible_agreements(user) -> QuerySet[Agreement]:
    """Every agreement the user may see; the base of every agreement query in the product."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agreement.objects.none()
    if user.is_superuser:
        return Agreement.objects.all()
    parties = Party.objects.filter(visible_party_filter(user), agreement=OuterRef("pk"))
    return Agreement.objects.filter(Exists(parties))


def get_agreement(user, pk: int) -> Agreement:
    """One visible agreement, or Agreement.DoesNotExist (the view turns it into 404, never 403)."""
    return visible_agreements(user).get(pk=pk)


def agreement_detail(user, pk: int) -> Agreement:
    parties = Party.objects.select_related("organisation").order_by("position", "id")
    indicators = Indicator.objects.prefetch_related(Prefetch("collected_by", queryset=parties))
    goals = Goal.objects.prefetch_related(Prefetch("indicators", queryset=indicators)).order_by("position", "id")
    return (
        visible_agreements(user)
        .select_related("case_officer")
        .prefetch_related(
            Prefetch("parties", queryset=parties),
            "decisions",
            Prefetch(
                "interventions", queryset=Intervention.objects.prefetch_related(Prefetch("goals", queryset=goals))
            ),
            Prefetch("goals", queryset=goals),
        )
        .get(pk=pk)
    )


SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "start": ("start_date", "id"),
    "-start": ("-start_date", "-id"),
    "end": ("end_date", "id"),
    "-end": ("-end_date", "-id"),
    "status": ("status", "title"),
    "case_number": ("case_number", "id"),
    "-case_number": ("-case_number", "-id"),
}
DEFAULT_SORT = "-start"


@dataclass(frozen=True)
class RegisterFilter:
    q: str = ""
    status: str = ""
    public_body: int | None = None
    year: int | None = None
    sort: str = DEFAULT_SORT


def register(user, flt: RegisterFilter) -> QuerySet[Agreement]:
    """The agreement list: search, filters and sorting, within what the user may see."""
    qs = visible_agreements(user)
    if flt.q:
        term = flt.q.strip()
        digits = "".join(ch for ch in term if ch.isdigit())
        match = (
            Q(title__icontains=term) | Q(case_number__icontains=term) | Q(parties__organisation__name__icontains=term)
        )
        if len(digits) >= 6:
            formatted = f"{digits[:6]}-{digits[6:]}" if len(digits) > 6 else digits
            match |= Q(parties__organisation__org_number__startswith=formatted)
        qs = qs.filter(pk__in=Agreement.objects.filter(match).values("pk"))
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.public_body:
        from apps.organisations.scope import descendant_ids

        body_ids = descendant_ids([flt.public_body])
        qs = qs.filter(
            Exists(Party.objects.filter(agreement=OuterRef("pk"), role=Party.Role.PUBLIC, organisation_id__in=body_ids))
        )
    if flt.year:
        first, last = dt.date(flt.year, 1, 1), dt.date(flt.year, 12, 31)
        qs = qs.filter(start_date__lte=last, end_date__gte=first)
    order = SORTS.get(flt.sort, SORTS[DEFAULT_SORT])
    parties = Party.objects.select_related("organisation").order_by("position", "id")
    return qs.order_by(*order).prefetch_related(Prefetch("parties", queryset=parties))


def public_bodies_in_register(user) -> QuerySet[Organisation]:
    """Public bodies that are public party to an agreement the user can see (for the filter)."""
    visible = visible_agreements(user).values("pk")
    return (
        Organisation.objects.filter(parties__role=Party.Role.PUBLIC, parties__agreement__in=visible)
        .distinct()
        .order_by("name")
    )


def years_in_register(user) -> list[int]:
    qs = visible_agreements(user).exclude(start_date=None).exclude(end_date=None)
    years: set[int] = set()
    for start, end in qs.values_list("start_date", "end_date"):
        if start is not None and end is not None:  # excluded above; the type of the column allows None
            years.update(range(start.year, end.year + 1))
    return sorted(years)
