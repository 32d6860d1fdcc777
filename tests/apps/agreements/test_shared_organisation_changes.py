# SPDX-License-Identifier: EUPL-1.2
"""A shared organisation (a non-profit: one per organisationsnummer, no tenant) is kept by every municipality
that works with it. A change of its name or number is audited and shown to every tenant that has it as a
party: in the history of each of its agreements, as made by the municipality the change came from (never the
name of another municipality's staff member), and on the agreement page while the rename is recent."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import User
from apps.agreements.history import RECENT_RENAME
from apps.agreements.models import Agreement, Party
from apps.audit.models import AuditEvent
from apps.organisations import services as organisation_services
from apps.organisations.models import Organisation
from tests.tenancy import Tenants, client_for, make_tenants

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def tenants(orgs) -> Tenants:
    with time_machine.travel(dt.datetime(2026, 1, 10, 9, 0, tzinfo=STOCKHOLM), tick=False):
        return make_tenants(orgs)


def _rename(actor: User, org: Organisation, **changes: str) -> None:
    org.refresh_from_db()
    data = {"name": org.name, "org_number": org.org_number, "kind": org.kind, **changes}
    organisation_services.organisation_update(actor=actor, organisation=org, data=data)


def _history(client: Client, agreement: Agreement) -> str:
    html = client.get(reverse("agreements:history", args=[agreement.pk])).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_rename_by_one_municipality_is_in_the_history_of_both_and_by_the_municipality(tenants: Tenants) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 30, 14, 5, tzinfo=STOCKHOLM), tick=False):
        _rename(tenants.molndal_officer, tenants.shared, name="Föreningen Alfa Väst")
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.summary == "Organisationen Föreningen Alfa Väst ändrades av Mölndals stad"
    assert event.changes["name"] == ["Föreningen Alfa", "Föreningen Alfa Väst"]
    expected = "2026-11-30 14:05 · Mölndals stad Organisationen bytte namn: Föreningen Alfa → Föreningen Alfa Väst"
    for user, agreement in [
        (tenants.gbg_officer, tenants.gbg_agreement),
        (tenants.molndal_officer, tenants.molndal_agreement),
    ]:
        text = _history(client_for(user), agreement)
        assert expected in text, text
    # Göteborg is not told who at Mölndal made the change.
    gbg = _history(client_for(tenants.gbg_officer), tenants.gbg_agreement)
    assert "Mats" not in gbg and "molndal_officer" not in gbg
    # In English too.
    client = client_for(tenants.gbg_officer)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        text = _history(client, tenants.gbg_agreement)
    assert "Mölndals stad The organisation changed its name: Föreningen Alfa → Föreningen Alfa Väst" in text, text


def test_a_new_organisation_number_is_shown_too(tenants: Tenants) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 8, 0, tzinfo=STOCKHOLM), tick=False):
        _rename(tenants.gbg_officer, tenants.shared, org_number="802479-2478")
    text = _history(client_for(tenants.molndal_officer), tenants.molndal_agreement)
    assert "Göteborgs Stad Föreningen Alfa bytte organisationsnummer: 802473-9412 → 802479-2478" in text, text


def test_other_changes_and_other_organisations_stay_out_of_the_history(tenants: Tenants) -> None:
    # Another field of the shared organisation, a public body's rename, and a non-profit that is no party.
    _rename(tenants.molndal_officer, tenants.shared, kammarkollegiet_registered_on="2020-01-01")
    _rename(tenants.gbg_officer, tenants.nordost, name="Socialnämnden Nordost och Hisingen")
    other = Organisation.objects.get(name="Stiftelsen Beta")
    _rename(tenants.gbg_officer, other, name="Stiftelsen Beta Väst")
    for user, agreement in [
        (tenants.gbg_officer, tenants.gbg_agreement),
        (tenants.molndal_officer, tenants.molndal_agreement),
    ]:
        text = _history(client_for(user), agreement)
        assert "bytte namn" not in text and "Stiftelsen Beta" not in text and "Hisingen" not in text


def test_a_rename_before_the_organisation_became_a_party_is_not_in_the_history(tenants: Tenants) -> None:
    other = Organisation.objects.get(name="Stiftelsen Beta")
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, 0, tzinfo=STOCKHOLM), tick=False):
        _rename(tenants.gbg_officer, other, name="Stiftelsen Beta Väst")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=STOCKHOLM), tick=False):
        Party.objects.create(agreement=tenants.gbg_agreement, organisation=other, role=Party.Role.DIALOGUE)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=STOCKHOLM), tick=False):
        _rename(tenants.gbg_officer, other, name="Stiftelsen Beta i Väst")
    text = _history(client_for(tenants.gbg_officer), tenants.gbg_agreement)
    assert "Organisationen bytte namn: Stiftelsen Beta Väst → Stiftelsen Beta i Väst" in text
    assert "Stiftelsen Beta → Stiftelsen Beta Väst" not in text


def test_a_change_in_the_admin_site_is_shown_as_the_platforms(tenants: Tenants) -> None:
    admin = User.objects.create_superuser(username="admin", password="correct-horse-battery")
    client = client_for(admin)
    org = tenants.shared
    response = client.post(
        reverse("admin:organisations_organisation_change", args=[org.pk]),
        {"name": "Föreningen Alfa Nord", "org_number": org.org_number, "kind": org.kind, "parent": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    text = _history(client_for(tenants.molndal_officer), tenants.molndal_agreement)
    assert "plattformens administration Organisationen bytte namn: Föreningen Alfa → Föreningen Alfa Nord" in text


def test_the_agreement_page_says_a_party_was_renamed_recently(tenants: Tenants) -> None:
    renamed = dt.datetime(2026, 11, 30, 14, 5, tzinfo=STOCKHOLM)
    with time_machine.travel(renamed, tick=False):
        _rename(tenants.molndal_officer, tenants.shared, name="Föreningen Alfa Väst")
    for user, agreement in [
        (tenants.gbg_officer, tenants.gbg_agreement),
        (tenants.molndal_officer, tenants.molndal_agreement),
    ]:
        with time_machine.travel(renamed + dt.timedelta(days=20), tick=False):
            page = client_for(user).get(agreement.get_absolute_url()).content.decode()
        assert "Föreningen Alfa Väst" in page
        assert "tidigare namn Föreningen Alfa, ändrat 2026-11-30" in page
        with time_machine.travel(renamed + RECENT_RENAME + dt.timedelta(days=1), tick=False):
            later = client_for(user).get(agreement.get_absolute_url()).content.decode()
        assert "tidigare namn" not in later


def test_the_history_of_an_agreement_whose_parties_include_no_shared_organisation(tenants: Tenants) -> None:
    """Only public bodies as parties (in a test: not an IOP) — the history is the agreement's own."""
    agreement = tenants.gbg_agreement
    Party.objects.filter(agreement=agreement, organisation=tenants.shared).delete()
    assert client_for(tenants.gbg_officer).get(reverse("agreements:history", args=[agreement.pk])).status_code == 200
    assert client_for(tenants.gbg_officer).get(agreement.get_absolute_url()).status_code == 200
