# SPDX-License-Identifier: EUPL-1.2
"""safe_cell: text a spreadsheet would read as a formula gets a leading quote; everything else is untouched."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from apps.core.spreadsheets import FORMULA_TRIGGERS, SafeCsvWriter, append_row, new_workbook, safe_cell

HOSTILE = ['=HYPERLINK("http://x","klick")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1+1"]


@given(st.text())
def test_safe_cell_never_starts_a_formula_and_only_ever_adds_one_quote(text: str) -> None:
    result = safe_cell(text)
    assert isinstance(result, str)
    if text.startswith(FORMULA_TRIGGERS):
        assert result == "'" + text
    else:
        assert result == text
    assert not result.startswith(FORMULA_TRIGGERS)


@given(st.one_of(st.integers(), st.decimals(allow_nan=False), st.dates(), st.none(), st.booleans()))
def test_safe_cell_leaves_numbers_and_dates_alone(value: object) -> None:
    assert safe_cell(value) is value


def test_negative_numbers_stay_numbers_but_negative_looking_text_is_quoted() -> None:
    assert safe_cell(Decimal("-1500")) == Decimal("-1500")
    assert safe_cell(-3) == -3
    assert safe_cell("-3") == "'-3"
    assert safe_cell("Kulturtolkar - del 1") == "Kulturtolkar - del 1"
    assert safe_cell("") == ""


def test_csv_writer_quotes_every_hostile_cell() -> None:
    out = io.StringIO()
    SafeCsvWriter(out).writerows([[text, 5, dt.date(2025, 1, 1)] for text in HOSTILE])
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert [row[0] for row in rows] == ["'" + text for text in HOSTILE]
    assert all(row[1] == "5" and row[2] == "2025-01-01" for row in rows)


def test_workbook_rows_carry_no_formula_and_keep_numbers() -> None:
    workbook, sheet = new_workbook("Test")
    for text in HOSTILE:
        append_row(sheet, [text, Decimal("-2"), dt.date(2025, 1, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    for row in load_workbook(buffer).active.iter_rows():
        text, number, date = row
        assert text.data_type == "s" and text.value.startswith("'")
        assert number.data_type == "n" and number.value == -2
        assert date.value == dt.datetime(2025, 1, 1)
