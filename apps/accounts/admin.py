# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from . import services
from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]

    @transaction.atomic
    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        """Membership rows are written by the audited services, not saved directly."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        actor: Any = request.user
        # The admin's change message reads these lists after saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not hasattr(inline_form, "cleaned_data") or not inline_form.cleaned_data:
                continue
            data = inline_form.cleaned_data
            instance = inline_form.instance
            if data.get("DELETE"):
                if instance.pk:
                    formset.deleted_objects.append(instance)
                    services.membership_remove(actor=actor, membership=instance)
            elif instance.pk is None:
                formset.new_objects.append(
                    services.membership_add(
                        actor=actor, user=form.instance, organisation=data["organisation"], role=data["role"]
                    )
                )
            elif inline_form.has_changed():
                formset.changed_objects.append((instance, inline_form.changed_data))
                if "organisation" in inline_form.changed_data:
                    services.membership_remove(actor=actor, membership=Membership.objects.get(pk=instance.pk))
                    services.membership_add(
                        actor=actor, user=form.instance, organisation=data["organisation"], role=data["role"]
                    )
                else:
                    services.membership_change_role(actor=actor, membership=instance, role=data["role"])
