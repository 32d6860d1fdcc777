# SPDX-License-Identifier: EUPL-1.2
"""Who may do what with agreements. The one permission model used by pages, exports and commands.

A user sees an agreement through a membership of one of its parties, or through a staff role over
a public body that is (or sits above) one of its parties. Partner staff see it only once it is shown to
the partners (``Agreement.shared_with_partners``). Only case officers over one of its public parties may
change it.

Only accepted parties count. A public body of another tenant named as a party is *invited*: until its
staff accept, neither the invitation nor a declined one grants anyone of that tenant anything. The
invitation itself is seen and answered by the case officers over the invited body (or above it).
"""

from __future__ import annotations

import rules
from django.db.models import Q

from apps.accounts.models import Role
from apps.accounts.permissions import is_case_officer, is_staff_member, is_superuser
from apps.accounts.selectors import user_cache
from apps.organisations.scope import partner_organisation_ids, staff_organisation_ids

from .models import Party


def visible_party_filter(user: object) -> Q:
    """The parties through which ``user`` sees an agreement.

    Staff see every agreement of their bodies; partner staff see an agreement of their organisation only
    once it is shown to the partners (an imported agreement starts hidden).
    """
    cache = user_cache(user)
    cached: Q | None = cache.get("visible_party_filter") if cache is not None else None
    if cached is not None:
        return cached
    staff, partner = staff_organisation_ids(user), partner_organisation_ids(user)
    condition = Q(organisation_id__in=sorted(staff))
    if partner - staff:
        condition |= Q(organisation_id__in=sorted(partner - staff), agreement__shared_with_partners=True)
    condition &= Q(status=Party.Status.ACCEPTED)  # an invitation, pending or declined, opens nothing
    if cache is not None:
        cache["visible_party_filter"] = condition  # once per request (cleared with the memberships)
    return condition


@rules.predicate
def can_view_agreement(user, agreement) -> bool:
    if agreement is None or not getattr(user, "is_authenticated", False):
        return False
    return Party.objects.filter(visible_party_filter(user), agreement=agreement).exists()


def staff_over_public_party(user, agreement, roles) -> bool:
    """Does the user hold one of ``roles`` over (or above) one of the agreement's public parties?"""
    if agreement is None or not getattr(user, "is_authenticated", False):
        return False
    ids = staff_organisation_ids(user, roles=roles)
    return Party.objects.filter(
        agreement=agreement, role=Party.Role.PUBLIC, status=Party.Status.ACCEPTED, organisation_id__in=ids
    ).exists()


@rules.predicate
def is_case_officer_for(user, agreement) -> bool:
    return staff_over_public_party(user, agreement, {Role.CASE_OFFICER})


@rules.predicate
def answers_for_invited_body(user, party) -> bool:
    """A case officer over (or above) the invited body: the one who accepts or declines for it."""
    if not isinstance(party, Party) or not getattr(user, "is_authenticated", False):
        return False
    return party.is_invitation and party.organisation_id in staff_organisation_ids(user, roles={Role.CASE_OFFICER})


rules.add_perm("agreements.view_agreement", is_superuser | can_view_agreement)
rules.add_perm("agreements.add_agreement", is_superuser | is_case_officer)
rules.add_perm("agreements.change_agreement", is_superuser | is_case_officer_for)
rules.add_perm("agreements.transition_agreement", is_superuser | is_case_officer_for)
rules.add_perm("agreements.view_register", is_superuser | is_staff_member)
# The list of invitations to one's bodies, and answering one of them.
rules.add_perm("agreements.view_invitations", is_superuser | is_case_officer)
rules.add_perm("agreements.answer_invitation", is_superuser | answers_for_invited_body)
