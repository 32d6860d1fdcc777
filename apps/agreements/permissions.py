"""Who may do what with agreements. The one permission model used by pages, exports and commands.

A user sees an agreement through a membership of one of its parties, or through a staff role over
a public body that is (or sits above) one of its parties. Only case officers over one of its public
parties may change it.
"""

from __future__ import annotations

import rules

from apps.accounts.models import Role
from apps.accounts.permissions import is_case_officer, is_staff_member, is_superuser
from apps.accounts.selectors import partner_organisation_ids, staff_organisation_ids

from .models import Party


def visible_organisation_ids(user) -> set[int]:
    return staff_organisation_ids(user) | partner_organisation_ids(user)


@rules.predicate
def can_view_agreement(user, agreement) -> bool:
    if agreement is None or not getattr(user, "is_authenticated", False):
        return False
    return Party.objects.filter(agreement=agreement, organisation_id__in=visible_organisation_ids(user)).exists()


def staff_over_public_party(user, agreement, roles) -> bool:
    """Does the user hold one of ``roles`` over (or above) one of the agreement's public parties?"""
    if agreement is None or not getattr(user, "is_authenticated", False):
        return False
    ids = staff_organisation_ids(user, roles=roles)
    return Party.objects.filter(agreement=agreement, role=Party.Role.PUBLIC, organisation_id__in=ids).exists()


@rules.predicate
def is_case_officer_for(user, agreement) -> bool:
    return staff_over_public_party(user, agreement, {Role.CASE_OFFICER})


rules.add_perm("agreements.view_agreement", is_superuser | can_view_agreement)
rules.add_perm("agreements.add_agreement", is_superuser | is_case_officer)
rules.add_perm("agreements.change_agreement", is_superuser | is_case_officer_for)
rules.add_perm("agreements.transition_agreement", is_superuser | is_case_officer_for)
rules.add_perm("agreements.view_register", is_superuser | is_staff_member)
