from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, DesignSystemFormMixin
from domain import orgnr

from .models import Organisation


class OrganisationForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "org_number", "kind", "parent", "kammarkollegiet_registered_on"]
        widgets = {"kammarkollegiet_registered_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs.order_by("name")

    def clean_org_number(self) -> str:
        value = (self.cleaned_data.get("org_number") or "").strip()
        if not value:
            return ""
        try:
            return orgnr.normalize(value)
        except orgnr.OrgnrError as exc:
            raise forms.ValidationError(str(exc), code=f"orgnr_{exc.code}") from exc

    def _post_clean(self):
        # Model validation (including the unique check) runs in the service.
        pass


class OrganisationFilterForm(DesignSystemFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or organisation number."))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *Organisation.Kind.choices])
