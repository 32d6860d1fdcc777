# SPDX-License-Identifier: EUPL-1.2
"""Reading a table of index values, as copied from a publication such as SKR's PKV, into years → percents.
May import: the standard library and other domain modules; never Django or an app.

The input is a sheet: a list of rows of cell values as a CSV reader or a spreadsheet reader gives them
(``str``, ``int``, ``float``, ``Decimal``, ``bool``, dates, ``None``). The years run down a column or
across a row; the percentages stand beside them (in the same row, or the same column). A percentage is
written with a decimal comma or point, optionally with a sign (also the typographic minus) and a ``%``
("2,5", "2.5", "2,5 %", "−0,4"). Headings, notes and empty cells around the table are ignored.

A float cell is read as the number a spreadsheet shows (at most 15 significant digits, as Excel keeps),
via its decimal text, never by float arithmetic: ``2.9000000000000004`` is 2.9.

Which line holds the values: the line (column when the years run down, row when they run across) with
the most percentages next to the years. When several lines hold percentages, the one whose heading
names ``label`` (e.g. the series code "PKV") is taken, else the one headed by the month ``month``; if
that still leaves more than one, the table is ambiguous. A line headed "månad"/"month", or holding month
names, is the reference month of each value; otherwise a month in the value line's heading, or a single
reference-month cell elsewhere in the sheet ("Referensmånad: oktober"), is the month of every value.

Error codes raised here (each a :class:`~domain.errors.DomainError`): ``index_table.no_years``,
``index_table.no_values``, ``index_table.ambiguous`` (``count``), ``index_table.duplicate_year``
(``year``), ``index_table.not_a_percent`` (``year``, ``text``). The range of a percentage is not checked
here: :class:`domain.indexation.IndexValue` does that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from domain.errors import DomainError
from domain.periods import MAX_YEAR, MIN_YEAR

Cell = str | int | float | Decimal | bool | date | time | timedelta | None

MONTHS: dict[str, int] = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
}
# Abbreviations count only as a whole cell ("okt", "Oct."), never as a word inside a sentence.
ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
PLACEHOLDERS = frozenset({"", "-", "–", "—", "..", "...", "…", "x", "n/a"})

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009]+")
_YEAR = re.compile(r"(?:år\s*)?(\d{4})\s*\**", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)%?")
_MONTH_PREFIX = re.compile(r"(?:referensmånad|månad|reference\s+month|month)\s*:?\s*", re.IGNORECASE)
_MONTH_HEADINGS = frozenset({"månad", "referensmånad", "month", "reference month"})
_WORD = re.compile(r"[a-zåäö]+")


@dataclass(frozen=True)
class TableValue:
    """One year's percentage from the table, with its reference month when the table gives one."""

    year: int
    percent: Decimal
    month: int | None = None


def _text(cell: Cell) -> str:
    return _SPACES.sub(" ", cell).strip() if isinstance(cell, str) else ""


def _is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and _text(cell).lower() in PLACEHOLDERS)


def _decimal(cell: Cell) -> Decimal | None:
    """The exact number in a cell (see the module docstring for floats), or ``None``."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, Decimal):
        return cell if cell.is_finite() else None
    if isinstance(cell, float):
        text = format(cell, ".15g")
        return Decimal(text) if text not in ("nan", "inf", "-inf") else None
    if isinstance(cell, str):
        text = _SPACES.sub("", cell).replace("−", "-").replace("–", "-")
        if not _NUMBER.fullmatch(text):
            return None
        try:
            return Decimal(text.rstrip("%").replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    return None


def year_of(cell: Cell) -> int | None:
    """The year a cell names (2025, 2025.0, "2025", "2025*", "År 2025"), or ``None``."""
    if isinstance(cell, str):
        match = _YEAR.fullmatch(_text(cell))
        number = int(match.group(1)) if match else None
    else:
        value = _decimal(cell)
        number = int(value) if value is not None and value == value.to_integral_value() else None
    return number if number is not None and MIN_YEAR <= number <= MAX_YEAR else None


def percent_of(cell: Cell) -> Decimal | None:
    """The percentage a cell holds ("2,5", "2.5 %", "−0,4", 2.5), or ``None``; never a year."""
    if year_of(cell) is not None:
        return None
    return _decimal(cell)


def month_of(cell: Cell) -> int | None:
    """The month a whole cell names ("oktober", "Okt.", "Referensmånad: oktober", "Månad: 10"), or ``None``."""
    text = _MONTH_PREFIX.sub("", _text(cell), count=1).lower().rstrip(".")
    prefixed = text != _text(cell).lower().rstrip(".")
    if text in MONTHS:
        return MONTHS[text]
    if text in ABBREVIATIONS:
        return ABBREVIATIONS[text]
    if prefixed and text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return None


def _month_in(heading: str) -> int | None:
    found = {MONTHS[word] for word in _WORD.findall(heading.lower()) if word in MONTHS}
    if len(found) == 1:
        return found.pop()
    if len(found) == 0 and heading:
        return month_of(heading)
    return None


@dataclass(frozen=True)
class _Line:
    index: int
    heading: str
    numbers: int


@dataclass(frozen=True)
class _Setup:
    grid: list[list[Cell]]  # grid[record][line]: years down line ``year_line``, one record per year
    year_line: int
    records: dict[int, int]  # record → year
    lines: list[_Line]  # the lines holding percentages in the years' records
    month_lines: list[int]

    @property
    def score(self) -> int:
        return max((line.numbers for line in self.lines), default=0)


def _grid(rows: Sequence[Sequence[Cell]]) -> list[list[Cell]]:
    width = max((len(row) for row in rows), default=0)
    return [list(row) + [None] * (width - len(row)) for row in rows]


def _transpose(grid: list[list[Cell]]) -> list[list[Cell]]:
    return [list(column) for column in zip(*grid, strict=True)] if grid else []


def _heading(grid: list[list[Cell]], line: int, records: dict[int, int]) -> str:
    parts = [_text(grid[r][line]) for r in range(len(grid)) if r not in records]
    return " ".join(part for part in parts if part)


def _setups(grid: list[list[Cell]]) -> list[_Setup]:
    width = len(grid[0]) if grid else 0
    setups = []
    for year_line in range(width):
        records = {r: y for r, row in enumerate(grid) if (y := year_of(row[year_line])) is not None}
        if not records:
            continue
        lines, month_lines = [], []
        for line in range(width):
            if line == year_line:
                continue
            heading = _heading(grid, line, records)
            cells = [grid[r][line] for r in records]
            if heading.lower().rstrip(":") in _MONTH_HEADINGS or any(month_of(c) for c in cells):
                month_lines.append(line)
                continue
            numbers = sum(1 for c in cells if percent_of(c) is not None)
            if numbers:
                lines.append(_Line(line, heading, numbers))
        setups.append(_Setup(grid, year_line, records, lines, month_lines))
    return setups


def _choose_line(setup: _Setup, label: str | None, month: int | None) -> _Line:
    lines = setup.lines
    if len(lines) > 1 and label:
        named = [line for line in lines if label.lower() in line.heading.lower()]
        lines = named or lines
    if len(lines) > 1 and month is not None:
        in_month = [line for line in lines if _month_in(line.heading) == month]
        lines = in_month or lines
    if len(lines) > 1:
        raise DomainError("index_table.ambiguous", count=len(lines))
    return lines[0]


def _sheet_month(grid: list[list[Cell]]) -> int | None:
    found = {m for row in grid for cell in row if (m := month_of(cell)) is not None}
    return found.pop() if len(found) == 1 else None


def _month_of_record(setup: _Setup, record: int) -> int | None:
    for line in setup.month_lines:
        cell = setup.grid[record][line]
        found = month_of(cell)
        if found is None:
            number = _decimal(cell)
            if number is not None and number == number.to_integral_value() and 1 <= number <= 12:
                found = int(number)
        if found is not None:
            return found
    return None


def parse_index_table(
    rows: Sequence[Sequence[Cell]], *, label: str | None = None, month: int | None = None
) -> list[TableValue]:
    """The years and percentages of the table in ``rows``, sorted by year (see the module docstring).

    ``label`` (e.g. "PKV") and ``month`` (e.g. 10) choose among several lines of percentages.
    """
    grid = _grid(rows)
    candidates = [(setup, down) for down in (True, False) for setup in _setups(grid if down else _transpose(grid))]
    if not candidates:
        raise DomainError("index_table.no_years")
    # The most percentages next to years wins; on a tie, years down a column, then the leftmost/topmost.
    setup, _down = max(candidates, key=lambda c: (c[0].score, c[1], -c[0].year_line))
    if setup.score == 0:
        raise DomainError("index_table.no_values")
    line = _choose_line(setup, label, month)
    common = _month_in(line.heading) or _sheet_month(setup.grid)
    values: dict[int, TableValue] = {}
    for record, year in sorted(setup.records.items()):
        cell = setup.grid[record][line.index]
        if _is_empty(cell):
            continue
        percent = percent_of(cell)
        if percent is None:
            raise DomainError("index_table.not_a_percent", year=year, text=_text(cell) or str(cell))
        if year in values:
            raise DomainError("index_table.duplicate_year", year=year)
        values[year] = TableValue(year, percent, _month_of_record(setup, record) or common)
    return [values[year] for year in sorted(values)]
