# SPDX-License-Identifier: EUPL-1.2
"""The committed amounts kept as data (issue 9): always what the rules compute from the rows, after every
kind of write, and the portfolio and ``commitments`` read from them with a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement
from apps.finance import amounts, calculations, recalculation, selectors, services
from apps.finance.models import CommitmentSummary, FinanceTerms, IndexValue, YearAmount, YearSourceAmount
from apps.organisations import services as organisation_services
from apps.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def live(agreement: Agreement) -> list[tuple[Any, ...]]:
    """The year figures computed now from the agreement's rows, as the stored rows would hold them."""
    terms = FinanceTerms.objects.select_related("index_series").get(agreement=agreement)
    agreement = Agreement.objects.get(pk=agreement.pk)
    values = list(IndexValue.objects.filter(series_id=terms.index_series_id)) if terms.index_series_id else []
    figures = calculations.year_figures(agreement, terms, list(agreement.funding_sources.all()), values)
    return [(f.year, f.months, f.base, f.indexed, f.is_forecast, list(f.by_source.items())) for f in figures]


def stored(agreement: Agreement) -> list[tuple[Any, ...]]:
    splits: dict[int, list[tuple[str, D]]] = {}
    for s in YearSourceAmount.objects.filter(agreement=agreement).order_by("year", "position"):
        splits.setdefault(s.year, []).append((s.source, s.amount))
    return [
        (y.year, y.months, y.base_amount, y.indexed_amount, y.is_forecast, splits.get(y.year, []))
        for y in YearAmount.objects.filter(agreement=agreement).order_by("year")
    ]


def test_the_services_keep_the_amounts_in_line_with_the_rules(funded, users, pkv) -> None:
    actor = users["officer_north"]
    assert stored(funded) == live(funded) and len(stored(funded)) == 4  # 2025-07 – 2028-07: four calendar years
    summary = CommitmentSummary.objects.get(agreement=funded)
    assert (summary.partners, summary.partner_names, summary.problem_code) == (
        "Föreningen Alfa",
        ["Föreningen Alfa"],
        "",
    )
    terms = FinanceTerms.objects.get(agreement=funded)
    services.finance_terms_save(
        actor=actor,
        agreement=funded,
        data={"annual_amount": D("5000000")},
        expected_version=terms.version,
    )
    assert stored(funded) == live(funded) and stored(funded)[1][2] == D("5000000")
    source = funded.funding_sources.get()
    services.funding_source_save(
        actor=actor,
        agreement=funded,
        source=source,
        data={
            "name": "Folkhälsomedel",
            "annual_amount": D("900000"),
            "share_percent": None,
            "invoiced_separately": True,
        },
        expected_version=source.version,
    )
    assert stored(funded) == live(funded) and dict(stored(funded)[1][5])["Folkhälsomedel"] == D("900000")
    agreement_services.agreement_update(actor=actor, agreement=funded, data={"end_date": dt.date(2029, 7, 1)})
    funded.refresh_from_db()
    assert stored(funded) == live(funded) and [row[0] for row in stored(funded)] == [2025, 2026, 2027, 2028, 2029]
    services.finance_row_delete(actor=actor, obj=funded.funding_sources.get())
    assert stored(funded) == live(funded) and [name for name, _ in stored(funded)[1][5]] == ["Socialnämnden Norr"]


def test_a_recalculation_in_bulk_stores_what_it_computed(funded, pkv) -> None:
    IndexValue.objects.create(series=pkv, year=2025, reference_month=10, percent=D("3.1"))
    before = stored(funded)
    assert before != live(funded)  # a value written behind the services' back: the rows are as they were
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(recalculation, "_may_reach", lambda series, from_year: True)
        found = recalculation.plan_recalculation_queue(actor=None, series=pkv, year=2025, trigger="saved", force=True)
    assert found is not None
    recalculation.plan_recalculation_run(found.pk)
    assert stored(funded) == live(funded) != before


def test_partners_follow_the_parties_and_a_new_name(funded, users, orgs) -> None:
    actor = users["officer_north"]
    organisation_services.organisation_update(
        actor=actor,
        organisation=orgs["alpha"],
        data={"name": "Föreningen Alfa Väst"},
        expected_version=orgs["alpha"].version,
    )
    assert CommitmentSummary.objects.get(agreement=funded).partners == "Föreningen Alfa Väst"
    funded.refresh_from_db()
    agreement_services.agreement_update(
        actor=actor,
        agreement=funded,
        data={},
        parties=[
            agreement_services.PartyInput(role="public", organisation=orgs["north_dept"]),
            agreement_services.PartyInput(role="nonprofit", organisation=orgs["beta"]),
            agreement_services.PartyInput(role="nonprofit", organisation=Organisation.objects.get(pk=orgs["alpha"].pk)),
        ],
        expected_version=funded.version,
    )
    summary = CommitmentSummary.objects.get(agreement=funded)
    assert summary.partner_names == ["Stiftelsen Beta", "Föreningen Alfa Väst"]
    assert summary.partners == "Stiftelsen Beta, Föreningen Alfa Väst"


def test_rebuild_is_idempotent_and_records_what_cannot_be_computed(funded, pkv) -> None:
    before = stored(funded)
    assert amounts.rebuild() == Agreement.objects.count()
    assert stored(funded) == before
    for year in range(2024, 2200):
        IndexValue.objects.create(series=pkv, year=year, percent=D("2.345"))
    Agreement.objects.filter(pk=funded.pk).update(end_date=dt.date(2160, 7, 1))
    amounts.rebuild()
    summary = CommitmentSummary.objects.get(agreement=funded)
    assert summary.problem_code and stored(funded) == []


def _nonprofit(i: int) -> Organisation:
    return Organisation.objects.create(name=f"Förening {i:02d}", kind="non_profit")


def _active(make_agreement, nonprofit: Organisation, amount: D, actor: Any) -> Agreement:
    agreement = make_agreement(title=f"IOP {nonprofit.name}", nonprofit=nonprofit)
    services.finance_terms_save(
        actor=actor,
        agreement=agreement,
        data={
            "basis": "annual",
            "annual_amount": amount,
            "default_source": "Socialnämnden Norr",
            "payment_frequency": "annual",
            "payment_in_advance": True,
            "payment_months": [1],
        },
    )
    Agreement.objects.filter(pk=agreement.pk).update(status="active")
    return agreement


def test_the_chart_shows_the_largest_partners_and_the_others_together(make_agreement, users) -> None:
    for i in range(1, 11):
        _active(make_agreement, _nonprofit(i), D(100000 * i), users["officer_north"])
    p = selectors.portfolio(users["controller_city"], first_year=2026, last_year=2026, other_label="Övriga")
    assert list(p.chart) == [f"Förening {i:02d}" for i in range(10, 3, -1)] + ["Övriga"]
    assert p.chart["Övriga"][2026] == D(100000 + 200000 + 300000)
    assert sum(s[2026] for s in p.chart.values()) == p.by_year[2026]["indexed"]
    assert p.partners is not None and p.partners.paginator.count == 10
    assert [row.name for row in p.partners][:2] == ["Förening 10", "Förening 09"]  # the largest first


def test_the_partner_table_pages_and_the_excel_file_has_every_partner(
    client, make_agreement, users, monkeypatch
) -> None:
    monkeypatch.setattr(selectors, "PARTNERS_PER_PAGE", 3)
    for i in range(1, 8):
        _active(make_agreement, _nonprofit(i), D(100000 * i), users["officer_north"])
    client.force_login(users["controller_city"])
    page2 = client.get(reverse("finance:portfolio"), {"first_year": 2026, "last_year": 2026, "partner_page": 2})
    html = page2.content.decode()
    assert page2.status_code == 200 and "Förening 04" in html and "Förening 07" not in html.split("<table")[2]
    response = client.get(reverse("finance:portfolio"), {"first_year": 2026, "last_year": 2026, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.getvalue()))
    names = [row[0].value for row in book["Per partner"].iter_rows(min_row=2)]
    assert sorted(names) == [f"Förening {i:02d}" for i in range(1, 8)]
    assert len(list(book["Överenskommelser"].iter_rows(min_row=2))) == 7


def test_the_portfolio_reads_the_same_number_of_queries_however_many_agreements(make_agreement, users) -> None:
    def count() -> int:
        user = type(users["controller_city"]).objects.get(pk=users["controller_city"].pk)
        with CaptureQueriesContext(connection) as queries:
            selectors.portfolio(user, first_year=2025, last_year=2028)
        return len(queries)

    _active(make_agreement, _nonprofit(1), D(100000), users["officer_north"])
    few = count()
    for i in range(2, 12):
        _active(make_agreement, _nonprofit(i), D(100000), users["officer_north"])
    assert count() == few


def test_commitments_reads_the_kept_amounts_in_two_queries(funded, make_agreement, orgs, users) -> None:
    Agreement.objects.filter(pk=funded.pk).update(status="active")
    other = _active(make_agreement, orgs["beta"], D(250000), users["officer_north"])
    with CaptureQueriesContext(connection) as queries:
        items, problems = selectors.commitments(Agreement.objects.all(), 2025, 2029)
        records = list(items)
    assert len(queries) == 3 and problems == []  # the problems, the years, the funding sources
    assert [(r.agreement_id, r.year) for r in records] == sorted((r.agreement_id, r.year) for r in records)
    assert {r.agreement_id for r in records} == {funded.pk, other.pk}
    out = StringIO()
    call_command("commitments", "--from", "2025", "--to", "2029", stdout=out)
    data = json.loads(out.getvalue(), parse_float=D)
    first = next(r for r in data if r["agreement_id"] == funded.pk and r["year"] == 2026)
    figures = {row[0]: row for row in live(funded)}
    assert first["indexed_amount_sek"] == figures[2026][3] and first["partners"] == ["Föreningen Alfa"]
    assert first["by_funding_source"] == dict(figures[2026][5])


def test_the_cached_portfolio_follows_a_change_once_it_commits(
    funded, users, django_capture_on_commit_callbacks
) -> None:
    Agreement.objects.filter(pk=funded.pk).update(status="active")
    controller = users["controller_city"]
    first = selectors.cached_portfolio(controller, first_year=2026, last_year=2026)
    assert first.by_year[2026]["base"] == D("4040000") and [r.name for r in first.partners] == ["Föreningen Alfa"]
    terms = FinanceTerms.objects.get(agreement=funded)
    with django_capture_on_commit_callbacks(execute=True):
        services.finance_terms_save(
            actor=users["officer_north"],
            agreement=funded,
            data={"annual_amount": D("5000000")},
            expected_version=terms.version,
        )
    again = selectors.cached_portfolio(type(controller).objects.get(pk=controller.pk), first_year=2026, last_year=2026)
    assert again.by_year[2026]["base"] == D("5000000")
    other_scope = selectors.cached_portfolio(users["officer_south"], first_year=2026, last_year=2026)
    assert other_scope.by_year[2026]["base"] == 0 and other_scope.partners is None  # never another scope's value


def test_an_agreement_without_a_payment_rule_keeps_its_amounts_in_line_with_the_index(
    make_agreement, users, pkv
) -> None:
    """No plan to recalculate, but its amounts follow the index: the recalculation computes them too."""
    agreement = make_agreement(title="IOP Utan betalregel", nonprofit=_nonprofit(1))
    services.finance_terms_save(
        actor=users["officer_north"],
        agreement=agreement,
        data={
            "basis": "annual",
            "annual_amount": D("1000000"),
            "default_source": "Socialnämnden Norr",
            "index_series": pkv,
            "index_reference_month": 10,
            "payment_frequency": "",
        },
    )
    Agreement.objects.filter(pk=agreement.pk).update(status="active")
    assert stored(agreement) == live(agreement)
    IndexValue.objects.create(series=pkv, year=2025, reference_month=10, percent=D("4.0"))
    found = recalculation.plan_recalculation_queue(actor=None, series=pkv, year=2025, trigger="saved", force=True)
    assert found is not None
    recalculation.plan_recalculation_run(found.pk)
    assert stored(agreement) == live(agreement) and stored(agreement)[1][3] == D("1040000")
