# SPDX-License-Identifier: EUPL-1.2
"""Organisations: public bodies (kommun, nämnd, förvaltning) and non-profits, with their hierarchy."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.core.errors import describe
from apps.core.versioning import Versioned
from domain import orgnr


def validate_org_number(value: str) -> None:
    try:
        orgnr.normalize(value)
    except orgnr.OrgnrError as exc:
        raise ValidationError(describe(exc), code=f"orgnr_{exc.reason}") from exc


class Organisation(Versioned):
    class Kind(models.TextChoices):
        PUBLIC_BODY = "public_body", _("Public body")
        NON_PROFIT = "non_profit", _("Non-profit organisation")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Ten digits, NNNNNN-NNNN."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For example the committee a department works for, or the municipality."),
    )
    kammarkollegiet_registered_on = models.DateField(
        _("registered with Kammarkollegiet"),
        null=True,
        blank=True,
        help_text=_("Date of registration as a non-profit organisation (idéburen organisation), if any."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["org_number", "name"],
                name="organisation_unique_number_name",
            ),
            models.CheckConstraint(
                condition=models.Q(org_number="") | models.Q(org_number__regex=r"^[0-9]{6}-[0-9]{4}$"),
                name="organisation_org_number_format",
            ),
        ]
        # The register's order (name), and a trigram index for searching names on PostgreSQL (migration 0004).
        indexes = [
            models.Index(Lower("name"), name="organisation_name_lower"),
            models.Index(fields=["name", "id"], name="organisation_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Organisation]:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain
