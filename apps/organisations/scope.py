# SPDX-License-Identifier: EUPL-1.2
"""A user's scope: which organisations they act for, through their memberships and the body hierarchy.

Every scoped query in the product starts here. May import: accounts (users, memberships), core, domain.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from apps.accounts.models import PARTNER_ROLES, STAFF_ROLES
from apps.accounts.selectors import membership_organisation_ids

from .models import Organisation


def descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """The given organisations and every organisation below them (förvaltning under nämnd under kommun)."""
    found = set(root_ids)
    frontier = set(found)
    while frontier:
        children = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= children
        frontier = children
    return found


def staff_organisation_ids(user: object, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    """Public bodies (and everything below them) the user works for with one of ``roles``."""
    return descendant_ids(membership_organisation_ids(user, roles))


def partner_organisation_ids(user: object, roles: Iterable[str] = PARTNER_ROLES) -> set[int]:
    """Organisations the user represents as a partner (no hierarchy: only that organisation)."""
    return membership_organisation_ids(user, roles)


def public_bodies_for(user: object, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Organisation]:
    """Organisations a staff user may register agreements for (their bodies and those below)."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
    return Organisation.objects.filter(id__in=staff_organisation_ids(user, roles), kind=Organisation.Kind.PUBLIC_BODY)
