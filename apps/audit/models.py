# SPDX-License-Identifier: EUPL-1.2
"""The audit trail: one domain event per write, with who, when, what and the field changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """An immutable record written by a service in the same transaction as the change it describes."""

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    # The summary in the default language (Swedish), for the admin and search. The history shows it from
    # the untranslated message and its parameters, in the viewer's language (apps.audit.display);
    # events written before those were kept have only this text.
    summary = models.CharField(_("summary"), max_length=500)
    summary_msgid = models.TextField(_("summary message"), blank=True, default="")
    summary_params = models.JSONField(_("summary parameters"), blank=True, default=dict)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
