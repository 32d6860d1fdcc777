# SPDX-License-Identifier: EUPL-1.2
"""Reads of agreements, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Max, Min, Model, OuterRef, Prefetch, Q, QuerySet

from apps.accounts.models import Role
from apps.core.access import one_or_404, require
from apps.core.cache import cached
from apps.organisations.models import Organisation
from apps.organisations.scope import scope_key, staff_organisation_ids, tenants_of

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


def party_organisation_ids(user: Any) -> QuerySet[Party, Any]:
    """For the organisation register: the organisations that are party (or invited) to an agreement ``user``
    sees, so that another municipality's body named on such an agreement opens, read-only."""
    return Party.objects.filter(agreement__in=visible_agreements(user).values("pk")).values("organisation_id")


def organisation_agreement_list(user: Any, organisation: Organisation) -> QuerySet[Agreement]:
    """The agreements ``user`` sees that ``organisation`` is an accepted party to, newest first, with only what
    the organisation page lists of them (a page at a time: a body may be party to hundreds)."""
    party = Party.objects.filter(agreement=OuterRef("pk"), organisation=organisation, status=Party.Status.ACCEPTED)
    return (
        visible_agreements(user)
        .filter(Exists(party))
        .only("id", "title", "status", "start_date", "end_date")
        .order_by("-start_date", "-id")
    )


def get_agreement(user, pk: int) -> Agreement:
    """One visible agreement, or Agreement.DoesNotExist (the view turns it into 404, never 403)."""
    return visible_agreements(user).get(pk=pk)


def _detail(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """What the agreement page shows, read in a fixed number of queries."""
    parties = Party.objects.select_related("organisation").order_by("position", "id")
    indicators = Indicator.objects.prefetch_related(Prefetch("collected_by", queryset=parties))
    goals = Goal.objects.prefetch_related(Prefetch("indicators", queryset=indicators)).order_by("position", "id")
    return qs.select_related("case_officer").prefetch_related(
        Prefetch("parties", queryset=parties),
        "decisions",
        Prefetch("interventions", queryset=Intervention.objects.prefetch_related(Prefetch("goals", queryset=goals))),
        Prefetch("goals", queryset=goals),
    )


# The access layer: the only way a page, export, command or API endpoint gets an agreement or a part of
# one (apps.core.access). Missing and not visible are the same 404; a refused action on an agreement the
# user sees is 403. ``user`` None is the system (a management command acting for the platform).

# Permissions that seeing the agreement already grants: the scoped lookup is their check.
SEEN_PERMS = frozenset({"agreements.view_agreement"})


def access_agreement(user: Any, pk: object, *, perm: str | None, detail: bool = False) -> Agreement:
    """The agreement ``pk`` if ``user`` sees it (Http404 otherwise) and holds ``perm`` on it (403 otherwise).

    ``detail`` also reads what the agreement page shows (parties, decisions, interventions, goals and
    indicators) in a fixed number of queries.
    """
    qs = Agreement.objects.all() if user is None else visible_agreements(user)
    agreement = one_or_404(_detail(qs) if detail else qs, pk)
    if user is not None:
        require(user, perm, agreement, seen=SEEN_PERMS)
    return agreement


def _children[M: Model](user: Any, qs: QuerySet[M], agreement_path: str, agreement: Agreement) -> QuerySet[M]:
    """``qs`` narrowed to the rows of ``agreement``, and, at the source, to agreements ``user`` sees."""
    qs = qs.filter(**{agreement_path: agreement})
    if user is not None:
        qs = qs.filter(**{f"{agreement_path}__in": visible_agreements(user).values("pk")})
    return qs


def access_intervention(user: Any, pk: object, *, agreement: Agreement) -> Intervention:
    """An intervention of ``agreement`` (got through ``access_agreement``, which checked the permission)."""
    return one_or_404(_children(user, Intervention.objects.all(), "agreement", agreement), pk)


def access_goal(user: Any, pk: object, *, agreement: Agreement) -> Goal:
    """A goal of ``agreement`` (got through ``access_agreement``, which checked the permission)."""
    return one_or_404(_children(user, Goal.objects.all(), "agreement", agreement), pk)


def access_indicator(user: Any, pk: object, *, agreement: Agreement, goal: Goal | None = None) -> Indicator:
    """An indicator of ``agreement`` (and of ``goal``, when given: got through ``access_goal``)."""
    qs = _children(user, Indicator.objects.all(), "goal__agreement", agreement)
    return one_or_404(qs.filter(goal=goal) if goal is not None else qs, pk)


SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "start": ("start_date", "id"),
    "-start": ("-start_date", "-id"),
    "end": ("end_date", "id"),
    "-end": ("-end_date", "-id"),
    "status": ("status", "title", "id"),
    "case_number": ("case_number", "id"),
    "-case_number": ("-case_number", "-id"),
}
DEFAULT_SORT = "-start"

# Long texts the register's pages and exports never show: not read for a list of agreements.
LIST_DEFERRED = ("purpose", "background", "target_group", "target_area", "values")


@dataclass(frozen=True)
class RegisterFilter:
    q: str = ""
    status: str = ""
    public_body: int | None = None
    year: int | None = None
    sort: str = DEFAULT_SORT


def search_matches(term: str) -> QuerySet[Any]:
    """The ids of the agreements whose title or case number contains ``term``, or that have a party whose name
    contains it or whose organisationsnummer starts with it (six digits or more, with or without the hyphen).

    Case-insensitive (``icontains``) on every database; each branch is its own query in one UNION so that, on
    PostgreSQL, each uses its trigram index (migrations agreements 0012 and organisations 0005:
    ``UPPER(column) gin_trgm_ops``) instead of scanning every agreement.
    """
    term = term.strip()
    digits = "".join(ch for ch in term if ch.isdigit())
    names = Q(name__icontains=term)
    if len(digits) >= 6:
        names |= Q(org_number__startswith=f"{digits[:6]}-{digits[6:]}" if len(digits) > 6 else digits)
    by_party = Party.objects.filter(organisation__in=Organisation.objects.filter(names).values("pk"))
    return (
        Agreement.objects.filter(title__icontains=term)
        .values("pk")
        .union(
            Agreement.objects.filter(case_number__icontains=term).values("pk"),
            by_party.values("agreement_id"),
        )
    )


def register_base(user, flt: RegisterFilter) -> QuerySet[Agreement]:
    """The agreements of the register that ``flt`` selects, within what the user may see, in its order."""
    qs = visible_agreements(user)
    if flt.q.strip():
        qs = qs.filter(pk__in=search_matches(flt.q))
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.public_body:
        from apps.organisations.scope import descendant_ids

        body_ids = descendant_ids([flt.public_body])
        qs = qs.filter(
            Exists(
                Party.objects.filter(
                    agreement=OuterRef("pk"),
                    role=Party.Role.PUBLIC,
                    status=Party.Status.ACCEPTED,
                    organisation_id__in=body_ids,
                )
            )
        )
    if flt.year:
        first, last = dt.date(flt.year, 1, 1), dt.date(flt.year, 12, 31)
        qs = qs.filter(start_date__lte=last, end_date__gte=first)
    return qs.order_by(*SORTS.get(flt.sort, SORTS[DEFAULT_SORT])).defer(*LIST_DEFERRED)


def register(user, flt: RegisterFilter) -> QuerySet[Agreement]:
    """The agreement list: search, filters and sorting, within what the user may see, with the parties."""
    parties = Party.objects.select_related("organisation").order_by("position", "id")
    return register_base(user, flt).prefetch_related(Prefetch("parties", queryset=parties))


def public_bodies_in_register(user) -> QuerySet[Organisation]:
    """Public bodies that are public party to an agreement the user can see (for the filter): one query, the
    id and the name only."""
    parties = Party.objects.filter(organisation=OuterRef("pk"), role=Party.Role.PUBLIC, status=Party.Status.ACCEPTED)
    if not getattr(user, "is_superuser", False):  # a superuser sees every agreement: no need to ask which
        parties = parties.filter(agreement__in=visible_agreements(user).values("pk"))
    return Organisation.objects.filter(Exists(parties)).only("id", "name").order_by("name", "id")


def years_in_register(user) -> list[int]:
    """The years for the register's "active in year" filter: from the earliest start to the latest end among
    the agreements the user can see (one aggregate query, not every agreement's dates)."""
    dated = visible_agreements(user).exclude(start_date=None).exclude(end_date=None)
    span = dated.aggregate(first=Min("start_date"), last=Max("end_date"))
    first, last = span["first"], span["last"]
    if first is None or last is None:
        return []
    return list(range(first.year, max(first.year, last.year) + 1))


@dataclass(frozen=True)
class BodyChoice:
    """A public body as a filter offers it: what the select needs, and nothing else."""

    pk: int
    name: str


@dataclass(frozen=True)
class RegisterChoices:
    """The register's filter choices for one scope: the public bodies and the years."""

    public_bodies: tuple[BodyChoice, ...]
    years: tuple[int, ...]


def register_choices(user: Any) -> RegisterChoices:
    """The public bodies and years of the register's filters (``public_bodies_in_register``,
    ``years_in_register``), kept in the shared cache (apps.core.cache) for everyone who sees the same agreements
    (``scope_key``: the same organisations, not the same kind of user) until the register next changes.

    Two aggregates over the whole visible scope on every list request otherwise; a hit asks no query (the
    scope itself is read once per request anyway). The value holds nothing of the user but their scope."""

    def compute() -> tuple[tuple[tuple[int, str], ...], tuple[int, ...]]:
        bodies = tuple((o.pk, o.name) for o in public_bodies_in_register(user))
        return bodies, tuple(years_in_register(user))

    bodies, years = cached("agreements.register_choices.1", scope=scope_key(user), compute=compute)
    return RegisterChoices(public_bodies=tuple(BodyChoice(pk, name) for pk, name in bodies), years=years)


# Invitations ------------------------------------------------------------------------------------------------
# A public body of another tenant named as a party is invited (Party.Status.INVITED) until its case officers
# answer. They see the invitation, not the agreement: what they need to decide.


def _invitations(user: Any) -> QuerySet[Party]:
    """Every invitation (answered or not) to a body ``user`` is case officer over or above; all for the
    system (None) and superusers."""
    qs = Party.objects.filter(invited_at__isnull=False)
    if user is None or getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    return qs.filter(organisation_id__in=staff_organisation_ids(user, roles={Role.CASE_OFFICER}))


def access_party_invitation(user: Any, pk: object, *, perm: str | None) -> Party:
    """The invitation ``pk`` to one of ``user``'s bodies (Http404 otherwise: missing and not theirs alike) if
    they hold ``perm`` on it (403 otherwise). An answered invitation is found too, so that answering it again
    is refused in words."""
    party = one_or_404(_invitations(user).select_related("agreement", "organisation", "answered_by"), pk)
    if user is not None:
        require(user, perm, party)
    return party


@dataclass(frozen=True)
class Invitation:
    """What the invited side needs to decide, and nothing more of the agreement."""

    party: Party
    inviting: list[tuple[Organisation, Organisation | None]]  # the public parties and their tenants
    non_profits: list[Organisation]


def pending_invitations(user: Any) -> QuerySet[Party]:
    return _invitations(user).filter(status=Party.Status.INVITED)


def invitation_count(user: Any) -> int:
    """How many invitations wait for an answer from ``user``'s bodies (shown on the agreement list).

    Kept in the shared cache (apps.core.cache) under the scope it counts in, the bodies ``user`` is case
    officer over (``scope_key`` with that role only), until the register next changes."""
    if not user.has_perm("agreements.view_invitations"):
        return 0
    scope = scope_key(user, staff_roles={Role.CASE_OFFICER}, partner_roles=())
    return cached("agreements.invitation_count.1", scope=scope, compute=lambda: pending_invitations(user).count())


def invitation_list(user: Any) -> list[Invitation]:
    """The pending invitations to ``user``'s bodies, oldest first, each with the inviting public parties (and
    their municipality or region) and the non-profit parties: a fixed number of queries."""
    accepted = Party.objects.filter(status=Party.Status.ACCEPTED).select_related("organisation")
    parties = list(
        pending_invitations(user)
        .select_related("agreement", "organisation", "invited_by")
        .defer(*(f"agreement__{name}" for name in LIST_DEFERRED))
        .prefetch_related(Prefetch("agreement__parties", queryset=accepted, to_attr="accepted_parties"))
        .order_by("invited_at", "pk")
    )
    public = {
        p.organisation_id
        for party in parties
        for p in party.agreement.accepted_parties  # type: ignore[attr-defined]
        if p.role == Party.Role.PUBLIC
    }
    tenants = tenants_of(public)
    return [
        Invitation(
            party=party,
            inviting=[
                (p.organisation, tenants.get(p.organisation_id))
                for p in party.agreement.accepted_parties  # type: ignore[attr-defined]
                if p.role == Party.Role.PUBLIC
            ],
            non_profits=[
                p.organisation
                for p in party.agreement.accepted_parties  # type: ignore[attr-defined]
                if p.role == Party.Role.NON_PROFIT
            ],
        )
        for party in parties
    ]
