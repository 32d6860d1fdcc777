# SPDX-License-Identifier: EUPL-1.2
"""Role predicates shared by every area's permissions.py (django-rules)."""

from __future__ import annotations

import rules

from .models import Role
from .selectors import has_role


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


@rules.predicate
def is_case_officer(user) -> bool:
    return has_role(user, {Role.CASE_OFFICER})


@rules.predicate
def is_controller(user) -> bool:
    return has_role(user, {Role.CONTROLLER})


@rules.predicate
def is_registrar(user) -> bool:
    """Case officers and controllers keep the organisation register."""
    return has_role(user, {Role.CASE_OFFICER, Role.CONTROLLER})


@rules.predicate
def is_staff_member(user) -> bool:
    return has_role(user, {Role.CASE_OFFICER, Role.CONTROLLER, Role.VIEWER})
