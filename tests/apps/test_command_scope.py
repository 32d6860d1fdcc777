# SPDX-License-Identifier: EUPL-1.2
"""Commands with ``--user`` see what that person sees through the pages, through the same access layer:
a municipality's scheduled export or commitments hold its agreements and nothing of another's; an agreement
of another municipality is "no agreement with that id". Without ``--user`` a command acts for the platform."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.agreements.models import Agreement
from apps.finance import services as finance_services
from tests.tenancy import Tenants, make_tenants

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(orgs) -> Tenants:
    t = make_tenants(orgs)
    for officer, agreement in ((t.gbg_officer, t.gbg_agreement), (t.molndal_officer, t.molndal_agreement)):
        finance_services.finance_terms_save(
            actor=officer,
            agreement=agreement,
            data={
                "basis": "annual",
                "annual_amount": Decimal("100000"),
                "default_source": "Nämnden",
                "payment_frequency": "annual",
            },
        )
    # Both decided: committed money (a draft commits nothing).
    Agreement.objects.filter(pk__in=[t.gbg_agreement.pk, t.molndal_agreement.pk]).update(status="active")
    return t


def _run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("sv"):
        call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_register_as_a_user_holds_their_tenants_agreements_only(tenants: Tenants) -> None:
    everything = json.loads(_run("export_register", "--format", "json"))
    assert {r["id"] for r in everything} >= {tenants.gbg_agreement.pk, tenants.molndal_agreement.pk}
    mine = json.loads(_run("export_register", "--format", "json", "--user", tenants.gbg_officer.username))
    assert [r["id"] for r in mine] == [tenants.gbg_agreement.pk]
    theirs = _run("export_register", "--format", "csv", "--user", tenants.molndal_officer.username)
    assert tenants.molndal_agreement.title in theirs and tenants.gbg_agreement.title not in theirs


def test_commitments_as_a_user_are_their_portfolio(tenants: Tenants) -> None:
    everything = json.loads(_run("commitments", "--from", "2024", "--to", "2030"))
    assert {r["agreement_id"] for r in everything} == {tenants.gbg_agreement.pk, tenants.molndal_agreement.pk}
    records = json.loads(_run("commitments", "--from", "2024", "--to", "2030", "--user", tenants.gbg_officer.username))
    assert records and {r["agreement_id"] for r in records} == {tenants.gbg_agreement.pk}


def test_payment_plan_of_another_tenants_agreement_is_no_agreement(tenants: Tenants) -> None:
    assert json.loads(_run("payment_plan", str(tenants.gbg_agreement.pk), "--user", tenants.gbg_officer.username))
    with pytest.raises(CommandError) as refused:
        _run("payment_plan", str(tenants.gbg_agreement.pk), "--user", tenants.molndal_officer.username)
    assert f"Det finns ingen överenskommelse med id {tenants.gbg_agreement.pk}." in str(refused.value)


def test_an_unknown_user_or_one_without_the_right_is_refused(tenants: Tenants, users) -> None:
    with pytest.raises(CommandError, match="Det finns ingen aktiv användare no-such-user"):
        _run("export_register", "--user", "no-such-user")
    with pytest.raises(CommandError, match="får inte"):
        _run("commitments", "--from", "2025", "--to", "2026", "--user", users["partner_alpha"].username)
    with pytest.raises(CommandError, match="får inte exportera registret"):
        _run("export_register", "--user", users["nobody"].username)  # signed in, but no role anywhere
