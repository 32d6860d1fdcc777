# SPDX-License-Identifier: EUPL-1.2
"""Excel workbooks for downloads: one typed way to start a sheet.

May import: Django, openpyxl, domain.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet, named ``title`` (Excel allows at most 31 characters)."""
    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new Workbook always starts with one worksheet
        raise TypeError("a new workbook has no worksheet")
    sheet.title = title[:31]
    return workbook, sheet
