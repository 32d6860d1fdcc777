# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin

from apps.audit.admin import AuditedAdmin

from .models import Agreement, Decision, Goal, Indicator, Intervention, Party


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ("organisation",)
    # An invitation is answered by the invited body's case officers on their invitations page (audited).
    readonly_fields = ("status", "invited_by", "invited_at", "answered_by", "answered_at", "decline_reason")


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = ("title", "case_number", "status", "start_date", "end_date")
    list_filter = ("status",)
    search_fields = ("title", "case_number", "parties__organisation__name")
    inlines = [PartyInline, DecisionInline]


@admin.register(Intervention)
class InterventionAdmin(AuditedAdmin):
    list_display = ("__str__", "agreement", "kind")
    search_fields = ("title", "agreement__title")


@admin.register(Goal)
class GoalAdmin(AuditedAdmin):
    list_display = ("__str__", "agreement", "intervention")
    search_fields = ("text", "agreement__title")


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("__str__", "goal", "kind", "follow_ups_per_year")
    search_fields = ("name",)
