# SPDX-License-Identifier: EUPL-1.2
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.agreements import services as agreement_services
from apps.audit.models import AuditEvent
from apps.finance import selectors, services
from apps.finance.models import BudgetLine, FinanceTerms, Payment

pytestmark = pytest.mark.django_db

D = Decimal


def test_terms_generate_the_payment_plan(funded):
    payments = list(funded.payments.order_by("due_on", "funding_source"))
    assert sum(p.amount for p in payments) == D("12120000")  # 3 years × 4 040 000, no index values yet
    july_2025 = [p for p in payments if p.due_on.isoformat().startswith("2025-07")]
    assert {(p.funding_source, p.amount) for p in july_2025} == {
        ("Folkhälsomedel", D("400000")),
        ("Socialnämnden Norr", D("1620000")),
    }
    assert all(isinstance(p.amount, Decimal) for p in payments)
    assert AuditEvent.objects.filter(agreement=funded, action="payment_plan.regenerated").exists()


def test_year_amounts_pro_rata_and_by_source(funded):
    years = {y.year: y for y in selectors.agreement_finance(funded).years}
    assert {y: f.base for y, f in years.items()} == {
        2025: D("2020000"),
        2026: D("4040000"),
        2027: D("4040000"),
        2028: D("2020000"),
    }
    assert years[2026].by_source == {"Socialnämnden Norr": D("3240000"), "Folkhälsomedel": D("800000")}
    # No PKV value entered: the uplift years are forecasts with factor 1, never silently 0 %.
    assert years[2025].is_forecast is False
    assert years[2026].is_forecast is True and years[2026].missing_years


def test_index_value_uplifts_and_regenerates_without_touching_recorded_payments(
    funded, users, index_keeper, pkv, django_capture_on_commit_callbacks
):
    controller = users["controller_city"]
    first = funded.payments.get(key="2025-07:Socialnämnden Norr")
    services.payment_record(
        actor=users["officer_north"],
        payment=first,
        status="invoiced",
        invoice_number="F-1",
        invoiced_on=dt.date(2025, 7, 1),
    )
    services.payment_record(actor=users["officer_north"], payment=first, status="paid", paid_on=dt.date(2025, 7, 20))
    with django_capture_on_commit_callbacks(execute=True):  # the plans follow in a task after the commit
        services.index_value_save(
            actor=controller, series=pkv, data={"year": 2025, "reference_month": 10, "percent": D("2.8")}
        )
    first.refresh_from_db()
    assert (first.status, first.amount, first.invoice_number) == ("paid", D("1620000"), "F-1")
    jan_2026 = funded.payments.get(key="2026-01:Socialnämnden Norr")
    # 4 040 000 × 1.028 = 4 153 120; half a year less half the folkhälsomedel
    assert jan_2026.amount == D("1676560")
    years = {y.year: y for y in selectors.agreement_finance(funded).years}
    assert years[2026].indexed == D("4153120") and years[2026].is_forecast is False
    assert years[2027].is_forecast is True  # the October 2026 value is not published yet


def test_only_controllers_enter_index_values(users, pkv):
    with pytest.raises(PermissionDenied):
        services.index_value_save(
            actor=users["officer_north"], series=pkv, data={"year": 2025, "reference_month": 10, "percent": D("2.8")}
        )


def test_payment_status_rules(funded, users):
    officer = users["officer_north"]
    payment = funded.payments.first()
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=officer, payment=payment, status="invoiced", invoice_number="")
    assert "invoice_number" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.payment_record(actor=officer, payment=payment, status="paid")  # paid needs a date
    payment.refresh_from_db()
    assert payment.status == "planned"
    with pytest.raises(PermissionDenied):
        services.payment_record(actor=users["partner_alpha"], payment=payment, status="invoiced", invoice_number="X")


def test_extension_regenerates_the_plan(funded, users):
    before = sum(p.amount for p in funded.payments.all())
    agreement_services.agreement_update(
        actor=users["officer_north"], agreement=funded, data={"end_date": dt.date(2029, 7, 1)}
    )
    after = sum(p.amount for p in Payment.objects.filter(agreement=funded))
    assert after - before == D("4040000")


def test_funding_sources_cannot_exceed_the_amount(funded, users):
    with pytest.raises(ValidationError):
        services.funding_source_save(
            actor=users["officer_north"],
            agreement=funded,
            data={"name": "Regionen", "annual_amount": D("5000000"), "share_percent": None},
        )
    assert funded.funding_sources.count() == 1


def test_budget_lines_are_checked_against_the_amount(funded, users):
    actor = users["officer_north"]
    services.budget_line_save(
        actor=actor, agreement=funded, data={"label": "Löner", "annual_amount": D("4000000"), "category": "personnel"}
    )
    (check,) = selectors.agreement_finance(funded).checks
    assert not check.ok and check.difference == D("-40000")
    services.budget_line_save(
        actor=actor, agreement=funded, data={"label": "Hyra", "annual_amount": D("40000"), "category": "premises"}
    )
    (check,) = selectors.agreement_finance(funded).checks
    assert check.ok


def test_actual_costs_flag_deviations(funded, users):
    line = services.budget_line_save(
        actor=users["officer_north"],
        agreement=funded,
        data={"label": "Löner", "annual_amount": D("1200000"), "category": "personnel"},
    )
    services.actual_cost_record(
        actor=users["partner_alpha"],
        line=line,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        amount=D("390000"),
    )
    (dev,) = selectors.agreement_finance(funded).deviations
    assert (dev.budget, dev.actual, dev.percent, dev.flagged) == (D("300000.00"), D("390000"), D("30.00"), True)
    with pytest.raises(PermissionDenied):
        services.actual_cost_record(
            actor=users["partner_beta"],
            line=line,
            period_start=dt.date(2026, 4, 1),
            period_end=dt.date(2026, 6, 30),
            amount=D("1"),
        )
    with pytest.raises(ValidationError):
        services.finance_row_delete(actor=users["officer_north"], obj=line)
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_repayment_claim(funded, users):
    claim = services.repayment_claim_save(
        actor=users["officer_north"],
        agreement=funded,
        data={"amount": D("50000"), "reason": "Medel använda utanför ändamålet", "claimed_on": dt.date(2026, 3, 1)},
    )
    with pytest.raises(ValidationError):
        services.repayment_claim_save(
            actor=users["officer_north"], agreement=funded, claim=claim, data={"status": "repaid"}
        )
    claim.refresh_from_db()
    assert claim.status == "claimed"


def test_fixed_total_keeps_the_total(make_agreement, users):
    agreement = make_agreement(start_date=dt.date(2024, 12, 1), end_date=dt.date(2025, 12, 31))
    services.finance_terms_save(
        actor=users["officer_north"],
        agreement=agreement,
        data={
            "basis": "total",
            "total_amount": D("800000"),
            "default_source": "Förvaltningen",
            "payment_frequency": "once",
            "payment_in_advance": True,
            "payment_months": [],
        },
    )
    assert sum(p.amount for p in agreement.payments.all()) == D("800000")
    assert FinanceTerms.objects.get(agreement=agreement).annual_amount is None


def test_finance_apply_draft(make_agreement, users):
    agreement = make_agreement()
    agreement_services.intervention_save(
        actor=users["officer_north"],
        agreement=agreement,
        data={"label": "Del 1", "title": "Kulturtolkar", "kind": "local"},
    )
    services.finance_apply_draft(
        actor=users["officer_north"],
        agreement=agreement,
        annual_amount=D("4040000"),
        total_amount=None,
        indexation={"index": "PKV", "reference_month": 10},
        payment_schedule={"frequency": "semiannual", "in_advance": True, "months": [1, 7]},
        budget_lines=[
            {"label": "Löner", "amount": D("1760000"), "section": "Del 1", "year": None},
            {"label": "Kostnad 2025", "amount": D("5"), "section": None, "year": 2025},
        ],
    )
    terms = FinanceTerms.objects.get(agreement=agreement)
    assert (terms.annual_amount, terms.index_series.code, terms.payment_months) == (D("4040000"), "PKV", [1, 7])
    (line,) = agreement.budget_lines.all()
    assert line.intervention.label == "Del 1"
