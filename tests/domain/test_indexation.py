# SPDX-License-Identifier: EUPL-1.2
"""PKV uplift: Tidigt föräldrastöd's rule, forecasts and missing values, and Hypothesis properties."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import indexation
from domain.errors import DomainError
from domain.indexation import (
    MAX_PERCENT,
    MAX_PERCENT_DECIMALS,
    MIN_PERCENT,
    IndexedAmount,
    IndexRule,
    IndexValue,
    apply_factor,
    indexed_amounts,
    indexed_by_year,
    resolve_value,
    uplift_factor,
)
from domain.money import MAX_AMOUNT
from domain.periods import MAX_YEAR, MIN_YEAR, Period, add_months, amounts_by_year

PKV = IndexRule("PKV")
TIDIGT_START = date(2025, 7, 1)
TIDIGT_BASE = amounts_by_year(Period(TIDIGT_START, date(2028, 7, 1)), annual_amount=Decimal(4040000))

money = st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n).scaleb(-2))
percents = st.integers(min_value=-500, max_value=1500).map(lambda n: Decimal(n).scaleb(-2))
positive_percents = st.integers(min_value=1, max_value=1500).map(lambda n: Decimal(n).scaleb(-2))


def years_with(base: Decimal, first: int = 2025, count: int = 8) -> dict[int, Decimal]:
    return dict.fromkeys(range(first, first + count), base)


# --- Tidigt föräldrastöd ------------------------------------------------------------------------------


def test_october_value_applies_from_the_january_after_the_start() -> None:
    result = indexed_amounts(
        TIDIGT_BASE, PKV, [IndexValue(2025, Decimal("2.9")), IndexValue(2026, Decimal("3.1"))], TIDIGT_START
    )
    assert result[2025] == IndexedAmount(2025, Decimal("2020000.00"), Decimal("2020000.00"), Decimal(1), False, ())
    assert result[2026].indexed == Decimal("4157160.00")
    assert result[2026].factor == Decimal("1.029")
    assert result[2027].factor == Decimal("1.060899")
    assert result[2027].indexed == Decimal("4286031.96")
    assert result[2027].is_forecast is False
    assert result[2028].is_forecast is True  # PKV October 2027 not yet known
    assert indexed_by_year(result)[2026] == Decimal("4157160.00")


def test_the_latest_published_value_stands_in_for_a_missing_one_as_a_forecast() -> None:
    result = indexed_amounts(TIDIGT_BASE, PKV, [IndexValue(2025, Decimal("2.9"))], TIDIGT_START)
    assert result[2026].is_forecast is False
    assert result[2027].is_forecast is True
    assert result[2027].factor == Decimal("1.029") * Decimal("1.029")
    assert result[2027].missing_years == ()


def test_an_explicit_forecast_wins_over_the_fallback() -> None:
    values = [IndexValue(2025, Decimal("2.9")), IndexValue(2026, Decimal("2.0"), is_forecast=True)]
    result = indexed_amounts(TIDIGT_BASE, PKV, values, TIDIGT_START)
    assert result[2027].factor == Decimal("1.029") * Decimal("1.02")
    assert result[2027].is_forecast is True


def test_a_published_value_wins_over_a_forecast_for_the_same_year() -> None:
    values = [IndexValue(2025, Decimal("2.0"), is_forecast=True), IndexValue(2025, Decimal("2.9"))]
    assert resolve_value(values, 2025).percent == Decimal("2.9")
    assert resolve_value(values, 2025).is_forecast is False


def test_with_no_value_at_all_the_amount_is_a_forecast_with_the_missing_years_listed() -> None:
    result = indexed_amounts(TIDIGT_BASE, PKV, [], TIDIGT_START)
    assert result[2025].is_forecast is False
    assert (result[2026].factor, result[2026].is_forecast, result[2026].missing_years) == (Decimal(1), True, (2025,))
    assert result[2028].missing_years == (2025, 2026, 2027)
    assert result[2028].indexed == result[2028].base


def test_an_earlier_forecast_is_the_last_resort() -> None:
    resolved = resolve_value([IndexValue(2024, Decimal("1.5"), is_forecast=True)], 2026)
    assert (resolved.percent, resolved.is_forecast) == (Decimal("1.5"), True)


def test_values_are_only_taken_from_earlier_years() -> None:
    resolved = resolve_value([IndexValue(2027, Decimal("1.5"))], 2026)
    assert resolved.percent is None and resolved.is_forecast is True


# --- Rule ---------------------------------------------------------------------------------------------


def test_the_first_uplift_is_the_first_january_strictly_after_the_start() -> None:
    assert PKV.first_uplift(date(2025, 7, 1)) == 2026
    assert PKV.first_uplift(date(2025, 1, 1)) == 2026
    assert PKV.first_uplift(date(2024, 12, 1)) == 2025
    assert IndexRule("PKV", first_uplift_year=2027).first_uplift(date(2025, 7, 1)) == 2027


def test_an_explicit_first_uplift_year_delays_the_uplift() -> None:
    rule = IndexRule("PKV", first_uplift_year=2027)
    result = indexed_amounts(
        TIDIGT_BASE, rule, [IndexValue(2025, Decimal(3)), IndexValue(2026, Decimal(4))], TIDIGT_START
    )
    assert result[2026].factor == 1
    assert result[2027].factor == Decimal("1.04")


def test_reference_month_must_be_a_month() -> None:
    with pytest.raises(DomainError) as exc:
        IndexRule("PKV", reference_month=13)
    assert exc.value.code == "index.reference_month_out_of_range"


# --- Values -------------------------------------------------------------------------------------------


def test_a_float_percent_is_refused() -> None:
    with pytest.raises(TypeError):
        IndexValue(2025, 2.9)  # type: ignore[arg-type]


def test_a_float_base_is_refused() -> None:
    with pytest.raises(TypeError):
        indexed_amounts({2026: 4040000.0}, PKV, [], TIDIGT_START)  # type: ignore[dict-item]


def test_an_int_percent_becomes_a_decimal() -> None:
    assert IndexValue(2025, 3).percent == Decimal(3)


@pytest.mark.parametrize("percent", [Decimal(-100), Decimal(-250), Decimal(1000), Decimal("Infinity")])
def test_a_percent_out_of_range_is_refused_with_a_code(percent: Decimal) -> None:
    with pytest.raises(DomainError) as exc:
        IndexValue(2025, percent)
    assert exc.value.code == "index.percent_out_of_range"
    assert exc.value.params == {"min": MIN_PERCENT, "max": MAX_PERCENT}


def test_a_percent_with_too_many_decimals_is_refused_but_trailing_zeros_are_fine() -> None:
    with pytest.raises(DomainError) as exc:
        IndexValue(2025, Decimal("2.0000001"))
    assert exc.value.code == "index.percent_too_precise" and exc.value.params == {"decimals": MAX_PERCENT_DECIMALS}
    assert IndexValue(2025, Decimal("2.900000000000")).percent == Decimal("2.9")


def test_two_values_of_the_same_kind_for_one_year_are_refused() -> None:
    with pytest.raises(DomainError) as exc:
        indexed_amounts(TIDIGT_BASE, PKV, [IndexValue(2025, Decimal(1)), IndexValue(2025, Decimal(2))], TIDIGT_START)
    assert exc.value.code == "index.duplicate_value" and exc.value.params == {"year": 2025}


def test_the_factor_is_never_rounded() -> None:
    values = [IndexValue(year, Decimal("2.345")) for year in range(2025, 2045)]
    result = indexed_amounts(years_with(Decimal(1000), 2025, 21), PKV, values, date(2025, 1, 1))
    assert Fraction(result[2045].factor) == Fraction("1.02345") ** 20
    assert len(result[2045].factor.as_tuple().digits) > 28  # more than the default context's precision


# --- Properties ---------------------------------------------------------------------------------------


def exact_round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(money, st.lists(st.booleans(), min_size=8, max_size=8))
def test_all_zero_percents_give_the_base(base: Decimal, forecast_flags: list[bool]) -> None:
    values = [IndexValue(2025 + i, Decimal(0), is_forecast=flag) for i, flag in enumerate(forecast_flags)]
    for year, amount in indexed_amounts(years_with(base), PKV, values, date(2025, 3, 1)).items():
        assert amount.indexed == base and amount.factor == 1
        assert amount.is_forecast == any(forecast_flags[: year - 2025])


@given(money.filter(lambda m: m > 0), st.lists(positive_percents, min_size=8, max_size=8))
def test_compounding_is_monotone_for_positive_percents(base: Decimal, pcts: list[Decimal]) -> None:
    values = [IndexValue(2025 + i, pct) for i, pct in enumerate(pcts)]
    result = indexed_amounts(years_with(base), PKV, values, date(2025, 3, 1))
    factors = [result[year].factor for year in sorted(result)]
    amounts = [result[year].indexed for year in sorted(result)]
    assert factors[0] == 1 and all(a < b for a, b in pairwise(factors))
    assert all(a <= b for a, b in pairwise(amounts))


@given(money, st.lists(percents, min_size=8, max_size=8))
def test_indexed_money_is_the_exact_product_rounded_half_up(base: Decimal, pcts: list[Decimal]) -> None:
    values = [IndexValue(2025 + i, pct) for i, pct in enumerate(pcts)]
    result = indexed_amounts(years_with(base), PKV, values, date(2025, 3, 1))
    for year, amount in result.items():
        exact = Fraction(base)
        for pct in pcts[: year - 2025]:
            exact *= 1 + Fraction(pct) / 100
        assert Fraction(amount.factor) * Fraction(base) == exact
        assert amount.indexed == exact_round(exact)
        assert isinstance(amount.indexed, Decimal) and amount.indexed.as_tuple().exponent == -2
        assert not amount.is_forecast and amount.missing_years == ()


@given(money, st.lists(st.one_of(st.none(), percents), min_size=8, max_size=8))
def test_a_missing_value_makes_every_later_year_a_forecast(base: Decimal, maybe: list[Decimal | None]) -> None:
    values = [IndexValue(2025 + i, pct) for i, pct in enumerate(maybe) if pct is not None]
    result = indexed_amounts(years_with(base), PKV, values, date(2025, 3, 1))
    for year, amount in result.items():
        needed = range(2025, year)
        assert amount.is_forecast == any(maybe[y - 2025] is None for y in needed)
        published_before = [y for y in needed if maybe[y - 2025] is not None]
        expected_missing = tuple(
            y for y in needed if not any(p < y for p in published_before) and maybe[y - 2025] is None
        )
        assert amount.missing_years == expected_missing


# --- Bounds -------------------------------------------------------------------------------------------

bounded_percents = st.integers(min_value=-99_999_999, max_value=999_999_999).map(lambda n: Decimal(n).scaleb(-6))
years = st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR)


def test_a_long_indexed_period_is_exact_not_inexact() -> None:
    """The defect: some 170 years of 3-decimal percents overflowed a fixed precision with decimal.Inexact."""
    values = [IndexValue(year, Decimal("2.345")) for year in range(1901, 2200)]
    factor, is_forecast, missing = uplift_factor(2200, 1902, values)
    assert Fraction(factor) == Fraction("1.02345") ** 299
    assert not is_forecast and missing == ()
    assert apply_factor(Decimal(4040000), factor) == exact_round(Fraction(4040000) * Fraction("1.02345") ** 299)
    with pytest.raises(DomainError) as exc:
        apply_factor(Decimal(10**9), factor)  # a billion kronor × 1.02345^299 (about 1 035) is beyond the bound
    assert exc.value.code == "money.out_of_range" and exc.value.params == {"max": MAX_AMOUNT}


@given(years, years, st.lists(st.tuples(years, bounded_percents), max_size=40), money)
def test_any_bounded_values_give_an_exact_amount_or_a_clear_error(
    first: int, year: int, pairs: list[tuple[int, Decimal]], base: Decimal
) -> None:
    """Within the bounds every uplift is exact; the only refusal is an amount beyond MAX_AMOUNT."""
    values = [IndexValue(y, pct) for y, pct in dict(pairs).items()]
    factor, _forecast, _missing = uplift_factor(year, first, values)
    exact = Fraction(1)
    for uplift_year in range(first, year + 1):
        resolved = resolve_value(values, uplift_year - 1)
        if resolved.percent is not None:
            exact *= 1 + Fraction(resolved.percent) / 100
    assert Fraction(factor) == exact
    try:
        amount = apply_factor(base, factor)
    except DomainError as exc:
        assert exc.code == "money.out_of_range"
        assert Fraction(base) * exact > Fraction(MAX_AMOUNT)
    else:
        assert amount == exact_round(Fraction(base) * exact)


@given(st.integers(min_value=-(10**4), max_value=10**4), st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR))
def test_years_outside_the_range_are_a_clear_error(year: int, other: int) -> None:
    inside = MIN_YEAR <= year <= MAX_YEAR
    for call in (
        lambda: IndexValue(year, Decimal(1)),
        lambda: uplift_factor(year, other, []),
        lambda: uplift_factor(other, year, []),
        lambda: IndexRule("PKV", first_uplift_year=year),
    ):
        try:
            call()
        except DomainError as exc:
            assert not inside and exc.code == "period.year_out_of_range" and exc.params["year"] == year
        else:
            assert inside


# Which agreements a new or changed value can reach (the bulk recalculation recalculates only those) ------


def test_a_value_applies_from_the_january_after_it() -> None:
    assert indexation.first_year_affected(2025) == 2026
    rule = IndexRule("PKV")
    # Money until December 2025: the October 2025 value is applied from January 2026, so it is not reached.
    assert not indexation.reaches(rule, date(2024, 1, 1), 2025, indexation.first_year_affected(2025))
    assert indexation.reaches(rule, date(2024, 1, 1), 2026, indexation.first_year_affected(2025))
    # A start in 2026 is first uplifted in January 2027 (with the October 2026 value, or the 2025 one before
    # that is published): reached by the 2025 value, but an agreement of 2026 alone never is.
    assert indexation.reaches(rule, date(2026, 3, 1), 2027, indexation.first_year_affected(2025))
    assert not indexation.reaches(rule, date(2026, 1, 1), 2026, indexation.first_year_affected(2025))


index_years = st.integers(min_value=2018, max_value=2032)


@given(
    start=st.dates(min_value=date(2018, 1, 1), max_value=date(2031, 12, 31)),
    months=st.integers(min_value=1, max_value=96),
    others=st.dictionaries(index_years, st.tuples(positive_percents, st.booleans()), max_size=6),
    year=index_years,
    percent=positive_percents,
    forecast=st.booleans(),
)
def test_an_agreement_the_value_does_not_reach_keeps_its_amounts(start, months, others, year, percent, forecast):
    """The bulk recalculation's rule is sound: where ``reaches`` says no, adding (or changing) the value for
    ``year`` changes no year's uplifted amount, forecast flag or missing years."""
    period = Period(start, add_months(start, months))
    base = amounts_by_year(period, annual_amount=Decimal(1200000))
    before = [IndexValue(y, p, f) for y, (p, f) in others.items() if y != year]
    after = [*before, IndexValue(year, percent, forecast)]
    rule = IndexRule("PKV")
    if indexation.reaches(rule, start, period.last_covered_day.year, indexation.first_year_affected(year)):
        return
    assert indexed_amounts(base, rule, after, start) == indexed_amounts(base, rule, before, start)
