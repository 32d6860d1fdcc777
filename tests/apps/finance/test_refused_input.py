# SPDX-License-Identifier: EUPL-1.2
"""Input that makes no sense is refused on the page with a field error, answers 400 and saves nothing
(issue 8, item 6): dates in the wrong order, actual costs outside the agreement's period, months and years
out of range, a total amount and an annual amount given together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.finance import services
from apps.finance.models import ActualCost, BudgetLine, FinanceTerms, IndexValue, Payment, RepaymentClaim
from tests.apps.finance.formdata import form_data

pytestmark = pytest.mark.django_db


def _page_form(client: Client, url: str, containing: str, **changes: Any) -> dict[str, Any]:
    data = form_data(client.get(url).content.decode(), containing=containing)
    data.update(changes)
    return data


def _refused(response: Any, field: str, message: str) -> None:
    html = response.content.decode()
    assert response.status_code == 400, html[:2000]
    assert f'id="id_{field}_error"' in html, html[:4000]
    assert message in html, html[:4000]


@pytest.fixture
def officer(client: Client, users: dict[str, Any]) -> Client:
    client.force_login(users["officer_north"])
    return client


@pytest.fixture
def controller(client: Client, users: dict[str, Any]) -> Client:
    client.force_login(users["controller_city"])
    return client


# --- Repayment claims ----------------------------------------------------------------------------------


CLAIM = {"amount": "5000", "reason": "Ej använda medel", "claimed_on": "2026-02-01", "status": "claimed"}


def test_a_claim_to_be_repaid_before_it_was_made_is_refused(officer: Client, funded: Any) -> None:
    url = reverse("finance:claim_add", args=[funded.pk])
    response = officer.post(url, _page_form(officer, url, "reason", **CLAIM, due_on="2026-01-15"))
    _refused(response, "due_on", "Sista dag för återbetalning kan inte vara före kravets datum.")
    assert not RepaymentClaim.objects.exists()


def test_a_claim_settled_before_it_was_made_is_refused(officer: Client, funded: Any) -> None:
    url = reverse("finance:claim_add", args=[funded.pk])
    data = _page_form(officer, url, "reason", **{**CLAIM, "status": "repaid"}, settled_on="2026-01-15")
    _refused(officer.post(url, data), "settled_on", "Ett krav kan inte regleras före kravets datum.")
    assert not RepaymentClaim.objects.exists()


def test_a_claim_dated_in_another_millennium_is_refused(officer: Client, funded: Any) -> None:
    url = reverse("finance:claim_add", args=[funded.pk])
    response = officer.post(url, _page_form(officer, url, "reason", **{**CLAIM, "claimed_on": "2999-02-01"}))
    _refused(response, "claimed_on", "Året 2999 ligger utanför de år systemet hanterar (1900–2200).")
    assert not RepaymentClaim.objects.exists()


def test_a_claim_in_good_order_is_saved(officer: Client, funded: Any) -> None:
    url = reverse("finance:claim_add", args=[funded.pk])
    response = officer.post(url, _page_form(officer, url, "reason", **CLAIM, due_on="2026-03-01"))
    assert response.status_code == 302
    assert RepaymentClaim.objects.get().due_on == dt.date(2026, 3, 1)


def test_the_service_refuses_dates_in_the_wrong_order(funded: Any, users: dict[str, Any]) -> None:
    data = {"amount": Decimal(5000), "reason": "x", "claimed_on": dt.date(2026, 2, 1), "status": "claimed"}
    with pytest.raises(ValidationError) as info:
        services.repayment_claim_save(
            actor=users["officer_north"], agreement=funded, data={**data, "due_on": dt.date(2026, 1, 1)}
        )
    assert "due_on" in info.value.message_dict
    assert not RepaymentClaim.objects.exists()


# --- Payments ------------------------------------------------------------------------------------------


def _first_payment(agreement: Any) -> Payment:
    return Payment.objects.filter(agreement=agreement, status="planned").order_by("due_on").first()  # type: ignore[return-value]


def test_paid_before_invoiced_is_refused(controller: Client, funded: Any) -> None:
    payment = _first_payment(funded)
    url = reverse("finance:payment_record", args=[funded.pk, payment.pk])
    data = _page_form(
        controller,
        url,
        "paid_on",
        status="paid",
        invoice_number="F-1",
        invoiced_on="2026-01-20",
        paid_on="2026-01-10",
    )
    response = controller.post(url, data)
    assert response.status_code == 400
    assert "paid_on" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == "planned" and payment.paid_on is None


@pytest.mark.parametrize("field", ["invoiced_on", "paid_on"])
def test_payment_dates_out_of_range_are_refused(controller: Client, funded: Any, field: str) -> None:
    payment = _first_payment(funded)
    url = reverse("finance:payment_record", args=[funded.pk, payment.pk])
    dates = {"invoiced_on": "2026-01-20", "paid_on": "2026-01-25", field: "3026-01-25"}
    data = _page_form(controller, url, "paid_on", status="paid", invoice_number="F-1", **dates)
    _refused(controller.post(url, data), field, "Året 3026 ligger utanför de år systemet hanterar (1900–2200).")
    payment.refresh_from_db()
    assert payment.status == "planned"


def test_a_correction_paid_before_invoiced_or_out_of_range_is_refused(
    controller: Client, funded: Any, users: dict[str, Any]
) -> None:
    payment = _first_payment(funded)
    services.payment_record(
        actor=users["controller_city"],
        payment=payment,
        status="paid",
        invoice_number="F-1",
        invoiced_on=dt.date(2026, 1, 20),
        paid_on=dt.date(2026, 1, 25),
    )
    url = reverse("finance:payment_correct", args=[funded.pk, payment.pk])
    base = _page_form(controller, url, "reason", reason="Fel datum")
    assert controller.post(url, {**base, "paid_on": "2026-01-01"}).status_code == 400
    _refused(
        controller.post(url, {**base, "invoiced_on": "1066-10-14"}),
        "invoiced_on",
        "Året 1066 ligger utanför de år systemet hanterar (1900–2200).",
    )
    payment.refresh_from_db()
    assert payment.invoiced_on == dt.date(2026, 1, 20) and payment.paid_on == dt.date(2026, 1, 25)


# --- Actual costs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("2025-01-01", "2025-03-31", "period_start"), ("2028-07-01", "2028-09-30", "period_end")],
)
def test_an_actual_cost_outside_the_agreements_period_is_refused(
    officer: Client, funded: Any, start: str, end: str, field: str
) -> None:
    """The agreement runs 2025-07-01 – 2028-07-01."""
    line = BudgetLine.objects.create(agreement=funded, label="Lön", annual_amount=Decimal(1000))
    url = reverse("finance:cost_add", args=[funded.pk])
    data = {"budget_line": str(line.pk), "period_start": start, "period_end": end, "amount": "10"}
    _refused(
        officer.post(url, data), field, "Perioden måste ligga inom överenskommelsens period (2025-07-01–2028-07-01)."
    )
    assert not ActualCost.objects.exists()


def test_an_actual_cost_inside_the_period_is_saved(officer: Client, funded: Any) -> None:
    line = BudgetLine.objects.create(agreement=funded, label="Lön", annual_amount=Decimal(1000))
    url = reverse("finance:cost_add", args=[funded.pk])
    data = {"budget_line": str(line.pk), "period_start": "2025-07-01", "period_end": "2025-09-30", "amount": "10"}
    assert officer.post(url, data).status_code == 302
    assert ActualCost.objects.count() == 1


def test_an_actual_cost_end_before_start_is_refused(officer: Client, funded: Any) -> None:
    line = BudgetLine.objects.create(agreement=funded, label="Lön", annual_amount=Decimal(1000))
    url = reverse("finance:cost_add", args=[funded.pk])
    data = {"budget_line": str(line.pk), "period_start": "2026-03-31", "period_end": "2026-01-01", "amount": "10"}
    _refused(officer.post(url, data), "period_end", "Periodens slut kan inte vara före dess början.")
    assert not ActualCost.objects.exists()


# --- Money terms ---------------------------------------------------------------------------------------


def test_a_total_and_an_annual_amount_together_are_refused(officer: Client, funded: Any) -> None:
    url = reverse("finance:terms", args=[funded.pk])
    before = FinanceTerms.objects.get(agreement=funded)
    events = AuditEvent.objects.count()
    data = _page_form(officer, url, "annual_amount", annual_amount="4040000", total_amount="9000000")
    _refused(
        officer.post(url, data), "total_amount", "Ange antingen ett belopp per år eller ett totalbelopp, inte båda."
    )
    after = FinanceTerms.objects.get(agreement=funded)
    assert (after.annual_amount, after.total_amount) == (before.annual_amount, before.total_amount)
    assert AuditEvent.objects.count() == events


def test_the_service_refuses_a_total_and_an_annual_amount_together(funded: Any, users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        services.finance_terms_save(
            actor=users["officer_north"],
            agreement=funded,
            data={"basis": "total", "annual_amount": Decimal(1), "total_amount": Decimal(2)},
        )
    assert "total_amount" in info.value.message_dict


@pytest.mark.parametrize("month", ["0", "13", "-1"])
def test_an_index_reference_month_out_of_range_is_refused(officer: Client, funded: Any, month: str) -> None:
    url = reverse("finance:terms", args=[funded.pk])
    response = officer.post(url, _page_form(officer, url, "annual_amount", index_reference_month=month))
    assert response.status_code == 400
    assert 'id="id_index_reference_month_error"' in response.content.decode()
    assert FinanceTerms.objects.get(agreement=funded).index_reference_month == 10


def test_the_service_refuses_an_index_reference_month_out_of_range(funded: Any, users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        services.finance_terms_save(actor=users["officer_north"], agreement=funded, data={"index_reference_month": 13})
    assert "index_reference_month" in info.value.message_dict


@pytest.mark.parametrize("months", [["13"], ["0"], ["1", "7", "99"]])
def test_payment_months_out_of_range_are_refused(officer: Client, funded: Any, months: list[str]) -> None:
    url = reverse("finance:terms", args=[funded.pk])
    response = officer.post(url, _page_form(officer, url, "annual_amount", payment_months=months))
    assert response.status_code == 400 and 'id="id_payment_months_error"' in response.content.decode()
    assert FinanceTerms.objects.get(agreement=funded).payment_months == [1, 7]


@pytest.mark.parametrize(("field", "value"), [("reference_month", "13"), ("reference_month", "0"), ("year", "1800")])
def test_index_values_out_of_range_are_refused(
    controller: Client, pkv: Any, field: str, value: str, users: Any, index_keeper: Any
) -> None:
    controller.force_login(users["controller_city"])
    url = reverse("finance:index_value_add", args=[pkv.pk])
    data = _page_form(controller, url, "percent", year="2026", reference_month="10", percent="2.5")
    data[field] = value
    response = controller.post(url, data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not IndexValue.objects.exists()


@pytest.mark.parametrize(("first", "last"), [("1800", "1810"), ("2025", "9999")])
def test_portfolio_years_out_of_range_are_refused(controller: Client, funded: Any, first: str, last: str) -> None:
    response = controller.get(reverse("finance:portfolio"), {"first_year": first, "last_year": last})
    assert response.status_code == 400
