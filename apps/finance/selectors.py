# SPDX-License-Identifier: EUPL-1.2
"""Reads of money, always through the agreements the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from apps.agreements.models import Agreement, Party
from apps.agreements.selectors import access_agreement, visible_agreements
from apps.core.access import one_or_404, require
from apps.core.errors import describe
from apps.organisations.scope import descendant_ids, tenant_ids
from domain import lifecycle
from domain import payments as payment_rules
from domain.errors import DomainError
from domain.money import ZERO

from . import calculations
from .models import (
    ActualCost,
    BudgetLine,
    FinanceTerms,
    FundingSource,
    IndexSeries,
    IndexValue,
    Payment,
    PlanRecalculation,
    PlanRecalculationRefusal,
    RepaymentClaim,
)

# Agreements that commit money: decided or later (not drafts, not rescinded).
COMMITTING = [
    lifecycle.Status.DECIDED,
    lifecycle.Status.SIGNED,
    lifecycle.Status.ACTIVE,
    lifecycle.Status.ENDED,
    lifecycle.Status.TERMINATED,
]


@dataclass
class AgreementFinance:
    agreement: Agreement
    terms: FinanceTerms | None
    sources: list[FundingSource]
    lines: list[BudgetLine]
    years: list[calculations.YearFigure]
    checks: list[calculations.BudgetCheck]
    payments: list[Payment]
    deviations: list[calculations.Deviation]
    claims: list
    error: str = ""
    overdue_ids: frozenset[int] = frozenset()

    @property
    def payments_total(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def overdue(self) -> list[Payment]:
        """Planned payments past their due date: nobody has invoiced them yet."""
        return [p for p in self.payments if p.pk in self.overdue_ids]

    @property
    def overdue_total(self) -> Decimal:
        return sum((p.amount for p in self.overdue), ZERO)

    @property
    def indexed_total(self) -> Decimal:
        return sum((y.indexed for y in self.years), ZERO)

    @property
    def any_forecast(self) -> bool:
        return any(y.is_forecast for y in self.years)


def finance_terms(agreement: Agreement) -> FinanceTerms | None:
    """The money terms of ``agreement`` (got through ``access_finance``), or None before they are set."""
    return FinanceTerms.objects.filter(agreement=agreement).first()


def _index_values(terms: FinanceTerms | None) -> list[IndexValue]:
    return list(terms.index_series.values.all()) if terms and terms.index_series is not None else []


def agreement_finance(agreement: Agreement, *, today: dt.date | None = None) -> AgreementFinance:
    """Everything on the agreement's money page. ``agreement`` comes from a scoped selector.

    A refusal by the money rules (e.g. a period too long to compute) is shown as ``error``, in the
    active language, instead of the figures.
    """
    today = today or timezone.localdate()
    terms = FinanceTerms.objects.filter(agreement=agreement).select_related("index_series").first()
    sources = list(agreement.funding_sources.all())
    lines = list(agreement.budget_lines.select_related("intervention"))
    error, years = "", []
    if terms is not None:
        try:
            years = calculations.year_figures(agreement, terms, sources, _index_values(terms))
        except DomainError as exc:
            error = describe(exc)
    costs = ActualCost.objects.filter(agreement=agreement).select_related("budget_line")
    payments = list(agreement.payments.all())
    return AgreementFinance(
        agreement=agreement,
        terms=terms,
        sources=sources,
        lines=lines,
        years=years,
        checks=calculations.budget_checks(terms, list(lines)),
        payments=payments,
        deviations=calculations.deviations(terms, costs),
        claims=list(agreement.repayment_claims.all()),
        error=error,
        overdue_ids=frozenset(p.pk for p in payments if payment_rules.is_overdue(p.status, p.due_on, today)),
    )


# The access layer (apps.core.access): the only way a money page, export or command gets a row by its id.
# A row is looked up among its agreement's rows, and the agreement among those the user sees: another
# agreement's row, a missing row and an invisible agreement are the same 404.

# Permissions that seeing the agreement already grants: the scoped lookup is their check.
SEEN_PERMS = frozenset({"finance.view_finance"})


def access_finance(user: Any, pk: object, *, perm: str | None) -> Agreement:
    """The agreement ``pk`` whose money ``user`` may see (Http404 otherwise), holding ``perm`` (403 otherwise)."""
    return access_agreement(user, pk, perm=None if perm in SEEN_PERMS else perm)


def _rows[M: Model](user: Any, qs: QuerySet[M], agreement: Agreement) -> QuerySet[M]:
    """``qs`` narrowed to the rows of ``agreement`` (got through ``access_finance``), and, at the source, to
    agreements ``user`` sees."""
    qs = qs.filter(agreement=agreement)
    if user is not None:
        qs = qs.filter(agreement__in=visible_agreements(user).values("pk"))
    return qs


def access_funding_source(user: Any, pk: object, *, agreement: Agreement) -> FundingSource:
    return one_or_404(_rows(user, FundingSource.objects.all(), agreement), pk)


def access_budget_line(user: Any, pk: object, *, agreement: Agreement) -> BudgetLine:
    return one_or_404(_rows(user, BudgetLine.objects.all(), agreement), pk)


def access_payment(user: Any, pk: object, *, agreement: Agreement) -> Payment:
    return one_or_404(_rows(user, Payment.objects.all(), agreement), pk)


def access_repayment_claim(user: Any, pk: object, *, agreement: Agreement) -> RepaymentClaim:
    return one_or_404(_rows(user, RepaymentClaim.objects.all(), agreement), pk)


def visible_index_series(user: Any) -> QuerySet[IndexSeries]:
    """The index series ``user`` may read: the national ones (no tenant) and their own tenants' series.

    ``user`` None is the platform itself (a command run without a user) and a superuser reads every series;
    another tenant's series is not there (404, like a missing one).
    """
    qs = IndexSeries.objects.all()
    if user is None or getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(tenant__isnull=True) | Q(tenant_id__in=tenant_ids(user)))


def access_index_series(user: Any, pk: object, *, perm: str | None) -> IndexSeries:
    """The index series ``pk`` that ``user`` reads (Http404 otherwise), with ``perm`` held on it (403 otherwise)."""
    series = one_or_404(visible_index_series(user), pk)
    if user is not None:
        require(user, perm, series, seen={"finance.view_index"})
    return series


def access_index_value(user: Any, pk: object, *, series: IndexSeries) -> IndexValue:
    """A value of ``series`` (got through ``access_index_series``, which checked the permission)."""
    return one_or_404(IndexValue.objects.filter(series=series, series__in=visible_index_series(user)), pk)


def access_plan_recalculation(user: Any, pk: object, *, series: IndexSeries) -> PlanRecalculation:
    """A recalculation of ``series`` (got through ``access_index_series``, which checked the permission)."""
    qs = PlanRecalculation.objects.filter(series=series, series__in=visible_index_series(user))
    return one_or_404(qs.select_related("series", "value", "requested_by", "superseded_by"), pk)


@dataclass(frozen=True)
class IndexSeriesRow:
    series: IndexSeries
    can_change: bool
    recalculation: PlanRecalculation | None = None  # the latest recalculation of its plans


def latest_recalculations(series_ids: list[int]) -> dict[int, PlanRecalculation]:
    """The latest recalculation of each series (one query, however many there have been)."""
    latest = PlanRecalculation.objects.filter(series_id=OuterRef("series_id")).order_by("-pk").values("pk")[:1]
    qs = PlanRecalculation.objects.filter(series_id__in=series_ids, pk=Subquery(latest))
    return {r.series_id: r for r in qs}


def index_series(user: Any) -> list[IndexSeriesRow]:
    """The series ``user`` reads, with their values and their latest recalculation, each with whether
    ``user`` may keep it."""
    series = list(visible_index_series(user).select_related("tenant").prefetch_related("values"))
    latest = latest_recalculations([s.pk for s in series])
    return [
        IndexSeriesRow(
            series=s,
            can_change=user is None or user.has_perm("finance.change_index", s),
            recalculation=latest.get(s.pk),
        )
        for s in series
    ]


@dataclass(frozen=True)
class RecalculationRefusals:
    """The agreements a recalculation left as they were: those ``user`` sees (with the reason), and how
    many others there are (of agreements the user does not see: counted, never named)."""

    page: Page  # of PlanRecalculationRefusal, with the agreement's title and case number
    hidden: int


def recalculation_refusals(
    user: Any, recalculation: PlanRecalculation, *, page: int | str | None = 1, per_page: int = 50
) -> RecalculationRefusals:
    refusals = PlanRecalculationRefusal.objects.filter(recalculation=recalculation)
    seen = refusals.filter(agreement__in=visible_agreements(user).values("pk")) if user is not None else refusals
    seen = seen.select_related("agreement").only(
        "pk", "code", "params", "agreement_id", "agreement__title", "agreement__case_number"
    )
    shown = Paginator(seen.order_by("agreement_id"), per_page).get_page(page)
    return RecalculationRefusals(page=shown, hidden=recalculation.agreements_refused - shown.paginator.count)


def index_series_choices(user: Any, *, current_id: int | None = None) -> QuerySet[IndexSeries]:
    """The series a money-terms form offers ``user``: those they read (national and their own tenants'),
    and the agreement's current series so that saving other terms does not drop it."""
    qs = visible_index_series(user)
    if current_id is not None:
        qs = IndexSeries.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=current_id))
    return qs.order_by(F("tenant_id").asc(nulls_first=True), "code")


# Portfolio ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commitment:
    agreement: Agreement
    year: int
    amount: Decimal
    indexed: Decimal
    is_forecast: bool
    by_source: dict[str, Decimal]
    partners: tuple[str, ...]


@dataclass
class Portfolio:
    years: list[int]
    commitments: list[Commitment]
    by_year: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    by_partner: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    by_source: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    forecast_years: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _committing(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    parties = Party.objects.select_related("organisation")
    return (
        qs.filter(status__in=COMMITTING, finance__isnull=False)
        .select_related("finance__index_series")
        .prefetch_related(Prefetch("parties", queryset=parties), "funding_sources", "finance__index_series__values")
        .order_by("id")
    )


def commitments(agreements: QuerySet[Agreement], first_year: int, last_year: int) -> tuple[list[Commitment], list[str]]:
    result, problems = [], []
    for agreement in _committing(agreements):
        terms = agreement.finance
        values = list(terms.index_series.values.all()) if terms.index_series is not None else []
        try:
            years = calculations.year_figures(agreement, terms, list(agreement.funding_sources.all()), values)
        except DomainError as exc:
            problems.append(f"{agreement}: {describe(exc)}")
            continue
        partners = tuple(p.organisation.name for p in agreement.parties.all() if p.role == Party.Role.NON_PROFIT)
        for y in years:
            if first_year <= y.year <= last_year:
                result.append(
                    Commitment(
                        agreement=agreement,
                        year=y.year,
                        amount=y.base,
                        indexed=y.indexed,
                        is_forecast=y.is_forecast,
                        by_source=y.by_source,
                        partners=partners,
                    )
                )
    return result, problems


def portfolio(user, *, first_year: int, last_year: int, public_body: int | None = None) -> Portfolio:
    """Committed amounts per year, by partner and by funding source, within what the user may see."""
    qs = visible_agreements(user)
    if public_body:
        ids = descendant_ids([public_body])
        qs = qs.filter(
            parties__role=Party.Role.PUBLIC, parties__status=Party.Status.ACCEPTED, parties__organisation_id__in=ids
        ).distinct()
    items, problems = commitments(qs, first_year, last_year)
    result = Portfolio(years=list(range(first_year, last_year + 1)), commitments=items, problems=problems)
    by_year: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"base": ZERO, "indexed": ZERO})
    by_partner: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_source: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for c in items:
        by_year[c.year]["base"] += c.amount
        by_year[c.year]["indexed"] += c.indexed
        partner = ", ".join(c.partners) or "–"
        by_partner[partner][c.year] += c.indexed
        for source, amount in c.by_source.items():
            by_source[source][c.year] += amount
        if c.is_forecast:
            result.forecast_years.add(c.year)
    result.by_year = {y: dict(by_year[y]) if y in by_year else {"base": ZERO, "indexed": ZERO} for y in result.years}
    result.by_partner = {k: dict(v) for k, v in sorted(by_partner.items())}
    result.by_source = {k: dict(v) for k, v in sorted(by_source.items())}
    return result
