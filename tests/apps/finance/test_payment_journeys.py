# SPDX-License-Identifier: EUPL-1.2
"""A controller's and a case officer's payment journeys, through the pages: pay in one step, refuse a paid
date before the invoice, correct a recorded payment (audited), and see what is overdue."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.finance import services
from apps.finance.models import Payment

from .formdata import form_data

pytestmark = pytest.mark.django_db

JULY = "2025-07:Socialnämnden Norr"
JANUARY = "2026-01:Socialnämnden Norr"


def _record_url(payment: Payment) -> str:
    return reverse("finance:payment_record", args=[payment.agreement_id, payment.pk])


def _correct_url(payment: Payment) -> str:
    return reverse("finance:payment_correct", args=[payment.agreement_id, payment.pk])


def _post_form(client, url: str, **changes: str):
    data = form_data(client.get(url).content.decode(), containing="status")
    data.update(changes)
    return client.post(url, data)


def _paid(funded, users, key: str = JULY) -> Payment:
    payment = funded.payments.get(key=key)
    services.payment_record(
        actor=users["officer_north"],
        payment=payment,
        status="paid",
        invoice_number="F-1",
        invoiced_on=dt.date(2025, 7, 1),
        paid_on=dt.date(2025, 7, 20),
    )
    return Payment.objects.get(pk=payment.pk)


# --- Recording ------------------------------------------------------------------------------------------


def test_a_planned_payment_is_paid_in_one_step_with_the_invoice_details(client, funded, users) -> None:
    payment = funded.payments.get(key=JULY)
    client.force_login(users["officer_north"])
    response = _post_form(
        client,
        _record_url(payment),
        status="paid",
        invoice_number="F-2025-07",
        invoiced_on="2025-07-01",
        paid_on="2025-07-25",
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.invoice_number, payment.invoiced_on, payment.paid_on) == (
        "paid",
        "F-2025-07",
        dt.date(2025, 7, 1),
        dt.date(2025, 7, 25),
    )
    event = AuditEvent.objects.filter(action="payment.recorded").latest("pk")
    assert event.changes["status"] == ["planned", "paid"]


def test_paying_at_once_needs_the_invoice_details(client, funded, users) -> None:
    payment = funded.payments.get(key=JULY)
    client.force_login(users["officer_north"])
    response = _post_form(
        client, _record_url(payment), status="paid", invoice_number="", invoiced_on="", paid_on="2025-07-25"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_invoice_number_error"' in html and "Ange fakturanumret." in html
    assert 'id="id_invoiced_on_error"' in html and "Ange fakturadatumet." in html
    payment.refresh_from_db()
    assert payment.status == "planned"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("sv", "Betaldatumet (2025-07-01) kan inte vara före fakturadatumet (2025-07-03)."),
        ("en", "The payment date (2025-07-01) cannot be before the invoice date (2025-07-03)."),
    ],
)
def test_a_paid_date_before_the_invoice_date_is_refused(client, funded, users, language, message) -> None:
    payment = funded.payments.get(key=JULY)
    client.force_login(users["officer_north"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _post_form(
        client,
        _record_url(payment),
        status="paid",
        invoice_number="F-1",
        invoiced_on="2025-07-03",
        paid_on="2025-07-01",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="id_paid_on_error"' in html
    payment.refresh_from_db()
    assert (payment.status, payment.invoice_number, payment.paid_on) == ("planned", "", None)


def test_an_invoiced_payment_is_paid_with_its_recorded_invoice_and_never_before_it(client, funded, users) -> None:
    payment = funded.payments.get(key=JULY)
    services.payment_record(
        actor=users["officer_north"],
        payment=payment,
        status="invoiced",
        invoice_number="F-7",
        invoiced_on=dt.date(2025, 7, 3),
    )
    client.force_login(users["officer_north"])
    page = client.get(_record_url(payment)).content.decode()
    assert 'name="invoice_number"' not in page and "Faktura F-7, daterad 2025-07-03." in page
    assert _post_form(client, _record_url(payment), status="paid", paid_on="2025-07-02").status_code == 400
    assert _post_form(client, _record_url(payment), status="paid", paid_on="2025-07-03").status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.invoice_number, payment.paid_on) == ("paid", "F-7", dt.date(2025, 7, 3))


def test_a_paid_payment_is_not_recorded_again(client, funded, users) -> None:
    payment = _paid(funded, users)
    client.force_login(users["officer_north"])
    response = client.get(_record_url(payment), follow=True)
    assert "Betalningen är redan betald. En controller kan rätta den." in response.content.decode()


# --- Correcting ----------------------------------------------------------------------------------------


def test_a_controller_corrects_a_paid_payment_and_the_history_has_both_values(client, funded, users) -> None:
    payment = _paid(funded, users)
    client.force_login(users["controller_city"])
    money = client.get(reverse("finance:agreement", args=[funded.pk])).content.decode()
    assert _correct_url(payment) in money
    response = _post_form(
        client,
        _correct_url(payment),
        invoice_number="F-1b",
        paid_on="2025-07-22",
        reason="Fel fakturanummer i ekonomisystemet",
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.invoice_number, payment.paid_on) == ("paid", "F-1b", dt.date(2025, 7, 22))
    event = AuditEvent.objects.get(action="payment.corrected")
    assert event.actor == users["controller_city"] and event.agreement_id == funded.pk
    assert event.changes["invoice_number"] == ["F-1", "F-1b"]
    assert event.changes["paid_on"] == ["2025-07-20", "2025-07-22"]
    assert "Fel fakturanummer i ekonomisystemet" in event.summary
    assert funded.payments.get(key=JULY).amount == payment.amount  # the plan is not touched


def test_a_payment_recorded_as_paid_by_mistake_is_corrected_back_to_invoiced(client, funded, users) -> None:
    payment = _paid(funded, users)
    client.force_login(users["controller_city"])
    response = _post_form(client, _correct_url(payment), status="invoiced", reason="Inte betald ännu")
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on, payment.invoice_number) == ("invoiced", None, "F-1")


def test_a_correction_is_refused_when_it_is_inconsistent_or_changes_nothing(client, funded, users) -> None:
    payment = _paid(funded, users)
    client.force_login(users["controller_city"])
    early = _post_form(client, _correct_url(payment), paid_on="2025-06-30", reason="Datum")
    assert early.status_code == 400 and "kan inte vara före fakturadatumet (2025-07-01)" in early.content.decode()
    unchanged = _post_form(client, _correct_url(payment), reason="Ingenting")
    assert unchanged.status_code == 400
    assert "Inget ändrades: betalningen har redan de här uppgifterna." in unchanged.content.decode()
    no_reason = _post_form(client, _correct_url(payment), invoice_number="F-9", reason="")
    assert no_reason.status_code == 400
    payment.refresh_from_db()
    assert (payment.invoice_number, payment.paid_on) == ("F-1", dt.date(2025, 7, 20))
    assert not AuditEvent.objects.filter(action="payment.corrected").exists()


def test_only_a_controller_corrects_and_only_a_recorded_payment(client, funded, users) -> None:
    paid = _paid(funded, users)
    client.force_login(users["officer_north"])  # records payments, but does not correct them
    assert client.get(_correct_url(paid)).status_code == 403
    assert _correct_url(paid) not in client.get(reverse("finance:agreement", args=[funded.pk])).content.decode()
    client.force_login(users["partner_alpha"])
    assert client.get(_correct_url(paid)).status_code in (403, 404)
    client.force_login(users["controller_city"])
    planned = funded.payments.get(key=JANUARY)
    response = client.get(_correct_url(planned), follow=True)
    assert "Bara en fakturerad eller betald betalning kan rättas" in response.content.decode()


# --- Overdue -------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 2, 16, 9, 0), tick=False)
def test_planned_payments_past_their_due_date_show_as_overdue(client, funded, users) -> None:
    """Mid-February 2026: the July 2025 and January 2026 instalments (two sources each) are due and unpaid."""
    services.payment_record(
        actor=users["officer_north"],
        payment=funded.payments.get(key=JULY),
        status="invoiced",
        invoice_number="F-1",
        invoiced_on=dt.date(2025, 7, 1),
    )
    client.force_login(users["officer_north"])
    html = client.get(reverse("finance:agreement", args=[funded.pk])).content.decode()
    overdue = {p.key for p in funded.payments.all() if p.status == "planned" and p.due_on < dt.date(2026, 2, 16)}
    assert overdue == {"2025-07:Folkhälsomedel", JANUARY, "2026-01:Folkhälsomedel"}
    assert html.count(">Förfallen<") == 3
    assert "3 betalningar är förfallna (2 420 000 kr sammanlagt)" in html.replace("\u00a0", " ")
    out = StringIO()
    call_command("payment_plan", str(funded.pk), "--format", "json", stdout=out)
    records = {r["key"]: r for r in json.loads(out.getvalue())}
    assert {k for k, r in records.items() if r["overdue"]} == overdue
    assert records[JULY]["overdue"] is False and records[JULY]["status"] == "invoiced"


@time_machine.travel(dt.datetime(2025, 6, 1, 9, 0), tick=False)
def test_nothing_is_overdue_before_the_first_due_date(client, funded, users) -> None:
    client.force_login(users["officer_north"])
    html = client.get(reverse("finance:agreement", args=[funded.pk])).content.decode()
    assert ">Förfallen<" not in html and not re.search(r"är förfallen", html)
