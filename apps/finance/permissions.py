# SPDX-License-Identifier: EUPL-1.2
"""Who may see and change an agreement's money.

Seeing follows the agreement (apps.agreements.permissions). Case officers and controllers over one of
the agreement's public parties keep the budget and the payment plan; the partner's reporters record
actual costs; controllers keep the price index series and correct recorded payments.
"""

from __future__ import annotations

import rules

from apps.accounts.models import Role
from apps.accounts.permissions import is_controller, is_staff_member, is_superuser
from apps.agreements.models import Party
from apps.agreements.permissions import can_view_agreement, staff_over_public_party
from apps.organisations.scope import partner_organisation_ids


@rules.predicate
def keeps_finance(user, agreement) -> bool:
    return staff_over_public_party(user, agreement, {Role.CASE_OFFICER, Role.CONTROLLER})


@rules.predicate
def controls_finance(user, agreement) -> bool:
    return staff_over_public_party(user, agreement, {Role.CONTROLLER})


@rules.predicate
def reports_costs(user, agreement) -> bool:
    if agreement is None or not getattr(user, "is_authenticated", False):
        return False
    ids = partner_organisation_ids(user, roles={Role.PARTNER_EDITOR})
    return Party.objects.filter(agreement=agreement, role=Party.Role.NON_PROFIT, organisation_id__in=ids).exists()


rules.add_perm("finance.view_finance", is_superuser | can_view_agreement)
rules.add_perm("finance.change_finance", is_superuser | keeps_finance)
rules.add_perm("finance.record_payment", is_superuser | keeps_finance)
rules.add_perm("finance.correct_payment", is_superuser | controls_finance)
rules.add_perm("finance.record_cost", is_superuser | keeps_finance | reports_costs)
rules.add_perm("finance.change_index", is_superuser | is_controller)
rules.add_perm("finance.view_portfolio", is_superuser | is_staff_member)
