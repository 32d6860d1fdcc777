# SPDX-License-Identifier: EUPL-1.2
"""A user's scope: which organisations they act for, through their memberships and the body hierarchy.

Every scoped query in the product starts here. May import: accounts (users, memberships), core, domain.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import connection
from django.db.models import QuerySet

from apps.accounts.models import PARTNER_ROLES, STAFF_ROLES
from apps.accounts.selectors import membership_organisation_ids, user_cache
from apps.core.cache import scope_digest

from .models import Organisation

# The hierarchy is read with recursive queries (WITH RECURSIVE: SQLite and PostgreSQL alike), one query for any
# depth, never one per level.


# Only the quoted table name and "%s" placeholders are put into the SQL text; every value is a parameter.
_UP = (
    "up(id, parent_id, kind) AS (SELECT o.id, o.parent_id, o.kind FROM {table} o WHERE o.id IN ({ids}) "
    "UNION SELECT o.id, o.parent_id, o.kind FROM {table} o JOIN up ON o.id = up.parent_id)"
)
_DOWN = (
    "down(id, parent_id, kind) AS (SELECT o.id, o.parent_id, o.kind FROM {table} o JOIN seeds ON o.id = seeds.id "
    "UNION SELECT o.id, o.parent_id, o.kind FROM {table} o JOIN down ON o.parent_id = down.id)"
)
_ROOTS = "SELECT o.id FROM {table} o WHERE o.id IN ({ids})"
_TOPS = "SELECT up.id FROM up WHERE up.parent_id IS NULL AND up.kind = %s"


def _rows(sql: str, params: list[int | str]) -> list[tuple[int, int | None, str]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, parent, kind) for pk, parent, kind in cursor.fetchall()]


def _subtree_rows(root_ids: Collection[int], *, with_tenants: bool = False) -> list[tuple[int, int | None, str]]:
    """(id, parent_id, kind) of every organisation at or below ``root_ids`` and, ``with_tenants``, at or below the
    tenants above them (the top of each one's chain, when that is a public body): one recursive query."""
    roots = sorted(set(root_ids))
    if not roots:
        return []
    names = {"table": connection.ops.quote_name(Organisation._meta.db_table), "ids": ", ".join(["%s"] * len(roots))}
    if with_tenants:
        ctes = [_UP, f"seeds(id) AS ({_TOPS} UNION {_ROOTS})", _DOWN]
        params: list[int | str] = [*roots, Organisation.Kind.PUBLIC_BODY.value, *roots]
    else:
        ctes, params = [f"seeds(id) AS ({_ROOTS})", _DOWN], [*roots]
    sql = "WITH RECURSIVE " + ", ".join(ctes).format(**names) + " SELECT id, parent_id, kind FROM down"  # noqa: S608
    return _rows(sql, params)


def _chain_rows(organisation_ids: Collection[int]) -> list[tuple[int, int | None, str]]:
    """(id, parent_id, kind) of ``organisation_ids`` and of every organisation above them: one recursive query."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return []
    names = {"table": connection.ops.quote_name(Organisation._meta.db_table), "ids": ", ".join(["%s"] * len(ids))}
    sql = "WITH RECURSIVE " + _UP.format(**names) + " SELECT id, parent_id, kind FROM up"  # noqa: S608
    return _rows(sql, [*ids])


def _children_of(rows: Iterable[tuple[int, int | None, str]]) -> dict[int, set[int]]:
    children: dict[int, set[int]] = {}
    for pk, parent, _kind in rows:
        if parent is not None:
            children.setdefault(parent, set()).add(pk)
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


def _top(pk: int, rows: dict[int, tuple[int | None, str]]) -> int | None:
    """The tenant above ``pk`` (itself when it is one) among ``rows`` (id → (parent_id, kind)), or None when the
    top of its chain is not a public body."""
    node, seen = pk, {pk}
    while node in rows:
        parent, kind = rows[node]
        if parent is None:
            return node if kind == Organisation.Kind.PUBLIC_BODY else None
        if parent in seen:
            return None
        seen.add(parent)
        node = parent
    return None


def descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """The given organisations and every organisation below them (förvaltning under nämnd under kommun): one
    query, whatever the depth."""
    roots = set(root_ids)
    return roots | {pk for pk, _parent, _kind in _subtree_rows(roots)}


def staff_organisation_ids(user: object, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    """Public bodies (and everything below them) the user works for with one of ``roles``.

    Computed once per request: the first call reads, in one query, the whole hierarchy of the user's tenants
    (every municipality or region they work in) and below all of their staff memberships, and keeps it in the
    user's request cache (``apps.accounts.selectors.user_cache``, cleared when a membership or the hierarchy
    changes), so each further call, for any roles, the tenants (``tenant_ids``) and the tenant's bodies
    (``tenant_body_ids``) are answered without a query.
    """
    wanted = frozenset(roles)
    cache = user_cache(user)
    if cache is None:
        return descendant_ids(membership_organisation_ids(user, wanted))
    by_roles: dict[frozenset[str], frozenset[int]] = cache.setdefault("staff_organisation_ids", {})
    if wanted not in by_roles:
        roots = membership_organisation_ids(user, wanted)
        _read(cache, roots | membership_organisation_ids(user, STAFF_ROLES))
        by_roles[wanted] = frozenset(_closure(roots, cache.setdefault("organisation_children", {})))
    return set(by_roles[wanted])


def _read(cache: dict, root_ids: Iterable[int]) -> None:
    """Read the hierarchy of ``root_ids``' tenants and below ``root_ids`` into the request cache (one query),
    unless it was read already: every organisation read has its whole subtree read with it."""
    rows: dict[int, tuple[int | None, str]] = cache.setdefault("organisation_rows", {})
    start = set(root_ids) - rows.keys()
    if not start:
        return
    read = _subtree_rows(start, with_tenants=True)
    for pk, parent, kind in read:
        rows[pk] = (parent, kind)
    children: dict[int, set[int]] = cache.setdefault("organisation_children", {})
    for parent, below in _children_of(read).items():
        children.setdefault(parent, set()).update(below)
    for pk in start - rows.keys():  # gone meanwhile: nothing below it, and no tenant
        rows[pk] = (None, "")


def partner_organisation_ids(user: object, roles: Iterable[str] = PARTNER_ROLES) -> set[int]:
    """Organisations the user represents as a partner (no hierarchy: only that organisation)."""
    return membership_organisation_ids(user, roles)


def public_bodies_for(user: object, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Organisation]:
    """Organisations a staff user may register agreements for (their bodies and those below)."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
    return Organisation.objects.filter(id__in=staff_organisation_ids(user, roles), kind=Organisation.Kind.PUBLIC_BODY)


def scope_key(
    user: object, *, staff_roles: Iterable[str] = STAFF_ROLES, partner_roles: Iterable[str] = PARTNER_ROLES
) -> str:
    """What ``user`` may see, as a key for values cached across requests and servers (``apps.core.cache``).

    ``"superuser"`` for an active superuser (sees everything); ``"anonymous"`` for anyone who is not an active,
    signed-in user (sees nothing of the register); otherwise a digest of the organisations they act for: the
    bodies (and every body below them) they hold one of ``staff_roles`` over and the organisations they hold
    one of ``partner_roles`` in, with the role sets themselves. Never a user type: two users get the same key
    only when the organisations they act for are the same, so a value computed from what one of them sees
    holds for the other. Computed from this request's scope (no query once the scope is read), so a changed
    membership or hierarchy gives the new key at once.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return "anonymous"
    if getattr(user, "is_superuser", False):
        return "superuser"
    staff_roles, partner_roles = frozenset(staff_roles), frozenset(partner_roles)
    staff = tuple(sorted(staff_organisation_ids(user, staff_roles))) if staff_roles else ()
    partner = tuple(sorted(partner_organisation_ids(user, partner_roles))) if partner_roles else ()
    return "scope-" + scope_digest(
        ("staff", tuple(sorted(str(role) for role in staff_roles)), staff),
        ("partner", tuple(sorted(str(role) for role in partner_roles)), partner),
    )


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
    """The tenants (top-level public bodies) above ``organisation_ids``: one query, whatever the depth."""
    rows = {pk: (parent, kind) for pk, parent, kind in _chain_rows(set(organisation_ids))}
    return {top for pk in organisation_ids if (top := _top(pk, rows)) is not None}


def tenants_of(organisation_ids: Iterable[int]) -> dict[int, Organisation]:
    """The tenant of each of ``organisation_ids`` that is a public body (a body that is a tenant maps to
    itself): two queries (the chains above them, then the tenants), whatever their number."""
    wanted = set(organisation_ids)
    rows = {pk: (parent, kind) for pk, parent, kind in _chain_rows(wanted)}
    tops: dict[int, int] = {}
    for pk in wanted:
        top = _top(pk, rows) if rows.get(pk, (None, ""))[1] == Organisation.Kind.PUBLIC_BODY else None
        if top is not None:
            tops[pk] = top
    tenants = Organisation.objects.in_bulk(set(tops.values())) if tops else {}
    return {pk: tenants[top] for pk, top in tops.items() if top in tenants}


def tenant_ids(user: object, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    """The tenants the user works in: the top ancestors of the bodies of their memberships with one of
    ``roles`` (every staff role unless told).

    Answered from the hierarchy the request read for the user's scope (``staff_organisation_ids``: one query for
    the whole scope), so it is computed once per request and role set."""
    wanted = frozenset(roles)
    cache = user_cache(user)
    if cache is None:
        return _tops(membership_organisation_ids(user, wanted))
    by_roles: dict[frozenset[str], frozenset[int]] = cache.setdefault("tenant_ids", {})
    if wanted not in by_roles:
        roots = membership_organisation_ids(user, wanted)
        _read(cache, roots | membership_organisation_ids(user, STAFF_ROLES))
        rows = cache["organisation_rows"]
        by_roles[wanted] = frozenset(top for pk in roots if (top := _top(pk, rows)) is not None)
    return set(by_roles[wanted])


def tenant_body_ids(user: object) -> set[int]:
    """Every public body of the user's tenants (the tenants themselves and every body below them): the
    bodies their staff may create under, edit and name as parties. Once per request, like ``tenant_ids``,
    from the hierarchy read with the user's scope: no query of its own."""
    cache = user_cache(user)
    if cache is None:
        tenants = tenant_ids(user)
        return set(
            Organisation.objects.filter(id__in=descendant_ids(tenants), kind=Organisation.Kind.PUBLIC_BODY).values_list(
                "id", flat=True
            )
        )
    cached: frozenset[int] | None = cache.get("tenant_body_ids")
    if cached is None:
        tenants = tenant_ids(user)
        rows: dict[int, tuple[int | None, str]] = cache.get("organisation_rows", {})
        below = _closure(tenants, cache.get("organisation_children", {}))
        cached = frozenset(pk for pk in below if rows.get(pk, (None, ""))[1] == Organisation.Kind.PUBLIC_BODY)
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
