# SPDX-License-Identifier: EUPL-1.2
"""A user's memberships (role over an organisation), read once per user object.

May import: core, domain. The organisation hierarchy (what "below a body" means) is the organisations
area's: ``apps.organisations.scope`` builds a user's scope from these memberships.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Membership, User


def _memberships(user: object, roles: Iterable[str]) -> list[Membership]:
    """``user`` is whatever request.user is (a User or AnonymousUser); only active users have memberships."""
    if not isinstance(user, User) or not user.is_active:
        return []
    cache: list[Membership] | None = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._membership_cache = cache  # type: ignore[attr-defined]  # a per-request cache on the user object
    wanted = set(roles)
    return [m for m in cache if m.role in wanted]


def membership_organisation_ids(user: object, roles: Iterable[str]) -> set[int]:
    """The organisations the user holds one of ``roles`` in (no hierarchy)."""
    return {m.organisation_id for m in _memberships(user, roles)}


def has_role(user: object, roles: Iterable[str]) -> bool:
    return bool(_memberships(user, roles))
