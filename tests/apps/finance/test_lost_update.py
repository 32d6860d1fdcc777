# SPDX-License-Identifier: EUPL-1.2
"""No lost update, through the pages: every edit form carries the version it was read at.

For each edit form: two people open it (two GETs), the first saves a change, the second saves another.
The second save is refused (409) with the first person's change shown by label and value, the second
person's input kept in the re-shown form, and nothing changed by the refusal (the row and the audit
trail are as the first save left them). Saving the re-shown form again is a deliberate choice and
goes through.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Membership, User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Goal, Indicator, Intervention
from apps.audit.models import AuditEvent
from apps.finance import services as finance_services
from apps.finance.models import BudgetLine, FinanceTerms, FundingSource, IndexValue, Payment, RepaymentClaim
from apps.organisations.models import Organisation

from .formdata import form_data

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    agreement: Agreement
    intervention: Intervention
    goal: Goal
    indicator: Indicator
    terms: FinanceTerms
    source: FundingSource
    line: BudgetLine
    claim: RepaymentClaim
    value: IndexValue
    planned: Payment
    paid: Payment
    organisation: Organisation
    users: dict[str, User]


@pytest.fixture
def world(funded: Agreement, users: dict[str, User], orgs: dict[str, Organisation], pkv) -> World:
    officer = users["officer_north"]
    intervention = agreement_services.intervention_save(
        actor=officer, agreement=funded, data={"kind": "local", "label": "Del 1", "title": "Kulturtolkar"}
    )
    goal = agreement_services.goal_save(actor=officer, agreement=funded, data={"text": "Fler föräldrar når stöd"})
    indicator = agreement_services.indicator_save(
        actor=officer, goal=goal, data=agreement_services.IndicatorInput(name="Antal träffar")
    )
    line = finance_services.budget_line_save(
        actor=officer, agreement=funded, data={"label": "Projektledare", "annual_amount": Decimal("400000")}
    )
    claim = finance_services.repayment_claim_save(
        actor=officer,
        agreement=funded,
        data={"amount": Decimal("10000"), "reason": "Ej använda medel", "claimed_on": dt.date(2026, 2, 1)},
    )
    platform = User.objects.create_superuser(username="platform", password="correct-horse-battery")
    value = finance_services.index_value_save(
        actor=platform, series=pkv, data={"year": 2025, "reference_month": 10, "percent": Decimal("2.5")}
    )
    payments = list(Payment.objects.filter(agreement=funded).order_by("due_on", "key"))
    paid = finance_services.payment_record(
        actor=officer,
        payment=payments[0],
        status="paid",
        invoice_number="F-1",
        invoiced_on=dt.date(2025, 7, 1),
        paid_on=dt.date(2025, 7, 20),
    )
    return World(
        agreement=funded,
        intervention=intervention,
        goal=goal,
        indicator=indicator,
        terms=FinanceTerms.objects.get(agreement=funded),
        source=FundingSource.objects.get(agreement=funded),
        line=line,
        claim=claim,
        value=value,
        planned=payments[1],
        paid=paid,
        organisation=orgs["alpha"],
        users={**users, "platform": platform},
    )


def _twin(user: User) -> User:
    """Another person with the same roles (the second editor)."""
    twin = User.objects.create_user(
        username=f"{user.username}-2", password="correct-horse-battery", is_superuser=user.is_superuser
    )
    for membership in Membership.objects.filter(user=user):
        Membership.objects.create(user=twin, organisation=membership.organisation, role=membership.role)
    return twin


@dataclass(frozen=True)
class Case:
    id: str
    user: str
    url: Callable[[World], str]
    row: Callable[[World], models.Model]
    theirs: dict[str, str]  # what the first person saves
    mine: dict[str, str]  # what the second person types
    shown: str  # the first person's change, as the refusal shows it
    label: str  # the label of the changed field, as the refusal shows it
    again: dict[str, str] | None = None  # what the second person changes before saving again


CASES = [
    Case(
        "agreement",
        "officer_north",
        lambda w: reverse("agreements:edit", args=[w.agreement.pk]),
        lambda w: w.agreement,
        theirs={"title": "IOP Föräldrastöd – reviderad"},
        mine={"case_number": "SOCN-2025-99999"},
        shown="IOP Föräldrastöd – reviderad",
        label="Titel",
    ),
    Case(
        "agreement-parties",
        "officer_north",
        lambda w: reverse("agreements:edit", args=[w.agreement.pk]),
        lambda w: w.agreement,
        theirs={"parties-1-signatory_name": "Anna Andersson"},
        mine={"title": "Föräldrastöd i Norr"},
        shown="Anna Andersson",
        label="Parter",
    ),
    Case(
        "intervention",
        "officer_north",
        lambda w: reverse("agreements:intervention_edit", args=[w.agreement.pk, w.intervention.pk]),
        lambda w: w.intervention,
        theirs={"title": "Kulturtolkar i Angered"},
        mine={"description": "Tolkar på tre språk."},
        shown="Kulturtolkar i Angered",
        label="Titel",
    ),
    Case(
        "goal",
        "officer_north",
        lambda w: reverse("agreements:goal_edit", args=[w.agreement.pk, w.goal.pk]),
        lambda w: w.goal,
        theirs={"text": "Fler föräldrar i Norr når stöd"},
        mine={"text": "Fler familjer når stöd tidigt"},
        shown="Fler föräldrar i Norr når stöd",
        label="Mål",
    ),
    Case(
        "indicator",
        "officer_north",
        lambda w: reverse("agreements:indicator_edit", args=[w.agreement.pk, w.goal.pk, w.indicator.pk]),
        lambda w: w.indicator,
        theirs={"name": "Antal gruppträffar"},
        mine={"name": "Antal enskilda samtal"},
        shown="Antal gruppträffar",
        label="Indikator",
    ),
    Case(
        "organisation",
        "platform",
        lambda w: reverse("organisations:edit", args=[w.organisation.pk]),
        lambda w: w.organisation,
        theirs={"name": "Föreningen Alfa i Norr"},
        mine={"kammarkollegiet_registered_on": "2024-03-01"},
        shown="Föreningen Alfa i Norr",
        label="Namn",
    ),
    Case(
        "finance-terms",
        "officer_north",
        lambda w: reverse("finance:terms", args=[w.agreement.pk]),
        lambda w: w.terms,
        theirs={"default_source": "Socialnämnden Norr (nämndens budget)"},
        mine={"deviation_threshold_percent": "12.75"},
        shown="Socialnämnden Norr (nämndens budget)",
        label="Huvudfinansiär",
    ),
    Case(
        "funding-source",
        "officer_north",
        lambda w: reverse("finance:source_edit", args=[w.agreement.pk, w.source.pk]),
        lambda w: w.source,
        theirs={"co_financing": "50/50 med regionen"},
        mine={"co_financing": "Helt av staden"},
        shown="50/50 med regionen",
        label="Medfinansiering",
    ),
    Case(
        "budget-line",
        "officer_north",
        lambda w: reverse("finance:line_edit", args=[w.agreement.pk, w.line.pk]),
        lambda w: w.line,
        theirs={"label": "Projektledare och samordnare"},
        mine={"staffing_note": "projektledare 60 %"},
        shown="Projektledare och samordnare",
        label="Kostnadspost",
    ),
    Case(
        "repayment-claim",
        "officer_north",
        lambda w: reverse("finance:claim_edit", args=[w.agreement.pk, w.claim.pk]),
        lambda w: w.claim,
        theirs={"reason": "Medel som inte använts 2025"},
        mine={"reason": "Felaktigt utbetalt belopp"},
        shown="Medel som inte använts 2025",
        label="Skäl",
    ),
    Case(
        "index-value",
        "platform",
        lambda w: reverse("finance:index_value_edit", args=[w.value.series_id, w.value.pk]),
        lambda w: w.value,
        theirs={"source": "SKR cirkulär 25:31"},
        mine={"source": "SKR:s publicering i oktober"},
        shown="SKR cirkulär 25:31",
        label="Källa",
    ),
    Case(
        "payment-record",
        "officer_north",
        lambda w: reverse("finance:payment_record", args=[w.agreement.pk, w.planned.pk]),
        lambda w: w.planned,
        theirs={"status": "invoiced", "invoice_number": "F-77"},
        # Invoiced meanwhile: the form now offers only what follows (paid, withheld), the note is kept.
        mine={"note": "Fakturerad av mig"},
        shown="F-77",
        label="Fakturanummer",
        again={"status": "withheld"},
    ),
    Case(
        "payment-correct",
        "controller_city",
        lambda w: reverse("finance:payment_correct", args=[w.agreement.pk, w.paid.pk]),
        lambda w: w.paid,
        theirs={"invoice_number": "F-1b", "reason": "Fel nummer"},
        mine={"paid_on": "2025-07-22", "reason": "Fel datum i ekonomisystemet"},
        shown="F-1b",
        label="Fakturanummer",
    ),
]


def _stored(row: models.Model) -> dict[str, Any]:
    fresh = type(row)._default_manager.get(pk=row.pk)
    return {**model_to_dict(fresh), "version": fresh.version}  # type: ignore[attr-defined]


def _open(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), containing="version")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_save_over_a_newer_version_is_refused_shows_their_change_and_keeps_mine(world: World, case: Case) -> None:
    first_user = world.users[case.user]
    first, second = Client(), Client()
    first.force_login(first_user)
    second.force_login(_twin(first_user))
    url = case.url(world)

    theirs, mine = _open(first, url), _open(second, url)  # both read the same version
    assert theirs["version"] == mine["version"]
    assert first.post(url, {**theirs, **case.theirs}).status_code == 302

    row = case.row(world)
    stored, events = _stored(row), AuditEvent.objects.count()
    assert stored["version"] == int(theirs["version"]) + 1

    response = second.post(url, {**mine, **case.mine})
    page = html.unescape(response.content.decode())

    assert response.status_code == 409
    assert "Någon annan sparade en ändring här efter att du öppnade formuläret" in page
    conflict = page[page.index('id="stale-changes"') :]
    assert case.shown in conflict and case.label in conflict  # their change, by label and value
    assert str(first_user) in conflict  # who made it
    for value in case.mine.values():  # my input is kept in the form
        assert f'value="{value}"' in page or f">{value}</textarea>" in page or f">\n{value}</textarea>" in page
    assert _stored(row) == stored  # the refusal changed nothing
    assert AuditEvent.objects.count() == events

    # Saving the re-shown form again is a deliberate choice to replace their values: it goes through.
    again = form_data(response.content.decode(), containing="version")
    assert again["version"] == str(stored["version"])
    again.update(case.again or {})
    assert second.post(url, again).status_code == 302
    assert _stored(row)["version"] == stored["version"] + 1


def test_a_form_read_before_any_change_saves_normally_and_moves_the_version_on(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer_north"])
    url = reverse("agreements:edit", args=[world.agreement.pk])
    data = _open(client, url)
    before = Agreement.objects.get(pk=world.agreement.pk).version
    assert data["version"] == str(before)
    assert client.post(url, {**data, "title": "Nytt namn"}).status_code == 302
    assert Agreement.objects.get(pk=world.agreement.pk).version == before + 1


def test_a_save_without_changes_does_not_make_other_forms_stale(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer_north"])
    url = reverse("finance:source_edit", args=[world.agreement.pk, world.source.pk])
    before = FundingSource.objects.get(pk=world.source.pk).version
    assert client.post(url, _open(client, url)).status_code == 302
    assert FundingSource.objects.get(pk=world.source.pk).version == before


def test_the_service_refuses_a_stale_version_with_the_code_stale(world: World) -> None:
    from django.core.exceptions import ValidationError

    officer = world.users["officer_north"]
    version = world.intervention.version
    agreement_services.intervention_save(
        actor=officer,
        agreement=world.agreement,
        data={"title": "Kulturtolkar i Angered"},
        intervention=world.intervention,
        expected_version=version,
    )
    with pytest.raises(ValidationError) as refused:
        agreement_services.intervention_save(
            actor=officer,
            agreement=world.agreement,
            data={"title": "Kulturtolkar i Bergsjön"},
            intervention=Intervention.objects.get(pk=world.intervention.pk),
            expected_version=version,
        )
    assert refused.value.error_list[0].code == "stale"
    assert Intervention.objects.get(pk=world.intervention.pk).title == "Kulturtolkar i Angered"


def test_the_refusal_reads_in_english_for_an_english_reader(world: World) -> None:
    from django.conf import settings

    first, second = Client(), Client()
    first.force_login(world.users["officer_north"])
    second.force_login(_twin(world.users["officer_north"]))
    second.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("finance:line_edit", args=[world.agreement.pk, world.line.pk])
    theirs, mine = _open(first, url), _open(second, url)
    assert first.post(url, {**theirs, "label": "Samordnare"}).status_code == 302
    response = second.post(url, {**mine, "staffing_note": "samordnare 50 %"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 409
    assert "Someone else saved a change here after you opened the form" in page
    assert "Saved by someone else after you opened the form" in page
    assert "Cost item" in page and "Samordnare" in page
    assert "Någon annan" not in page
