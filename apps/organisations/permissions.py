# SPDX-License-Identifier: EUPL-1.2
"""Who may see and change the organisation register.

Staff change only their own tenant's public bodies (a tenant is a kommun or region: a top-level public
body); non-profits are shared, and any registrar may change them.
"""

from __future__ import annotations

import rules

from apps.accounts.permissions import is_registrar, is_staff_member, is_superuser

from .models import Organisation
from .scope import within_tenants


@rules.predicate
def in_own_tenant(user: object, organisation: Organisation | None) -> bool:
    """No organisation named (may the user change some organisation at all?), a shared one, or a public
    body of one of the user's tenants."""
    return organisation is None or within_tenants(user, organisation)


rules.add_perm("organisations.view_organisation", is_superuser | is_staff_member)
rules.add_perm("organisations.add_organisation", is_superuser | is_registrar)
rules.add_perm("organisations.change_organisation", is_superuser | (is_registrar & in_own_tenant))
