# SPDX-License-Identifier: EUPL-1.2
"""Helpers shared by every app's services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_perm(actor, perm: str, obj=None) -> None:
    """Services check permissions themselves too: a write never relies on the view alone."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))
