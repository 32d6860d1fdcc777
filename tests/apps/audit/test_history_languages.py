# SPDX-License-Identifier: EUPL-1.2
"""The history reads in the viewer's language: events written in Swedish read in English for an English
viewer, with no Swedish summary left, and in Swedish for a Swedish one — for every kind of write."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.accounts import services as account_services
from apps.accounts.models import Role, User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement
from apps.audit.display import summary_text
from apps.audit.models import AuditEvent
from apps.audit.selectors import agreement_events
from apps.documents import services as document_services
from apps.documents.review import DraftReview
from apps.finance import services as finance_services
from apps.finance.models import IndexSeries, Payment
from apps.organisations.models import Organisation
from tests.apps.documents.conftest import post_data, seed_upload

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@dataclass(frozen=True)
class Written:
    agreement: Agreement
    imported: Agreement
    due: str  # the due date of the payment recorded, corrected and shown in the summaries


@pytest.fixture
def written(users, orgs, make_agreement, settings, tmp_path) -> Written:
    """Every kind of write, made through the services with Swedish active (the conftest's default)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    officer, controller = users["officer_north"], users["controller_city"]
    agreement = make_agreement()  # agreement registered, with its parties and decision
    parties = [
        agreement_services.PartyInput(role=p.role, organisation=p.organisation)
        for p in agreement.parties.select_related("organisation").order_by("position")
    ]
    agreement_services.agreement_update(  # a party added: a new organisation registered inline
        actor=officer,
        agreement=agreement,
        data={"case_number": "SOCN-2025-00002"},
        parties=[*parties, agreement_services.PartyInput(role="dialogue", new_name="Förskoleförvaltningen")],
    )
    part = agreement_services.intervention_save(
        actor=officer, agreement=agreement, data={"kind": "local", "label": "Del 1", "title": "Kulturtolkar"}
    )
    agreement_services.intervention_save(
        actor=officer, agreement=agreement, data={"title": "Kulturtolkar i Angered"}, intervention=part
    )
    goal = agreement_services.goal_save(actor=officer, agreement=agreement, data={"text": "Fler föräldrar deltar"})
    agreement_services.goal_save(
        actor=officer, agreement=agreement, data={"text": "Fler föräldrar deltar ofta"}, goal=goal
    )
    indicator = agreement_services.indicator_save(
        actor=officer,
        goal=goal,
        data=agreement_services.IndicatorInput(name="Antal träffar", kind="count", collected_by=[orgs["alpha"]]),
    )
    agreement_services.indicator_save(
        actor=officer,
        goal=goal,
        indicator=indicator,
        data=agreement_services.IndicatorInput(
            name="Antal träffar", kind="count", collected_by=[orgs["alpha"]], target=Decimal("40")
        ),
    )
    agreement_services.agreement_transition(actor=officer, agreement=agreement, target="decided")
    agreement_services.agreement_share_with_partners(actor=officer, agreement=agreement)  # already shared: no event
    # The city's own series, so that its controller keeps it (a national one is the platform's).
    pkv = IndexSeries.objects.create(code="PKV", name="Prisindex för kommunal verksamhet", tenant=orgs["city"])
    finance_services.finance_terms_save(
        actor=controller,
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
        actor=controller,
        agreement=agreement,
        data={
            "name": "Folkhälsomedel",
            "annual_amount": Decimal("80000"),
            "share_percent": None,
            "invoiced_separately": True,
        },
    )
    line = finance_services.budget_line_save(
        actor=controller, agreement=agreement, data={"label": "Lön", "annual_amount": Decimal("500000")}
    )
    spare = finance_services.budget_line_save(
        actor=controller, agreement=agreement, data={"label": "Lokaler", "annual_amount": Decimal("100000")}
    )
    finance_services.actual_cost_record(
        actor=controller,
        line=line,
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2025, 12, 31),
        amount=Decimal("240000"),
    )
    payment = Payment.objects.filter(agreement=agreement).order_by("due_on", "pk").first()
    assert payment is not None
    finance_services.payment_record(
        actor=controller,
        payment=payment,
        status="paid",
        invoice_number="F-1",
        invoiced_on=payment.due_on,
        paid_on=payment.due_on,
    )
    finance_services.payment_correct(
        actor=controller,
        payment=payment,
        status="paid",
        invoice_number="F-2",
        invoiced_on=payment.due_on,
        paid_on=payment.due_on,
        reason="Fel fakturanummer",
    )
    finance_services.repayment_claim_save(
        actor=controller,
        agreement=agreement,
        data={"amount": Decimal("12500.50"), "reason": "Ej använda medel", "claimed_on": dt.date(2026, 2, 1)},
    )
    finance_services.index_value_save(  # the plan of every agreement on the series is regenerated
        actor=controller, series=pkv, data={"year": 2025, "reference_month": 10, "percent": Decimal("2.5")}
    )
    finance_services.finance_row_delete(actor=controller, obj=spare)
    agreement_services.agreement_child_delete(actor=officer, obj=part)
    account_services.membership_add(
        actor=None, user=users["viewer_north"], organisation=orgs["north"], role=Role.CASE_OFFICER
    )

    # Import confirm: a document read into a draft, reviewed and confirmed into a new agreement.
    Organisation.objects.create(
        name="Socialnämnden Nordost", org_number="212000-1355", kind="public_body", parent=orgs["north"]
    )
    draft = document_services.importdraft_upload(actor=officer, public_body=orgs["north"], file=seed_upload())
    document_services.importdraft_read(draft_id=draft.pk)  # the task the upload queued for after its commit
    draft.refresh_from_db()
    review = DraftReview(draft, post_data(DraftReview(draft)))
    assert review.is_valid()
    imported = document_services.importdraft_confirm(actor=officer, draft=draft, review=review.to_review())
    return Written(agreement=agreement, imported=imported, due=payment.due_on.isoformat())


def page_text(client: Client, user: User, agreement: Agreement, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(reverse("agreements:history", args=[agreement.pk]))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


ENGLISH = [
    "Agreement registered",
    "Agreement changed",
    "Intervention added: Del 1 – Kulturtolkar",
    "Intervention changed: Del 1 – Kulturtolkar i Angered",
    "Goal added: Fler föräldrar deltar",
    "Goal changed: Fler föräldrar deltar ofta",
    "Indicator added: Antal träffar",
    "Indicator changed: Antal träffar",
    "Status changed from Draft to Decided",
    "Money terms saved",
    "Payment plan updated",
    "Funding source saved: Folkhälsomedel",
    "Budget line saved: Lön",
    "Actual cost recorded: Lön 2025-07-01 – 2025-12-31",
    "Payment due {due}: paid",
    "Payment due {due} corrected: Fel fakturanummer",
    f"Repayment claim: 12{NBSP}500,50{NBSP}kr",
    "Budget line removed: Lokaler",
    "Intervention removed: Del 1 – Kulturtolkar i Angered",
]
SWEDISH = [
    "Överenskommelsen registrerades",
    "Överenskommelsen ändrades",
    "Insats tillagd: Del 1 – Kulturtolkar",
    "Insats ändrad: Del 1 – Kulturtolkar i Angered",
    "Mål tillagt: Fler föräldrar deltar",
    "Mål ändrat: Fler föräldrar deltar ofta",
    "Indikator tillagd: Antal träffar",
    "Indikator ändrad: Antal träffar",
    "Status ändrad från Utkast till Beslutad",
    "Ekonomiska villkor sparade",
    "Betalplanen uppdaterades",
    "Finansiär sparad: Folkhälsomedel",
    "Kostnadspost sparad: Lön",
    "Utfall registrerat: Lön 2025-07-01 – 2025-12-31",
    "Betalning med förfallodag {due}: betald",
    "Betalning med förfallodag {due} rättad: Fel fakturanummer",
    f"Återbetalningskrav: 12{NBSP}500,50{NBSP}kr",
    "Kostnadspost borttagen: Lokaler",
    "Insats borttagen: Del 1 – Kulturtolkar i Angered",
]
# Words of the Swedish summaries (and of the status, role and kind labels put into them).
SWEDISH_WORDS = re.compile(
    r"Överenskommelse|ändrad|ändrat|tillag|registrer|borttagen|sparad|uppdaterad|Betalning|förfallodag|betald|"
    r"rättad|Utkast|Beslutad|Insats |Mål |Indikator |Finansiär|Kostnadspost|Utfall|Återbetalningskrav|"
    r"Ekonomiska|Betalplanen|Dokument|importerade"
)


@pytest.mark.parametrize("who", ["officer_north", "controller_city", "partner_alpha"])
def test_the_history_in_english_has_english_summaries_and_no_swedish_one(client, users, written, who) -> None:
    text = page_text(client, users[who], written.agreement, "en")
    for expected in ENGLISH:
        assert expected.format(due=written.due) in text
    events = list(agreement_events(written.agreement))
    assert len(events) >= len(ENGLISH)
    with translation.override("en"):
        for event in events:
            assert event.summary not in text, event.summary  # the stored Swedish text is not shown
            english = summary_text(event)
            assert english in text
            assert not SWEDISH_WORDS.search(english.replace("Fel fakturanummer", "")), english


@pytest.mark.parametrize("who", ["officer_north", "partner_alpha"])
def test_the_history_in_swedish_has_swedish_summaries(client, users, written, who) -> None:
    text = page_text(client, users[who], written.agreement, "sv")
    for expected in SWEDISH:
        assert expected.format(due=written.due) in text
    for event in agreement_events(written.agreement):
        assert event.summary in text


def test_the_imported_agreements_history_follows_the_language(client, users, written) -> None:
    name = "003_"  # the seed document's file name begins so
    english = page_text(client, users["officer_north"], written.imported, "en")
    assert re.search(rf"Agreement created from the imported document {name}\S*\.txt", english)
    assert "Överenskommelse skapad" not in english and "Agreement registered" in english
    swedish = page_text(client, users["officer_north"], written.imported, "sv")
    assert re.search(rf"Överenskommelse skapad från det importerade dokumentet {name}\S*\.txt", swedish)


def test_every_event_written_keeps_its_message_and_reads_in_english(written) -> None:
    """Also the events shown elsewhere than an agreement's history: organisations, roles, index values."""
    events = list(AuditEvent.objects.all())
    actions = {event.action for event in events}
    assert {
        "organisation.created",
        "membership.added",
        "finance.index_value_saved",
        "importdraft.uploaded",
        "importdraft.accepted",
        "payment.recorded",
        "payment.corrected",
    } <= actions
    with translation.override("en"):
        read = [(event, summary_text(event)) for event in events]
    for event, text in read:
        assert event.summary_msgid, event.action
        assert text != event.summary, event.action  # the stored text is Swedish, the English reader's is not
        assert not SWEDISH_WORDS.search(text.replace("Fel fakturanummer", "")), text
    english = {event.action: text for event, text in read}
    assert english["finance.index_value_saved"] == f"Index value saved: PKV, October 2025: 2.5{NBSP}%"
    assert english["membership.added"] == "viewer_north was given the role Case officer for Socialnämnden Norr"
    assert english["organisation.created"] == "Organisation Förskoleförvaltningen registered"
    saved = next(event for event in events if event.action == "finance.index_value_saved")
    assert saved.summary == f"Indexvärde sparat: PKV, oktober 2025: 2,5{NBSP}%"
