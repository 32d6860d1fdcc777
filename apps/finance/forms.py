# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, DesignSystemFormMixin
from apps.core.versioning import VersionedFormMixin
from domain import payments as payment_rules
from domain.periods import MAX_YEAR, MIN_YEAR

from .models import BudgetLine, FinanceTerms, FundingSource, IndexSeries, IndexValue, Payment, RepaymentClaim

MONTHS = [
    (m, label)
    for m, label in enumerate(
        [
            _("January"),
            _("February"),
            _("March"),
            _("April"),
            _("May"),
            _("June"),
            _("July"),
            _("August"),
            _("September"),
            _("October"),
            _("November"),
            _("December"),
        ],
        start=1,
    )
]


class MoneyField(forms.DecimalField):
    """Kronor as Decimal; accepts "1 234 567", "1 234 567,50" and "1234567.50"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace("kr", "").replace(",", ".")
        return super().to_python(value)


class PercentField(forms.DecimalField):
    """A percentage as Decimal, written as in SKR's tables: "2,9", "2.9", "2,9 %", "−0,4" (a typographic minus);
    shown with the language's decimal sign ("2,9" in Swedish)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.widget.is_localized = True

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace("%", "").replace("\u2212", "-")
            value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            shown = value.normalize()  # 2.900 → 2.9
            if shown == shown.to_integral():
                shown = shown.quantize(Decimal(1))  # 10, not 1E+1
            return formats.number_format(shown, use_l10n=True)
        return value


class FinanceTermsForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    annual_amount = MoneyField(
        label=_("Base amount per year (kr)"),
        required=False,
        help_text=_("Grundbelopp: the amount for a full calendar year."),
    )
    total_amount = MoneyField(label=_("Total amount (kr)"), required=False)
    payment_months = forms.TypedMultipleChoiceField(
        label=_("Payment months"),
        choices=MONTHS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example January and July."),
    )

    class Meta:
        model = FinanceTerms
        fields = [
            "basis",
            "annual_amount",
            "total_amount",
            "default_source",
            "index_series",
            "index_reference_month",
            "payment_frequency",
            "payment_in_advance",
            "payment_months",
            "deviation_threshold_percent",
        ]
        widgets = {"basis": forms.RadioSelect, "index_reference_month": forms.Select(choices=MONTHS)}

    def __init__(self, *args: Any, index_series: QuerySet[IndexSeries], **kwargs: Any) -> None:
        """``index_series``: the series this user may choose (apps.finance.selectors.index_series_choices)."""
        super().__init__(*args, **kwargs)
        field = self.fields["index_series"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = index_series

    def clean(self):
        data = super().clean() or {}
        if data.get("basis") == FinanceTerms.Basis.ANNUAL and data.get("annual_amount") is None:
            self.add_error("annual_amount", _("Give the amount per full year."))
        if data.get("basis") == FinanceTerms.Basis.TOTAL and data.get("total_amount") is None:
            self.add_error("total_amount", _("Give the total amount for the period."))
        return data

    def _post_clean(self):
        pass  # the service validates the model


class FundingSourceForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    annual_amount = MoneyField(label=_("Amount per full year (kr)"), required=False)

    class Meta:
        model = FundingSource
        fields = ["name", "annual_amount", "share_percent", "invoiced_separately", "co_financing"]

    def clean(self):
        data = super().clean() or {}
        if (data.get("annual_amount") is None) == (data.get("share_percent") is None):
            self.add_error("annual_amount", _("Give either an amount per year or a share, not both."))
        return data

    def _post_clean(self):
        pass


class BudgetLineForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    annual_amount = MoneyField(
        label=_("Amount (kr)"), help_text=_("Per full year; for a fixed-total agreement, for the whole period.")
    )

    class Meta:
        model = BudgetLine
        fields = ["label", "category", "staffing_note", "annual_amount", "intervention", "funding_source"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["intervention"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agreement.interventions.all()

    def _post_clean(self):
        pass


RECORD_CHOICES = [("invoiced", _("Invoiced")), ("paid", _("Paid")), ("withheld", _("Withheld"))]


class PaymentRecordForm(VersionedFormMixin, DesignSystemFormMixin, forms.Form):
    """Invoiced, paid (at once from planned when the invoice details are given) or withheld.

    Only the statuses the payment may move to are offered; invoice details already recorded are not
    asked for again (a controller corrects them).
    """

    status = forms.ChoiceField(label=_("Record"), choices=RECORD_CHOICES)
    invoice_number = forms.CharField(label=_("Invoice number"), required=False, max_length=60)
    invoiced_on = forms.DateField(label=_("Invoice date"), required=False, widget=DateInput)
    paid_on = forms.DateField(
        label=_("Paid on"),
        required=False,
        widget=DateInput,
        help_text=_(
            "A planned payment is recorded as paid at once when the invoice number, "
            "the invoice date and the paid date are given."
        ),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, payment: Payment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = {status.value for status in payment_rules.next_statuses(payment.status)}
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in RECORD_CHOICES if value in allowed]
        if payment.invoice_number and payment.invoiced_on:
            del self.fields["invoice_number"], self.fields["invoiced_on"]
            self.fields["paid_on"].help_text = _("Invoice %(number)s of %(date)s.") % {
                "number": payment.invoice_number,
                "date": payment.invoiced_on.isoformat(),
            }


class PaymentCorrectionForm(VersionedFormMixin, DesignSystemFormMixin, forms.Form):
    """A controller's correction of an invoiced or paid payment; the reason goes into the history."""

    status = forms.ChoiceField(label=_("Status"), choices=[("invoiced", _("Invoiced")), ("paid", _("Paid"))])
    invoice_number = forms.CharField(label=_("Invoice number"), required=False, max_length=60)
    invoiced_on = forms.DateField(label=_("Invoice date"), required=False, widget=DateInput)
    paid_on = forms.DateField(
        label=_("Paid on"),
        required=False,
        widget=DateInput,
        help_text=_("Only for a paid payment; left out when the status is invoiced."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        help_text=_("Shown in the agreement's history with the old and the new values."),
    )


class ActualCostForm(DesignSystemFormMixin, forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
    amount = MoneyField(label=_("Actual cost (kr)"))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agreement.budget_lines.all()

    def clean(self):
        data = super().clean() or {}
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data


class RepaymentClaimForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    amount = MoneyField(label=_("Amount (kr)"), min_value=0.01)

    class Meta:
        model = RepaymentClaim
        fields = ["amount", "reason", "claimed_on", "due_on", "status", "settled_on"]
        widgets = {
            "claimed_on": DateInput,
            "due_on": DateInput,
            "settled_on": DateInput,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        pass


class IndexValueForm(VersionedFormMixin, DesignSystemFormMixin, forms.ModelForm):
    """A new value starts as a published, real figure: "forecast" and "example value" are opt-in."""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    percent = PercentField(
        label=_("change (%)"), max_digits=6, decimal_places=3, help_text=_("For example 2.9 or −0.4.")
    )

    class Meta:
        model = IndexValue
        fields = ["year", "reference_month", "percent", "is_forecast", "is_example", "source", "published_on"]
        widgets = {"published_on": DateInput, "reference_month": forms.Select(choices=MONTHS)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new value, or one replacing a demo example value, is a real figure until someone says it is a
        # forecast: the boxes start unticked. A real forecast being edited keeps its state.
        if not self.is_bound and (self.instance.pk is None or self.instance.is_example):
            self.initial.update(is_forecast=False, is_example=False)

    def _post_clean(self):
        pass


class PortfolioForm(DesignSystemFormMixin, forms.Form):
    first_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)
    public_body = forms.TypedChoiceField(label=_("Public body"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, public_bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["public_body"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("The whole municipality"))] + [(o.pk, o.name) for o in public_bodies]

    def clean(self):
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("The last year cannot be before the first."))
        if first and last and last - first > 20:
            self.add_error("last_year", _("Choose at most 20 years."))
        return data
