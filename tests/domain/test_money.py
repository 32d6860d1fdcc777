# SPDX-License-Identifier: EUPL-1.2
"""Money: exact splits, Swedish formatting and parsing, and floats refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.money import (
    MAX_AMOUNT,
    ORE,
    check_amount,
    format_sek,
    parse_sek,
    round_krona,
    round_ore,
    split_by_weights,
    to_money,
)

money = st.integers(min_value=0, max_value=10**13).map(lambda n: Decimal(n).scaleb(-2))
weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20).filter(any)


@given(money, weights)
def test_split_by_weights_sums_exactly(total: Decimal, parts_weights: list[int]) -> None:
    parts = split_by_weights(total, parts_weights)
    assert sum(parts) == total
    assert len(parts) == len(parts_weights)
    assert all(p.as_tuple().exponent == -2 for p in parts)


@given(money, weights)
def test_every_part_is_within_one_ore_of_its_share(total: Decimal, parts_weights: list[int]) -> None:
    parts = split_by_weights(total, parts_weights)
    weight_sum = sum(parts_weights)
    for part, weight in zip(parts, parts_weights, strict=True):
        assert abs(part - total * weight / weight_sum) < ORE
        if weight == 0:
            assert part == 0


@given(money, st.integers(min_value=1, max_value=1000))
def test_equal_weights_differ_by_at_most_one_ore(total: Decimal, count: int) -> None:
    parts = split_by_weights(total, [1] * count)
    assert max(parts) - min(parts) <= ORE


@given(st.integers(min_value=0, max_value=10**12).map(Decimal), weights)
def test_split_in_whole_kronor(total: Decimal, parts_weights: list[int]) -> None:
    parts = split_by_weights(total, parts_weights, unit=Decimal(1))
    assert sum(parts) == total and all(p == p.to_integral_value() for p in parts)


@pytest.mark.parametrize("bad", [[], [0, 0], [1, -1]])
def test_split_by_weights_refuses_impossible_weights(bad: list[int]) -> None:
    with pytest.raises(ValueError):
        split_by_weights(Decimal(100), bad)


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_format_and_parse_round_trip_whole_kronor(kronor: int) -> None:
    text = format_sek(Decimal(kronor))
    assert text.endswith("\u00a0kr") and "," not in text
    assert parse_sek(text) == Decimal(kronor)


@given(money)
def test_format_and_parse_round_trip_with_ore(amount: Decimal) -> None:
    assert parse_sek(format_sek(amount, decimals=True)) == amount


def test_format_sek_swedish_style() -> None:
    assert format_sek(Decimal(1234567)) == "1\u00a0234\u00a0567\u00a0kr"
    assert format_sek(Decimal("1234.5")) == "1\u00a0234,50\u00a0kr"
    assert format_sek(Decimal(800000), decimals=True) == "800\u00a0000,00\u00a0kr"
    assert format_sek(Decimal(-5)) == "\u22125\u00a0kr"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("800 tkr", Decimal("800000.00")),
        ("Ca 300 tkr", Decimal("300000.00")),
        ("8 mnkr", Decimal("8000000.00")),
        ("1 275 750 kronor", Decimal("1275750.00")),
        ("4 040 000", Decimal("4040000.00")),
        ("4 040 000 kr", Decimal("4040000.00")),
        ("78 750", Decimal("78750.00")),
        ("1,5 mnkr", Decimal("1500000.00")),
    ],
)
def test_parse_sek_reads_the_seeds_amounts(text: str, expected: Decimal) -> None:
    assert parse_sek(text) == expected


@pytest.mark.parametrize("text", ["", "kr", "fyra miljoner", "800 apor", "12 34 56"])
def test_parse_sek_refuses_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_sek(text)
    assert exc.value.code == "money.not_an_amount"
    assert isinstance(exc.value, ValueError)


# --- Bounds -------------------------------------------------------------------------------------------

huge = st.one_of(
    st.integers(min_value=10**12, max_value=10**400).map(Decimal),
    st.integers(min_value=1, max_value=10**6).map(lambda n: Decimal(n).scaleb(30)),
    st.integers(min_value=10**14, max_value=10**40).map(lambda n: -Decimal(n).scaleb(-2)),
)


@given(huge)
def test_an_amount_beyond_the_bound_is_a_clear_error_never_an_arithmetic_one(amount: Decimal) -> None:
    """Beyond what the database stores, every conversion says so with one code: no InvalidOperation."""
    for convert in (to_money, lambda a: to_money(str(a)), check_amount):
        with pytest.raises(DomainError) as exc:
            convert(amount)
        assert exc.value.code == "money.out_of_range"
        assert exc.value.params == {"max": MAX_AMOUNT}


@given(st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1).map(lambda n: Decimal(n).scaleb(-2)))
def test_every_amount_within_the_bound_is_money(amount: Decimal) -> None:
    assert to_money(amount) == amount and check_amount(amount) == amount


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-inf", "1e", "tusen"])
def test_text_that_is_no_finite_number_is_not_an_amount(text: str) -> None:
    with pytest.raises(DomainError) as exc:
        to_money(text)
    assert exc.value.code == "money.not_an_amount"


def test_parse_sek_of_an_amount_beyond_the_bound_is_out_of_range() -> None:
    with pytest.raises(DomainError) as exc:
        parse_sek("5 000 mdkr")
    assert exc.value.code == "money.out_of_range"


@pytest.mark.parametrize(
    "call",
    [
        lambda: to_money(1.5),
        lambda: round_ore(1.5),
        lambda: round_krona(1.5),
        lambda: format_sek(1.5),
        lambda: split_by_weights(1.5, [1]),
        lambda: to_money(True),
    ],
)
def test_floats_are_refused(call: object) -> None:
    with pytest.raises(TypeError):
        call()  # type: ignore[operator]


@given(st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1))
def test_to_money_has_two_decimals(kronor: int) -> None:
    assert to_money(kronor).as_tuple().exponent == -2
    assert to_money(str(kronor)) == to_money(Decimal(kronor))


def test_rounding_is_half_up() -> None:
    assert round_ore(Decimal("0.005")) == Decimal("0.01")
    assert round_ore(Decimal("2.675")) == Decimal("2.68")
    assert round_krona(Decimal("2.5")) == Decimal(3)
    assert to_money("-0.005") == Decimal("-0.01")
