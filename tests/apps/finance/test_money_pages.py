# SPDX-License-Identifier: EUPL-1.2
"""The money pages never fail: the portfolio download, chart text, long periods, errors in each language."""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import re
from decimal import Decimal
from fractions import Fraction
from xml.etree import ElementTree

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from apps.agreements.models import Agreement
from apps.finance import amounts, charts, services
from apps.finance.models import IndexValue, Payment
from apps.organisations.models import Organisation

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _activate(*agreements: Agreement) -> None:
    Agreement.objects.filter(pk__in=[a.pk for a in agreements]).update(status="active")


def _money_for(agreement: Agreement, actor, amount: str = "100000") -> None:
    services.finance_terms_save(
        actor=actor,
        agreement=agreement,
        data={
            "basis": "annual",
            "annual_amount": Decimal(amount),
            "default_source": "Socialnämnden Norr",
            "payment_frequency": "annual",
            "payment_in_advance": True,
            "payment_months": [1],
        },
    )


def _chart_svg(html: str) -> str:
    match = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert match, "the portfolio shows its chart"
    return base64.b64decode(match.group(1)).decode("utf-8")


# --- The portfolio's download ----------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
def test_the_excel_link_on_the_first_visit_downloads_the_table_on_the_screen(client, funded, users) -> None:
    _activate(funded)
    client.force_login(users["controller_city"])
    page = client.get(reverse("finance:portfolio"))  # no parameters: the page's default years
    assert page.status_code == 200
    html = page.content.decode()
    link = re.search(r'href="([^"]*format=xlsx[^"]*)"', html)
    assert link, "the page offers the download"
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [2025, 2026, 2027, 2028]


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False)
def test_a_download_url_with_only_the_format_uses_the_page_defaults(client, funded, users) -> None:
    _activate(funded)
    client.force_login(users["controller_city"])
    response = client.get(reverse("finance:portfolio"), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX


def test_the_download_keeps_the_chosen_years_and_body(client, funded, users, orgs) -> None:
    _activate(funded)
    client.force_login(users["controller_city"])
    page = client.get(
        reverse("finance:portfolio"),
        {"first_year": "2027", "last_year": "2028", "public_body": str(orgs["north_dept"].pk)},
    )
    link = re.search(r'href="([^"]*format=xlsx[^"]*)"', page.content.decode()).group(1).replace("&amp;", "&")
    assert "first_year=2027" in link and "last_year=2028" in link and f"public_body={orgs['north_dept'].pk}" in link
    sheet = load_workbook(io.BytesIO(client.get(link).getvalue())).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [2027, 2028]


def test_bad_years_are_a_clear_error_not_a_download(client, users) -> None:
    client.force_login(users["controller_city"])
    response = client.get(reverse("finance:portfolio"), {"first_year": "2030", "last_year": "2020", "format": "xlsx"})
    assert response.status_code == 400
    assert "Det sista året kan inte vara före det första." in response.content.decode()


# --- Chart text is never mathematics ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Förening $x$", "Kassan $ för 100 %", "A_b^c \\frac{1}{2} $$"])
def test_a_partner_name_with_dollars_is_drawn_as_written(client, make_agreement, users, name: str) -> None:
    partner = Organisation.objects.create(name=name, org_number="802473-9412", kind="non_profit")
    agreement = make_agreement(nonprofit=partner)
    _money_for(agreement, users["officer_north"])
    _activate(agreement)
    client.force_login(users["controller_city"])
    response = client.get(reverse("finance:portfolio"), {"first_year": "2025", "last_year": "2028"})
    assert response.status_code == 200
    assert name.replace("$", "") in _chart_svg(response.content.decode()).replace("$", "")
    assert f">{name.replace('&', '&amp;')}<" in _chart_svg(response.content.decode())


def test_chart_writes_names_as_text() -> None:
    svg = charts.stacked_bars_svg(
        [2025, 2026],
        {"Förening $x$ & <b>": {2025: Decimal(1000)}, "_dold": {2025: Decimal(5), 2026: Decimal(7)}},
    )
    root = ElementTree.fromstring(svg)  # well-formed: the names are escaped, never markup
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Förening $x$ & <b>" in texts and "_dold" in texts  # as typed: no mathtext, no hidden legend entry
    assert "2025" in texts and "2026" in texts


def test_chart_axis_is_round_and_bars_are_to_scale() -> None:
    assert charts.nice_step(4_040_000) == 1_000_000 and charts.nice_step(9_000) == 2_000
    assert charts.kronor(2_500_000) == "2,5 mnkr" and charts.kronor(450_000) == "450 tkr"
    svg = charts.stacked_bars_svg([2025], {"A": {2025: Decimal(3_000_000)}, "B": {2025: Decimal(1_000_000)}})
    bars = [
        r
        for r in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}rect")
        if r.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    heights = [float(r.get("height")) for r in bars]
    assert heights[0] == pytest.approx(3 * heights[1])  # A is three times B
    assert sum(heights) == pytest.approx(charts.HEIGHT - charts.TOP - charts.BOTTOM)  # 4 mnkr: the top tick


# --- Long periods and bounded money ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "language", "message"),
    [
        (dt.date(2160, 7, 1), "sv", "Perioden 2025-07-01 – 2160-07-01 är längre än 50 år"),
        (dt.date(2160, 7, 1), "en", "The period 2025-07-01 – 2160-07-01 is longer than 50 years"),
        (dt.date(2260, 7, 1), "sv", "Året 2260 ligger utanför de år systemet hanterar (1900–2200)."),
        (dt.date(2260, 7, 1), "en", "The year 2260 is outside the years the system handles (1900–2200)."),
    ],
)
def test_a_long_indexed_period_is_a_translated_message_not_a_server_error(
    client, funded, users, pkv, end: dt.date, language: str, message: str
) -> None:
    """An agreement stored with a very long period (before the bounds existed) still shows its pages.

    The defect: some 170 years of 3-decimal PKV values overflowed a fixed precision with decimal.Inexact.
    """
    for year in range(2024, 2200):
        IndexValue.objects.create(series=pkv, year=year, percent=Decimal("2.345"))
    Agreement.objects.filter(pk=funded.pk).update(end_date=end, status="active")
    amounts.rebuild()  # as the migration that keeps the amounts as data computes them for stored agreements
    client.force_login(users["controller_city"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("finance:agreement", args=[funded.pk]))
    assert page.status_code == 200
    assert message in page.content.decode()
    portfolio = client.get(reverse("finance:portfolio"), {"first_year": "2025", "last_year": "2028"})
    assert portfolio.status_code == 200
    assert message in portfolio.content.decode()
    regenerate = client.post(reverse("finance:plan_regenerate", args=[funded.pk]), follow=True)
    assert regenerate.status_code == 200 and message in regenerate.content.decode()


def test_fifty_years_of_published_index_values_are_computed_exactly(client, make_agreement, users, pkv) -> None:
    agreement = make_agreement(end_date=dt.date(2075, 7, 1))
    for year in range(2025, 2075):
        IndexValue.objects.create(series=pkv, year=year, percent=Decimal("2.345"))
    services.finance_terms_save(
        actor=users["officer_north"],
        agreement=agreement,
        data={
            "basis": "annual",
            "annual_amount": Decimal("4040000"),
            "default_source": "Socialnämnden Norr",
            "index_series": pkv,
            "index_reference_month": 10,
            "payment_frequency": "annual",
            "payment_in_advance": True,
            "payment_months": [1],
        },
    )
    client.force_login(users["officer_north"])
    assert client.get(reverse("finance:agreement", args=[agreement.pk])).status_code == 200
    payments = Payment.objects.filter(agreement=agreement)
    assert {p.due_on.year for p in payments} == set(range(2025, 2076))
    # 2074 is uplifted from 2026 on: 49 steps of 2.345 %, exact, rounded once to öre.
    exact = Fraction(4040000) * Fraction("1.02345") ** 49
    ore = math.floor(exact * 100 + Fraction(1, 2))  # ROUND_HALF_UP
    assert payments.get(key="2074-01:Socialnämnden Norr").amount == Decimal(ore).scaleb(-2)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "3000", "percent": "2.9"}, "year", "2200"),
        ({"year": "1850", "percent": "2.9"}, "year", "1900"),
        ({"year": "2026", "percent": "2.9999"}, "percent", "3 decimaler"),
    ],
)
def test_an_index_value_out_of_bounds_is_a_field_error(client, index_keeper, pkv, data, field, message) -> None:
    users = {"controller_city": index_keeper}
    client.force_login(users["controller_city"])
    response = client.post(reverse("finance:index_value_add", args=[pkv.pk]), {"reference_month": "10", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and message in html
    assert not IndexValue.objects.exists()


def test_an_actual_cost_outside_the_year_range_is_a_field_error(client, funded, users) -> None:
    from apps.finance.models import ActualCost, BudgetLine

    line = BudgetLine.objects.create(agreement=funded, label="Lön", annual_amount=Decimal(1000))
    client.force_login(users["officer_north"])
    response = client.post(
        reverse("finance:cost_add", args=[funded.pk]),
        {"budget_line": str(line.pk), "period_start": "1800-01-01", "period_end": "1800-03-31", "amount": "10"},
    )
    assert response.status_code == 400
    assert "Året 1800 ligger utanför de år systemet hanterar (1900–2200)." in response.content.decode()
    assert not ActualCost.objects.exists()


# --- The PKV form ----------------------------------------------------------------------------------------


def _checkbox(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_a_new_index_value_starts_as_a_published_real_figure(client, users, index_keeper, pkv) -> None:
    client.force_login(users["controller_city"])
    html = client.get(reverse("finance:index_value_add", args=[pkv.pk])).content.decode()
    assert "checked" not in _checkbox(html, "is_forecast")
    assert "checked" not in _checkbox(html, "is_example")


def test_editing_an_example_value_starts_unticked_so_the_real_figure_replaces_it(
    client, users, index_keeper, pkv
) -> None:
    example = IndexValue.objects.create(
        series=pkv,
        year=2025,
        percent=Decimal("2.9"),
        is_example=True,
        is_forecast=True,
        source="Exempelvärde i demodata",
    )
    forecast = IndexValue.objects.create(series=pkv, year=2026, percent=Decimal("3.1"), is_forecast=True)
    client.force_login(users["controller_city"])
    html = client.get(reverse("finance:index_value_edit", args=[pkv.pk, example.pk])).content.decode()
    assert "checked" not in _checkbox(html, "is_forecast") and "checked" not in _checkbox(html, "is_example")
    # A real forecast keeps its state: editing its source must not publish it by accident.
    html = client.get(reverse("finance:index_value_edit", args=[pkv.pk, forecast.pk])).content.decode()
    assert "checked" in _checkbox(html, "is_forecast")
