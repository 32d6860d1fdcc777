from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, DesignSystemFormMixin

from .models import BudgetLine, FinanceTerms, FundingSource, IndexValue, RepaymentClaim

MONTHS = [(m, label) for m, label in enumerate(
    [_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
     _("September"), _("October"), _("November"), _("December")], start=1)]


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


class FinanceTermsForm(DesignSystemFormMixin, forms.ModelForm):
    annual_amount = MoneyField(label=_("Base amount per year (kr)"), required=False,
                               help_text=_("Grundbelopp: the amount for a full calendar year."))
    total_amount = MoneyField(label=_("Total amount (kr)"), required=False)
    payment_months = forms.TypedMultipleChoiceField(label=_("Payment months"), choices=MONTHS, coerce=int,
                                                    required=False, widget=forms.CheckboxSelectMultiple,
                                                    help_text=_("For example January and July."))

    class Meta:
        model = FinanceTerms
        fields = ["basis", "annual_amount", "total_amount", "default_source", "index_series", "index_reference_month",
                  "payment_frequency", "payment_in_advance", "payment_months", "deviation_threshold_percent"]
        widgets = {"basis": forms.RadioSelect, "index_reference_month": forms.Select(choices=MONTHS)}

    def clean(self):
        data = super().clean()
        if data.get("basis") == FinanceTerms.Basis.ANNUAL and data.get("annual_amount") is None:
            self.add_error("annual_amount", _("Give the amount per full year."))
        if data.get("basis") == FinanceTerms.Basis.TOTAL and data.get("total_amount") is None:
            self.add_error("total_amount", _("Give the total amount for the period."))
        return data

    def _post_clean(self):
        pass  # the service validates the model


class FundingSourceForm(DesignSystemFormMixin, forms.ModelForm):
    annual_amount = MoneyField(label=_("Amount per full year (kr)"), required=False)

    class Meta:
        model = FundingSource
        fields = ["name", "annual_amount", "share_percent", "invoiced_separately", "co_financing"]

    def clean(self):
        data = super().clean()
        if (data.get("annual_amount") is None) == (data.get("share_percent") is None):
            self.add_error("annual_amount", _("Give either an amount per year or a share, not both."))
        return data

    def _post_clean(self):
        pass


class BudgetLineForm(DesignSystemFormMixin, forms.ModelForm):
    annual_amount = MoneyField(label=_("Amount (kr)"),
                               help_text=_("Per full year; for a fixed-total agreement, for the whole period."))

    class Meta:
        model = BudgetLine
        fields = ["label", "category", "staffing_note", "annual_amount", "intervention", "funding_source"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = agreement.interventions.all()

    def _post_clean(self):
        pass


class PaymentRecordForm(DesignSystemFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Record"), choices=[("invoiced", _("Invoiced")), ("paid", _("Paid")),
                                                          ("withheld", _("Withheld"))])
    invoice_number = forms.CharField(label=_("Invoice number"), required=False, max_length=60)
    invoiced_on = forms.DateField(label=_("Invoice date"), required=False, widget=DateInput)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ActualCostForm(DesignSystemFormMixin, forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
    amount = MoneyField(label=_("Actual cost (kr)"))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = agreement.budget_lines.all()

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data


class RepaymentClaimForm(DesignSystemFormMixin, forms.ModelForm):
    amount = MoneyField(label=_("Amount (kr)"), min_value=0.01)

    class Meta:
        model = RepaymentClaim
        fields = ["amount", "reason", "claimed_on", "due_on", "status", "settled_on"]
        widgets = {"claimed_on": DateInput, "due_on": DateInput, "settled_on": DateInput,
                   "reason": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class IndexValueForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = IndexValue
        fields = ["year", "reference_month", "percent", "is_forecast", "is_example", "source", "published_on"]
        widgets = {"published_on": DateInput, "reference_month": forms.Select(choices=MONTHS)}

    def _post_clean(self):
        pass


class PortfolioForm(DesignSystemFormMixin, forms.Form):
    first_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)
    public_body = forms.TypedChoiceField(label=_("Public body"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, public_bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_body"].choices = [("", _("The whole municipality"))] + [(o.pk, o.name)
                                                                                   for o in public_bodies]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("The last year cannot be before the first."))
        if first and last and last - first > 20:
            self.add_error("last_year", _("Choose at most 20 years."))
        return data
