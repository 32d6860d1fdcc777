# SPDX-License-Identifier: EUPL-1.2
"""A user's memberships (role over an organisation), read once per user object.

May import: core, domain. The organisation hierarchy (what "below a body" means) is the organisations
area's: ``apps.organisations.scope`` builds a user's scope from these memberships.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import Membership, User

_CACHE_ATTR = "_scope_cache"
# Bumped whenever a membership or an organisation's place in the hierarchy is written in this process
# (receivers in accounts and organisations): a cache computed before that is dropped, so a user object that
# outlives one request (a command, a test, a long task) never acts on a scope that no longer holds.
_generation = [0]


def scope_changed() -> None:
    """Invalidate every user's cached memberships and scope in this process (called by the receivers)."""
    _generation[0] += 1


def user_cache(user: object) -> dict[str, Any] | None:
    """The per-request cache of ``user``'s memberships and of everything derived from them (the scope).

    It lives on the user object, which Django builds anew for every request (request.user), so it is
    computed once per request and never outlives it. None for anyone who is not an active user (nothing to
    cache: they have no memberships). Higher areas keep their derived entries here under their own keys, so
    that ``forget_user_cache`` clears them all when a membership changes.
    """
    if not isinstance(user, User) or not user.is_active:
        return None
    cache: dict[str, Any] | None = getattr(user, _CACHE_ATTR, None)  # through request.user's lazy wrapper
    if cache is None or cache.get("_generation") != _generation[0]:
        cache = {"_generation": _generation[0]}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def forget_user_cache(*users: object) -> None:
    """Drop the cached memberships and scope of ``users`` (after a membership of theirs changed)."""
    for user in users:
        if user is not None and hasattr(user, _CACHE_ATTR):
            delattr(user, _CACHE_ATTR)


def _memberships(user: object, roles: Iterable[str]) -> list[Membership]:
    """``user`` is whatever request.user is (a User or AnonymousUser); only active users have memberships."""
    cache = user_cache(user)
    if cache is None or not isinstance(user, User):
        return []
    memberships: list[Membership] | None = cache.get("memberships")
    if memberships is None:
        memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
        cache["memberships"] = memberships
    wanted = set(roles)
    return [m for m in memberships if m.role in wanted]


def membership_organisation_ids(user: object, roles: Iterable[str]) -> set[int]:
    """The organisations the user holds one of ``roles`` in (no hierarchy)."""
    return {m.organisation_id for m in _memberships(user, roles)}


def has_role(user: object, roles: Iterable[str]) -> bool:
    return bool(_memberships(user, roles))
