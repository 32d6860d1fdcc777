# SPDX-License-Identifier: EUPL-1.2
"""Periods and pro rata by whole months.
May import: the standard library and other domain modules; never Django or an app.

A :class:`Period` is a closed date range: ``end`` is inclusive, exactly as the agreement writes it.

Money follows whole months. The rule, used everywhere (amounts per year, payment plans):

* A calendar month **counts** when the period covers at least half of its days
  (``covered days × 2 >= days in month``). A period starting on the 1st therefore counts its start
  month, and one ending on the last day of a month counts that month.
* The contract convention "1 juli 2025 till 1 juli 2028" means *through 30 June 2028*: when ``end``
  is the 1st of a month (and after ``start``), the money covers up to the day before
  (:attr:`Period.last_covered_day`). The half-month rule already ignores a lone 1st, so the
  convention only shows in :attr:`Period.last_covered_day` and in what a payment ``covers``.
* Mid-month dates: each month is decided on its own. 2025-03-17 – 2025-06-16 counts April, May and
  June (March has 15 of 31 days covered, less than half; June 16 of 30, at least half). A ragged
  period may thus round up or down by a month at each end (2025-03-16 – 2025-06-15 counts four
  months), but the months per year always add up to the total months.

Years, ``contains`` and ``overlaps`` use the literal dates; only money uses the counted months.

Bounds: every date of a period lies in the years :data:`MIN_YEAR`–:data:`MAX_YEAR`, and money is
computed for periods of at most :data:`MAX_MONEY_YEARS` years. Outside them a
:class:`~domain.errors.DomainError` says so, instead of an arithmetic exception.

Error codes raised here (all :class:`PeriodError`, a ``ValueError``):

* ``period.end_before_start`` (``start``, ``end``)
* ``period.year_out_of_range`` (``year``, ``min_year``, ``max_year``)
* ``period.too_long`` (``start``, ``end``, ``max_years``)
* ``period.negative_amount``
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from domain.errors import DomainError
from domain.money import ZERO, round_ore, split_by_weights, to_money

MIN_YEAR = 1900
MAX_YEAR = 2200
MAX_MONEY_YEARS = 50


class PeriodError(DomainError):
    """An impossible period or pro rata request: a code and parameters, the words are chosen at the edge."""


def _check_date(value: object, name: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    check_year(value.year)


def check_year(year: int) -> int:
    """``year`` itself, if it lies in :data:`MIN_YEAR`–:data:`MAX_YEAR`; else ``period.year_out_of_range``."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"a year must be an int, not {type(year).__name__}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("period.year_out_of_range", year=year, min_year=MIN_YEAR, max_year=MAX_YEAR)
    return year


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_month_end(day: date) -> bool:
    return day == month_end(day)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, the day clamped to the target month's length.

    A result outside :data:`MIN_YEAR`–:data:`MAX_YEAR` raises ``period.year_out_of_range``.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    check_year(year)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    """A closed date range ``start`` – ``end`` (both days included)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        _check_date(self.start, "start")
        _check_date(self.end, "end")
        if self.end < self.start:
            raise PeriodError("period.end_before_start", start=self.start, end=self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def last_covered_day(self) -> date:
        """The last day the money covers: an end on the 1st of a month ("till 1 juli") means the day before."""
        if self.end.day == 1 and self.end > self.start:
            return self.end - timedelta(days=1)
        return self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def years(self) -> tuple[int, ...]:
        """The calendar years the period touches (literal dates)."""
        return tuple(range(self.start.year, self.end.year + 1))

    def active_in_year(self, year: int) -> bool:
        return self.overlaps(Period(date(year, 1, 1), date(year, 12, 31)))

    def extended_by(self, months: int) -> Period:
        """The period with ``end`` moved by ``months`` (negative shortens).

        The day is clamped to the month's length, and an end on the last day of a month stays on the
        last day ("till och med 2025-02-28" + 1 month = 2025-03-31), so extensions never lose days.
        """
        end = add_months(self.end, months)
        if is_month_end(self.end):
            end = month_end(end)
        return Period(self.start, end)


def check_money_period(period: Period) -> Period:
    """``period`` itself, if its money spans at most :data:`MAX_MONEY_YEARS` years; else ``period.too_long``.

    The money of 2025-07-01 – 2075-07-01 ("till 1 juli") covers exactly 50 years and is allowed.
    """
    if period.last_covered_day >= _years_after(period.start, MAX_MONEY_YEARS):
        raise PeriodError("period.too_long", start=period.start, end=period.end, max_years=MAX_MONEY_YEARS)
    return period


def _years_after(day: date, years: int) -> date:
    """``day`` + ``years`` years, without the year bound (the result is only compared, never used)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)


def _month_starts(first: date, last: date) -> list[date]:
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def covered_days_in_month(period: Period, month: date) -> int:
    """How many days of ``month`` (any day in it) the money of ``period`` covers."""
    first = max(period.start, month.replace(day=1))
    last = min(period.last_covered_day, month_end(month))
    return max((last - first).days + 1, 0)


def month_counts(period: Period, month: date) -> bool:
    """Whether ``month`` counts for pro rata: the period covers at least half of its days."""
    days_in_month = month_end(month).day
    return covered_days_in_month(period, month) * 2 >= days_in_month


# The month lists are asked for many times per plan (once per year and block); a period is immutable, and so
# are the tuples: kept per period. Recalculating thousands of plans in bulk spent most of its time here.
@lru_cache(maxsize=4096)
def touched_months(period: Period) -> tuple[date, ...]:
    """The first days of every month the money of ``period`` touches, counted or not."""
    return tuple(_month_starts(period.start, period.last_covered_day))


@lru_cache(maxsize=4096)
def months_covered(period: Period) -> tuple[date, ...]:
    """The first days of the months that count for pro rata, in order."""
    return tuple(m for m in touched_months(period) if month_counts(period, m))


def total_months(period: Period) -> int:
    return len(months_covered(period))


def money_years(period: Period) -> tuple[int, ...]:
    """The calendar years the money of ``period`` touches (up to :attr:`Period.last_covered_day`)."""
    return tuple(range(period.start.year, period.last_covered_day.year + 1))


def months_by_year(period: Period) -> dict[int, int]:
    """Counted months per calendar year; every money year is present (possibly with 0).

    Money periods are bounded: a period longer than :data:`MAX_MONEY_YEARS` raises ``period.too_long``.
    """
    check_money_period(period)
    counts = dict.fromkeys(money_years(period), 0)
    for month in months_covered(period):
        counts[month.year] += 1
    return counts


def _days_by_year(period: Period) -> dict[int, int]:
    last = period.last_covered_day
    return {
        year: (min(last, date(year, 12, 31)) - max(period.start, date(year, 1, 1))).days + 1
        for year in money_years(period)
    }


def _money(value: object, name: str) -> Decimal:
    if isinstance(value, (float, bool)) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal (never a float), not {type(value).__name__}")
    amount = to_money(value)
    if amount < 0:
        raise PeriodError("period.negative_amount")
    return amount


def amounts_by_year(
    period: Period, *, annual_amount: Decimal | None = None, total_amount: Decimal | None = None
) -> dict[int, Decimal]:
    """Split money over calendar years, pro rata by counted months. Give exactly one amount.

    ``annual_amount``: a full year (12 counted months) gets exactly the annual amount; the part years
    share ``annual × part-year months / 12`` by months, so the parts sum exactly to
    ``round_ore(annual × total months / 12)``.

    ``total_amount``: the fixed total is split by counted months per year and the parts sum exactly
    to it. A period too short to count any month (e.g. ten days) is split by days instead.
    """
    if (annual_amount is None) == (total_amount is None):
        raise ValueError("give exactly one of annual_amount and total_amount")
    months = months_by_year(period)
    if total_amount is not None:
        return _split_total(_money(total_amount, "total_amount"), months, period)
    return _split_annual(_money(annual_amount, "annual_amount"), months)


def _split_total(total: Decimal, months: dict[int, int], period: Period) -> dict[int, Decimal]:
    weights = months if any(months.values()) else _days_by_year(period)
    years = list(weights)
    return dict(zip(years, split_by_weights(total, [weights[y] for y in years]), strict=True))


def _split_annual(annual: Decimal, months: dict[int, int]) -> dict[int, Decimal]:
    result = {year: (annual if count == 12 else ZERO) for year, count in months.items()}
    part_years = [year for year, count in months.items() if 0 < count < 12]
    if part_years:
        part_months = sum(months[y] for y in part_years)
        part_total = round_ore(annual * part_months / 12)
        parts = split_by_weights(part_total, [months[y] for y in part_years])
        result.update(zip(part_years, parts, strict=True))
    return result
