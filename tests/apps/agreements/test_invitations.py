# SPDX-License-Identifier: EUPL-1.2
"""Invitations: a public body of another municipality (tenant) named as a party is invited, and joins only
when that tenant's case officers accept. Until then, and when it declines, it grants no one of that tenant
anything: no page, export, count, money page or command shows them the agreement. The invited side sees
what it needs to decide on its invitations page and answers there; an answer is given once.

Göteborg (Socialnämnden Nordost) invites Mölndal's Social- och arbetsmarknadsnämnden to its agreement with
the shared non-profit Föreningen Alfa (tests/tenancy.py).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.http import Http404
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from apps.agreements import selectors, services
from apps.agreements.models import Agreement, Party
from apps.audit.models import AuditEvent
from apps.finance.selectors import portfolio
from apps.organisations.models import Organisation
from tests.conftest import make_user
from tests.tenancy import Tenants, client_for, make_tenants

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(orgs) -> Tenants:
    return make_tenants(orgs)


def _parties(t: Tenants, *extra: tuple[str, Organisation]) -> list[services.PartyInput]:
    pairs = [("public", t.nordost_dept), ("nonprofit", t.shared), *extra]
    return [services.PartyInput(role=role, organisation=org) for role, org in pairs]


def _invite(t: Tenants, role: str = "public") -> Party:
    """Göteborg's officer names Mölndal's committee as a party to Göteborg's agreement."""
    agreement = Agreement.objects.get(pk=t.gbg_agreement.pk)
    services.agreement_update(
        actor=t.gbg_officer, agreement=agreement, data={}, parties=_parties(t, (role, t.molndal_board))
    )
    return Party.objects.get(agreement=agreement, organisation=t.molndal_board)


def _answer(client: Client, party: Party, answer: str, reason: str = "", version: int | None = None) -> Any:
    return client.post(
        reverse("agreements:invitation_answer", args=[party.pk]),
        {"answer": answer, "reason": reason, "version": version if version is not None else party.version},
        follow=True,
    )


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _sees(client: Client, agreement: Agreement) -> dict[str, int]:
    urls = {
        "detail": agreement.get_absolute_url(),
        "history": reverse("agreements:history", args=[agreement.pk]),
        "edit": reverse("agreements:edit", args=[agreement.pk]),
        "money": reverse("finance:agreement", args=[agreement.pk]),
    }
    return {name: client.get(url).status_code for name, url in urls.items()}


# Inviting ----------------------------------------------------------------------------------------------------


def test_another_tenants_body_is_stored_as_invited_and_the_invitation_audited(tenants: Tenants) -> None:
    party = _invite(tenants)
    assert party.status == Party.Status.INVITED
    assert party.invited_by == tenants.gbg_officer and party.invited_at is not None
    assert party.answered_by is None and party.answered_at is None
    event = AuditEvent.objects.get(action="party.invited")
    assert event.agreement_id == tenants.gbg_agreement.pk
    assert event.summary == "Social- och arbetsmarknadsnämnden inbjuden att bli part (offentlig part)"
    # The parties already there, and a new non-profit (shared: never invited), are accepted.
    other = Organisation.objects.create(name="Föreningen Ny", org_number="802479-2478", kind="non_profit")
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    services.agreement_update(
        actor=tenants.gbg_officer,
        agreement=agreement,
        data={},
        parties=_parties(tenants, ("public", tenants.molndal_board), ("nonprofit", other)),
    )
    statuses = dict(agreement.parties.values_list("organisation__name", "status"))
    assert statuses == {
        "Socialförvaltningen Nordost": "accepted",
        "Föreningen Alfa": "accepted",
        "Föreningen Ny": "accepted",
        "Social- och arbetsmarknadsnämnden": "invited",
    }


def test_an_agreement_may_be_registered_with_an_invitation_through_the_page(tenants: Tenants) -> None:
    data = {
        "title": "Gemensam IOP",
        "case_number": "SN-9",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "30",
        "parties-0-role": "public",
        "parties-0-organisation": str(tenants.nordost.pk),
        "parties-1-role": "nonprofit",
        "parties-1-organisation": str(tenants.shared.pk),
        "parties-2-role": "public",
        "parties-2-organisation": str(tenants.molndal_board.pk),
    }
    for i in range(3):
        data[f"parties-{i}-new_kind"] = "non_profit"
    response = client_for(tenants.gbg_officer).post(reverse("agreements:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get(case_number="SN-9")
    assert agreement.parties.get(organisation=tenants.molndal_board).status == Party.Status.INVITED
    history = client_for(tenants.gbg_officer).get(reverse("agreements:history", args=[agreement.pk])).content.decode()
    assert "Social- och arbetsmarknadsnämnden inbjuden att bli part (offentlig part)" in history


# No access while pending or declined ---------------------------------------------------------------------------


def _assert_nothing_for_molndal(t: Tenants, agreement: Agreement) -> None:
    officer = t.molndal_officer
    assert not selectors.visible_agreements(officer).filter(pk=agreement.pk).exists()
    with pytest.raises(Http404):
        selectors.access_agreement(officer, agreement.pk, perm=None)
    client = client_for(officer)
    assert _sees(client, agreement) == {"detail": 404, "history": 404, "edit": 404, "money": 404}
    for fmt in ("csv", "xlsx"):
        export = client.get(reverse("agreements:list"), {"format": fmt})
        assert export.status_code == 200 and "Göteborgs IOP".encode() not in export.getvalue()
    listing = client.get(reverse("agreements:list")).content.decode()
    assert "Göteborgs IOP" not in listing
    controller = make_user(f"molndal_controller_{agreement.version}", (t.molndal, Role.CONTROLLER))
    assert not selectors.visible_agreements(controller).filter(pk=agreement.pk).exists()
    plan = portfolio(controller, first_year=2025, last_year=2028)
    assert not plan.agreements.filter(pk=agreement.pk).exists()
    # The organisation register counts only accepted parties, for both sides.
    for user in (officer, t.gbg_officer):
        page = client_for(user).get(reverse("organisations:list"), {"q": t.molndal_board.name}).content.decode()
        row = next(r for r in page.split("<tr>") if reverse("organisations:detail", args=[t.molndal_board.pk]) in r)
        assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1" if user == officer else "0"]
    section = client_for(officer).get(reverse("organisations:detail", args=[t.molndal_board.pk])).content.decode()
    assert "Göteborgs IOP" not in section


def test_a_pending_invitation_grants_the_invited_tenant_nothing(tenants: Tenants) -> None:
    _invite(tenants)
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    _assert_nothing_for_molndal(tenants, agreement)
    # Nor does an invitation as a dialogue party.
    Party.objects.filter(agreement=agreement, organisation=tenants.molndal_board).delete()
    _invite(tenants, role="dialogue")
    _assert_nothing_for_molndal(tenants, Agreement.objects.get(pk=agreement.pk))


def test_a_declined_invitation_grants_nothing_either(tenants: Tenants) -> None:
    party = _invite(tenants)
    services.party_invitation_decline(actor=tenants.molndal_officer, party=party, reason="Ingen budget i år.")
    _assert_nothing_for_molndal(tenants, Agreement.objects.get(pk=tenants.gbg_agreement.pk))


def test_the_inviting_side_filters_and_exports_count_accepted_parties_only(tenants: Tenants) -> None:
    _invite(tenants)
    officer = tenants.gbg_officer
    assert tenants.molndal_board not in selectors.public_bodies_in_register(officer)
    flt = selectors.RegisterFilter(public_body=tenants.molndal_board.pk)
    assert not selectors.register(officer, flt).exists()
    out = io.StringIO()
    call_command("export_register", "--format", "json", stdout=out)
    (record,) = [r for r in json.loads(out.getvalue()) if r["id"] == tenants.gbg_agreement.pk]
    assert [p["name"] for p in record["public_parties"]] == ["Socialförvaltningen Nordost"]
    # The register list marks the invited party for the side that sent the invitation.
    page = client_for(officer).get(reverse("agreements:list")).content.decode()
    assert 'Social- och arbetsmarknadsnämnden <span class="muted">(inbjuden – väntar på svar)</span>' in page


# The invitations page ------------------------------------------------------------------------------------------


def test_the_invited_officer_sees_what_they_need_to_decide_and_nothing_more(tenants: Tenants) -> None:
    party = _invite(tenants)
    client = client_for(tenants.molndal_officer)
    start = client.get(reverse("agreements:list")).content.decode()
    assert "1 inbjudan att bli part väntar på ditt svar." in start
    assert reverse("agreements:invitations") in start
    page = client.get(reverse("agreements:invitations"))
    assert page.status_code == 200
    html = page.content.decode()
    for expected in [
        "Göteborgs IOP",  # the title
        "SN-1",  # the case number
        "2025-07-01 – 2028-07-01",  # the period
        'Socialförvaltningen Nordost <span class="muted">(Göteborgs Stad)</span>',  # inviting party, tenant
        "Föreningen Alfa",  # the non-profit party
        "Greta Berg",  # who invited
        party.invited_at.date().isoformat() if party.invited_at else "",
        reverse("agreements:invitation_answer", args=[party.pk]),
    ]:
        assert expected in html, expected
    assert "Stärka föräldrar." not in html  # the purpose: the agreement itself is not theirs yet
    assert tenants.gbg_agreement.get_absolute_url() not in html
    # Göteborg's officer has nothing to answer; a viewer and a partner have no invitations page.
    gbg = client_for(tenants.gbg_officer).get(reverse("agreements:invitations")).content.decode()
    assert "Inga inbjudningar väntar på svar." in gbg
    viewer = make_user("molndal_viewer", (tenants.molndal_board, Role.VIEWER))
    partner = make_user("alfa_partner", (tenants.shared, Role.PARTNER_EDITOR))
    for user in (viewer, partner):
        assert client_for(user).get(reverse("agreements:invitations")).status_code == 403
        assert (
            reverse("agreements:invitations") not in client_for(user).get(reverse("agreements:list")).content.decode()
        )
    # The case officers have it in the main menu on every page.
    menu = client.get(reverse("organisations:list")).content.decode().split('class="site-nav"', 1)[1].split("</nav>")[0]
    assert f'<a href="{reverse("agreements:invitations")}">Inbjudningar</a>' in menu


def test_a_case_officer_above_the_invited_body_answers_for_it_too(tenants: Tenants) -> None:
    party = _invite(tenants)
    above = make_user("molndal_city_officer", (tenants.molndal, Role.CASE_OFFICER))
    assert [i.party for i in selectors.invitation_list(above)] == [party]
    assert selectors.access_party_invitation(above, party.pk, perm="agreements.answer_invitation") == party


# Answering ----------------------------------------------------------------------------------------------------


def test_accepting_makes_the_body_a_party_its_staff_see_and_the_history_shows_it(tenants: Tenants) -> None:
    party = _invite(tenants)
    read_at = Agreement.objects.get(pk=tenants.gbg_agreement.pk).version
    client = client_for(tenants.molndal_officer)
    response = _answer(client, party, "accept")
    agreement = tenants.gbg_agreement
    assert response.redirect_chain[-1][0] == agreement.get_absolute_url()
    assert "Social- och arbetsmarknadsnämnden är nu part i ”Göteborgs IOP”." in _messages(response)
    party.refresh_from_db()
    assert (party.status, party.answered_by) == (Party.Status.ACCEPTED, tenants.molndal_officer)
    assert party.answered_at is not None and party.version == 2
    # Now they see it as the staff of any public party do: the pages, the money, and the edit rights.
    assert _sees(client, agreement) == {"detail": 200, "history": 200, "edit": 200, "money": 200}
    assert tenants.molndal_officer.has_perm("agreements.change_agreement", agreement)
    history = client.get(reverse("agreements:history", args=[agreement.pk])).content.decode()
    assert "Social- och arbetsmarknadsnämnden godkände inbjudan att bli part" in history
    event = AuditEvent.objects.get(action="party.invitation_accepted")
    assert event.actor == tenants.molndal_officer and event.agreement_id == agreement.pk
    # The agreement's version moves on: an edit form read before the answer is refused, then shows it.
    assert event.changes["version"] == [read_at, read_at + 1]
    # The answer is in the invitations list no more.
    assert "Göteborgs IOP" not in client.get(reverse("agreements:invitations")).content.decode()


def test_declining_with_a_reason_shows_declined_to_the_inviting_side_who_may_remove_it(tenants: Tenants) -> None:
    party = _invite(tenants)
    response = _answer(client_for(tenants.molndal_officer), party, "decline", reason="Ingen budget i år.")
    assert response.redirect_chain[-1][0] == reverse("agreements:invitations")
    party.refresh_from_db()
    assert (party.status, party.decline_reason) == (Party.Status.DECLINED, "Ingen budget i år.")
    event = AuditEvent.objects.get(action="party.invitation_declined")
    assert event.changes["note"] == [None, "Ingen budget i år."]
    gbg = client_for(tenants.gbg_officer)
    page = gbg.get(tenants.gbg_agreement.get_absolute_url()).content.decode()
    assert "Avböjd" in page and "Ingen budget i år." in page
    history = gbg.get(reverse("agreements:history", args=[tenants.gbg_agreement.pk])).content.decode()
    assert "Social- och arbetsmarknadsnämnden avböjde inbjudan att bli part" in history
    # The inviting side removes the declined party.
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    services.agreement_update(actor=tenants.gbg_officer, agreement=agreement, data={}, parties=_parties(tenants))
    assert not agreement.parties.filter(organisation=tenants.molndal_board).exists()


def test_an_invitation_is_answered_once_and_a_double_click_says_so(tenants: Tenants) -> None:
    party = _invite(tenants)
    client = client_for(tenants.molndal_officer)
    _answer(client, party, "accept")
    events = AuditEvent.objects.count()
    again = _answer(client, party, "decline", reason="Fel klick")
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == reverse("agreements:invitations")
    (message,) = _messages(again)
    assert message.startswith("Inbjudan är redan godkänd (av molndal_officer") or message.startswith(
        "Inbjudan är redan godkänd (av Mats"
    ), message
    party.refresh_from_db()
    assert party.status == Party.Status.ACCEPTED and AuditEvent.objects.count() == events
    with pytest.raises(ValidationError) as exc:
        services.party_invitation_accept(actor=tenants.molndal_officer, party=party)
    assert exc.value.code == services.ANSWERED


def test_an_answer_to_an_invitation_that_changed_meanwhile_is_refused(tenants: Tenants) -> None:
    party = _invite(tenants)
    read_at = party.version
    # Göteborg changes the role it invites Mölndal's committee in while the invitation page is open.
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    services.agreement_update(
        actor=tenants.gbg_officer,
        agreement=agreement,
        data={},
        parties=_parties(tenants, ("dialogue", tenants.molndal_board)),
    )
    response = _answer(client_for(tenants.molndal_officer), party, "accept", version=read_at)
    assert _messages(response) == ["Inbjudan ändrades efter att du öppnade sidan. Kontrollera den och svara igen."]
    party.refresh_from_db()
    assert party.status == Party.Status.INVITED and party.role == "dialogue"


def test_a_bad_answer_is_refused_in_words(tenants: Tenants) -> None:
    party = _invite(tenants)
    response = _answer(client_for(tenants.molndal_officer), party, "maybe")
    assert _messages(response) == ["Välj om du godkänner eller avböjer inbjudan."]
    party.refresh_from_db()
    assert party.status == Party.Status.INVITED


@pytest.mark.parametrize("who", ["gbg_officer", "molndal_viewer", "molndal_controller", "partner", "other_board"])
def test_no_one_but_the_invited_bodys_case_officers_can_answer(tenants: Tenants, who: str) -> None:
    party = _invite(tenants)
    other_board = Organisation.objects.create(
        name="Kulturnämnden", org_number="212000-1488", kind="public_body", parent=tenants.molndal
    )
    users = {
        "gbg_officer": tenants.gbg_officer,
        "molndal_viewer": make_user("v", (tenants.molndal_board, Role.VIEWER)),
        "molndal_controller": make_user("c", (tenants.molndal, Role.CONTROLLER)),
        "partner": make_user("p", (tenants.shared, Role.PARTNER_EDITOR)),
        "other_board": make_user("o", (other_board, Role.CASE_OFFICER)),
    }
    user = users[who]
    events = AuditEvent.objects.count()
    for answer in ("accept", "decline"):
        response = client_for(user).post(
            reverse("agreements:invitation_answer", args=[party.pk]), {"answer": answer, "version": party.version}
        )
        assert response.status_code == 404
    with pytest.raises(Http404):
        selectors.access_party_invitation(user, party.pk, perm="agreements.answer_invitation")
    with pytest.raises(Http404):  # missing answers the same
        selectors.access_party_invitation(user, party.pk + 1000, perm="agreements.answer_invitation")
    assert selectors.invitation_list(user) == []
    party.refresh_from_db()
    assert party.status == Party.Status.INVITED and AuditEvent.objects.count() == events
    # An accepted party that was never invited is no invitation, even for its own officers.
    own = tenants.gbg_agreement.parties.get(organisation=tenants.nordost_dept)
    with pytest.raises(Http404):
        selectors.access_party_invitation(tenants.gbg_officer, own.pk, perm="agreements.answer_invitation")


def test_only_get_is_refused_on_the_answer_and_post_on_the_list(tenants: Tenants) -> None:
    party = _invite(tenants)
    client = client_for(tenants.molndal_officer)
    assert client.get(reverse("agreements:invitation_answer", args=[party.pk])).status_code == 405
    party.refresh_from_db()
    assert party.status == Party.Status.INVITED


# Withdrawing -------------------------------------------------------------------------------------------------


def test_removing_an_invited_party_before_it_answers_withdraws_the_invitation(tenants: Tenants) -> None:
    party = _invite(tenants)
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    services.agreement_update(actor=tenants.gbg_officer, agreement=agreement, data={}, parties=_parties(tenants))
    event = AuditEvent.objects.get(action="party.invitation_withdrawn")
    assert event.summary == "Inbjudan till Social- och arbetsmarknadsnämnden återkallad"
    assert event.agreement_id == agreement.pk and event.actor == tenants.gbg_officer
    # The page opened before the withdrawal: the invitation is gone (404, like any other that is not there).
    client = client_for(tenants.molndal_officer)
    assert (
        client.post(reverse("agreements:invitation_answer", args=[party.pk]), {"answer": "accept"}).status_code == 404
    )
    assert "Göteborgs IOP" not in client.get(reverse("agreements:invitations")).content.decode()
    # A service call holding the old row is refused in words.
    with pytest.raises(ValidationError) as exc:
        services.party_invitation_accept(actor=tenants.molndal_officer, party=party)
    assert exc.value.messages == ["Inbjudan har återkallats av parten som skickade den: det finns inget att svara på."]


def test_removing_an_answered_party_is_no_withdrawal(tenants: Tenants) -> None:
    party = _invite(tenants)
    services.party_invitation_decline(actor=tenants.molndal_officer, party=party)
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    services.agreement_update(actor=tenants.gbg_officer, agreement=agreement, data={}, parties=_parties(tenants))
    assert not AuditEvent.objects.filter(action="party.invitation_withdrawn").exists()


# The lifecycle waits for every invited party --------------------------------------------------------------------


def test_the_agreement_cannot_go_further_while_an_invitation_is_pending_or_declined(tenants: Tenants) -> None:
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    agreement.decisions.create(body="Socialnämnden Nordost", decided_on=dt.date(2025, 5, 28))
    party = _invite(tenants)
    client = client_for(tenants.gbg_officer)
    url = reverse("agreements:transition", args=[agreement.pk])
    response = client.post(url, {"target": "decided"}, follow=True)
    assert _messages(response) == [
        "Väntar på svar från Social- och arbetsmarknadsnämnden: överenskommelsen kan gå vidare först när alla "
        "inbjudna parter har godkänt."
    ]
    page = response.content.decode()
    assert "Inbjuden – väntar på svar" in page and "Väntar på svar från Social- och arbetsmarknadsnämnden." in page
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    services.party_invitation_decline(actor=tenants.molndal_officer, party=party)
    response = client.post(url, {"target": "decided"}, follow=True)
    assert _messages(response) == [
        "Social- och arbetsmarknadsnämnden har avböjt inbjudan att bli part. Ta bort parten under Redigera innan "
        "överenskommelsen kan gå vidare."
    ]
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    services.agreement_update(actor=tenants.gbg_officer, agreement=agreement, data={}, parties=_parties(tenants))
    response = client.post(url, {"target": "decided"}, follow=True)
    assert _messages(response) == ["Statusen har ändrats."]
    agreement.refresh_from_db()
    assert agreement.status == "decided"


def test_a_decided_agreement_is_not_signed_while_a_new_invitation_waits(tenants: Tenants) -> None:
    """An invitation added after the decision holds the signing (and activation) until it is answered."""
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    agreement.decisions.create(body="Socialnämnden Nordost", decided_on=dt.date(2025, 5, 28))
    services.agreement_transition(actor=tenants.gbg_officer, agreement=agreement, target="decided")
    party = _invite(tenants, role="dialogue")
    with pytest.raises(ValidationError) as exc:
        services.agreement_transition(actor=tenants.gbg_officer, agreement=agreement, target="signed")
    assert exc.value.code == "lifecycle.invitation_pending"
    agreement.refresh_from_db()
    assert agreement.status == "decided"
    services.party_invitation_accept(actor=tenants.molndal_officer, party=party)
    services.agreement_transition(actor=tenants.gbg_officer, agreement=agreement, target="signed")
    agreement.refresh_from_db()
    assert agreement.status == "signed"


def test_an_accepted_invitation_lets_the_agreement_go_further_and_its_officers_change_it(tenants: Tenants) -> None:
    agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
    agreement.decisions.create(body="Socialnämnden Nordost", decided_on=dt.date(2025, 5, 28))
    party = _invite(tenants)
    services.party_invitation_accept(actor=tenants.molndal_officer, party=party)
    services.agreement_transition(actor=tenants.molndal_officer, agreement=agreement, target="decided")
    agreement.refresh_from_db()
    assert agreement.status == "decided"


# Races (PostgreSQL) --------------------------------------------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="a race needs concurrent transactions: SQLite serialises writes (runs on PostgreSQL in CI)",
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_answers_and_a_parallel_withdrawal_leave_one_outcome(orgs) -> None:
    """Ten answers (accepts and declines) and the inviting side's withdrawal at once: exactly one of them
    wins, every other is refused in words, and the history holds that one outcome."""
    tenants = make_tenants(orgs)
    party = _invite(tenants)
    barrier = threading.Barrier(11)
    results: list[Any] = [None] * 11

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            fresh = Party.objects.get(pk=party.pk)
            if i == 10:
                agreement = Agreement.objects.get(pk=tenants.gbg_agreement.pk)
                services.agreement_update(
                    actor=tenants.gbg_officer, agreement=agreement, data={}, parties=_parties(tenants)
                )
                results[i] = "withdrawn"
            elif i % 2:
                results[i] = services.party_invitation_accept(actor=tenants.molndal_officer, party=fresh).status
            else:
                results[i] = services.party_invitation_decline(actor=tenants.molndal_officer, party=fresh).status
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(11)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected
    answers = [r for r in results[:10] if not isinstance(r, Exception)]
    answered = AuditEvent.objects.filter(action__in=["party.invitation_accepted", "party.invitation_declined"])
    withdrawn = AuditEvent.objects.filter(action="party.invitation_withdrawn")
    # The withdrawal always goes through (the party is gone at the end): either it came first and every
    # answer was refused as withdrawn, or one answer came first and removing the answered party withdrew
    # nothing. Never two answers, never an answer and a withdrawal.
    assert results[10] == "withdrawn" and not Party.objects.filter(pk=party.pk).exists()
    assert len(answers) <= 1 and answered.count() == len(answers)
    assert withdrawn.count() == 1 - len(answers)
    assert all(isinstance(r, ValidationError) for r in results[:10] if r not in answers)


def test_an_invited_party_cannot_be_named_as_collecting_an_indicators_data(tenants: Tenants) -> None:
    from django.core.exceptions import ValidationError

    from apps.agreements.forms import IndicatorForm

    party = _invite(tenants)
    agreement = party.agreement
    goal = services.goal_save(actor=tenants.gbg_officer, agreement=agreement, data={"text": "Fler deltar"})
    offered = IndicatorForm(agreement=agreement).fields["collected_by"].queryset
    assert tenants.molndal_board not in offered and tenants.shared in offered
    with pytest.raises(ValidationError) as refused:
        services.indicator_save(
            actor=tenants.gbg_officer,
            goal=goal,
            data=services.IndicatorInput(name="Antal", kind="count", collected_by=[tenants.molndal_board]),
        )
    assert "collected_by" in refused.value.message_dict
