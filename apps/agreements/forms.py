# SPDX-License-Identifier: EUPL-1.2
"""Forms for the agreement pages. Validation messages are field-level and translated."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership, Role, User
from apps.core.forms import (
    DateInput,
    DesignSystemFormMixin,
    FastSelect,
    choice_field,
    marked_for_deletion,
    model_choice_field,
)
from apps.core.versioning import VersionedFormMixin
from apps.organisations.forms import OrgNumberField
from apps.organisations.models import Organisation
from apps.organisations.scope import staff_organisation_ids, tenant_body_ids

from .models import Agreement, Goal, Indicator, Intervention, Party
from .selectors import SORTS, BodyChoice, RegisterFilter


class RegisterFilterForm(DesignSystemFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, help_text=_("Title, party, organisation number or case number.")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    # Every public body of the register for a superuser or a partner working with many municipalities.
    public_body = forms.TypedChoiceField(
        label=_("Public body"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    year = forms.TypedChoiceField(label=_("Active in year"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-start", _("Start date, newest first")),
            ("start", _("Start date, oldest first")),
            ("end", _("End date, soonest first")),
            ("-end", _("End date, latest first")),
            ("title", _("Title A–Ö")),
            ("-title", _("Title Ö–A")),
            ("case_number", _("Case number")),
            ("status", _("Status")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        public_bodies: Iterable[Organisation | BodyChoice] = (),
        years: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "status").choices = [("", _("All statuses")), *Agreement.Status.choices]
        choice_field(self, "public_body").choices = [("", _("All public bodies"))] + [
            (o.pk, o.name) for o in public_bodies
        ]
        choice_field(self, "year").choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def to_filter(self) -> RegisterFilter:
        if not self.is_valid():
            return RegisterFilter()
        data = self.cleaned_data
        sort = data.get("sort") or "-start"
        return RegisterFilter(
            q=data.get("q") or "",
            status=data.get("status") or "",
            public_body=data.get("public_body"),
            year=data.get("year"),
            sort=sort if sort in SORTS else "-start",
        )


class AgreementForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    decision_body = forms.CharField(
        label=_("Decided by"),
        required=False,
        max_length=200,
        help_text=_("The committee, for example Socialnämnden Nordost."),
    )
    decided_on = forms.DateField(label=_("Decision date"), required=False, widget=DateInput)
    decision_paragraph = forms.CharField(label=_("Paragraph"), required=False, max_length=40)
    fsg_informed_on = forms.DateField(label=_("FSG informed on"), required=False, widget=DateInput)

    class Meta:
        model = Agreement
        fields = [
            "title",
            "case_number",
            "case_officer",
            "case_officer_name",
            "start_date",
            "end_date",
            "extension_max_months",
            "notice_period_months",
            "renewal_decision_months_before_end",
            "ends_automatically",
            "purpose",
            "background",
            "target_group",
            "target_area",
            "values",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "background": forms.Textarea(attrs={"rows": 4}),
            "target_group": forms.Textarea(attrs={"rows": 3}),
            "values": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = staff_organisation_ids(user, roles={Role.CASE_OFFICER}) if user else set()
        officers = Membership.objects.filter(role=Role.CASE_OFFICER, organisation_id__in=scope).values("user_id")
        model_choice_field(self, "case_officer").queryset = User.objects.filter(
            pk__in=officers, is_active=True
        ).order_by("first_name", "last_name")
        self.fields["start_date"].required = True
        self.fields["end_date"].required = True
        decision = self.instance.decisions.order_by("decided_on", "id").first() if self.instance.pk else None
        if decision and not self.is_bound:
            self.initial.update(
                decision_body=decision.body,
                decided_on=decision.decided_on,
                decision_paragraph=decision.paragraph,
                fsg_informed_on=decision.fsg_informed_on,
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The end date cannot be before the start date (%(start)s).") % {"start": start.isoformat()},
            )
        if (data.get("decided_on") or data.get("fsg_informed_on")) and not data.get("decision_body"):
            self.add_error("decision_body", _("Say which committee made the decision."))
        if data.get("decision_paragraph") and not data.get("decision_body"):
            self.add_error("decision_body", _("Say which committee made the decision."))
        return data

    def decision_data(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("decision_body"):
            return None
        return {
            "body": data["decision_body"],
            "decided_on": data["decided_on"],
            "paragraph": data.get("decision_paragraph") or "",
            "fsg_informed_on": data.get("fsg_informed_on"),
        }


class _GroupedChoices(ModelChoiceIterator):
    """The register's organisations with another tenant's public bodies in a group of their own, after the
    rest: they are invited, not added (``PartyOrganisationField.foreign``). With ``PartyChoices`` given, the
    options come from its rows, read once for every form of the formset."""

    field: PartyOrganisationField

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        own: list[tuple[Any, str]] = []
        other: list[tuple[Any, str]] = []
        if self.field.rows is not None:
            for pk, name in self.field.rows:
                (other if pk in self.field.foreign else own).append((pk, name))
        else:
            for obj in self.queryset:
                (other if obj.pk in self.field.foreign else own).append(self.choice(obj))
        yield from own
        if other:
            yield (str(_("Other municipalities and regions – invited")), other)


class PartyOrganisationField(forms.ModelChoiceField[Organisation]):
    iterator = _GroupedChoices
    widget = FastSelect  # a few thousand organisations in a national register, in each party's row
    foreign: frozenset[int] = frozenset()
    rows: list[tuple[int, str]] | None = None


@dataclass(frozen=True)
class PartyChoices:
    """What a party may be chosen from, read once per formset and shared by its forms (:func:`party_choices`):
    the organisations (for validating a choice), their (id, name) in order (for the options), and those that
    are another tenant's public bodies (invited when chosen)."""

    queryset: QuerySet[Organisation]
    rows: list[tuple[int, str]]
    foreign: frozenset[int]
    rendered: dict[str, str] = field(default_factory=dict)  # the options' markup, written once for every row


class PartyForm(DesignSystemFormMixin, forms.Form):
    organisation = PartyOrganisationField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        help_text=_(
            "Choose from the register, or enter a new organisation below. A body of another municipality or "
            "region is invited and becomes a party when its staff accept."
        ),
    )
    new_name = forms.CharField(label=_("New organisation: name"), required=False, max_length=200)
    new_org_number = OrgNumberField(label=_("New organisation: organisation number"), help_text=_("NNNNNN-NNNN"))
    new_kind = forms.ChoiceField(
        label=_("New organisation: kind"),
        required=False,
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.NON_PROFIT,
    )
    role = forms.ChoiceField(label=_("Role in the agreement"), choices=[("", "—"), *Party.Role.choices], required=False)
    signatory_name = forms.CharField(label=_("Signatory"), required=False, max_length=200)
    signatory_title = forms.CharField(label=_("Signatory's title"), required=False, max_length=200)

    def __init__(self, *args: Any, choices: PartyChoices | None = None, **kwargs: Any) -> None:
        """``choices``: :func:`party_choices` for the person filling the form in (read once per formset)."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, PartyOrganisationField)
        if choices is not None:
            field.queryset, field.rows, field.foreign = choices.queryset, choices.rows, choices.foreign
            assert isinstance(field.widget, FastSelect)
            field.widget.shared = choices.rendered

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen, new_name = data.get("organisation"), (data.get("new_name") or "").strip()
        filled = chosen or new_name or data.get("new_org_number") or data.get("signatory_name")
        if not filled:
            return data
        if chosen and new_name:
            self.add_error("new_name", _("Choose an organisation from the register or enter a new one, not both."))
        if not chosen and not new_name:
            self.add_error("organisation", _("Choose an organisation or enter the name of a new one."))
        if not data.get("role"):
            self.add_error("role", _("Choose the party's role."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("organisation") or (data.get("new_name") or "").strip())


def party_choices(user: object) -> PartyChoices:
    """The organisations a party may be chosen from, and those among them that are another tenant's public
    bodies (invited when chosen). Staff: their own tenant's bodies, the shared organisations and, in a group
    of their own, every other tenant's public body; a superuser acts for every tenant (no group). One query."""
    qs = Organisation.objects.order_by("name")
    read = list(qs.values_list("pk", "name", "kind"))
    rows = [(pk, name) for pk, name, _kind in read]
    if getattr(user, "is_superuser", False):
        return PartyChoices(qs, rows, frozenset())
    own = tenant_body_ids(user)
    public = Organisation.Kind.PUBLIC_BODY
    return PartyChoices(qs, rows, frozenset(pk for pk, _name, kind in read if kind == public and pk not in own))


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [f for f in self.forms if not f.is_blank and not marked_for_deletion(self, f)]
        roles = [f.cleaned_data["role"] for f in rows]
        if Party.Role.PUBLIC not in roles:
            raise forms.ValidationError(_("Add at least one public party (the committee or department)."))
        if Party.Role.NON_PROFIT not in roles:
            raise forms.ValidationError(
                _("Add at least one non-profit party: an IOP is made with a non-profit organisation.")
            )
        chosen = [f.cleaned_data["organisation"].pk for f in rows if f.cleaned_data.get("organisation")]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("The same organisation is listed twice."))


# formset_factory subclasses the ``formset`` it is given; the stubs type its result as the plain BaseFormSet.
PartyFormSet = cast(
    "type[BasePartyFormSet]",
    forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, can_delete=True, max_num=30),
)


def party_initial(agreement: Agreement) -> list[dict[str, Any]]:
    return [
        {
            "organisation": p.organisation,
            "role": p.role,
            "signatory_name": p.signatory_name,
            "signatory_title": p.signatory_title,
            "status": p.status,
        }
        for p in agreement.parties.select_related("organisation")
    ]


class InterventionForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["kind", "label", "title", "description", "parent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = agreement.interventions.all()
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        model_choice_field(self, "parent").queryset = qs


class GoalForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "intervention", "parent"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        intervention = model_choice_field(self, "intervention")
        intervention.queryset = agreement.interventions.all()
        intervention.help_text = _("Leave empty for a goal of the whole agreement.")
        qs = agreement.goals.all()
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        model_choice_field(self, "parent").queryset = qs


class IndicatorKindMixin(forms.BaseForm):
    """Dimensions go with “count broken down by dimensions”, and that kind needs at least one."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind, dims = data.get("kind"), data.get("dimensions") or []
        if kind == Indicator.Kind.COUNT_BY_DIMENSIONS and not dims:
            self.add_error("dimensions", _("Choose at least one dimension to break the count down by."))
        if kind and kind != Indicator.Kind.COUNT_BY_DIMENSIONS and dims:
            self.add_error("kind", _("Choose “Count broken down by dimensions” to use dimensions."))
        return data


class IndicatorForm(VersionedFormMixin, IndicatorKindMixin, DesignSystemFormMixin, forms.ModelForm):
    dimensions = forms.MultipleChoiceField(
        label=_("Broken down by"),
        required=False,
        choices=Indicator.Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    collected_by = forms.ModelMultipleChoiceField(
        label=_("Collected by"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = ["name", "kind", "dimensions", "follow_ups_per_year", "baseline", "target"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "collected_by").queryset = Organisation.objects.filter(
            parties__agreement=agreement,
            parties__status=Party.Status.ACCEPTED,  # not an invited or declined party
        )
        if self.instance.pk and not self.is_bound:
            self.initial["collected_by"] = [p.organisation_id for p in self.instance.collected_by.all()]

    def _post_clean(self) -> None:
        # Model validation runs in the service; the form validates its own fields.
        pass


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Agreement.Status.choices)
    note = forms.CharField(required=False, max_length=500)


class InvitationAnswerForm(forms.Form):
    """Accept or decline an invitation to be a party; the version of the invitation it was read at."""

    ACCEPT, DECLINE = "accept", "decline"

    answer = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))],
        error_messages={
            "required": _("Choose whether to accept or decline the invitation."),
            "invalid_choice": _("Choose whether to accept or decline the invitation."),
        },
    )
    reason = forms.CharField(
        label=_("Reason for declining (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
        help_text=_("Shown to the party that sent the invitation."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
