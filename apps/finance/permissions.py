# SPDX-License-Identifier: EUPL-1.2
"""Who may see and change an agreement's money.

Seeing follows the agreement (apps.agreements.permissions). Case officers and controllers over one of
the agreement's public parties keep the budget and the payment plan; the partner's reporters record
actual costs; controllers correct recorded payments.

Index series: a national series (PKV, no tenant) is kept only by a platform index keeper (the model
permission ``finance.keep_national_index``, given to a user or a group, and superusers) and read by everyone
signed in; a tenant's own series is kept by that tenant's controllers and read by its staff.
"""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.models import Role
from apps.accounts.permissions import is_staff_member, is_superuser
from apps.agreements.models import Party
from apps.agreements.permissions import can_view_agreement, staff_over_public_party
from apps.organisations.scope import partner_organisation_ids, tenant_ids

from .models import IndexSeries

KEEP_NATIONAL_INDEX = "finance.keep_national_index"


@rules.predicate
def is_index_keeper(user: Any) -> bool:
    """A platform index keeper: holds ``finance.keep_national_index`` (a model permission, no object)."""
    return bool(getattr(user, "is_active", False) and user.has_perm(KEEP_NATIONAL_INDEX))


@rules.predicate
def keeps_index_series(user, series) -> bool:
    """National series: the platform's index keepers; a tenant's series: that tenant's controllers."""
    if not isinstance(series, IndexSeries) or not getattr(user, "is_authenticated", False):
        return False
    if series.tenant_id is None:
        return is_index_keeper(user)
    return series.tenant_id in tenant_ids(user, {Role.CONTROLLER})


@rules.predicate
def reads_index_series(user, series) -> bool:
    if not isinstance(series, IndexSeries) or not getattr(user, "is_authenticated", False):
        return False
    return series.tenant_id is None or series.tenant_id in tenant_ids(user)


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
    return Party.objects.filter(
        agreement=agreement, role=Party.Role.NON_PROFIT, status=Party.Status.ACCEPTED, organisation_id__in=ids
    ).exists()


rules.add_perm("finance.view_finance", is_superuser | can_view_agreement)
rules.add_perm("finance.change_finance", is_superuser | keeps_finance)
rules.add_perm("finance.record_payment", is_superuser | keeps_finance)
rules.add_perm("finance.correct_payment", is_superuser | controls_finance)
rules.add_perm("finance.record_cost", is_superuser | keeps_finance | reports_costs)
rules.add_perm("finance.view_index_list", is_superuser | is_staff_member | is_index_keeper)
rules.add_perm("finance.view_index", is_superuser | reads_index_series)
rules.add_perm("finance.change_index", is_superuser | keeps_index_series)
rules.add_perm("finance.view_portfolio", is_superuser | is_staff_member)
