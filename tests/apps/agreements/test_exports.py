# SPDX-License-Identifier: EUPL-1.2
"""The register exports read in one query and write as they read (issue 9, item 5), and write exactly what
they wrote before: the CSV byte for byte, the JSON byte for byte, the Excel sheet cell for cell (values, bold
heading, date formats, column widths, frozen heading).

"Before" is the previous implementation, kept here as the reference: every agreement loaded with its parties
prefetched (and its case officer read row by row), the records built in a list, the CSV written at once, the
Excel workbook built in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Prefetch
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.accounts.models import Role, User
from apps.agreements import exports, selectors
from apps.agreements.models import Agreement, Party
from apps.agreements.selectors import RegisterFilter
from apps.core.spreadsheets import SafeCsvWriter, append_row, new_workbook
from apps.organisations.models import Organisation
from tests.conftest import make_user
from tests.factories import AgreementFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


# The previous implementation (apps/agreements/exports.py before the exports were streamed) ----------------------


def _old_parties(agreement: Agreement, role: str) -> list[dict[str, Any]]:
    return [
        {"name": p.organisation.name, "org_number": p.organisation.org_number or None}
        for p in agreement.parties.all()
        if p.role == role and p.status == Party.Status.ACCEPTED
    ]


def old_records(agreements: Iterable[Agreement]) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "title": a.title,
            "case_number": a.case_number or None,
            "status": a.status,
            "start": a.start_date.isoformat() if a.start_date else None,
            "end": a.end_date.isoformat() if a.end_date else None,
            "public_parties": _old_parties(a, Party.Role.PUBLIC),
            "nonprofit_parties": _old_parties(a, Party.Role.NON_PROFIT),
            "dialogue_parties": _old_parties(a, Party.Role.DIALOGUE),
            "case_officer": a.case_officer_display or None,
            "extension_max_months": a.extension_max_months,
            "notice_period_months": a.notice_period_months,
            "renewal_decision_months_before_end": a.renewal_decision_months_before_end,
        }
        for a in agreements
    ]


def _old_columns() -> list[tuple[str, str]]:
    return [
        ("id", translation.gettext("ID")),
        ("title", translation.gettext("Title")),
        ("case_number", translation.gettext("Case number")),
        ("status", translation.gettext("Status")),
        ("start", translation.gettext("Start date")),
        ("end", translation.gettext("End date")),
        ("public_parties", translation.gettext("Public parties")),
        ("nonprofit_parties", translation.gettext("Non-profit parties")),
        ("dialogue_parties", translation.gettext("Dialogue parties")),
        ("case_officer", translation.gettext("Case officer")),
    ]


def _old_flat(record: dict[str, Any], key: str, labels: Mapping[str, object]) -> Any:
    value = record[key]
    if key == "status":
        return str(labels.get(value, value))
    if isinstance(value, list):
        return "; ".join(f"{p['name']} ({p['org_number']})" if p["org_number"] else p["name"] for p in value)
    return "" if value is None else value


def old_csv(records: list[dict[str, Any]]) -> str:
    labels = dict(Agreement.Status.choices)
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=";")
    cols = _old_columns()
    writer.writerow([str(label) for _key, label in cols])
    for r in records:
        writer.writerow([_old_flat(r, key, labels) for key, _label in cols])
    return out.getvalue()


def old_xlsx(records: list[dict[str, Any]]) -> bytes:
    labels = dict(Agreement.Status.choices)
    wb, ws = new_workbook(translation.gettext("Agreements"))
    cols = _old_columns()
    append_row(ws, [str(label) for _key, label in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in records:
        row = []
        for key, _label in cols:
            value = _old_flat(r, key, labels)
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


def old_register(user: Any, flt: RegisterFilter) -> list[dict[str, Any]]:
    """What the list page exported: the register's queryset with its parties prefetched."""
    parties = Party.objects.select_related("organisation").order_by("position", "id")
    qs = selectors.register_base(user, flt).prefetch_related(Prefetch("parties", queryset=parties))
    return old_records(qs)


def old_command(user: Any = None) -> list[dict[str, Any]]:
    scope = Agreement.objects.all() if user is None else selectors.visible_agreements(user)
    return old_records(scope.order_by("id").prefetch_related("parties__organisation"))


# A register with everything an export meets ----------------------------------------------------------------------


@pytest.fixture
def register(orgs: dict[str, Organisation], users: dict[str, User]) -> list[Agreement]:
    officer = users["officer_north"]  # "Nora" (first name only): named by the full name, else the username
    nameless = make_user("nameless_officer", (orgs["north"], Role.CASE_OFFICER))
    hostile = OrganisationFactory.create(name='=HYPERLINK("http://x")', org_number="")
    molndal = Organisation.objects.create(name="Mölndals stad", org_number="212000-1421", kind="public_body")
    made = [
        AgreementFactory.create(
            title='IOP Läxhjälp; "Angered"\nrad två',
            case_officer=officer,
            parties__public=orgs["north_dept"],
            parties__nonprofit=orgs["alpha"],
        ),
        AgreementFactory.create(
            title="+46 IOP utan diarienummer",
            case_number="",
            case_officer=None,
            case_officer_name="Extern Handläggare",
            start_date=None,
            end_date=None,
            extension_max_months=None,
            parties__public=orgs["north"],
            parties__nonprofit=hostile,
        ),
        AgreementFactory.create(title="IOP utan parter", case_officer=nameless, status=Agreement.Status.DRAFT),
        AgreementFactory.create(
            title="IOP med många parter",
            case_officer=officer,
            start_date=dt.date(2024, 2, 29),
            parties__public=orgs["north_dept"],
        ),
    ]
    many = made[3]
    Party.objects.create(agreement=many, organisation=orgs["beta"], role=Party.Role.NON_PROFIT, position=1)
    Party.objects.create(agreement=many, organisation=orgs["alpha"], role=Party.Role.NON_PROFIT, position=1)
    Party.objects.create(agreement=many, organisation=orgs["south"], role=Party.Role.DIALOGUE, position=3)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    Party.objects.create(  # invited: no party in an export until accepted
        agreement=many, organisation=molndal, role=Party.Role.PUBLIC, position=4, status="invited", invited_at=now
    )
    return made


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


FILTERS: list[dict[str, Any]] = [
    {},
    {"sort": "title"},
    {"sort": "status"},
    {"sort": "-end", "q": "IOP"},
    {"q": "alfa"},
]


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize("who", ["officer_north", "controller_city", "partner_alpha"])
def test_the_streamed_csv_download_equals_the_old_one(
    register: list[Agreement], users: dict[str, User], who: str, query: dict[str, Any]
) -> None:
    user = users[who]
    response = _client(user).get(reverse("agreements:list"), {**query, "format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="overenskommelser-')
    streamed = response.getvalue()
    user = User.objects.get(pk=user.pk)
    with translation.override("sv"):
        expected = "\ufeff" + old_csv(old_register(user, RegisterFilter(**query)))
    assert streamed.decode("utf-8") == expected
    assert len(list(csv.reader(io.StringIO(expected.lstrip("\ufeff")), delimiter=";"))) > 1


def test_the_csv_download_speaks_the_language_of_the_request(register: list[Agreement], users: dict[str, User]) -> None:
    client = _client(users["controller_city"])
    client.post(reverse("set_language"), {"language": "en", "next": "/avtal/"})
    response = client.get(reverse("agreements:list"), {"format": "csv"})
    with translation.override("sv"):  # the response is read in another language than it was asked in
        text = response.getvalue().decode("utf-8-sig")
    assert text.startswith("ID;Title;Case number;Status;") and ";Active;" in text and "Pågående" not in text


def _sheet(content: bytes) -> dict[str, Any]:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return {
        "title": ws.title,
        # An empty cell reads back as None whether it was written as "" or left out.
        "cells": [[(c.value, c.data_type if c.value is not None else None) for c in row] for row in ws.iter_rows()],
        "dates": [c.number_format for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, dt.datetime)],
        "bold": [c.font.b for c in ws[1]],
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "freeze": ws.freeze_panes,
    }


@pytest.mark.parametrize("query", FILTERS[:3])
def test_the_excel_download_holds_what_the_old_one_held(
    register: list[Agreement], users: dict[str, User], query: dict[str, Any]
) -> None:
    user = users["controller_city"]
    response = _client(user).get(reverse("agreements:list"), {**query, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    user = User.objects.get(pk=user.pk)
    with translation.override("sv"):
        expected = _sheet(old_xlsx(old_register(user, RegisterFilter(**query))))
    new = _sheet(response.getvalue())
    assert new == expected
    assert new["dates"] and set(new["dates"]) == {"yyyy-mm-dd"} and all(new["bold"])


@pytest.mark.parametrize("as_user", [None, "controller_city"])
def test_the_command_writes_byte_for_byte_what_it_wrote(
    register: list[Agreement], users: dict[str, User], tmp_path: Path, as_user: str | None
) -> None:
    user = users[as_user] if as_user else None
    extra = ["--user", as_user] if as_user else []
    with translation.override("sv"):
        records = old_command(user)
        expected = {"json": json.dumps(records, ensure_ascii=False, indent=2) + "\n", "csv": old_csv(records)}
        old_sheet = _sheet(old_xlsx(records))
    for fmt, text in expected.items():
        call_command("export_register", "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"), *extra)
        assert (tmp_path / f"r.{fmt}").read_bytes() == text.encode("utf-8"), fmt
        out = StringIO()
        call_command("export_register", "--format", fmt, *extra, stdout=out)
        assert out.getvalue() == text, fmt
    call_command("export_register", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"), *extra)
    assert _sheet((tmp_path / "r.xlsx").read_bytes()) == old_sheet


def test_an_empty_register_exports_an_empty_list_and_a_heading(tmp_path: Path, db: None) -> None:
    out = StringIO()
    call_command("export_register", "--format", "json", stdout=out)
    assert out.getvalue() == "[]\n"
    out = StringIO()
    call_command("export_register", "--format", "csv", stdout=out)
    assert out.getvalue().count("\n") == 1
    call_command("export_register", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert len(_sheet((tmp_path / "r.xlsx").read_bytes())["cells"]) == 1


def test_json_stream_is_json_dumps_of_the_list() -> None:
    records: list[dict[str, Any]] = [
        {"id": 1, "title": 'Rad\nett "citat" – å', "parties": [{"name": "A", "org_number": None}], "n": None},
        {"id": 2, "title": "", "parties": [], "nested": {"a": [1, 2, {"b": "c"}]}},
    ]
    for n in range(len(records) + 1):
        assert exports.to_json(records[:n]) == json.dumps(records[:n], ensure_ascii=False, indent=2)
