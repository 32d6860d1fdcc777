# SPDX-License-Identifier: EUPL-1.2
"""Money of an agreement: base amount, funding sources, budget lines, index series, payments, costs, claims.

Every amount is a DecimalField(max_digits=14, decimal_places=2) in kronor. The rules that compute from
these rows (pro rata, indexation, payment plans) live in :mod:`domain`; see apps.finance.calculations.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.versioning import Versioned
from domain.payments import PaymentStatus


class _Money(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _Money = {"max_digits": 14, "decimal_places": 2}


class IndexSeries(models.Model):
    """A price index such as SKR's PKV (prisindex för kommunal verksamhet)."""

    code = models.CharField(_("index"), max_length=20, unique=True, help_text=_("For example PKV."))
    name = models.CharField(_("name"), max_length=200)
    # None: a national series (PKV), kept by the platform's index keepers and read by everyone signed in.
    # A tenant (a top-level public body): a series of its own, kept by its controllers and read by its staff.
    tenant = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("tenant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "public_body", "parent__isnull": True},
        related_name="index_series",
        help_text=_("Empty for a national series such as PKV; otherwise the municipality or region keeping it."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("index series")
        verbose_name_plural = _("index series")
        permissions = [("keep_national_index", _("Can keep the national index series"))]

    def __str__(self) -> str:
        return self.code


# An index value's stored range (exclusive), narrower than the pure rules' computing bounds: a yearly price
# index outside it is a typing error. The service and load_index refuse it in words; the constraint backs them.
INDEX_PERCENT_MIN = Decimal(-50)
INDEX_PERCENT_MAX = Decimal(100)


class IndexValue(Versioned):
    """The index value for a reference month (usually October), applied from the following January."""

    PERCENT_MIN = INDEX_PERCENT_MIN
    PERCENT_MAX = INDEX_PERCENT_MAX

    series = models.ForeignKey(
        IndexSeries, on_delete=models.CASCADE, related_name="values", verbose_name=_("index series")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reference_month = models.PositiveSmallIntegerField(_("reference month"), default=10)
    percent = models.DecimalField(_("change (%)"), max_digits=6, decimal_places=3)
    is_forecast = models.BooleanField(
        _("forecast"), default=False, help_text=_("A forecast, not yet the published value.")
    )
    is_example = models.BooleanField(
        _("example value"), default=False, help_text=_("Demo value: not a real published figure.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    # Not stored: set by services.index_value_save to the recalculation its save queued (None: no plan changes).
    recalculation: PlanRecalculation | None = None

    class Meta:
        ordering = ["series", "year", "reference_month"]
        verbose_name = _("index value")
        verbose_name_plural = _("index values")
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "reference_month"], name="indexvalue_unique"),
            models.CheckConstraint(
                condition=models.Q(reference_month__gte=1, reference_month__lte=12), name="indexvalue_month_range"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gt=INDEX_PERCENT_MIN, percent__lt=INDEX_PERCENT_MAX),
                name="indexvalue_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}-{self.reference_month:02d}: {self.percent} %"


class FinanceTerms(Versioned):
    """The money terms of one agreement: how much, how indexed, how paid."""

    class Basis(models.TextChoices):
        ANNUAL = "annual", _("Amount per full year")
        TOTAL = "total", _("Fixed total for the period")

    class Frequency(models.TextChoices):
        ONCE = "once", _("Once, in the start month")
        ANNUAL = "annual", _("Yearly")
        SEMIANNUAL = "semiannual", _("Twice a year")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")

    agreement = models.OneToOneField("agreements.Agreement", on_delete=models.CASCADE, related_name="finance")
    basis = models.CharField(_("amount basis"), max_length=10, choices=Basis.choices, default=Basis.ANNUAL)
    annual_amount = models.DecimalField(
        _("base amount per year"),
        null=True,
        blank=True,
        **MONEY,
        help_text=_("Grundbelopp: the amount for a full calendar year."),
    )
    total_amount = models.DecimalField(_("total amount"), null=True, blank=True, **MONEY)
    default_source = models.CharField(
        _("main funder"),
        max_length=200,
        help_text=_("The funding source that carries what the other sources do not, e.g. the committee."),
    )
    index_series = models.ForeignKey(
        IndexSeries, verbose_name=_("price index"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    index_reference_month = models.PositiveSmallIntegerField(_("index reference month"), default=10)
    payment_frequency = models.CharField(_("payment"), max_length=12, choices=Frequency.choices, blank=True)
    payment_in_advance = models.BooleanField(_("paid in advance"), default=True)
    payment_months = models.JSONField(
        _("payment months"), default=list, blank=True, help_text=_("For example 1 and 7 for January and July.")
    )
    deviation_threshold_percent = models.DecimalField(
        _("deviation threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_("Actual costs that differ more than this from the budget are flagged."),
    )

    class Meta:
        verbose_name = _("finance terms")
        verbose_name_plural = _("finance terms")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(basis="annual", annual_amount__isnull=False, total_amount__isnull=True)
                    | models.Q(basis="total", total_amount__isnull=False, annual_amount__isnull=True)
                ),
                name="financeterms_one_amount_for_basis",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_amount__gte=0) | models.Q(annual_amount__isnull=True),
                name="financeterms_annual_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(total_amount__gte=0) | models.Q(total_amount__isnull=True),
                name="financeterms_total_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}"


class FundingSource(Versioned):
    """A funder other than the main one, e.g. folkhälsomedel 800 000 kr a year, invoiced separately."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="funding_sources")
    name = models.CharField(_("name"), max_length=200)
    annual_amount = models.DecimalField(_("amount per full year"), null=True, blank=True, **MONEY)
    share_percent = models.DecimalField(_("share (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    invoiced_separately = models.BooleanField(_("invoiced separately"), default=False)
    co_financing = models.CharField(
        _("co-financing"), max_length=300, blank=True, help_text=_("For example: 50/50 with the region.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="fundingsource_unique_name"),
            models.CheckConstraint(
                condition=(
                    models.Q(annual_amount__isnull=False, share_percent__isnull=True)
                    | models.Q(annual_amount__isnull=True, share_percent__isnull=False)
                ),
                name="fundingsource_amount_or_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetLine(Versioned):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel")
        PREMISES = "premises", _("Premises")
        EXTERNAL_SERVICES = "external_services", _("External services")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="budget_lines")
    intervention = models.ForeignKey(
        "agreements.Intervention",
        verbose_name=_("intervention"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_lines",
    )
    label = models.CharField(_("cost item"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    staffing_note = models.CharField(
        _("staffing"), max_length=300, blank=True, help_text=_("For example: projektledare 60 %.")
    )
    annual_amount = models.DecimalField(
        _("amount"),
        **MONEY,
        help_text=_("Per full year; for an agreement with a fixed total, the amount for the whole period."),
    )
    funding_source = models.CharField(_("funded by"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["intervention__position", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(annual_amount__gte=0), name="budgetline_amount_not_negative")
        ]

    def __str__(self) -> str:
        return self.label


class Payment(Versioned):
    """A planned or recorded payment (invoice) of the agreement's payment plan."""

    class Status(models.TextChoices):
        PLANNED = PaymentStatus.PLANNED, _("Planned")
        INVOICED = PaymentStatus.INVOICED, _("Invoiced")
        PAID = PaymentStatus.PAID, _("Paid")
        WITHHELD = PaymentStatus.WITHHELD, _("Withheld")

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="payments")
    key = models.CharField(max_length=120)
    due_on = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    funding_source = models.CharField(_("funding source"), max_length=200)
    covers_from = models.DateField(_("covers from"))
    covers_to = models.DateField(_("covers to"))
    adjusts = models.CharField(max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    invoiced_on = models.DateField(_("invoice date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "funding_source", "key"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="payment_unique_key"),
            models.CheckConstraint(
                condition=models.Q(covers_to__gte=models.F("covers_from")), name="payment_covers_order"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False), name="payment_paid_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount} {self.funding_source}"


class ActualCost(models.Model):
    """Budget follow-up: what a budget line actually cost in a period."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="actual_costs")
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.CASCADE, related_name="actual_costs"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    amount = models.DecimalField(_("actual cost"), **MONEY)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period_start", "budget_line__position"]
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        constraints = [
            models.UniqueConstraint(fields=["budget_line", "period_start", "period_end"], name="actualcost_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="actualcost_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line} {self.period_start} – {self.period_end}: {self.amount}"


class RepaymentClaim(Versioned):
    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        REPAID = "repaid", _("Repaid")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="repayment_claims")
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"))
    claimed_on = models.DateField(_("claimed on"))
    due_on = models.DateField(_("to be repaid by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        ordering = ["-claimed_on", "-id"]
        verbose_name = _("repayment claim")
        verbose_name_plural = _("repayment claims")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="repayment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.claimed_on} {self.amount}"


class PlanRecalculation(models.Model):
    """The payment plans of an index series' agreements, recalculated in bulk after its values changed.

    Created in the transaction that saves the values (a form, ``load_index``) and run after the commit as
    the task ``recalculate_plans`` (apps.finance.recalculation). Only the agreements whose money reaches
    ``from_year`` are recalculated, in batches; each batch is one transaction, so every plan is either all
    new or all as before. A newer recalculation of the same series supersedes a queued or running one and
    takes over its years (``from_year`` is the earliest of them).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped by an error")
        SUPERSEDED = "superseded", _("Replaced by a later recalculation")

    class Trigger(models.TextChoices):
        SAVED = "saved", _("An index value was saved")
        LOADED = "loaded", _("Index values were loaded from a file")
        RETRIED = "retried", _("Started again")

    series = models.ForeignKey(
        IndexSeries, on_delete=models.CASCADE, related_name="recalculations", verbose_name=_("index series")
    )
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices, default=Trigger.SAVED)
    value = models.ForeignKey(
        IndexValue,
        verbose_name=_("index value"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recalculations",
    )
    # The index year of the change (the earliest, when a load or an edit of the year changed several) and the
    # first money year it can change: the January invoice after it (domain.indexation.first_year_affected).
    year = models.PositiveSmallIntegerField(_("index year"))
    from_year = models.PositiveSmallIntegerField(_("from year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreements_total = models.PositiveIntegerField(_("agreements reached"), default=0)
    agreements_done = models.PositiveIntegerField(_("agreements recalculated"), default=0)
    agreements_changed = models.PositiveIntegerField(_("plans changed"), default=0)
    agreements_refused = models.PositiveIntegerField(_("plans not recalculated"), default=0)
    error_code = models.CharField(max_length=80, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment plan recalculation")
        verbose_name_plural = _("payment plan recalculations")
        indexes = [models.Index(fields=["series", "-id"], name="planrecalc_series_latest")]

    def __str__(self) -> str:
        return f"{self.series} {self.year} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class PlanRecalculationRefusal(models.Model):
    """An agreement whose plan a recalculation could not carry: left as it was, with the reason as a code."""

    recalculation = models.ForeignKey(PlanRecalculation, on_delete=models.CASCADE, related_name="refusals")
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=80)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["agreement_id"]
        constraints = [
            models.UniqueConstraint(fields=["recalculation", "agreement"], name="planrecalcrefusal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.code}"


class CommitmentSummary(models.Model):
    """What the portfolio groups an agreement's committed amounts by, kept beside them (issue 9).

        One row per agreement with finance terms, written with its :class:`YearAmount` rows by
        :mod:`apps.finance.amounts` in the transaction that changes their inputs. ``partners`` is the names of
        its non-profit parties, as the portfolio shows them ("Förening A, Förening B"), ``partner_names`` the same
    names one by one (for ``commitments``); ``problem_code`` and
        ``problem_params`` (a DomainError's, encoded like a recalculation refusal's) say why its amounts could
        not be computed, and it then has no year rows.
    """

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, primary_key=True, related_name="commitment_summary"
    )
    partners = models.CharField(max_length=2000, blank=True)
    partner_names = models.JSONField(default=list, blank=True)
    problem_code = models.CharField(max_length=80, blank=True)
    problem_params = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The few that could not be computed, found without reading the others (the portfolio asks every time).
        indexes = [
            models.Index(fields=["agreement"], condition=~models.Q(problem_code=""), name="commitsummary_problems")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.partners}"


class YearAmount(models.Model):
    """One agreement's committed amount in one calendar year: pro rata base and after index uplift."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="year_amounts")
    year = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField()
    base_amount = models.DecimalField(**MONEY)
    indexed_amount = models.DecimalField(**MONEY)
    is_forecast = models.BooleanField(default=False)

    class Meta:
        ordering = ["agreement_id", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="yearamount_unique")]
        indexes = [models.Index(fields=["year", "agreement"], name="yearamount_year")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.year}: {self.indexed_amount}"


class YearSourceAmount(models.Model):
    """The part of an agreement's indexed amount in one year that one funding source pays."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()  # the order of the split (domain.payments.funding_by_source)
    source = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["agreement_id", "year", "position"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year", "source"], name="yearsourceamount_unique")]
        indexes = [models.Index(fields=["year", "agreement"], name="yearsourceamount_year")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.year} {self.source}: {self.amount}"
