# SPDX-License-Identifier: EUPL-1.2
"""Users and their memberships: the single source of who may see and do what."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may see comes only from their memberships (and superuser)."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    # Staff of a public body (nämnd/förvaltning/kommun): see every agreement of that body and below.
    CASE_OFFICER = "case_officer", _("Case officer")
    CONTROLLER = "controller", _("Controller")
    VIEWER = "viewer", _("Viewer")
    # Staff of a party organisation (non-profit): see only the agreements their organisation is party to.
    PARTNER_EDITOR = "partner_editor", _("Partner (reporter)")
    PARTNER_VIEWER = "partner_viewer", _("Partner (read only)")


STAFF_ROLES = frozenset({Role.CASE_OFFICER, Role.CONTROLLER, Role.VIEWER})
PARTNER_ROLES = frozenset({Role.PARTNER_EDITOR, Role.PARTNER_VIEWER})


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES
