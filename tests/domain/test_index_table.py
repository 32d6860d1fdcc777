# SPDX-License-Identifier: EUPL-1.2
"""Reading a table of index values: years down or across, comma or point, headings and notes around."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.index_table import Cell, TableValue, month_of, parse_index_table, percent_of, year_of

D = Decimal

years = st.integers(min_value=1980, max_value=2100)
percents = st.decimals(min_value=D("-9.999"), max_value=D("99.999"), places=3, allow_nan=False, allow_infinity=False)
tables = st.dictionaries(years, percents, min_size=1, max_size=12)
notes = st.sampled_from(["", "Källa: SKR, cirkulär 25:12", "* Prognos", "Procentuell förändring", "Not: preliminärt"])


def written(percent: Decimal, style: str) -> Cell:
    """A percentage as a person or a spreadsheet writes it."""
    text = format(percent, "f")
    if style == "comma":
        return text.replace(".", ",")
    if style == "comma_percent":
        return text.replace(".", ",") + "\u00a0%"
    if style == "point_percent":
        return text + " %"
    if style == "float":
        return float(text)
    return text


styles = st.sampled_from(["comma", "comma_percent", "point", "point_percent", "float"])


def expected(values: dict[int, Decimal]) -> list[tuple[int, Decimal]]:
    return sorted(values.items())


def pairs(result: list[TableValue]) -> list[tuple[int, Decimal]]:
    return [(value.year, value.percent) for value in result]


@given(tables, styles, st.lists(notes, max_size=3), st.lists(notes, max_size=3), st.randoms())
def test_years_down_a_column_in_any_order_with_headings_and_notes(values, style, above, below, random):
    items = list(values.items())
    random.shuffle(items)
    rows: list[list[Cell]] = [[note] for note in above]
    rows.append(["År", "PKV"])
    rows += [[str(year), written(percent, style)] for year, percent in items]
    rows += [[note, ""] for note in below]
    assert pairs(parse_index_table(rows)) == expected(values)


@given(tables, styles, st.lists(notes, max_size=3), st.integers(min_value=0, max_value=3), st.randoms())
def test_years_across_a_row_in_any_order_with_a_label_column(values, style, above, indent, random):
    items = list(values.items())
    random.shuffle(items)
    pad: list[Cell] = [""] * indent
    rows: list[list[Cell]] = [[note] for note in above]
    rows.append([*pad, "", *[year for year, _percent in items]])  # years as numbers, as a spreadsheet gives them
    rows.append([*pad, "PKV (%)", *[written(percent, style) for _year, percent in items]])
    assert pairs(parse_index_table(rows)) == expected(values)


@given(tables, styles)
def test_the_same_table_either_way_round_reads_the_same(values, style):
    down: list[list[Cell]] = [[year, written(p, style)] for year, p in values.items()]
    across = [list(column) for column in zip(*down, strict=True)]
    assert parse_index_table(down) == parse_index_table(across)


@given(st.floats(min_value=-99, max_value=999, allow_nan=False))
def test_a_float_cell_is_read_as_the_spreadsheet_shows_it_never_by_float_arithmetic(number):
    value = percent_of(number)
    assert value is not None
    assert value == Decimal(format(number, ".15g"))
    assert len(value.as_tuple().digits) <= 15


def test_float_noise_from_a_spreadsheet_formula_is_the_shown_value():
    assert percent_of(2.9000000000000004) == D("2.9")
    assert percent_of(0.1 + 0.2) == D("0.3")


@pytest.mark.parametrize(
    ("cell", "percent"),
    [("2,5", D("2.5")), ("2.5", D("2.5")), ("2,5 %", D("2.5")), ("2,5%", D("2.5")), ("−0,4", D("-0.4")),
     ("+1,0", D("1.0")), (",5", D("0.5")), (3, D(3)), ("abc", None), ("2,5,1", None), ("", None), (True, None)],
)  # fmt: skip
def test_percent_cells(cell, percent):
    assert percent_of(cell) == percent


@pytest.mark.parametrize(
    ("cell", "year"),
    [("2025", 2025), (2025, 2025), (2025.0, 2025), ("2026*", 2026), ("År 2024", 2024), ("1899", None),
     (2025.5, None), ("25", None), (True, None)],
)  # fmt: skip
def test_year_cells(cell, year):
    assert year_of(cell) == year


def test_a_year_is_never_taken_for_a_percentage():
    assert percent_of("2025") is None


@pytest.mark.parametrize(
    ("cell", "month"),
    [("oktober", 10), ("Okt", 10), ("Oct.", 10), ("October", 10), ("Referensmånad: oktober", 10),
     ("Månad: 10", 10), ("10", None), ("mars", 3), ("maj", 5), ("Prognos för oktober", None)],
)  # fmt: skip
def test_month_cells(cell, month):
    assert month_of(cell) == month


def test_skr_style_table_several_rows_the_one_named_by_the_series_is_taken():
    rows: list[list[Cell]] = [
        ["Prisindex för kommunal verksamhet, procentuell förändring"],
        ["", 2023, 2024, 2025, "2026*"],
        ["Arbetskraftskostnader", "4,3", "4,1", "3,5", "3,3"],
        ["Förbrukning", "8,9", "1,5", "1,6", "1,9"],
        ["Prisindex (PKV)", "5,9", "3,3", "2,9", "2,8"],
        ["* Prognos. Källa: SKR"],
    ]
    result = parse_index_table(rows, label="PKV")
    assert pairs(result) == [(2023, D("5.9")), (2024, D("3.3")), (2025, D("2.9")), (2026, D("2.8"))]
    with pytest.raises(DomainError) as exc:
        parse_index_table(rows)
    assert exc.value.code == "index_table.ambiguous" and exc.value.params == {"count": 3}


def test_a_month_column_gives_each_value_its_month():
    rows: list[list[Cell]] = [["År", "Månad", "Förändring"], ["2024", "oktober", "2,9"], ["2025", "Okt", "2,5"]]
    assert parse_index_table(rows) == [TableValue(2024, D("2.9"), 10), TableValue(2025, D("2.5"), 10)]


def test_a_numeric_month_column_is_headed_so():
    rows: list[list[Cell]] = [["År", "Månad", "PKV"], [2024, 10, "2,9"], [2025, 10, "2,5"]]
    assert parse_index_table(rows) == [TableValue(2024, D("2.9"), 10), TableValue(2025, D("2.5"), 10)]


def test_a_reference_month_header_applies_to_every_value():
    rows: list[list[Cell]] = [["Referensmånad: oktober"], ["2024", "2,9"], ["2025", "2,5"]]
    assert {value.month for value in parse_index_table(rows)} == {10}
    rows = [["År", "PKV oktober"], ["2024", "2,9"]]
    assert parse_index_table(rows)[0].month == 10


def test_months_across_the_reference_month_column_is_taken():
    rows: list[list[Cell]] = [["År", "Januari", "Oktober"], ["2024", "1,0", "2,9"], ["2025", "1,2", "2,5"]]
    assert parse_index_table(rows, month=10) == [TableValue(2024, D("2.9"), 10), TableValue(2025, D("2.5"), 10)]


def test_years_without_a_value_yet_are_left_out():
    rows: list[list[Cell]] = [["2024", "2,9"], ["2025", ""], ["2026", "–"], ["2027", None]]
    assert pairs(parse_index_table(rows)) == [(2024, D("2.9"))]


@pytest.mark.parametrize(
    ("rows", "code", "params"),
    [
        ([], "index_table.no_years", {}),
        ([["PKV", "2,9"], ["Källa", "SKR"]], "index_table.no_years", {}),
        ([["2024", "två"], ["2025", "tre"]], "index_table.no_values", {}),
        ([["2024", "2,9"], ["2024", "3,0"]], "index_table.duplicate_year", {"year": 2024}),
        ([["2024", "2,9"], ["2025", "2,9x"]], "index_table.not_a_percent", {"year": 2025, "text": "2,9x"}),
        ([["2024", "2,9", "1,0"], ["2025", "2,5", "1,1"]], "index_table.ambiguous", {"count": 2}),
    ],
)
def test_what_is_wrong_is_named(rows, code, params):
    with pytest.raises(DomainError) as exc:
        parse_index_table(rows)
    assert exc.value.code == code
    assert dict(exc.value.params) == params
