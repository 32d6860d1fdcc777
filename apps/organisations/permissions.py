"""Who may see and change the organisation register."""

import rules

from apps.accounts.models import Role
from apps.accounts.selectors import has_role


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


@rules.predicate
def is_registrar(user) -> bool:
    """Case officers and controllers keep the organisation register."""
    return has_role(user, {Role.CASE_OFFICER, Role.CONTROLLER})


@rules.predicate
def is_staff_member(user) -> bool:
    return has_role(user, {Role.CASE_OFFICER, Role.CONTROLLER, Role.VIEWER})


rules.add_perm("organisations.view_organisation", is_superuser | is_staff_member)
rules.add_perm("organisations.add_organisation", is_superuser | is_registrar)
rules.add_perm("organisations.change_organisation", is_superuser | is_registrar)
