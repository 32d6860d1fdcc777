# SPDX-License-Identifier: EUPL-1.2
"""Price index uplift (indexuppräkning), e.g. SKR's PKV, "prisindex för kommunal verksamhet".
May import: the standard library and other domain modules; never Django or an app.

An :class:`IndexValue` is the percentage published for the rule's reference month (October for PKV)
of ``year``. It is applied from the first January invoice after it, i.e. to the amounts of ``year + 1``.

Uplifts compound: the factor of year Y is the product, over every uplift year u from the first uplift
year up to Y, of ``1 + pct(u − 1) / 100``. The factor is an exact Decimal (never rounded); only the
resulting money is rounded, ROUND_HALF_UP to öre.

Where a needed value is missing the result is marked ``is_forecast`` and never silently uses 0 %.
The value for index year n is, in order of preference:

1. the published value for n;
2. an explicit forecast for n (``IndexValue(is_forecast=True)``);
3. the latest published value before n, else the latest forecast before n;
4. nothing: that step uses factor 1 and n is listed in ``missing_years`` for the caller to label.

Cases 2–4 make the amount a forecast.

Bounds: years lie in :data:`domain.periods.MIN_YEAR`–:data:`domain.periods.MAX_YEAR`; a percentage is
more than −100 % and less than :data:`MAX_PERCENT` with at most :data:`MAX_PERCENT_DECIMALS` decimals; an
uplifted amount is at most :data:`domain.money.MAX_AMOUNT`. Within them every product is computed
exactly (the precision is sized to the factors, so nothing is ever rounded or trapped); outside them a
:class:`~domain.errors.DomainError` says which bound was crossed.

Error codes raised here: ``index.percent_out_of_range`` (``min``, ``max``), ``index.percent_too_precise``
(``decimals``), ``index.reference_month_out_of_range``, ``index.duplicate_value`` (``year``), and from
the modules below ``period.year_out_of_range`` and ``money.out_of_range``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, Inexact, localcontext

from domain.errors import DomainError
from domain.money import check_amount, round_ore
from domain.periods import check_year

ONE = Decimal(1)
MIN_PERCENT = Decimal(-100)  # exclusive: −100 % would make every later amount zero
MAX_PERCENT = Decimal(1000)  # exclusive
MAX_PERCENT_DECIMALS = 6


def _exact_precision(*values: Decimal) -> int:
    """A precision at which the product of ``values`` is exact.

    A product's coefficient has at most as many digits as its factors' coefficients together.
    """
    return max(28, sum(len(v.as_tuple().digits) for v in values) + 1)


def _decimals(value: Decimal) -> int:
    """Decimals that carry information: 2.900 has one."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(-exponent - trailing, 0)


@dataclass(frozen=True)
class IndexValue:
    """The index percentage for the reference month of ``year`` (e.g. PKV October 2025 = 2.9)."""

    year: int
    percent: Decimal
    is_forecast: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.percent, bool) or not isinstance(self.percent, Decimal | int):
            raise TypeError(f"percent must be a Decimal (never a float), not {type(self.percent).__name__}")
        check_year(self.year)
        percent = Decimal(self.percent)
        if not percent.is_finite() or not MIN_PERCENT < percent < MAX_PERCENT:
            raise DomainError("index.percent_out_of_range", min=MIN_PERCENT, max=MAX_PERCENT)
        if _decimals(percent) > MAX_PERCENT_DECIMALS:
            raise DomainError("index.percent_too_precise", decimals=MAX_PERCENT_DECIMALS)
        object.__setattr__(self, "percent", percent)


@dataclass(frozen=True)
class IndexRule:
    """Which index, its reference month, and the first year whose amounts are uplifted.

    By default the first uplift is the first January strictly after the agreement start: a start on
    2025-07-01 (or on 2025-01-01) is uplifted from January 2026 with the October 2025 value.
    """

    index: str
    reference_month: int = 10
    first_uplift_year: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.reference_month <= 12:
            raise DomainError("index.reference_month_out_of_range")
        if self.first_uplift_year is not None:
            check_year(self.first_uplift_year)

    def first_uplift(self, start: date) -> int:
        return self.first_uplift_year if self.first_uplift_year is not None else start.year + 1


@dataclass(frozen=True)
class IndexedAmount:
    """One year's amount before and after uplift.

    ``missing_years`` are the index years (reference years, e.g. 2026 for PKV October 2026) that were
    needed but had no value at all to fall back on; their step counted as factor 1.
    """

    year: int
    base: Decimal
    indexed: Decimal
    factor: Decimal
    is_forecast: bool
    missing_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class ResolvedValue:
    """The percentage used for one index year and whether it is a forecast (``None`` = missing)."""

    year: int
    percent: Decimal | None
    is_forecast: bool


def _by_year(values: list[IndexValue], forecast: bool) -> dict[int, Decimal]:
    result: dict[int, Decimal] = {}
    for value in values:
        if value.is_forecast != forecast:
            continue
        if value.year in result:
            raise DomainError("index.duplicate_value", year=value.year)
        result[value.year] = value.percent
    return result


def _latest_before(by_year: dict[int, Decimal], year: int) -> Decimal | None:
    earlier = [y for y in by_year if y < year]
    return by_year[max(earlier)] if earlier else None


def resolve_value(values: list[IndexValue], year: int) -> ResolvedValue:
    """The value to use for index year ``year`` (see the module docstring for the order)."""
    published, forecast = _by_year(values, False), _by_year(values, True)
    if year in published:
        return ResolvedValue(year, published[year], False)
    if year in forecast:
        return ResolvedValue(year, forecast[year], True)
    fallback = _latest_before(published, year)
    if fallback is None:
        fallback = _latest_before(forecast, year)
    return ResolvedValue(year, fallback, True)


def uplift_factor(year: int, first_uplift: int, values: list[IndexValue]) -> tuple[Decimal, bool, tuple[int, ...]]:
    """The exact compounded factor for ``year``, whether it rests on a forecast, and the missing index years.

    Both years must lie in the bounded year range (``period.year_out_of_range``); the product is exact.
    """
    check_year(year)
    check_year(first_uplift)
    is_forecast, missing, steps = False, [], []
    for uplift_year in range(first_uplift, year + 1):
        resolved = resolve_value(values, uplift_year - 1)
        is_forecast = is_forecast or resolved.is_forecast
        if resolved.percent is None:
            missing.append(resolved.year)
            continue
        steps.append(ONE + resolved.percent.scaleb(-2))
    factor = ONE
    with localcontext() as ctx:
        ctx.prec = _exact_precision(*steps)
        ctx.traps[Inexact] = True  # cannot fire at this precision; a guard that nothing is rounded silently
        for step in steps:
            factor *= step
    return factor, is_forecast, tuple(missing)


def apply_factor(base: Decimal, factor: Decimal) -> Decimal:
    """``base × factor`` computed exactly, then rounded ROUND_HALF_UP to öre.

    Raises ``money.out_of_range`` when the uplifted amount exceeds :data:`domain.money.MAX_AMOUNT`.
    """
    if isinstance(base, float) or isinstance(factor, float):
        raise TypeError("money must not be a float")
    check_amount(base)
    with localcontext() as ctx:
        ctx.prec = _exact_precision(base, factor)
        ctx.traps[Inexact] = True
        product = base * factor  # exact: the precision holds every digit
    return round_ore(check_amount(product))  # the one rounding, to öre


def indexed_amounts(
    base_by_year: dict[int, Decimal], rule: IndexRule, values: list[IndexValue], start: date
) -> dict[int, IndexedAmount]:
    """Uplift each year's base amount (e.g. from :func:`domain.periods.amounts_by_year`)."""
    first_uplift = rule.first_uplift(start)
    result = {}
    for year in sorted(base_by_year):
        base = base_by_year[year]
        if not isinstance(base, Decimal):
            raise TypeError(f"base amounts must be Decimal (never a float), not {type(base).__name__}")
        factor, is_forecast, missing = uplift_factor(year, first_uplift, values)
        result[year] = IndexedAmount(year, round_ore(base), apply_factor(base, factor), factor, is_forecast, missing)
    return result


def first_year_affected(value_year: int) -> int:
    """The first money year a value for index year ``value_year`` can change: the January invoice after it.

    Through compounding and the fallback to the latest earlier value (see the module docstring), a value can
    change the amounts of every later year too, never of an earlier one.
    """
    return value_year + 1


def reaches(rule: IndexRule, start: date, last_money_year: int, first_affected: int) -> bool:
    """Whether an agreement starting on ``start`` whose money runs until ``last_money_year`` has an uplifted
    year on or after ``first_affected`` (see :func:`first_year_affected`): only then can such a value change
    its amounts. A year before the rule's first uplift has factor 1 whatever the values are.
    """
    return last_money_year >= max(first_affected, rule.first_uplift(start))


def indexed_by_year(amounts: dict[int, IndexedAmount]) -> dict[int, Decimal]:
    """Just the indexed money per year, ready for :func:`domain.payments.generate_plan`."""
    return {year: amount.indexed for year, amount in amounts.items()}
