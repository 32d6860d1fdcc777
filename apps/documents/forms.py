# SPDX-License-Identifier: EUPL-1.2
"""Forms for uploading a document and reviewing the draft read from it. Errors are field-level and translated."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.agreements.forms import IndicatorKindMixin
from apps.agreements.models import Indicator, Party
from apps.core.forms import (
    DateInput,
    DesignSystemFormMixin,
    FastSelect,
    choice_field,
    marked_for_deletion,
    model_choice_field,
)
from apps.organisations.forms import OrgNumberField
from apps.organisations.models import Organisation
from domain.money import parse_sek

from .matching import Candidate
from .services import SUPPORTED_SUFFIXES, max_upload_bytes


class UploadForm(DesignSystemFormMixin, forms.Form):
    public_body = forms.ModelChoiceField(
        label=_("Public body"),
        queryset=Organisation.objects.none(),
        help_text=_("The committee or department the agreement belongs to."),
    )
    file = forms.FileField(
        label=_("Document"), widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)})
    )

    def __init__(self, *args: Any, public_bodies: Sequence[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if public_bodies is not None:
            model_choice_field(self, "public_body").queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in public_bodies]
            ).order_by("name")
        self.fields["file"].help_text = _(
            "An agreement or decision report as Word (.docx), PDF with text (.pdf) or text (.txt), at most %(limit)s."
        ) % {"limit": filesizeformat(max_upload_bytes())}
        if public_bodies is not None and len(public_bodies) == 1:
            self.fields["public_body"].initial = public_bodies[0].pk

    def clean_file(self):
        file = self.cleaned_data["file"]
        if PurePath(file.name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise forms.ValidationError(_("Choose a Word (.docx), PDF (.pdf) or text (.txt) file."), code="format")
        if file.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is too large (%(size)s). The largest file that can be imported is %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(max_upload_bytes())},
                code="too_large",
            )
        if file.size == 0:
            raise forms.ValidationError(_("The file is empty."), code="empty")
        return file


def format_kronor(value) -> str:
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", " ")


class AmountField(forms.CharField):
    """An amount in whole kronor: "4 040 000", "4040000", "800 tkr". Cleans to Decimal, never float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("Whole kronor, for example 1 200 000."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)):
            return format_kronor(value)
        return value

    def clean(self, value) -> Decimal | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        try:
            amount = parse_sek(text)
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(_("Enter an amount in kronor, for example 1 200 000."), code="invalid")
        if amount != amount.to_integral_value():
            raise forms.ValidationError(_("Enter whole kronor, without öre."), code="ore")
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
        return amount.quantize(Decimal(1))


MONTH_CHOICES = [("", "—"), *((m, str(m)) for m in range(1, 13))]
FREQUENCY_CHOICES = [
    ("", _("Not stated")),
    ("once", _("Once")),
    ("annual", _("Yearly")),
    ("semiannual", _("Twice a year")),
    ("quarterly", _("Quarterly")),
    ("monthly", _("Monthly")),
]
IN_ADVANCE_CHOICES = [("", _("Not stated")), ("yes", _("In advance")), ("no", _("In arrears"))]


class ReviewForm(DesignSystemFormMixin, forms.Form):
    """The agreement's own facts and its money, as read from the document."""

    title = forms.CharField(label=_("Title"), max_length=300)
    case_number = forms.CharField(label=_("Case number"), max_length=60, required=False)
    case_officer = forms.ModelChoiceField(
        label=_("Case officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("You, who confirm the import"),
        help_text=_("Proposed from the case officer named in the document, when he or she has an account."),
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)
    extension_max_months = forms.IntegerField(
        label=_("Extension option (months)"), required=False, min_value=0, max_value=120
    )
    notice_period_months = forms.IntegerField(
        label=_("Notice period (months)"), required=False, min_value=0, max_value=120
    )
    renewal_decision_months_before_end = forms.IntegerField(
        label=_("Renewal decision (months before the end)"), required=False, min_value=0, max_value=120
    )
    follow_ups_per_year = forms.IntegerField(
        label=_("Follow-ups per year"),
        min_value=1,
        max_value=12,
        help_text=_("How often the indicators are followed up."),
    )
    annual_amount = AmountField(label=_("Base amount per year (kr)"))
    total_amount = AmountField(label=_("Total amount (kr)"))
    indexation_index = forms.CharField(
        label=_("Indexation: index"),
        max_length=20,
        required=False,
        help_text=_("For example PKV. Leave empty when the amount is not indexed."),
    )
    indexation_reference_month = forms.TypedChoiceField(
        label=_("Indexation: reference month"), required=False, choices=MONTH_CHOICES, coerce=int, empty_value=None
    )
    payment_frequency = forms.ChoiceField(label=_("Payments"), required=False, choices=FREQUENCY_CHOICES)
    payment_in_advance = forms.ChoiceField(
        label=_("Paid in advance or in arrears"), required=False, choices=IN_ADVANCE_CHOICES
    )
    payment_months = forms.CharField(
        label=_("Payment months"), required=False, max_length=40, help_text=_("Month numbers, for example 1, 7.")
    )

    def __init__(self, *args, officers: QuerySet[User] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if officers is not None:
            model_choice_field(self, "case_officer").queryset = officers

    def clean_payment_months(self) -> list[int]:
        text = self.cleaned_data.get("payment_months") or ""
        parts = [p for p in re.split(r"[\s,;]+", text) if p]
        if not all(p.isdigit() and 1 <= int(p) <= 12 for p in parts):
            raise forms.ValidationError(_("Enter month numbers from 1 to 12, separated by commas."))
        return sorted({int(p) for p in parts})

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The end date cannot be before the start date (%(start)s).") % {"start": start.isoformat()},
            )
        if data.get("indexation_reference_month") and not data.get("indexation_index"):
            self.add_error("indexation_index", _("Name the index, or clear the reference month."))
        if data.get("payment_months") and not data.get("payment_frequency"):
            self.add_error("payment_frequency", _("Choose how often payments are made, or clear the months."))
        return data

    def agreement_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            k: d[k]
            for k in (
                "title",
                "case_number",
                "case_officer",
                "purpose",
                "start_date",
                "end_date",
                "extension_max_months",
                "notice_period_months",
                "renewal_decision_months_before_end",
            )
        }

    def indexation(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("indexation_index"):
            return None
        return {"index": d["indexation_index"].strip(), "reference_month": d.get("indexation_reference_month")}

    def payment_schedule(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("payment_frequency"):
            return None
        advance = {"yes": True, "no": False}.get(d.get("payment_in_advance") or "")
        return {"frequency": d["payment_frequency"], "in_advance": advance, "months": d.get("payment_months") or []}


class RowFormSet(forms.BaseFormSet):
    """A formset with a fixed number of rows (those of the draft) and per-row keyword arguments."""

    def __init__(self, *args: Any, row_kwargs: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        self.row_kwargs = row_kwargs or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.row_kwargs):
            kwargs.update(self.row_kwargs[index])
        return kwargs

    def live_forms(self) -> list[forms.BaseForm]:
        return [f for f in self.forms if not marked_for_deletion(self, f)]


def row_formset(form_class: type[forms.BaseForm], rows: int) -> type[RowFormSet]:
    # formset_factory subclasses the ``formset`` it is given; the stubs type its result as the plain BaseFormSet.
    return cast(
        "type[RowFormSet]",
        forms.formset_factory(
            form_class, formset=RowFormSet, extra=0, can_delete=True, max_num=rows, absolute_max=rows, validate_max=True
        ),
    )


NEW, SKIP = "new", "skip"


class PartyReviewForm(DesignSystemFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role in the agreement"), choices=Party.Role.choices)
    # Every organisation of the register in each party's row: written by FastSelect, not a template per option.
    match = forms.ChoiceField(label=_("Organisation in the register"), widget=FastSelect)
    new_name = forms.CharField(label=_("New organisation: name"), required=False, max_length=200)
    new_org_number = OrgNumberField(label=_("New organisation: organisation number"), help_text=_("NNNNNN-NNNN"))
    new_kind = forms.ChoiceField(label=_("New organisation: kind"), choices=Organisation.Kind.choices)

    def __init__(
        self,
        *args: Any,
        proposed: Sequence[Candidate] = (),
        register: Iterable[tuple[int, str, str]] = (),
        shared: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """``shared``: one dict for every party row of a review. The register's organisations are then listed
        whole in each row (the proposed ones too, after the proposals) and their options written once for all
        rows: a national register has thousands, in every row."""
        super().__init__(*args, **kwargs)
        proposed_ids = {c.id for c in proposed}
        groups: list = []
        if proposed:
            groups.append((_("Proposed"), [(f"org:{c.id}", self._label(c.name, c.org_number)) for c in proposed]))
        rest = shared.get("choices") if shared is not None else None
        if rest is None:
            rest = [
                (
                    _("Other organisations in the register"),
                    [
                        (f"org:{i}", self._label(n, nr))
                        for i, n, nr in register
                        if shared is not None or i not in proposed_ids
                    ],
                ),
                (
                    _("Not in the register"),
                    [(NEW, _("Register as a new organisation")), (SKIP, _("Leave this party out"))],
                ),
            ]
            if shared is not None:
                shared["choices"] = rest
        match = choice_field(self, "match")
        match.choices = groups + rest
        if shared is not None:
            assert isinstance(match.widget, FastSelect)
            match.widget.shared, match.widget.own_choices = shared, len(groups)
        match.help_text = _(
            "Proposed from the organisation number or the name in the document. "
            "Choose another organisation, or register a new one below."
        )

    @staticmethod
    def _label(name: str, number: str) -> str:
        return f"{name} ({number})" if number else name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        match = data.get("match") or ""
        if match == NEW and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Enter the name of the new organisation."))
        if match.startswith("org:"):
            data["organisation"] = Organisation.objects.filter(pk=match[4:]).first()
            if data["organisation"] is None:
                self.add_error("match", _("Choose an organisation from the list."))
        return data


class SectionReviewForm(DesignSystemFormMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("For example Kulturtolkar i Angered."))


class SectionChoiceMixin(forms.BaseForm):
    def set_sections(self, sections: list[str]) -> None:
        choice_field(self, "section").choices = [
            ("", _("The whole agreement")),
            *((str(i), label) for i, label in enumerate(sections)),
        ]


class GoalReviewForm(SectionChoiceMixin, DesignSystemFormMixin, forms.Form):
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    section = forms.TypedChoiceField(label=_("Intervention"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, sections: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_sections(list(sections))


class IndicatorReviewForm(IndicatorKindMixin, DesignSystemFormMixin, forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    name = forms.CharField(label=_("Indicator"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    dimensions = forms.MultipleChoiceField(
        label=_("Broken down by"),
        required=False,
        choices=Indicator.Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    collected_by = forms.TypedMultipleChoiceField(
        label=_("Collected by"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, parties: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "collected_by").choices = [(i, label) for i, label in enumerate(parties)]


class BudgetLineReviewForm(SectionChoiceMixin, DesignSystemFormMixin, forms.Form):
    label = forms.CharField(label=_("Cost item"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    amount = AmountField(label=_("Amount (kr)"), required=True)
    section = forms.TypedChoiceField(label=_("Intervention"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: Any, sections: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_sections(list(sections))


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
