# SPDX-License-Identifier: EUPL-1.2
"""Who may see and change the organisation register."""

import rules

from apps.accounts.permissions import is_registrar, is_staff_member, is_superuser

rules.add_perm("organisations.view_organisation", is_superuser | is_staff_member)
rules.add_perm("organisations.add_organisation", is_superuser | is_registrar)
rules.add_perm("organisations.change_organisation", is_superuser | is_registrar)
