# SPDX-License-Identifier: EUPL-1.2
"""Cross-app receivers are connected because the app is installed, and a period change reaches the plan.

The defect: the receiver of ``agreement_changed`` lived in apps/finance/services.py and was connected
only when something imported that module; a test conftest did, so the suite passed while a running
server could leave the payment plan behind an edited period.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.agreements.models import Agreement
from apps.audit.models import AuditEvent
from apps.finance.models import Payment

from .formdata import form_data

ROOT = Path(__file__).resolve().parents[3]

# Run in a new interpreter: nothing the test session imported (conftests, other tests) can connect a
# receiver there. It lists, per signal defined in an app's signals.py, the receivers that send() would
# call, and every receiver the apps declare in their receivers.py: (signal, receiver, dispatch_uid[, sender]),
# the sender being Agreement unless given.
FRESH = """
import importlib, json
import django
django.setup()
from django.apps import apps
from django.dispatch import Signal
from apps.agreements.models import Agreement

def name(fn):
    return f"{fn.__module__}.{fn.__qualname__}"

signals, declared = {}, []
for config in apps.get_app_configs():
    for module_name, into in (("signals", signals), ("receivers", None)):
        try:
            module = importlib.import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.{module_name}":
                continue
            raise
        if into is not None:
            for attr, value in vars(module).items():
                if isinstance(value, Signal):
                    sync, async_ = value._live_receivers(Agreement)
                    into[f"{module.__name__}.{attr}"] = [name(r) for r in [*sync, *async_]]
        else:
            for signal, receiver, _uid, *sender in getattr(module, "RECEIVERS", []):
                sync, async_ = signal._live_receivers(sender[0] if sender else Agreement)
                declared.append([name(receiver), receiver in [*sync, *async_]])
print(json.dumps({"signals": signals, "declared": declared}))
"""


def _fresh_interpreter_report() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partnerskap.settings.test", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", FRESH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_cross_app_receiver_is_connected_in_a_fresh_interpreter() -> None:
    report = _fresh_interpreter_report()
    assert (
        "apps.finance.receivers.regenerate_plan_on_period_change"
        in report["signals"]["apps.agreements.signals.agreement_changed"]
    )
    assert report["declared"], "apps/finance/receivers.py declares its receivers in RECEIVERS"
    assert [receiver for receiver, connected in report["declared"] if not connected] == []


def test_receivers_are_connected_only_in_receivers_modules() -> None:
    """A receiver decorated or connected anywhere else would again depend on who imports that module."""
    offenders = []
    for path in (ROOT / "apps").rglob("*.py"):
        if path.name == "receivers.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"@receiver\(|\b(?!receivers\.)\w+\.connect\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- The period change, walked through the agreement's edit page ----------------------------------------


def _edit(client, agreement: Agreement, **changes: str):
    url = reverse("agreements:edit", args=[agreement.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), containing="end_date")
    data.update(changes)
    return client.post(url, data)


@pytest.mark.django_db
def test_changing_the_end_date_on_the_edit_page_regenerates_the_plan(client, funded, users) -> None:
    before = {p.key: p.amount for p in Payment.objects.filter(agreement=funded)}
    assert sum(before.values()) == Decimal("12120000")  # 2025-07-01 – 2028-07-01: three years
    client.force_login(users["officer_north"])
    response = _edit(client, funded, end_date="2029-07-01")
    assert response.status_code == 302, response.content.decode()[:3000]
    funded.refresh_from_db()
    assert funded.end_date == dt.date(2029, 7, 1)
    after = {p.key: p.amount for p in Payment.objects.filter(agreement=funded)}
    assert sum(after.values()) == Decimal("16160000")  # one more year of 4 040 000 kr
    assert {"2028-07:Socialnämnden Norr", "2029-01:Socialnämnden Norr", "2029-01:Folkhälsomedel"} <= set(after)
    assert set(before) < set(after)
    regenerated = AuditEvent.objects.filter(agreement=funded, action="payment_plan.regenerated").order_by("-pk")
    assert regenerated.first().actor == users["officer_north"]


@pytest.mark.django_db
def test_shortening_the_period_on_the_edit_page_removes_the_planned_payments_after_it(client, funded, users):
    client.force_login(users["officer_north"])
    assert _edit(client, funded, end_date="2027-01-01").status_code == 302
    payments = Payment.objects.filter(agreement=funded)
    assert sum(p.amount for p in payments) == Decimal("6060000")  # 18 months
    assert max(p.covers_to for p in payments) == dt.date(2026, 12, 31)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("sv", "längre än 50 år, den längsta period som belopp räknas fram för"),
        ("en", "longer than 50 years, the longest period amounts are computed for"),
    ],
)
def test_a_period_too_long_for_the_money_is_refused_on_the_edit_page_and_nothing_changes(
    client, funded, users, language: str, message: str
) -> None:
    """The plan is regenerated inside the agreement's transaction: its refusal refuses the date change."""
    plan = sorted(Payment.objects.filter(agreement=funded).values_list("key", "amount"))
    events = AuditEvent.objects.count()
    client.force_login(users["officer_north"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _edit(client, funded, end_date="2090-07-01")
    assert response.status_code == 400
    assert message in response.content.decode()
    funded.refresh_from_db()
    assert funded.end_date == dt.date(2028, 7, 1)
    assert sorted(Payment.objects.filter(agreement=funded).values_list("key", "amount")) == plan
    assert AuditEvent.objects.count() == events
