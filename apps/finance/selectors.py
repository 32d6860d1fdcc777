# SPDX-License-Identifier: EUPL-1.2
"""Reads of money, always through the agreements the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Model, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone, translation

from apps.agreements.models import Agreement, Party
from apps.agreements.selectors import access_agreement, visible_agreements
from apps.core.access import one_or_404, require
from apps.core.cache import cached
from apps.core.errors import describe
from apps.organisations.scope import descendant_ids, scope_key, tenant_ids
from domain import lifecycle
from domain import payments as payment_rules
from domain.errors import DomainError
from domain.money import ZERO

from . import calculations
from .errors import stored_error_text
from .models import (
    ActualCost,
    BudgetLine,
    CommitmentSummary,
    FinanceTerms,
    FundingSource,
    IndexSeries,
    IndexValue,
    Payment,
    PlanRecalculation,
    PlanRecalculationRefusal,
    RepaymentClaim,
    YearAmount,
    YearSourceAmount,
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
#
# Read from the amounts kept as data (apps.finance.amounts): each table is one grouped query over the
# agreements the user may see, however many there are; the tables are paged, the chart shows the largest
# partners and the rest as one "Other partners" bar.

PARTNERS_PER_PAGE = 25
SOURCES_PER_PAGE = 25
CHART_PARTNERS = 7  # bars of their own in the chart; the rest are summed as one
PROBLEMS_SHOWN = 20
PARTNER = "agreement__commitment_summary__partners"


@dataclass(frozen=True)
class Commitment:
    """One agreement's committed amount in one year (a ``commitments`` record)."""

    agreement_id: int
    title: str
    year: int
    amount: Decimal
    indexed: Decimal
    is_forecast: bool
    by_source: dict[str, Decimal]
    partners: tuple[str, ...]


@dataclass(frozen=True)
class TableRow:
    name: str
    total: Decimal
    by_year: dict[int, Decimal]


@dataclass
class Portfolio:
    years: list[int]
    agreements: QuerySet[Agreement]  # the committing agreements in the user's portfolio (for the download)
    by_year: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    partners: Page | None = None  # of TableRow, the largest total first
    sources: Page | None = None  # of TableRow
    chart: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    forecast_years: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    recalculating: bool = False

    @property
    def has_amounts(self) -> bool:
        return any(row["indexed"] or row["base"] for row in self.by_year.values())


def committing(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The agreements that commit money (decided or later) with finance terms."""
    return agreements.filter(status__in=COMMITTING, finance__isnull=False)


def _amount_scope(agreements: QuerySet[Agreement]) -> QuerySet[Agreement, Any]:
    # Amounts are kept only for agreements with finance terms: the status is the one condition left.
    return agreements.filter(status__in=COMMITTING).values("pk")


def _year_amounts(agreements: QuerySet[Agreement], first_year: int, last_year: int) -> QuerySet[YearAmount]:
    return YearAmount.objects.filter(agreement__in=_amount_scope(agreements), year__gte=first_year, year__lte=last_year)


def _source_amounts(agreements: QuerySet[Agreement], first_year: int, last_year: int) -> QuerySet[YearSourceAmount]:
    return YearSourceAmount.objects.filter(
        agreement__in=_amount_scope(agreements), year__gte=first_year, year__lte=last_year
    )


def _grouped_page(qs: QuerySet[Any], key: str, amount: str, page: str | None, per_page: int) -> Page:
    """The groups of ``qs`` by ``key``, the largest total of ``amount`` first, one page of them, each with its
    amounts per year: three queries (the count, the page, its cells) whatever the number of groups."""
    groups = qs.values(key).annotate(total=Sum(amount)).order_by("-total", key)
    shown = Paginator(groups, per_page).get_page(page)
    names = [row[key] for row in shown.object_list]
    cells: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for row in qs.filter(**{f"{key}__in": names}).values(key, "year").annotate(sum=Sum(amount)).order_by():
        cells[row[key]][row["year"]] = row["sum"]
    shown.object_list = [
        TableRow(name=name or "", total=row["total"], by_year=cells[name])
        for name, row in zip(names, shown.object_list, strict=True)
    ]
    return shown


def _chart(
    qs: QuerySet[YearAmount], partners: Page, by_year: dict[int, dict[str, Decimal]], other: str
) -> dict[str, dict[int, Decimal]]:
    """The largest partners' amounts per year, and the rest of every year's total under ``other``. From the
    first page of the partner table when it is the one shown (the same order), else two queries of its own."""
    if partners.number == 1:
        top = list(partners.object_list[:CHART_PARTNERS])
        rest = partners.paginator.count > CHART_PARTNERS
    else:
        first = list(
            qs.values(PARTNER).annotate(total=Sum("indexed_amount")).order_by("-total", PARTNER)[: CHART_PARTNERS + 1]
        )
        names = [row[PARTNER] for row in first[:CHART_PARTNERS]]
        cells: dict[str, dict[int, Decimal]] = defaultdict(dict)
        for row in (
            qs.filter(**{f"{PARTNER}__in": names})
            .values(PARTNER, "year")
            .annotate(sum=Sum("indexed_amount"))
            .order_by()
        ):
            cells[row[PARTNER]][row["year"]] = row["sum"]
        top = [
            TableRow(name=name or "", total=row["total"], by_year=cells[name])
            for name, row in zip(names, first, strict=False)
        ]
        rest = len(first) > CHART_PARTNERS
    series: dict[str, dict[int, Decimal]] = {(row.name or "–"): dict(row.by_year) for row in top}
    if rest:
        series[other] = {
            year: amounts["indexed"] - sum((s.get(year, ZERO) for s in series.values()), ZERO)
            for year, amounts in by_year.items()
        }
    return series


def _problem_rows(agreements: QuerySet[Agreement]) -> QuerySet[CommitmentSummary]:
    """The committing agreements whose amounts could not be computed (a partial index finds them)."""
    return CommitmentSummary.objects.filter(agreement__in=_amount_scope(agreements)).exclude(problem_code="")


def _problems(agreements: QuerySet[Agreement], *, limit: int | None = None) -> list[str]:
    """Why, agreement by agreement ("Title: reason", in the active language), the first ``limit`` of them."""
    rows = (
        _problem_rows(agreements)
        .order_by("agreement_id")
        .values_list("agreement__title", "problem_code", "problem_params")
    )
    return [f"{title}: {stored_error_text(code, params)}" for title, code, params in rows[:limit]]


def _portfolio_scope(user: Any, public_body: int | None) -> QuerySet[Agreement]:
    qs = visible_agreements(user)
    if public_body:
        ids = descendant_ids([public_body])
        qs = qs.filter(
            parties__role=Party.Role.PUBLIC, parties__status=Party.Status.ACCEPTED, parties__organisation_id__in=ids
        ).distinct()
    return qs


def _recalculating(qs: QuerySet[Agreement]) -> bool:
    """Is a recalculation of a series these agreements are on queued or running (their amounts may change)?"""
    return PlanRecalculation.objects.filter(
        status__in=(PlanRecalculation.Status.QUEUED, PlanRecalculation.Status.RUNNING),
        series__in=FinanceTerms.objects.filter(agreement__in=_amount_scope(qs)).values("index_series"),
    ).exists()


def portfolio(
    user,
    *,
    first_year: int,
    last_year: int,
    public_body: int | None = None,
    partner_page: str | None = None,
    source_page: str | None = None,
    other_label: str = "Other partners",
) -> Portfolio:
    """Committed amounts per year, by partner and by funding source, within what the user may see."""
    qs = _portfolio_scope(user, public_body)
    years = list(range(first_year, last_year + 1))
    result = Portfolio(years=years, agreements=committing(qs))
    rows = _year_amounts(qs, first_year, last_year)
    totals = {
        row["year"]: row
        for row in rows.values("year")
        .annotate(
            base=Sum("base_amount"), indexed=Sum("indexed_amount"), forecast=Count("pk", filter=Q(is_forecast=True))
        )
        .order_by()
    }
    result.by_year = {
        y: {"base": totals[y]["base"], "indexed": totals[y]["indexed"]}
        if y in totals
        else {"base": ZERO, "indexed": ZERO}
        for y in years
    }
    result.forecast_years = {y for y, row in totals.items() if row["forecast"]}
    found = _problems(qs, limit=PROBLEMS_SHOWN + 1)
    result.problem_count = len(found) if len(found) <= PROBLEMS_SHOWN else _problem_rows(qs).count()
    result.problems = found[:PROBLEMS_SHOWN]
    if not totals:
        return result
    result.partners = _grouped_page(rows, PARTNER, "indexed_amount", partner_page, PARTNERS_PER_PAGE)
    result.sources = _grouped_page(
        _source_amounts(qs, first_year, last_year), "source", "amount", source_page, SOURCES_PER_PAGE
    )
    result.chart = _chart(rows, result.partners, result.by_year, other_label)
    result.recalculating = _recalculating(qs)
    return result


def _plain_page(page: Page | None) -> tuple[Any, ...] | None:
    if page is None:
        return None
    rows = tuple((row.name, row.total, tuple(row.by_year.items())) for row in page.object_list)
    return rows, page.number, page.paginator.count, page.paginator.per_page


def _page_of(plain: tuple[Any, ...] | None) -> Page | None:
    if plain is None:
        return None
    rows, number, count, per_page = plain
    page: Page = Paginator(cast(Sequence[Any], range(count)), per_page).get_page(number)
    page.object_list = [TableRow(name=name, total=total, by_year=dict(by_year)) for name, total, by_year in rows]
    return page


def cached_portfolio(
    user: Any,
    *,
    first_year: int,
    last_year: int,
    public_body: int | None = None,
    partner_page: str | None = None,
    source_page: str | None = None,
    other_label: str = "Other partners",
) -> Portfolio:
    """:func:`portfolio` as the page shows it, kept in the shared cache (apps.core.cache) for everyone with the
    same scope, years, body, pages and language until the register or any committed amount next changes. The
    value is plain data (the tables on the screen, not querysets); whether plans are being recalculated is read
    each time (one query), and ``agreements`` stays a queryset of the user's scope."""
    pages = tuple(p if p and p.isdigit() and len(p) < 7 else None for p in (partner_page, source_page))
    key = ":".join(
        str(part) for part in (scope_key(user), first_year, last_year, public_body, *pages, translation.get_language())
    )

    def compute() -> tuple[Any, ...]:
        p = portfolio(
            user,
            first_year=first_year,
            last_year=last_year,
            public_body=public_body,
            partner_page=pages[0],
            source_page=pages[1],
            other_label=other_label,
        )
        chart = tuple((name, tuple(by_year.items())) for name, by_year in p.chart.items())
        by_year = tuple((y, row["base"], row["indexed"]) for y, row in p.by_year.items())
        return (
            by_year,
            tuple(sorted(p.forecast_years)),
            _plain_page(p.partners),
            _plain_page(p.sources),
            chart,
            tuple(p.problems),
            p.problem_count,
        )

    by_year, forecast, partners, sources, chart, problems, problem_count = cached(
        "finance.portfolio.1", scope=key, compute=compute
    )
    scope = _portfolio_scope(user, public_body)
    return Portfolio(
        years=list(range(first_year, last_year + 1)),
        agreements=committing(scope),
        by_year={y: {"base": base, "indexed": indexed} for y, base, indexed in by_year},
        partners=_page_of(partners),
        sources=_page_of(sources),
        chart={name: dict(values) for name, values in chart},
        forecast_years=set(forecast),
        problems=list(problems),
        problem_count=problem_count,
        recalculating=_recalculating(scope) if by_year and any(b or i for _y, b, i in by_year) else False,
    )


def commitments(
    agreements: QuerySet[Agreement], first_year: int, last_year: int
) -> tuple[Iterator[Commitment], list[str]]:
    """``commitments``: one record per agreement and year, read from the amounts kept as data (two queries read
    as they are written out, in the order of the agreements and years), and why any could not be computed."""
    scope = _amount_scope(agreements)
    problems = _problems(agreements)

    def records() -> Iterator[Commitment]:
        years = (
            YearAmount.objects.filter(agreement__in=scope, year__gte=first_year, year__lte=last_year)
            .order_by("agreement_id", "year")
            .values_list(
                "agreement_id",
                "year",
                "base_amount",
                "indexed_amount",
                "is_forecast",
                "agreement__title",
                "agreement__commitment_summary__partner_names",
            )
        )
        splits = iter(
            YearSourceAmount.objects.filter(agreement__in=scope, year__gte=first_year, year__lte=last_year)
            .order_by("agreement_id", "year", "position")
            .values_list("agreement_id", "year", "source", "amount")
            .iterator(chunk_size=5000)
        )
        pending = next(splits, None)
        for agreement_id, year, base, indexed, is_forecast, title, names in years.iterator(chunk_size=5000):
            by_source: dict[str, Decimal] = {}
            while pending is not None and (pending[0], pending[1]) < (agreement_id, year):
                pending = next(splits, None)
            while pending is not None and (pending[0], pending[1]) == (agreement_id, year):
                by_source[pending[2]] = pending[3]
                pending = next(splits, None)
            yield Commitment(
                agreement_id=agreement_id,
                title=title,
                year=year,
                amount=base,
                indexed=indexed,
                is_forecast=is_forecast,
                by_source=by_source,
                partners=tuple(names or ()),
            )

    return records(), problems


def portfolio_partner_cells(p: Portfolio) -> Iterator[dict[str, Any]]:
    """Every partner's amount per year in ``p`` (not only the page shown), ordered by partner and year."""
    rows = _year_amounts(p.agreements, p.years[0], p.years[-1])
    return (
        rows.values(PARTNER, "year")
        .annotate(sum=Sum("indexed_amount"))
        .order_by(PARTNER, "year")
        .iterator(chunk_size=5000)
    )


def portfolio_source_cells(p: Portfolio) -> Iterator[dict[str, Any]]:
    """Every funding source's amount per year in ``p``, ordered by source and year."""
    rows = _source_amounts(p.agreements, p.years[0], p.years[-1])
    grouped: QuerySet[Any, Any] = rows.values("source", "year").annotate(sum=Sum("amount"))
    return grouped.order_by("source", "year").iterator(chunk_size=5000)
