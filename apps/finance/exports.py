# SPDX-License-Identifier: EUPL-1.2
"""Money out of the system: JSON for other tools (exact Decimal numbers, never floats) and Excel."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.spreadsheets import append_write_only_row, new_write_only_workbook
from domain import payments as payment_rules

from . import selectors
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


def dumps_stream(records: Iterable[Any], indent: int = 2) -> Iterator[str]:
    """A JSON array of ``records`` a record at a time: joined, exactly ``dumps(list(records))``."""
    inner = " " * indent
    first = True
    for record in records:
        yield ("[\n" if first else ",\n") + inner + dumps(record, indent, 1)
        first = False
    yield "[]" if first else "\n]"


def commitment_records(items: Iterable[selectors.Commitment]) -> Iterator[dict[str, Any]]:
    """The ``commitments --format json`` shape: one record per agreement and year (read as written)."""
    return (
        {
            "agreement_id": c.agreement_id,
            "year": c.year,
            "amount_sek": c.amount,
            "indexed_amount_sek": c.indexed,
            "index_is_forecast": c.is_forecast,
            "by_funding_source": c.by_source,
            "title": c.title,
            "partners": list(c.partners),
        }
        for c in items
    )


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


def _pivot(rows: Iterable[dict[str, Any]], key: str, amount: str) -> Iterator[tuple[str, dict[int, Decimal]]]:
    """Rows ordered by ``key`` then year, as (name, {year: amount}) one name at a time."""
    name: str | None = None
    by_year: dict[int, Decimal] = {}
    for row in rows:
        if row[key] != name:
            if name is not None:
                yield name, by_year
            name, by_year = row[key], {}
        by_year[row["year"]] = row[amount]
    if name is not None:
        yield name, by_year


def write_portfolio_xlsx(p: selectors.Portfolio, target: IO[bytes]) -> None:
    """The portfolio in full (every partner, funding source and agreement, not only the page on the screen),
    written by a write-only workbook: rows go to a temporary file as the queries are read, so the memory stays
    the same however many agreements."""
    money = dict.fromkeys(range(1, len(p.years) + 1), KR_FORMAT)
    wb, ws = new_write_only_workbook(str(_("Per year")), widths=[50, 18, 18, 18], freeze="A2")
    append_write_only_row(ws, [_("Year"), _("Base amount"), _("After index uplift"), _("Includes forecast")], bold=True)
    for year in p.years:
        append_write_only_row(
            ws,
            [year, p.by_year[year]["base"], p.by_year[year]["indexed"], _("Yes") if year in p.forecast_years else ""],
            number_formats={1: KR_FORMAT, 2: KR_FORMAT},
        )
    tables = (
        (_("Per partner"), selectors.portfolio_partner_cells(p), selectors.PARTNER, "sum"),
        (_("Per funding source"), selectors.portfolio_source_cells(p), "source", "sum"),
    )
    for title, rows, key, amount in tables:
        sheet = wb.create_sheet(str(title)[:31])
        sheet.column_dimensions["A"].width = 50
        sheet.freeze_panes = "B2"
        append_write_only_row(sheet, [str(title), *p.years], bold=True)
        for name, by_year in _pivot(rows, key, amount):
            append_write_only_row(
                sheet, [name or "–", *[by_year.get(y, Decimal(0)) for y in p.years]], number_formats=money
            )
    detail = wb.create_sheet(str(_("Agreements"))[:31])
    detail.column_dimensions["A"].width = 50
    detail.column_dimensions["B"].width = 50
    detail.freeze_panes = "A2"
    append_write_only_row(
        detail,
        [_("Agreement"), _("Partner"), _("Year"), _("Base amount"), _("After index uplift"), _("Forecast")],
        bold=True,
    )
    items, _problems = selectors.commitments(p.agreements, p.years[0], p.years[-1])
    for c in items:
        append_write_only_row(
            detail,
            [c.title, ", ".join(c.partners), c.year, c.amount, c.indexed, _("Yes") if c.is_forecast else ""],
            number_formats={3: KR_FORMAT, 4: KR_FORMAT},
        )
    wb.save(target)


def portfolio_xlsx(p: selectors.Portfolio) -> bytes:
    with tempfile.TemporaryFile() as fh:
        write_portfolio_xlsx(p, fh)
        fh.seek(0)
        return fh.read()


def portfolio_response(p: selectors.Portfolio) -> FileResponse:
    fh = tempfile.TemporaryFile()  # noqa: SIM115  # FileResponse sends it and closes it
    write_portfolio_xlsx(p, fh)
    fh.seek(0)
    return FileResponse(
        fh,
        as_attachment=True,
        filename=f"atagande-{timezone.localdate().isoformat()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
