# SPDX-License-Identifier: EUPL-1.2
"""Imported documents: an uploaded agreement file and the draft the importer read from it, awaiting review."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import failure_text, warning_texts


def import_upload_to(instance: ImportDraft, filename: str) -> str:
    """A random name under imports/: the original name is kept in the row, never in a path or URL."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ImportDraft(models.Model):
    class Status(models.TextChoices):
        READING = "reading", _("Being read")
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Agreement created")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Could not be read")

    public_body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("public body"),
        on_delete=models.PROTECT,
        related_name="import_drafts",
    )
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error_message = models.TextField(_("error message"), blank=True)  # a bulk import's reason, in words
    # Why the reader could not read the file, as an importer failure code and its parameters: shown in the
    # viewer's language (apps/documents/errors.py), not in the language of whoever uploaded it.
    error_code = models.CharField(_("error code"), max_length=60, blank=True)
    error_params = models.JSONField(_("error parameters"), default=dict, blank=True)
    reading_started_at = models.DateTimeField(_("reading started at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_drafts",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_drafts",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("imported document")
        verbose_name_plural = _("imported documents")
        # The import list: each section (a status) newest first, a page at a time.
        indexes = [models.Index(fields=["status", "-created_at", "-id"], name="importdraft_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["reading", "pending", "accepted", "rejected", "failed"]),
                name="importdraft_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(agreement__isnull=False),
                name="importdraft_accepted_has_agreement",
            ),
            # One draft being read or awaiting review per uploaded file and public body, also when two
            # uploads race.
            models.UniqueConstraint(
                fields=["public_body", "sha256"],
                condition=models.Q(status__in=["reading", "pending"]),
                name="importdraft_one_open_per_file",
                violation_error_code="already_imported",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("documents:review", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        """Being read or awaiting review: the same file is not taken again meanwhile."""
        return self.status in (self.Status.READING, self.Status.PENDING)

    @property
    def failure_text(self) -> str:
        """Why the file could not be read, in the active language."""
        if self.error_code:
            return failure_text(self.error_code, self.error_params or {})
        return self.error_message

    @property
    def warning_count(self) -> int:
        return len(self.warnings or [])

    @property
    def warning_messages(self) -> list[str]:
        """The importer's warnings (stored as codes and parameters) in the active language."""
        return warning_texts(self.warnings)

    @property
    def title(self) -> str:
        return (self.draft or {}).get("title") or ""
