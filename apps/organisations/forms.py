# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import describe
from apps.core.forms import DateInput, DesignSystemFormMixin
from apps.core.versioning import VersionedFormMixin
from domain import orgnr

from .models import Organisation
from .scope import tenant_body_ids


class OrgNumberField(forms.CharField):
    """An optional organisationsnummer: normalised to NNNNNN-NNNN, check digit verified."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = (super().clean(value) or "").strip()
        if not value:
            return ""
        try:
            return orgnr.normalize(value)
        except orgnr.OrgnrError as exc:
            raise forms.ValidationError(describe(exc), code=f"orgnr_{exc.reason}") from exc


class OrganisationForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    org_number = OrgNumberField(label=_("Organisation number"), help_text=_("Ten digits, NNNNNN-NNNN."))

    class Meta:
        model = Organisation
        fields = ["name", "org_number", "kind", "parent", "kammarkollegiet_registered_on"]
        widgets = {"kammarkollegiet_registered_on": DateInput}

    def __init__(self, *args: Any, user: object = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A body belongs only to a body of the same tenant: the choices are the user's tenants' bodies.
        qs = Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
        if not getattr(user, "is_superuser", False):
            qs = qs.filter(pk__in=tenant_body_ids(user))
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = qs.order_by("name")

    def _post_clean(self):
        # Model validation (including the unique check) runs in the service.
        pass


class OrganisationFilterForm(DesignSystemFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or organisation number."))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )
