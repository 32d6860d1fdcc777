# SPDX-License-Identifier: EUPL-1.2
"""Periods and pro rata by whole months: the seeds' agreements and Hypothesis properties."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.money import round_ore
from domain.periods import (
    MAX_MONEY_YEARS,
    MAX_YEAR,
    MIN_YEAR,
    Period,
    PeriodError,
    add_months,
    amounts_by_year,
    check_money_period,
    check_year,
    month_end,
    months_by_year,
    months_covered,
    total_months,
)

TIDIGT = Period(date(2025, 7, 1), date(2028, 7, 1))
SKYDDSVARNET = Period(date(2025, 2, 1), date(2025, 12, 31))
RENINGSBORG = Period(date(2024, 12, 1), date(2025, 12, 31))

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
money = st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def periods(draw: st.DrawFn, max_days: int = 3700) -> Period:
    start = draw(dates)
    return Period(start, start + timedelta(days=draw(st.integers(0, max_days))))


@st.composite
def month_aligned_periods(draw: st.DrawFn) -> tuple[Period, int]:
    """A period from the 1st of a month, ending on a 1st ("till 1 juli") or a month end, and its months."""
    start = draw(dates).replace(day=1)
    months = draw(st.integers(1, 120))
    if draw(st.booleans()):
        end = add_months(start, months)
    else:
        end = month_end(add_months(start, months - 1))
    return Period(start, end), months


# --- The seeds ----------------------------------------------------------------------------------------


def test_tidigt_foraldrastod_till_1_juli_is_36_months() -> None:
    assert months_by_year(TIDIGT) == {2025: 6, 2026: 12, 2027: 12, 2028: 6}
    assert total_months(TIDIGT) == 36
    assert TIDIGT.last_covered_day == date(2028, 6, 30)


def test_tidigt_foraldrastod_amounts_per_year() -> None:
    assert amounts_by_year(TIDIGT, annual_amount=Decimal(4040000)) == {
        2025: Decimal("2020000.00"),
        2026: Decimal("4040000.00"),
        2027: Decimal("4040000.00"),
        2028: Decimal("2020000.00"),
    }


def test_skyddsvarnet_fixed_total_in_one_year() -> None:
    assert months_by_year(SKYDDSVARNET) == {2025: 11}
    assert amounts_by_year(SKYDDSVARNET, total_amount=Decimal(1275750)) == {2025: Decimal("1275750.00")}


def test_reningsborg_fixed_total_over_two_years() -> None:
    assert months_by_year(RENINGSBORG) == {2024: 1, 2025: 12}
    parts = amounts_by_year(RENINGSBORG, total_amount=Decimal(800000))
    assert parts == {2024: Decimal("61538.46"), 2025: Decimal("738461.54")}
    assert sum(parts.values()) == Decimal("800000.00")


# --- Period -------------------------------------------------------------------------------------------


def test_end_before_start_is_refused_with_a_code_and_the_dates() -> None:
    with pytest.raises(PeriodError) as exc:
        Period(date(2025, 7, 1), date(2025, 6, 30))
    assert exc.value.code == "period.end_before_start"
    assert exc.value.params == {"start": date(2025, 7, 1), "end": date(2025, 6, 30)}


def test_period_error_is_a_domain_error_and_a_value_error() -> None:
    assert issubclass(PeriodError, DomainError) and issubclass(PeriodError, ValueError)


def test_negative_amount_has_a_code() -> None:
    with pytest.raises(PeriodError) as exc:
        amounts_by_year(TIDIGT, annual_amount=Decimal(-1))
    assert exc.value.code == "period.negative_amount"


def test_datetimes_and_strings_are_refused() -> None:
    with pytest.raises(TypeError):
        Period(datetime(2025, 1, 1), date(2025, 2, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Period("2025-01-01", date(2025, 2, 1))  # type: ignore[arg-type]


def test_a_single_day_is_a_period() -> None:
    day = Period(date(2025, 7, 1), date(2025, 7, 1))
    assert day.days == 1
    assert day.last_covered_day == date(2025, 7, 1)
    assert total_months(day) == 0


def test_contains_overlaps_years_active() -> None:
    assert TIDIGT.contains(date(2025, 7, 1)) and TIDIGT.contains(date(2028, 7, 1))
    assert not TIDIGT.contains(date(2025, 6, 30))
    assert TIDIGT.overlaps(RENINGSBORG) and not RENINGSBORG.overlaps(Period(date(2026, 1, 1), date(2026, 1, 2)))
    assert TIDIGT.years() == (2025, 2026, 2027, 2028)
    assert TIDIGT.active_in_year(2028) and not TIDIGT.active_in_year(2029) and not TIDIGT.active_in_year(2024)


def test_extended_by_keeps_the_day_or_the_month_end() -> None:
    assert TIDIGT.extended_by(12) == Period(date(2025, 7, 1), date(2029, 7, 1))
    assert SKYDDSVARNET.extended_by(2) == Period(date(2025, 2, 1), date(2026, 2, 28))
    assert Period(date(2025, 1, 1), date(2025, 2, 28)).extended_by(1).end == date(2025, 3, 31)
    assert Period(date(2025, 1, 1), date(2025, 1, 30)).extended_by(1).end == date(2025, 2, 28)
    assert Period(date(2024, 1, 1), date(2024, 1, 29)).extended_by(1).end == date(2024, 2, 29)


def test_extended_by_a_negative_number_shortens_but_not_before_start() -> None:
    assert TIDIGT.extended_by(-12) == Period(date(2025, 7, 1), date(2027, 7, 1))
    with pytest.raises(PeriodError):
        SKYDDSVARNET.extended_by(-11)


# --- Mid-month rule -----------------------------------------------------------------------------------


def test_a_month_counts_when_at_least_half_is_covered() -> None:
    assert months_by_year(Period(date(2025, 3, 17), date(2025, 6, 16))) == {2025: 3}
    assert [m.month for m in months_covered(Period(date(2025, 3, 17), date(2025, 6, 16)))] == [4, 5, 6]
    assert months_by_year(Period(date(2025, 3, 16), date(2025, 6, 15))) == {2025: 4}
    assert total_months(Period(date(2025, 2, 15), date(2025, 2, 28))) == 1  # 14 of 28 days
    assert total_months(Period(date(2025, 2, 16), date(2025, 2, 28))) == 0


def test_years_without_a_counted_month_are_present_with_zero() -> None:
    period = Period(date(2025, 12, 25), date(2026, 6, 30))
    assert months_by_year(period) == {2025: 0, 2026: 6}
    assert amounts_by_year(period, annual_amount=Decimal(1200)) == {2025: Decimal("0.00"), 2026: Decimal("600.00")}


def test_an_end_on_the_first_adds_no_year() -> None:
    assert months_by_year(Period(date(2025, 1, 1), date(2026, 1, 1))) == {2025: 12}


def test_a_period_too_short_for_a_month_splits_a_total_by_days() -> None:
    period = Period(date(2025, 12, 25), date(2026, 1, 4))  # 7 days in 2025, 4 in 2026
    assert total_months(period) == 0
    assert amounts_by_year(period, total_amount=Decimal(1100)) == {2025: Decimal("700.00"), 2026: Decimal("400.00")}
    assert amounts_by_year(period, annual_amount=Decimal(1100)) == {2025: Decimal("0.00"), 2026: Decimal("0.00")}


# --- amounts_by_year arguments ------------------------------------------------------------------------


def test_exactly_one_amount_must_be_given() -> None:
    with pytest.raises(ValueError):
        amounts_by_year(TIDIGT)
    with pytest.raises(ValueError):
        amounts_by_year(TIDIGT, annual_amount=Decimal(1), total_amount=Decimal(1))


@pytest.mark.parametrize("keyword", ["annual_amount", "total_amount"])
def test_floats_are_refused(keyword: str) -> None:
    with pytest.raises(TypeError):
        amounts_by_year(TIDIGT, **{keyword: 4040000.0})


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(PeriodError):
        amounts_by_year(TIDIGT, total_amount=Decimal(-1))


# --- Properties ---------------------------------------------------------------------------------------


@given(periods())
def test_months_by_year_sums_to_the_total_months(period: Period) -> None:
    by_year = months_by_year(period)
    assert sum(by_year.values()) == total_months(period)
    assert all(0 <= count <= 12 for count in by_year.values())
    assert list(by_year) == list(range(period.start.year, period.last_covered_day.year + 1))


@given(month_aligned_periods())
def test_month_aligned_periods_count_their_calendar_months(case: tuple[Period, int]) -> None:
    period, months = case
    assert total_months(period) == months


@given(month_aligned_periods(), st.integers(1, 24))
def test_an_extension_adds_its_months(case: tuple[Period, int], extra: int) -> None:
    period, months = case
    assert total_months(period.extended_by(extra)) == months + extra


@given(periods(), money)
def test_a_fixed_total_is_kept_to_the_ore(period: Period, total: Decimal) -> None:
    parts = amounts_by_year(period, total_amount=total)
    assert sum(parts.values()) == total
    assert all(isinstance(p, Decimal) and p.as_tuple().exponent == -2 and p >= 0 for p in parts.values())
    months = months_by_year(period)
    if sum(months.values()):
        for year, part in parts.items():
            assert abs(part - total * months[year] / sum(months.values())) < Decimal("0.01")


@given(periods(), money)
def test_annual_parts_sum_to_annual_times_months_over_twelve(period: Period, annual: Decimal) -> None:
    parts = amounts_by_year(period, annual_amount=annual)
    months = months_by_year(period)
    assert sum(parts.values()) == round_ore(annual * total_months(period) / 12)
    assert all(isinstance(p, Decimal) and p.as_tuple().exponent == -2 for p in parts.values())
    for year, part in parts.items():
        if months[year] == 12:
            assert part == annual
        assert abs(part - annual * months[year] / 12) <= Decimal("0.01")


@given(dates, dates)
def test_a_period_exists_exactly_when_end_is_not_before_start(first: date, second: date) -> None:
    if second < first:
        with pytest.raises(PeriodError):
            Period(first, second)
    else:
        assert Period(first, second).days == (second - first).days + 1


@given(periods(), dates)
def test_contains_agrees_with_overlapping_a_single_day(period: Period, day: date) -> None:
    assert period.contains(day) == period.overlaps(Period(day, day))


@given(periods(), st.integers(2000, 2071))
def test_active_in_year_agrees_with_years(period: Period, year: int) -> None:
    assert period.active_in_year(year) == (year in period.years())


# --- Bounds -------------------------------------------------------------------------------------------

any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
in_range = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))


@given(any_date, any_date)
def test_a_period_outside_the_year_range_is_a_clear_error(first: date, second: date) -> None:
    """Any two dates give a period or a DomainError with a code: never an arithmetic exception."""
    start, end = min(first, second), max(first, second)
    try:
        period = Period(start, end)
    except PeriodError as exc:
        assert exc.code == "period.year_out_of_range"
        assert exc.params["min_year"] == MIN_YEAR and exc.params["max_year"] == MAX_YEAR
        assert not (start.year >= MIN_YEAR and end.year <= MAX_YEAR)
    else:
        assert period.start.year >= MIN_YEAR and period.end.year <= MAX_YEAR


@given(in_range, st.integers(min_value=-(12 * 400), max_value=12 * 400))
def test_moving_a_date_by_months_stays_in_range_or_says_so(day: date, months: int) -> None:
    try:
        moved = add_months(day, months)
    except PeriodError as exc:
        assert exc.code == "period.year_out_of_range"
        assert not MIN_YEAR <= exc.params["year"] <= MAX_YEAR
    else:
        assert MIN_YEAR <= moved.year <= MAX_YEAR


@given(in_range, st.integers(min_value=0, max_value=200 * 366), money)
def test_money_of_a_period_is_computed_or_refused_as_too_long(start: date, days: int, annual: Decimal) -> None:
    """Any period in range: amounts per year when the money spans at most MAX_MONEY_YEARS, else period.too_long."""
    end = start + timedelta(days=days)
    if end.year > MAX_YEAR:
        return
    period = Period(start, end)
    last = period.last_covered_day
    # The money may run up to (not including) the same calendar day MAX_MONEY_YEARS later.
    within = (last.year, last.month, last.day) < (start.year + MAX_MONEY_YEARS, start.month, start.day)
    try:
        parts = amounts_by_year(period, annual_amount=annual)
    except PeriodError as exc:
        assert exc.code == "period.too_long"
        assert exc.params == {"start": start, "end": end, "max_years": MAX_MONEY_YEARS}
        assert not within
    else:
        assert within
        assert sum(parts.values()) == round_ore(annual * total_months(period) / 12)


def test_fifty_years_is_the_longest_money_period() -> None:
    assert check_money_period(Period(date(2025, 7, 1), date(2075, 7, 1)))  # through 2075-06-30: 50 years
    assert check_money_period(Period(date(2025, 1, 1), date(2074, 12, 31)))
    for end in (date(2075, 7, 2), date(2076, 1, 1), date(2200, 12, 31)):
        with pytest.raises(PeriodError) as exc:
            amounts_by_year(Period(date(2025, 7, 1), end), total_amount=Decimal(1000))
        assert exc.value.code == "period.too_long" and exc.value.params["max_years"] == 50


def test_a_leap_day_start_counts_fifty_years_to_the_end_of_february() -> None:
    assert check_money_period(Period(date(2024, 2, 29), date(2074, 3, 1)))  # "till 1 mars": through 28 Feb
    with pytest.raises(PeriodError):
        check_money_period(Period(date(2024, 2, 29), date(2074, 3, 2)))


@pytest.mark.parametrize("year", [MIN_YEAR - 1, MAX_YEAR + 1, 0, 9999])
def test_years_outside_the_range_are_refused(year: int) -> None:
    with pytest.raises(PeriodError) as exc:
        check_year(year)
    assert exc.value.code == "period.year_out_of_range" and exc.value.params["year"] == year
