# SPDX-License-Identifier: EUPL-1.2
"""A user's scope: which organisations they act for, through their memberships and the body hierarchy.

Every scoped query in the product starts here. May import: accounts (users, memberships), core, domain.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from apps.accounts.models import PARTNER_ROLES, STAFF_ROLES
from apps.accounts.selectors import membership_organisation_ids, user_cache

from .models import Organisation


def _children_below(root_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each organisation at or below ``root_ids`` with the organisations directly under it: one query per
    level of the hierarchy (kommun → nämnd → förvaltning: a few), whatever the number of organisations."""
    children: dict[int, set[int]] = {}
    seen = set(root_ids)
    frontier = set(seen)
    while frontier:
        rows = Organisation.objects.filter(parent_id__in=frontier).values_list("id", "parent_id")
        found: set[int] = set()
        for child, parent in rows:
            if parent is not None:
                children.setdefault(parent, set()).add(child)
            found.add(child)
        frontier = found - seen
        seen |= found
    return children


def _closure(root_ids: Iterable[int], children: dict[int, set[int]]) -> set[int]:
    found = set(root_ids)
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """The given organisations and every organisation below them (förvaltning under nämnd under kommun)."""
    roots = set(root_ids)
    return _closure(roots, _children_below(roots))


def staff_organisation_ids(user: object, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    """Public bodies (and everything below them) the user works for with one of ``roles``.

    Computed once per request: the hierarchy below all of the user's staff memberships is read on the first
    call and kept in the user's request cache (``apps.accounts.selectors.user_cache``, cleared when a
    membership changes), so each further call, for any roles, is answered without a query.
    """
    wanted = frozenset(roles)
    cache = user_cache(user)
    if cache is None:
        return descendant_ids(membership_organisation_ids(user, wanted))
    by_roles: dict[frozenset[str], frozenset[int]] = cache.setdefault("staff_organisation_ids", {})
    if wanted not in by_roles:
        roots = membership_organisation_ids(user, wanted)
        walked: set[int] = cache.setdefault("organisation_walked", set())
        children: dict[int, set[int]] = cache.setdefault("organisation_children", {})
        if not roots <= walked:
            # The first walk starts from every staff membership, so that later calls for other staff roles
            # find the hierarchy read already.
            start = (membership_organisation_ids(user, STAFF_ROLES) | roots) - walked
            for parent, below in _children_below(start).items():
                children.setdefault(parent, set()).update(below)
            walked |= start
        by_roles[wanted] = frozenset(_closure(roots, children))
    return set(by_roles[wanted])


def partner_organisation_ids(user: object, roles: Iterable[str] = PARTNER_ROLES) -> set[int]:
    """Organisations the user represents as a partner (no hierarchy: only that organisation)."""
    return membership_organisation_ids(user, roles)


def public_bodies_for(user: object, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Organisation]:
    """Organisations a staff user may register agreements for (their bodies and those below)."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
    return Organisation.objects.filter(id__in=staff_organisation_ids(user, roles), kind=Organisation.Kind.PUBLIC_BODY)
