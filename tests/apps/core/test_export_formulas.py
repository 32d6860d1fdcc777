# SPDX-License-Identifier: EUPL-1.2
"""Every CSV and Excel export, fed text that looks like a formula, writes it as text (issue 8, item 5)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from apps.finance import services as finance_services
from apps.finance.models import IndexSeries
from apps.organisations.models import Organisation

HOSTILE = ['=HYPERLINK("http://x","klick")', "+1", "-2+3", "@SUM(A1)", "\t=1"]


def _cells(content: bytes) -> Iterator[Cell]:
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row  # type: ignore[misc]


def _assert_no_formula_in_xlsx(content: bytes, expected: list[str]) -> None:
    values = []
    for cell in _cells(content):
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
            values.append(cell.value)
    text = "\n".join(values)
    for hostile in expected:
        assert "'" + hostile in text


def _assert_no_formula_in_csv(content: str, expected: list[str]) -> None:
    cells = [cell for row in csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";") for cell in row]
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for hostile in expected:
        assert "'" + hostile in cells


@pytest.fixture
def hostile_register(make_agreement: Any, orgs: dict[str, Organisation]) -> list[str]:
    """One agreement per hostile title; the non-profit party's name is hostile too."""
    partner = Organisation.objects.create(name="=1+2", org_number="802473-9412", kind="non_profit")
    for index, title in enumerate(HOSTILE):
        make_agreement(title=title, case_number=f"SOCN-2025-0000{index}", nonprofit=partner)
    return HOSTILE


def test_register_csv_and_excel_downloads(client: Any, users: Any, hostile_register: list[str]) -> None:
    client.force_login(users["officer_north"])
    url = reverse("agreements:list")
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    _assert_no_formula_in_csv(response.getvalue().decode("utf-8"), hostile_register)
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    _assert_no_formula_in_xlsx(response.getvalue(), hostile_register)


def test_export_register_command(tmp_path: Path, hostile_register: list[str]) -> None:
    call_command("export_register", "--format", "csv", "-o", str(tmp_path / "r.csv"))
    _assert_no_formula_in_csv((tmp_path / "r.csv").read_text(encoding="utf-8"), hostile_register)
    call_command("export_register", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    _assert_no_formula_in_xlsx((tmp_path / "r.xlsx").read_bytes(), hostile_register)


def test_export_register_json_is_unchanged(tmp_path: Path, hostile_register: list[str]) -> None:
    """JSON is not a spreadsheet: the titles are written exactly as typed."""
    import json

    call_command("export_register", "--format", "json", "-o", str(tmp_path / "r.json"))
    titles = {record["title"] for record in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))}
    assert set(hostile_register) <= titles


def test_portfolio_excel(client: Any, users: Any, make_agreement: Any) -> None:
    pkv = IndexSeries.objects.create(code="PKV", name="Prisindex för kommunal verksamhet")
    partner = Organisation.objects.create(name="@SUM(A1)", org_number="802473-9412", kind="non_profit")
    agreement = make_agreement(title='=HYPERLINK("http://x","klick")', nonprofit=partner)
    actor = users["officer_north"]
    finance_services.funding_source_save(
        actor=actor,
        agreement=agreement,
        data={"name": "-2+3", "annual_amount": Decimal("100000"), "share_percent": None, "invoiced_separately": True},
    )
    finance_services.finance_terms_save(
        actor=actor,
        agreement=agreement,
        data={
            "basis": "annual",
            "annual_amount": Decimal("400000"),
            "default_source": "+1",
            "index_series": pkv,
            "index_reference_month": 10,
            "payment_frequency": "semiannual",
            "payment_in_advance": True,
            "payment_months": [1, 7],
        },
    )
    agreement.status = "signed"
    agreement.save()
    client.force_login(users["controller_city"])
    response = client.get(reverse("finance:portfolio"), {"first_year": 2025, "last_year": 2027, "format": "xlsx"})
    assert response.status_code == 200
    content = response.getvalue()
    _assert_no_formula_in_xlsx(content, ['=HYPERLINK("http://x","klick")', "@SUM(A1)", "-2+3", "+1"])
    amounts = [c.value for c in _cells(content) if c.data_type == "n" and isinstance(c.value, int | float)]
    assert 400000 in amounts  # money stays a number
