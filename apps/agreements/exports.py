# SPDX-License-Identifier: EUPL-1.2
"""The register as rows, and as CSV, Excel and JSON. The queryset is always already scoped by a selector.

Every export reads the register in one query, however many agreements: the agreements joined with their
parties (and organisations) and their case officer, one row per party, read in chunks from the database
(``QuerySet.iterator``) and grouped back into one record per agreement as they arrive. So the number of
queries is constant and the memory bounded: the CSV is streamed, the Excel file is written by openpyxl's
write-only workbook to a temporary file, the command writes as it reads.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from itertools import groupby
from operator import itemgetter
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.spreadsheets import append_write_only_row, csv_chunks, new_write_only_workbook

from .models import Agreement, Party

FORMATS = ("csv", "xlsx")
CHUNK = 2000  # rows fetched from the database at a time


# The columns read for an export, one row per party (the party's columns None for an agreement without any).
_FIELDS = (
    "pk",
    "title",
    "case_number",
    "status",
    "start_date",
    "end_date",
    "case_officer_id",
    "case_officer__first_name",
    "case_officer__last_name",
    "case_officer__username",
    "case_officer_name",
    "extension_max_months",
    "notice_period_months",
    "renewal_decision_months_before_end",
    "parties__role",
    "parties__status",
    "parties__organisation__name",
    "parties__organisation__org_number",
)


def _joined(queryset: QuerySet[Agreement]) -> QuerySet[Agreement, tuple[Any, ...]]:
    """``queryset`` (in its order) as one row of ``_FIELDS`` per party, with the case officer: one query, plain
    tuples (no model instances: a national register has tens of thousands of party rows)."""
    order = list(queryset.query.order_by) or list(Agreement._meta.ordering or [])
    return (
        queryset.prefetch_related(None).order_by(*order, "pk", "parties__position", "parties__id").values_list(*_FIELDS)
    )


def _officer(first_name: str, last_name: str, username: str) -> str:
    """The case officer as the agreement page names them (``User.__str__``)."""
    return str(User(first_name=first_name, last_name=last_name, username=username))


def register_records(queryset: QuerySet[Agreement]) -> Iterator[dict[str, Any]]:
    """One plain record per agreement of ``queryset``, in its order: the JSON export's shape (``export_register
    --format json``), and the rows of the CSV and Excel exports. An invitation not (or not yet) accepted is no
    party. Read in one query, a chunk at a time."""
    officers: dict[tuple[str, str, str], str] = {}
    accepted, roles = Party.Status.ACCEPTED, (Party.Role.PUBLIC, Party.Role.NON_PROFIT, Party.Role.DIALOGUE)
    for _pk, group in groupby(_joined(queryset).iterator(chunk_size=CHUNK), key=itemgetter(0)):
        rows = list(group)
        (pk, title, case_number, status, start, end, officer_id, first, last, username, officer_name) = rows[0][:11]
        parties: dict[str, list[dict[str, Any]]] = {role: [] for role in roles}
        for row in rows:
            role, party_status, name, org_number = row[14:]
            if party_status == accepted and role in parties:
                parties[role].append({"name": name, "org_number": org_number or None})
        if officer_id is not None:
            key = (first, last, username)
            if key not in officers:
                officers[key] = _officer(*key)
            officer = officers[key]
        else:
            officer = officer_name
        yield {
            "id": pk,
            "title": title,
            "case_number": case_number or None,
            "status": status,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "public_parties": parties[Party.Role.PUBLIC],
            "nonprofit_parties": parties[Party.Role.NON_PROFIT],
            "dialogue_parties": parties[Party.Role.DIALOGUE],
            "case_officer": officer or None,
            "extension_max_months": rows[0][11],
            "notice_period_months": rows[0][12],
            "renewal_decision_months_before_end": rows[0][13],
        }


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


def _table(records: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """The heading, then one row of flat cells per record (the CSV's and the Excel sheet's rows)."""
    labels = {value: str(label) for value, label in Agreement.Status.choices}  # translated once, not per row
    cols = _columns()
    yield [str(label) for _key, label in cols]
    for r in records:
        yield [_flat(r, key, labels) for key, _label in cols]


def csv_stream(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The register as CSV (semicolons, every cell formula-safe), a chunk at a time."""
    return csv_chunks(_table(records), delimiter=";")


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    return "".join(csv_stream(records))


def write_xlsx(records: Iterable[dict[str, Any]], target: IO[bytes] | str) -> None:
    """The register as an Excel sheet written to ``target`` (a file or a path) by a write-only workbook: the
    rows go to a temporary file as they come, so the memory stays the same however many agreements. Dates are
    dates (openpyxl gives them the format yyyy-mm-dd)."""
    cols = _columns()
    dates = [index for index, (key, _label) in enumerate(cols) if key in ("start", "end")]
    widths = [14 if key in ("id", "status", "start", "end") else 40 for key, _label in cols]
    wb, ws = new_write_only_workbook(str(_("Agreements")), widths=widths, freeze="A2")
    rows = _table(records)
    append_write_only_row(ws, next(rows), bold=True)
    for row in rows:
        for index in dates:
            if row[index]:
                row[index] = dt.date.fromisoformat(row[index])
        # An empty cell is left out (read back as empty, like the "" it stands for): a third fewer cells to write.
        append_write_only_row(ws, [None if value == "" else value for value in row])
    wb.save(target)


def to_xlsx(records: Iterable[dict[str, Any]]) -> bytes:
    with tempfile.TemporaryFile() as fh:
        write_xlsx(records, fh)
        fh.seek(0)
        return fh.read()


def json_stream(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The records as a JSON array, a record at a time: joined, exactly ``json.dumps(list(records),
    ensure_ascii=False, indent=2)``."""
    first = True
    for record in records:
        # json.dumps escapes every newline inside a string, so each line of a record can be indented as a whole.
        text = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + text
        first = False
    yield "[]" if first else "\n]"


def to_json(records: Iterable[dict[str, Any]]) -> str:
    return "".join(json_stream(records))


def _filename(extension: str) -> str:
    return f"overenskommelser-{timezone.localdate().isoformat()}.{extension}"


def register_response(queryset: QuerySet[Agreement], fmt: str) -> StreamingHttpResponse | FileResponse:
    """The register page's download of ``queryset`` (the list as filtered and sorted): CSV streamed as it is
    read (with a byte order mark, so that Excel reads it as UTF-8), Excel written to a temporary file first (a
    zip cannot be streamed before its end) and sent from there."""
    records = register_records(queryset)
    if fmt == "csv":
        language = translation.get_language()

        def chunks() -> Iterator[bytes]:
            # Read and written as the response is sent: in the language of the request that asked for it.
            with translation.override(language):
                yield "\ufeff".encode()
                for chunk in csv_stream(records):
                    yield chunk.encode("utf-8")

        response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
        return response
    fh = tempfile.TemporaryFile()  # noqa: SIM115  # FileResponse sends it and closes it
    write_xlsx(records, fh)
    fh.seek(0)
    return FileResponse(
        fh,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
