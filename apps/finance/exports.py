# SPDX-License-Identifier: EUPL-1.2
"""Money out of the system: JSON for other tools (exact Decimal numbers, never floats) and Excel."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.spreadsheets import append_row, new_sheet, new_workbook
from domain import payments as payment_rules

from .models import Payment

KR_FORMAT = '# ##0 "kr"'


def dumps(value, indent: int = 2, _level: int = 0) -> str:
    """JSON in which Decimal amounts are written as exact numbers (json.dumps would need floats)."""
    pad, inner = " " * (indent * _level), " " * (indent * (_level + 1))
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text[:-3] if text.endswith(".00") else text
    if isinstance(value, (dt.date, dt.datetime)):
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, indent, _level + 1)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(f"{inner}{dumps(v, indent, _level + 1)}" for v in value) + f"\n{pad}]"
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return json.dumps(value, ensure_ascii=False)


def commitment_records(items) -> list[dict]:
    """The ``commitments --format json`` shape: one record per agreement and year."""
    return [
        {
            "agreement_id": c.agreement.pk,
            "year": c.year,
            "amount_sek": c.amount,
            "indexed_amount_sek": c.indexed,
            "index_is_forecast": c.is_forecast,
            "by_funding_source": c.by_source,
            "title": c.agreement.title,
            "partners": list(c.partners),
        }
        for c in items
    ]


def payment_records(payments: list[Payment], *, today: dt.date | None = None) -> list[dict]:
    """The ``payment_plan ID --format json`` shape; ``overdue``: planned and past its due date on ``today``."""
    today = today or timezone.localdate()
    return [
        {
            "due_on": p.due_on,
            "amount_sek": p.amount,
            "funding_source": p.funding_source,
            "status": p.status,
            "key": p.key,
            "covers_from": p.covers_from,
            "covers_to": p.covers_to,
            "invoice_number": p.invoice_number or None,
            "invoiced_on": p.invoiced_on,
            "paid_on": p.paid_on,
            "adjusts": p.adjusts or None,
            "overdue": payment_rules.is_overdue(p.status, p.due_on, today),
        }
        for p in payments
    ]


def portfolio_xlsx(p) -> bytes:
    from openpyxl.styles import Font  # imported where used: commands that print JSON start without openpyxl

    wb, ws = new_workbook(str(_("Per year")))
    append_row(ws, [_("Year"), _("Base amount"), _("After index uplift"), _("Includes forecast")])
    for year in p.years:
        append_row(
            ws,
            [year, p.by_year[year]["base"], p.by_year[year]["indexed"], _("Yes") if year in p.forecast_years else ""],
        )
    for title, table in ((_("Per partner"), p.by_partner), (_("Per funding source"), p.by_source)):
        sheet = new_sheet(wb, str(title))
        append_row(sheet, [str(title), *p.years])
        for name, by_year in table.items():
            append_row(sheet, [name, *[by_year.get(y, Decimal(0)) for y in p.years]])
    detail = new_sheet(wb, str(_("Agreements")))
    append_row(
        detail, [_("Agreement"), _("Partner"), _("Year"), _("Base amount"), _("After index uplift"), _("Forecast")]
    )
    for c in p.commitments:
        append_row(
            detail,
            [c.agreement.title, ", ".join(c.partners), c.year, c.amount, c.indexed, _("Yes") if c.is_forecast else ""],
        )
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = KR_FORMAT
        sheet.column_dimensions["A"].width = 50
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def portfolio_response(p) -> HttpResponse:
    response = HttpResponse(
        portfolio_xlsx(p), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="atagande-{timezone.localdate().isoformat()}.xlsx"'
    return response
