# SPDX-License-Identifier: EUPL-1.2
"""From finance rows to the pure rules in :mod:`domain`: year amounts, indexation, funding, payment plans.

No queries here beyond what the caller passes in: selectors fetch the rows (scoped), this module turns
them into domain values and back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from domain import indexation, payments, periods
from domain.money import ZERO, round_ore

from .models import BudgetLine, FinanceTerms, FundingSource, IndexValue, Payment

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class YearFigure:
    year: int
    months: int
    base: Decimal
    indexed: Decimal
    is_forecast: bool
    missing_years: tuple[int, ...]
    by_source: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class BudgetCheck:
    """Budget lines against the amount they should add up to; ``ok`` is False when they do not."""

    label: str
    lines_total: Decimal
    expected: Decimal | None

    @property
    def ok(self) -> bool:
        return self.expected is None or self.lines_total == self.expected

    @property
    def difference(self) -> Decimal:
        return self.lines_total - (self.expected or ZERO)


def period_of(agreement) -> periods.Period | None:
    if agreement.start_date is None or agreement.end_date is None:
        return None
    return periods.Period(agreement.start_date, agreement.end_date)


def funding_shares(sources: Iterable[FundingSource]) -> list[payments.FundingShare]:
    return [
        payments.FundingShare(
            name=s.name,
            annual_amount=s.annual_amount,
            share=(s.share_percent / HUNDRED) if s.share_percent is not None else None,
            invoiced_separately=s.invoiced_separately,
        )
        for s in sources
    ]


def index_values(values: Iterable[IndexValue]) -> list[indexation.IndexValue]:
    return [indexation.IndexValue(year=v.year, percent=v.percent, is_forecast=v.is_forecast) for v in values]


def base_by_year(terms: FinanceTerms, period: periods.Period) -> dict[int, Decimal]:
    if terms.basis == FinanceTerms.Basis.TOTAL:
        return periods.amounts_by_year(period, total_amount=terms.total_amount)
    return periods.amounts_by_year(period, annual_amount=terms.annual_amount)


def year_figures(
    agreement, terms: FinanceTerms, sources: list[FundingSource], values: list[IndexValue]
) -> list[YearFigure]:
    """Per calendar year: base amount (pro rata), indexed amount, forecast flag and the split by funder."""
    period = period_of(agreement)
    if period is None:
        return []
    base = base_by_year(terms, period)
    months = periods.months_by_year(period)
    if terms.index_series is not None:
        rule = indexation.IndexRule(index=terms.index_series.code, reference_month=terms.index_reference_month)
        indexed = indexation.indexed_amounts(base, rule, index_values(values), period.start)
    else:
        indexed = {
            y: indexation.IndexedAmount(year=y, base=a, indexed=a, factor=Decimal(1), is_forecast=False)
            for y, a in base.items()
        }
    shares = funding_shares(sources)
    result = []
    for year in sorted(base):
        item = indexed[year]
        split = payments.funding_by_source(
            item.indexed, months.get(year, 0), shares, default_source=terms.default_source, year=year
        )
        result.append(
            YearFigure(
                year=year,
                months=months.get(year, 0),
                base=item.base,
                indexed=item.indexed,
                is_forecast=item.is_forecast,
                missing_years=item.missing_years,
                by_source=split,
            )
        )
    return result


def payment_rule(terms: FinanceTerms) -> payments.PaymentRule | None:
    if not terms.payment_frequency:
        return None
    frequency = cast(payments.Frequency, terms.payment_frequency)  # one of FinanceTerms.Frequency's values
    return payments.PaymentRule(
        frequency=frequency, in_advance=terms.payment_in_advance, months=tuple(terms.payment_months or ())
    )


def new_plan(
    agreement,
    terms: FinanceTerms,
    sources: list[FundingSource],
    values: list[IndexValue],
    *,
    figures: list[YearFigure] | None = None,
) -> list[payments.PlannedPayment]:
    """The plan the agreement's current terms give (indexed amounts, forecast where not yet published);
    ``figures``: its year figures when the caller has computed them already (they are not computed again)."""
    rule, period = payment_rule(terms), period_of(agreement)
    if rule is None or period is None:
        return []
    if figures is None:
        figures = year_figures(agreement, terms, sources, values)
    amounts = {f.year: f.indexed for f in figures}
    return payments.generate_plan(period, amounts, rule, funding_shares(sources), default_source=terms.default_source)


def recorded(payment: Payment) -> payments.RecordedPayment:
    return payments.RecordedPayment(
        key=payment.key,
        due_on=payment.due_on,
        amount=payment.amount,
        funding_source=payment.funding_source,
        covers=periods.Period(payment.covers_from, payment.covers_to),
        status=payments.PaymentStatus(payment.status),
        invoice_number=payment.invoice_number,
        paid_on=payment.paid_on,
    )


def budget_checks(terms: FinanceTerms | None, lines: list[BudgetLine]) -> list[BudgetCheck]:
    """Do the budget lines (those for every year) add up to the base amount, or the fixed total?"""
    if terms is None or not lines:
        return []
    expected = terms.annual_amount if terms.basis == FinanceTerms.Basis.ANNUAL else terms.total_amount
    total = sum((line.annual_amount for line in lines), ZERO)
    return [BudgetCheck(label="", lines_total=round_ore(total), expected=expected)]


@dataclass(frozen=True)
class Deviation:
    line: BudgetLine
    period_label: str
    budget: Decimal
    actual: Decimal
    percent: Decimal | None
    flagged: bool


def deviations(terms: FinanceTerms | None, costs) -> list[Deviation]:
    """Actual costs against the budget for the same months; above the threshold they are flagged."""
    threshold = terms.deviation_threshold_percent if terms else Decimal(10)
    result = []
    for cost in costs:
        cost_period = periods.Period(cost.period_start, cost.period_end)
        months = periods.total_months(cost_period) or 1
        budget = round_ore(cost.budget_line.annual_amount * months / 12)
        percent = round_ore((cost.amount - budget) / budget * HUNDRED) if budget else None
        flagged = percent is None and cost.amount != 0 or percent is not None and abs(percent) > threshold
        label = f"{cost.period_start.isoformat()} – {cost.period_end.isoformat()}"
        result.append(
            Deviation(
                line=cost.budget_line,
                period_label=label,
                budget=budget,
                actual=cost.amount,
                percent=percent,
                flagged=flagged,
            )
        )
    return result
