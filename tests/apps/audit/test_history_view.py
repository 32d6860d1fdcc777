# SPDX-License-Identifier: EUPL-1.2
"""The agreement's history page after the writes people make: never a server error, always human words."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement
from apps.finance import services as finance_services
from apps.finance.models import IndexSeries
from apps.organisations.models import Organisation

pytestmark = pytest.mark.django_db

# Field names as the models and services spell them: none may reach the page.
RAW_NAMES = (
    "parties",
    "case_number",
    "signatory_name",
    "signatory_title",
    "position",
    "Position",
    "annual_amount",
    "index_reference_month",
    "payment_months",
    "ends_automatically",
    "nonprofit",
    "created_by",
    "collected_by",
    "follow_ups_per_year",
    "True",
    "False",
    "None",
)


def _edit_data(agreement: Agreement, extra_org: Organisation) -> dict[str, str]:
    """The edit form as the page sends it, with one party added in the empty row."""
    parties = list(agreement.parties.order_by("position"))
    data = {
        "title": agreement.title,
        "case_number": "SOCN-2025-00002",
        "purpose": agreement.purpose,
        "start_date": "2025-07-01",
        "end_date": "2028-07-01",
        "extension_max_months": "12",
        "notice_period_months": "4",
        "renewal_decision_months_before_end": "6",
        "ends_automatically": "on",
        "parties-TOTAL_FORMS": str(len(parties) + 1),
        "parties-INITIAL_FORMS": str(len(parties)),
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "30",
    }
    for i, party in enumerate(parties):
        data[f"parties-{i}-role"] = party.role
        data[f"parties-{i}-organisation"] = str(party.organisation_id)
    n = len(parties)
    data.update(
        {
            f"parties-{n}-role": "dialogue",
            f"parties-{n}-organisation": str(extra_org.pk),
            f"parties-{n}-new_kind": "non_profit",
            f"parties-{n}-signatory_name": "Bo Beta",
        }
    )
    return data


def _history(client: Client, user: User, agreement: Agreement) -> str:
    client.force_login(user)
    response = client.get(reverse("agreements:history", args=[agreement.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")] if "<main" in page else page
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def _cells(text: str) -> str:
    """The page's text with runs of markup whitespace as one space (no-break spaces are kept: they are data)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


@pytest.fixture
def with_added_party(client: Client, make_agreement, users, orgs) -> Agreement:
    agreement = make_agreement()
    client.force_login(users["officer_north"])
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), _edit_data(agreement, orgs["beta"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert agreement.parties.filter(organisation=orgs["beta"], role="dialogue").exists()
    client.logout()
    return agreement


@pytest.mark.parametrize("who", ["officer_north", "partner_alpha"])
def test_history_after_adding_a_party_through_the_page(client, users, with_added_party, who) -> None:
    text = _cells(_history(client, users[who], with_added_party))
    assert "Överenskommelsen ändrades" in text or "ändrad" in text.lower()
    assert "Parter" in text and "Stiftelsen Beta (Dialogpart, Bo Beta)" in text
    assert (
        "Föreningen Alfa (Idéburen part)" in text
        and "Diarienummer Före: SOCN-2025-00001 → Efter: SOCN-2025-00002" in text
    )
    for raw in RAW_NAMES:
        assert not re.search(rf"\b{re.escape(raw)}\b", text), raw


def test_history_in_english(client, users, with_added_party) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _cells(_history(client, users["partner_alpha"], with_added_party))
    assert "Parties" in text and "Stiftelsen Beta (Dialogue party, Bo Beta)" in text and "Case number" in text
    assert "Dialogpart" not in text and "Parter " not in text


def test_removing_a_party_shows_it_as_no_longer_there(client, users, orgs, with_added_party) -> None:
    agreement = with_added_party
    data = _edit_data(agreement, orgs["beta"])
    # Send only the first two parties: the dialogue party is removed.
    parties = list(agreement.parties.order_by("position"))
    data = {k: v for k, v in data.items() if not k.startswith("parties-")}
    data.update(
        {
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "2",
            "parties-MIN_NUM_FORMS": "0",
            "parties-MAX_NUM_FORMS": "30",
        }
    )
    for i, party in enumerate(p for p in parties if p.role != "dialogue"):
        data[f"parties-{i}-role"] = party.role
        data[f"parties-{i}-organisation"] = str(party.organisation_id)
    client.force_login(users["officer_north"])
    assert client.post(reverse("agreements:edit", args=[agreement.pk]), data).status_code == 302
    text = _cells(_history(client, users["officer_north"], agreement))
    assert "Stiftelsen Beta (Dialogpart, Bo Beta) (finns inte längre)" in text


def test_history_of_child_objects_and_money(client, users, orgs, make_agreement) -> None:
    actor = users["officer_north"]
    agreement = make_agreement()
    part = agreement_services.intervention_save(
        actor=actor, agreement=agreement, data={"kind": "local", "label": "Del 1", "title": "Kulturtolkar i Angered"}
    )
    goal = agreement_services.goal_save(
        actor=actor, agreement=agreement, data={"text": "Fler föräldrar deltar", "intervention": part}
    )
    agreement_services.indicator_save(
        actor=actor,
        goal=goal,
        data=agreement_services.IndicatorInput(
            name="Antal träffar",
            kind="count_by_dimensions",
            dimensions=["gender", "age"],
            collected_by=[orgs["alpha"]],
            target=Decimal("40"),
        ),
    )
    pkv = IndexSeries.objects.create(code="PKV", name="Prisindex för kommunal verksamhet")
    finance_services.finance_terms_save(
        actor=users["controller_city"],
        agreement=agreement,
        data={
            "basis": "annual",
            "annual_amount": Decimal("750000"),
            "default_source": "Socialnämnden Norr",
            "index_series": pkv,
            "index_reference_month": 10,
            "payment_frequency": "semiannual",
            "payment_in_advance": True,
            "payment_months": [1, 7],
        },
    )
    finance_services.funding_source_save(
        actor=users["controller_city"],
        agreement=agreement,
        data={
            "name": "Folkhälsomedel",
            "annual_amount": Decimal("80000"),
            "share_percent": None,
            "invoiced_separately": True,
        },
    )
    agreement_services.agreement_child_delete(actor=actor, obj=part)  # the goal and indicator go with it

    for who in ("officer_north", "controller_city", "partner_alpha"):
        text = _cells(_history(client, users[who], agreement))
        assert "Insats borttagen: Del 1 – Kulturtolkar i Angered" in text
        assert (
            "Typ Före: Lokal insats → Efter: – Beteckning Före: Del 1 → Efter: – Titel Före: Kulturtolkar i Angered → Efter: –"
            in text
        )  # what was removed
        assert "Insats Del 1 – Kulturtolkar i Angered (finns inte längre)" in text  # the goal's intervention
        assert "Uppdelat på Kön, Åldersgrupp" in text
        assert "Ansvar för insamling Föreningen Alfa (Idéburen part)" in text
        assert "Grundbelopp per år 750\u00a0000\u00a0kr" in text
        assert "Indexets referensmånad oktober" in text and "Betalningsmånader januari, juli" in text
        assert "Prisindex PKV" in text and "Belopp per helår 80\u00a0000\u00a0kr" in text
        assert "Särfaktureras Ja" in text
        for raw in RAW_NAMES:
            assert not re.search(rf"\b{re.escape(raw)}\b", text), raw


def test_history_query_count_does_not_grow_with_events(
    client, users, make_agreement, django_assert_max_num_queries
) -> None:
    actor = users["officer_north"]
    agreement = make_agreement()
    for i in range(3):
        part = agreement_services.intervention_save(actor=actor, agreement=agreement, data={"title": f"Insats {i}"})
        agreement_services.goal_save(actor=actor, agreement=agreement, data={"text": f"Mål {i}", "intervention": part})
    client.force_login(users["officer_north"])
    url = reverse("agreements:history", args=[agreement.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(3, 15):
        part = agreement_services.intervention_save(actor=actor, agreement=agreement, data={"title": f"Insats {i}"})
        agreement_services.goal_save(actor=actor, agreement=agreement, data={"text": f"Mål {i}", "intervention": part})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
