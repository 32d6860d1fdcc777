# SPDX-License-Identifier: EUPL-1.2
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from apps.finance import selectors, services

pytestmark = pytest.mark.django_db


def test_portfolio_is_scoped(funded, make_agreement, users, orgs):
    south = make_agreement(title="Söder", actor=users["officer_south"], public=orgs["south"], nonprofit=orgs["beta"])
    services.finance_terms_save(
        actor=users["officer_south"],
        agreement=south,
        data={
            "basis": "annual",
            "annual_amount": Decimal("100000"),
            "default_source": "Söder",
            "payment_frequency": "annual",
            "payment_in_advance": True,
            "payment_months": [1],
        },
    )
    for a in (funded, south):
        a.status = "active"
        a.save()
    city = selectors.portfolio(users["controller_city"], first_year=2026, last_year=2026)
    assert city.by_year[2026]["base"] == Decimal("4140000")
    north = selectors.portfolio(users["officer_north"], first_year=2026, last_year=2026)
    assert north.by_year[2026]["base"] == Decimal("4040000")
    assert [row.name for row in north.partners] == ["Föreningen Alfa"]


def test_drafts_do_not_commit_money(funded, users):
    plan = selectors.portfolio(users["controller_city"], first_year=2026, last_year=2026)
    assert not plan.has_amounts and plan.partners is None and not plan.agreements.exists()


def test_portfolio_page_chart_table_and_excel(client, funded, users):
    funded.status = "signed"
    funded.save()
    client.force_login(users["controller_city"])
    html = client.get(reverse("finance:portfolio"), {"first_year": 2025, "last_year": 2028}).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "Föreningen Alfa" in html and "prognos" in html
    response = client.get(reverse("finance:portfolio"), {"first_year": 2025, "last_year": 2028, "format": "xlsx"})
    sheet = load_workbook(__import__("io").BytesIO(response.getvalue()))["Per år"]
    assert sheet["B3"].value == 4040000 and sheet["B3"].number_format == '# ##0 "kr"'
    bad = client.get(reverse("finance:portfolio"), {"first_year": 2028, "last_year": 2025})
    assert bad.status_code == 400 and "Det sista året kan inte vara före det första" in bad.content.decode()


def test_partner_sees_money_of_own_agreement_only(client, funded, users, make_agreement, orgs):
    client.force_login(users["partner_beta"])
    assert client.get(reverse("finance:agreement", args=[funded.pk])).status_code == 404
    client.force_login(users["partner_alpha"])
    assert client.get(reverse("finance:agreement", args=[funded.pk])).status_code == 200
    assert client.get(reverse("finance:terms", args=[funded.pk])).status_code == 403
    assert client.get(reverse("finance:portfolio")).status_code == 403


def test_commitments_and_payment_plan_commands(funded):
    funded.status = "active"
    funded.save()
    out = StringIO()
    call_command("commitments", "--from", "2024", "--to", "2028", "--format", "json", stdout=out)
    records = json.loads(out.getvalue(), parse_float=Decimal)
    assert [r["year"] for r in records] == [2025, 2026, 2027, 2028]
    first = records[0]
    assert set(first) >= {
        "agreement_id",
        "year",
        "amount_sek",
        "indexed_amount_sek",
        "index_is_forecast",
        "by_funding_source",
    }
    assert first["amount_sek"] == 2020000 and first["by_funding_source"]["Folkhälsomedel"] == 400000
    out = StringIO()
    call_command("payment_plan", str(funded.pk), "--format", "json", stdout=out)
    plan = json.loads(out.getvalue(), parse_float=Decimal)
    assert {"due_on", "amount_sek", "funding_source", "status"} <= set(plan[0])
    assert sum(Decimal(str(p["amount_sek"])) for p in plan) == Decimal("12120000")


def test_money_form_errors(client, funded, users):
    client.force_login(users["officer_north"])
    response = client.post(
        reverse("finance:terms", args=[funded.pk]),
        {
            "basis": "annual",
            "annual_amount": "",
            "default_source": "X",
            "index_reference_month": "10",
            "deviation_threshold_percent": "10",
        },
    )
    assert response.status_code == 400 and "Ange beloppet per helår" in response.content.decode()
    response = client.post(
        reverse("finance:line_add", args=[funded.pk]),
        {"label": "Löner", "category": "personnel", "annual_amount": "1 234 567,50"},
    )
    assert response.status_code == 302
    assert funded.budget_lines.get().annual_amount == Decimal("1234567.50")
