# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .display import summary_text
from .models import AuditEvent
from .services import audit_record, diff, kind_param, snapshot


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor", "action", "summary_shown")
    list_filter = ("action",)
    search_fields = ("summary", "object_id")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("summary"))
    def summary_shown(self, obj: AuditEvent) -> str:
        """The summary in the admin user's language (the stored one is in the default language)."""
        return summary_text(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as the product's own services."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        agreement = obj if obj._meta.label_lower == "agreements.agreement" else getattr(obj, "agreement", None)
        organisation = obj if obj._meta.label_lower == "organisations.organisation" else None
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin_saved",
            summary=gettext_noop("%(kind)s “%(label)s” saved in the admin"),
            summary_params={"kind": kind_param(obj), "label": str(obj)},
            obj=obj,
            agreement=agreement,
            organisation=organisation,
            changes=diff(before, snapshot(obj)),
        )
