"""What organisations a user acts for. Every scoped query in the product starts here."""

from __future__ import annotations

from collections.abc import Iterable

from apps.organisations.models import Organisation

from .models import PARTNER_ROLES, STAFF_ROLES, Membership


def descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """The given organisations and every organisation below them (förvaltning under nämnd under kommun)."""
    found = set(root_ids)
    frontier = set(found)
    while frontier:
        children = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= children
        frontier = children
    return found


def _memberships(user, roles) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._membership_cache = cache
    return [m for m in cache if m.role in roles]


def staff_organisation_ids(user, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    """Public bodies (and everything below them) the user works for with one of ``roles``."""
    return descendant_ids(m.organisation_id for m in _memberships(user, set(roles)))


def partner_organisation_ids(user, roles: Iterable[str] = PARTNER_ROLES) -> set[int]:
    """Organisations the user represents as a partner (no hierarchy: only that organisation)."""
    return {m.organisation_id for m in _memberships(user, set(roles))}


def has_role(user, roles: Iterable[str]) -> bool:
    return bool(_memberships(user, set(roles)))


def public_bodies_for(user, roles: Iterable[str] = STAFF_ROLES):
    """Organisations a staff user may register agreements for (their bodies and those below)."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
    return Organisation.objects.filter(id__in=staff_organisation_ids(user, roles), kind=Organisation.Kind.PUBLIC_BODY)
