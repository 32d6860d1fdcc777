# SPDX-License-Identifier: EUPL-1.2
"""CSV and Excel for downloads: one typed way to start a sheet, and the one place text is made formula-safe.

Every export that writes a spreadsheet cell (CSV or Excel) goes through ``safe_cell``: text typed by a user
(a title, an organisation's name, a budget label) must never become a live formula in the reader's
spreadsheet program (OWASP "CSV injection"). Numbers and dates are left as they are.

May import: Django, openpyxl, domain.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # openpyxl (with numpy) takes a third of a second to import: only Excel exports pay for it
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# A text cell starting with one of these is read as a formula (or as the start of one) by Excel,
# LibreOffice or Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell[T](value: T) -> T | str:
    """``value`` itself, except text that a spreadsheet would read as a formula: that gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class _TextOut(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose every cell passes through ``safe_cell``."""

    def __init__(self, out: _TextOut, *, delimiter: str = ";") -> None:
        self._writer = csv.writer(out, delimiter=delimiter)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append`` with every cell through ``safe_cell`` (openpyxl makes any text starting "=" a formula)."""
    sheet.append(safe_row(values))


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet, named ``title`` (Excel allows at most 31 characters)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new Workbook always starts with one worksheet
        raise TypeError("a new workbook has no worksheet")
    sheet.title = title[:31]
    return workbook, sheet


def new_sheet(workbook: Workbook, title: str) -> Worksheet:
    """Another sheet in ``workbook``, named ``title`` (at most 31 characters)."""
    return workbook.create_sheet(title[:31])
