# SPDX-License-Identifier: EUPL-1.2
"""A user's scope: which organisations they act for, through their memberships and the body hierarchy.

Every scoped query in the product starts here. May import: accounts (users, memberships), core, domain.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import QuerySet

from apps.accounts.models import PARTNER_ROLES, STAFF_ROLES
from apps.accounts.selectors import membership_organisation_ids, user_cache

from .models import Organisation


def _children_below(root_ids: Iterable[int], known: Collection[int] = ()) -> dict[int, set[int]]:
    """Each organisation at or below ``root_ids`` with the organisations directly under it: one query per
    level of the hierarchy (kommun → nämnd → förvaltning: a few), whatever the number of organisations.
    The subtrees of ``known`` organisations were read before: they are not read again."""
    children: dict[int, set[int]] = {}
    seen = set(root_ids)
    frontier = seen - set(known)
    while frontier:
        rows = Organisation.objects.filter(parent_id__in=frontier).values_list("id", "parent_id")
        found: set[int] = set()
        for child, parent in rows:
            if parent is not None:
                children.setdefault(parent, set()).add(child)
            found.add(child)
        frontier = found - seen - set(known)
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

    Computed once per request: the hierarchy of the user's tenants (and below all of their staff memberships)
    is read on the first call, one query per level, and kept in the user's request cache
    (``apps.accounts.selectors.user_cache``, cleared when a membership changes), so each further call, for any
    roles, and the tenant's bodies (``tenant_body_ids``), are answered without reading it again.
    """
    wanted = frozenset(roles)
    cache = user_cache(user)
    if cache is None:
        return descendant_ids(membership_organisation_ids(user, wanted))
    by_roles: dict[frozenset[str], frozenset[int]] = cache.setdefault("staff_organisation_ids", {})
    if wanted not in by_roles:
        roots = membership_organisation_ids(user, wanted)
        if not roots <= _walked(cache):
            # The first walk reads the user's whole tenants (every municipality or region they work in) and
            # every staff membership, so that later calls for other roles, and the tenant's bodies (the
            # organisation register, the party choices), find the hierarchy read already.
            _walk(cache, tenant_ids(user) | membership_organisation_ids(user, STAFF_ROLES) | roots)
        by_roles[wanted] = frozenset(_closure(roots, cache.setdefault("organisation_children", {})))
    return set(by_roles[wanted])


def _walked(cache: dict) -> set[int]:
    """The organisations whose whole subtree the request has read (kept in the user's request cache)."""
    walked: set[int] = cache.setdefault("organisation_walked", set())
    return walked


def _walk(cache: dict, root_ids: Iterable[int]) -> None:
    """Read the hierarchy below ``root_ids`` into the request cache, skipping subtrees read already."""
    walked = _walked(cache)
    children: dict[int, set[int]] = cache.setdefault("organisation_children", {})
    start = set(root_ids) - walked
    if not start:
        return
    for parent, below in _children_below(start, known=walked).items():
        children.setdefault(parent, set()).update(below)
    walked |= _closure(start, children)


def partner_organisation_ids(user: object, roles: Iterable[str] = PARTNER_ROLES) -> set[int]:
    """Organisations the user represents as a partner (no hierarchy: only that organisation)."""
    return membership_organisation_ids(user, roles)


def public_bodies_for(user: object, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Organisation]:
    """Organisations a staff user may register agreements for (their bodies and those below)."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
    return Organisation.objects.filter(id__in=staff_organisation_ids(user, roles), kind=Organisation.Kind.PUBLIC_BODY)


# Tenancy ------------------------------------------------------------------------------------------------------
# A tenant is a top-level public body (a kommun or a region: kind public_body, no parent). Every public body
# belongs to exactly one tenant, the top of its parent chain; non-profits are shared and belong to none.


def tenant_of(organisation: Organisation) -> Organisation | None:
    """The tenant ``organisation`` belongs to (itself when it is one), or None for anything that is not a
    public body. Walks up the parents: one query per level above it."""
    if organisation.kind != Organisation.Kind.PUBLIC_BODY:
        return None
    node, seen = organisation, {organisation.pk}
    while node.parent_id is not None and node.parent_id not in seen:
        seen.add(node.parent_id)
        parent = node.parent
        if parent is None:
            break
        node = parent
    return node if node.kind == Organisation.Kind.PUBLIC_BODY and node.parent_id is None else None


def _tops(organisation_ids: Iterable[int]) -> set[int]:
    """The tenants (top-level public bodies) above ``organisation_ids``: one query per level for all of them."""
    tops: set[int] = set()
    frontier, seen = set(organisation_ids), set(organisation_ids)
    while frontier:
        rows = Organisation.objects.filter(id__in=frontier).values_list("id", "parent_id", "kind")
        frontier = set()
        for pk, parent, kind in rows:
            if parent is None:
                if kind == Organisation.Kind.PUBLIC_BODY:
                    tops.add(pk)
            elif parent not in seen:
                seen.add(parent)
                frontier.add(parent)
    return tops


def tenants_of(organisation_ids: Iterable[int]) -> dict[int, Organisation]:
    """The tenant of each of ``organisation_ids`` that is a public body (a body that is a tenant maps to
    itself): one query per level of the hierarchy for all of them, whatever their number."""
    wanted = set(organisation_ids)
    read: dict[int, Organisation] = {}
    frontier = set(wanted)
    while frontier:
        for org in Organisation.objects.filter(id__in=frontier):
            read[org.pk] = org
        frontier = {o.parent_id for o in read.values() if o.parent_id is not None} - set(read)
    found: dict[int, Organisation] = {}
    for pk in wanted:
        node, seen = read.get(pk), set()
        if node is None or node.kind != Organisation.Kind.PUBLIC_BODY:
            continue
        while node.parent_id is not None and node.parent_id in read and node.pk not in seen:
            seen.add(node.pk)
            node = read[node.parent_id]
        if node.parent_id is None and node.kind == Organisation.Kind.PUBLIC_BODY:
            found[pk] = node
    return found


def tenant_ids(user: object, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    """The tenants the user works in: the top ancestors of the bodies of their memberships with one of
    ``roles`` (every staff role unless told).

    Kept in the user's request cache (cleared when a membership or the hierarchy changes) like the rest of
    the scope, so it is computed once per request and role set."""
    wanted = frozenset(roles)
    cache = user_cache(user)
    if cache is None:
        return _tops(membership_organisation_ids(user, wanted))
    by_roles: dict[frozenset[str], frozenset[int]] = cache.setdefault("tenant_ids", {})
    if wanted not in by_roles:
        by_roles[wanted] = frozenset(_tops(membership_organisation_ids(user, wanted)))
    return set(by_roles[wanted])


def tenant_body_ids(user: object) -> set[int]:
    """Every public body of the user's tenants (the tenants themselves and every body below them): the
    bodies their staff may create under, edit and name as parties. Once per request, like ``tenant_ids``."""
    cache = user_cache(user)
    cached: frozenset[int] | None = cache.get("tenant_body_ids") if cache is not None else None
    if cached is None:
        tenants = tenant_ids(user)
        if cache is None:
            below = descendant_ids(tenants)
        else:
            _walk(cache, tenants)  # read already with the user's scope, as a rule: no query
            below = _closure(tenants, cache.setdefault("organisation_children", {}))
        cached = frozenset(
            Organisation.objects.filter(id__in=below, kind=Organisation.Kind.PUBLIC_BODY).values_list("id", flat=True)
        )
        if cache is not None:
            cache["tenant_body_ids"] = cached
    return set(cached)


def within_tenants(user: object, organisation: Organisation) -> bool:
    """Whether ``user`` acts for ``organisation``'s tenant: a superuser everywhere, staff in their own
    tenants' public bodies; an organisation that is not a public body belongs to no tenant (shared)."""
    if getattr(user, "is_superuser", False):
        return True
    if organisation.kind != Organisation.Kind.PUBLIC_BODY:
        return True
    tenant = tenant_of(organisation)
    return tenant is not None and tenant.pk in tenant_ids(user)
