# SPDX-License-Identifier: EUPL-1.2
"""CSV and Excel for downloads: one typed way to start a sheet, and the one place text is made formula-safe.

Every export that writes a spreadsheet cell (CSV or Excel) goes through ``safe_cell``: text typed by a user
(a title, an organisation's name, a budget label) must never become a live formula in the reader's
spreadsheet program (OWASP "CSV injection"). Numbers and dates are left as they are.

May import: Django, openpyxl, domain.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # openpyxl (with numpy) takes a third of a second to import: only Excel exports pay for it
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
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


class _Chunks:
    """A text sink that hands back what was written since it was last asked (for a streamed CSV)."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, s: str, /) -> None:
        self._parts.append(s)

    def take(self) -> str:
        text = "".join(self._parts)
        self._parts.clear()
        return text


def csv_chunks(rows: Iterable[Iterable[Any]], *, delimiter: str = ";", rows_per_chunk: int = 200) -> Iterator[str]:
    """``rows`` as CSV text through ``SafeCsvWriter``, a chunk every ``rows_per_chunk`` rows: for a streamed
    response or file, so a large export is never held whole in memory. Joined, the chunks are exactly what
    ``SafeCsvWriter`` writes for the same rows at once."""
    sink = _Chunks()
    writer = SafeCsvWriter(sink, delimiter=delimiter)
    for index, values in enumerate(rows, start=1):
        writer.writerow(values)
        if index % rows_per_chunk == 0:
            yield sink.take()
    rest = sink.take()
    if rest:
        yield rest


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


def new_write_only_workbook(
    title: str, *, widths: Sequence[float] = (), freeze: str | None = None
) -> tuple[Workbook, WriteOnlyWorksheet]:
    """A write-only workbook (openpyxl streams its rows to a temporary file: constant memory however many rows)
    and its one sheet, named ``title`` (at most 31 characters), its columns ``widths`` wide and the panes frozen
    at ``freeze`` (e.g. "A2": the heading stays in view). Write rows with ``append_write_only_row``; save once."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width  # set before the first row is written
    if freeze:
        sheet.freeze_panes = freeze
    return workbook, sheet


def append_write_only_row(
    sheet: WriteOnlyWorksheet,
    values: Iterable[Any],
    *,
    bold: bool = False,
    number_formats: Mapping[int, str] | None = None,
) -> None:
    """Append one row to a write-only ``sheet``, every cell through ``safe_cell`` first; ``bold`` (a heading) and
    ``number_formats`` (column index → format, for cells that hold a value) style the cells. Plain values are
    cheapest: openpyxl formats a date as yyyy-mm-dd by itself."""
    row = safe_row(values)
    if bold or number_formats:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        for index, value in enumerate(row):
            number_format = (number_formats or {}).get(index) if value not in (None, "") else None
            if bold or number_format:
                cell = WriteOnlyCell(sheet, value=value)
                if bold:
                    cell.font = Font(bold=True)
                if number_format:
                    cell.number_format = number_format
                row[index] = cell
    sheet.append(row)
