# SPDX-License-Identifier: EUPL-1.2
"""The register as rows, and as CSV, Excel and JSON. The queryset is always already scoped by a selector."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.spreadsheets import SafeCsvWriter, append_row, new_workbook

from .models import Agreement, Party

FORMATS = ("csv", "xlsx")


def _parties(agreement: Agreement, role: str) -> list[dict]:
    """The agreement's parties in ``role``; an invitation not (or not yet) accepted is no party."""
    return [
        {"name": p.organisation.name, "org_number": p.organisation.org_number or None}
        for p in agreement.parties.all()
        if p.role == role and p.status == Party.Status.ACCEPTED
    ]


def register_records(agreements: Iterable[Agreement]) -> list[dict]:
    """One plain record per agreement: the JSON export's shape (``export_register --format json``)."""
    return [
        {
            "id": a.pk,
            "title": a.title,
            "case_number": a.case_number or None,
            "status": a.status,
            "start": a.start_date.isoformat() if a.start_date else None,
            "end": a.end_date.isoformat() if a.end_date else None,
            "public_parties": _parties(a, Party.Role.PUBLIC),
            "nonprofit_parties": _parties(a, Party.Role.NON_PROFIT),
            "dialogue_parties": _parties(a, Party.Role.DIALOGUE),
            "case_officer": a.case_officer_display or None,
            "extension_max_months": a.extension_max_months,
            "notice_period_months": a.notice_period_months,
            "renewal_decision_months_before_end": a.renewal_decision_months_before_end,
        }
        for a in agreements
    ]


def _columns() -> list[tuple[str, str]]:
    return [
        ("id", _("ID")),
        ("title", _("Title")),
        ("case_number", _("Case number")),
        ("status", _("Status")),
        ("start", _("Start date")),
        ("end", _("End date")),
        ("public_parties", _("Public parties")),
        ("nonprofit_parties", _("Non-profit parties")),
        ("dialogue_parties", _("Dialogue parties")),
        ("case_officer", _("Case officer")),
    ]


def _flat(record: dict[str, Any], key: str, labels: Mapping[str, object]) -> Any:
    value = record[key]
    if key == "status":
        return str(labels.get(value, value))
    if isinstance(value, list):
        return "; ".join(f"{p['name']} ({p['org_number']})" if p["org_number"] else p["name"] for p in value)
    return "" if value is None else value


def to_csv(records: list[dict]) -> str:
    labels = dict(Agreement.Status.choices)
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=";")
    cols = _columns()
    writer.writerow([str(label) for _key, label in cols])
    for r in records:
        writer.writerow([_flat(r, key, labels) for key, _label in cols])
    return out.getvalue()


def to_xlsx(records: list[dict]) -> bytes:
    from openpyxl.styles import Font  # imported where used: the CSV and JSON exports start without openpyxl
    from openpyxl.utils import get_column_letter

    labels = dict(Agreement.Status.choices)
    wb, ws = new_workbook(str(_("Agreements")))
    cols = _columns()
    append_row(ws, [str(label) for _key, label in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in records:
        row = []
        for key, _label in cols:
            value = _flat(r, key, labels)
            if key in ("start", "end") and value:
                value = dt.date.fromisoformat(value)
            row.append(value)
        append_row(ws, row)
    for index, (key, _label) in enumerate(cols, start=1):
        letter = get_column_letter(index)
        if key in ("start", "end"):
            for cell in ws[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        ws.column_dimensions[letter].width = 14 if key in ("id", "status", "start", "end") else 40
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)


def register_response(queryset, fmt: str) -> HttpResponse:
    records = register_records(queryset)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse("\ufeff" + to_csv(records), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="overenskommelser-{stamp}.csv"'
        return response
    response = HttpResponse(
        to_xlsx(records), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="overenskommelser-{stamp}.xlsx"'
    return response
