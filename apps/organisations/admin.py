# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin

from apps.audit.admin import AuditedAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "org_number", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "org_number")
    autocomplete_fields = ("parent",)
