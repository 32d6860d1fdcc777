from django.contrib import admin

from .models import AuditEvent
from .services import audit_record, diff, snapshot


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor", "action", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "object_id")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as the product's own services."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        agreement = obj if obj._meta.label_lower == "agreements.agreement" else getattr(obj, "agreement", None)
        organisation = obj if obj._meta.label_lower == "organisations.organisation" else None
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin_saved",
            summary=f"{obj._meta.verbose_name.capitalize()}: {obj} (admin)",
            obj=obj,
            agreement=agreement,
            organisation=organisation,
            changes=diff(before, snapshot(obj)),
        )
