# SPDX-License-Identifier: EUPL-1.2
"""Organisation numbers: Luhn check digit, formats, kinds, and the seeds' numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.orgnr import OrgnrError, OrgnrKind, check_digit, is_valid, kind_of, normalize

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_nine_digits_and_their_check_digit_are_valid(first_nine: str) -> None:
    number = first_nine + check_digit(first_nine)
    expected = f"{number[:6]}-{number[6:]}"
    assert normalize(number) == expected
    assert normalize(expected) == expected
    assert normalize(f"  {expected} ") == expected
    assert is_valid(number)


@given(nine_digits, st.integers(min_value=1, max_value=9))
def test_every_other_check_digit_is_rejected(first_nine: str, shift: int) -> None:
    wrong = str((int(check_digit(first_nine)) + shift) % 10)
    with pytest.raises(OrgnrError) as error:
        normalize(first_nine + wrong)
    assert error.value.code == "orgnr.checksum" and error.value.reason == "checksum"
    assert not is_valid(first_nine + wrong)


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("212000-1355", OrgnrKind.PUBLIC_BODY),  # Göteborgs Stad
        ("857201-5728", OrgnrKind.NON_PROFIT),
        ("802473-9412", OrgnrKind.NON_PROFIT),  # Föreningen Tidigt föräldrastöd
    ],
)
def test_the_seeds_numbers_are_valid(number: str, kind: OrgnrKind) -> None:
    assert normalize(number) == number
    assert normalize(number.replace("-", "")) == number
    assert kind_of(number) == kind


@given(nine_digits)
def test_kind_follows_the_first_digit(first_nine: str) -> None:
    expected = {
        "2": OrgnrKind.PUBLIC_BODY,
        "5": OrgnrKind.COMPANY,
        "7": OrgnrKind.ECONOMIC_ASSOCIATION,
        "8": OrgnrKind.NON_PROFIT,
        "9": OrgnrKind.PARTNERSHIP,
    }.get(first_nine[0], OrgnrKind.OTHER)
    assert kind_of(first_nine + check_digit(first_nine)) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "format"),
        ("abc", "format"),
        ("2120-001355", "format"),
        ("212000 1355", "format"),
        ("212000--1355", "format"),
        ("12345", "length"),
        ("212000-13555", "length"),
        ("21200013", "length"),
        ("212000-1356", "checksum"),
    ],
)
def test_bad_numbers_raise_with_a_code(value: str, code: str) -> None:
    with pytest.raises(OrgnrError) as error:
        normalize(value)
    assert error.value.code == f"orgnr.{code}" and error.value.reason == code
    assert isinstance(error.value, DomainError) and isinstance(error.value, ValueError)
    assert error.value.params == {}  # the words are chosen at the edge, and never echo the number


@given(st.text(max_size=20))
def test_normalize_either_formats_or_raises_orgnr_error(value: str) -> None:
    try:
        result = normalize(value)
    except OrgnrError as error:
        assert error.code in {"orgnr.format", "orgnr.length", "orgnr.checksum"}
    else:
        assert len(result) == 11 and result[6] == "-" and is_valid(result)


@pytest.mark.parametrize("bad", ["12345678", "1234567890", "abcdefghi"])
def test_check_digit_needs_nine_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)
