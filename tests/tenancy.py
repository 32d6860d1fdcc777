# SPDX-License-Identifier: EUPL-1.2
"""Two municipalities in one installation, for the tenancy tests of every area.

Göteborg (Socialnämnden Nordost and its department) and Mölndal (its social committee), a case officer in
each, and the non-profit Föreningen Alfa that both work with, with an agreement in each made through the
services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from apps.accounts.models import Role, User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement
from apps.organisations.models import Organisation
from tests.conftest import agreement_data, make_user

GBG = "212000-1355"
MOLNDAL = "212000-1488"


@dataclass
class Tenants:
    gothenburg: Organisation
    nordost: Organisation
    nordost_dept: Organisation
    molndal: Organisation
    molndal_board: Organisation
    shared: Organisation
    gbg_officer: User
    molndal_officer: User
    gbg_agreement: Agreement
    molndal_agreement: Agreement


def tenant_agreement(actor: User, public: Organisation, nonprofit: Organisation, **overrides: object) -> Agreement:
    parties = [
        agreement_services.PartyInput(role="public", organisation=public),
        agreement_services.PartyInput(role="nonprofit", organisation=nonprofit),
    ]
    return agreement_services.agreement_create(actor=actor, data=agreement_data(**overrides), parties=parties)


def make_tenants(orgs: dict[str, Organisation]) -> Tenants:
    """The two municipalities; ``orgs`` is the shared fixture (its Föreningen Alfa is the shared non-profit)."""
    gothenburg = Organisation.objects.create(name="Göteborgs Stad", org_number=GBG, kind="public_body")
    nordost = Organisation.objects.create(
        name="Socialnämnden Nordost", org_number=GBG, kind="public_body", parent=gothenburg
    )
    nordost_dept = Organisation.objects.create(
        name="Socialförvaltningen Nordost", org_number=GBG, kind="public_body", parent=nordost
    )
    molndal = Organisation.objects.create(name="Mölndals stad", org_number=MOLNDAL, kind="public_body")
    molndal_board = Organisation.objects.create(
        name="Social- och arbetsmarknadsnämnden", org_number=MOLNDAL, kind="public_body", parent=molndal
    )
    gbg_officer = make_user("gbg_officer", (nordost, Role.CASE_OFFICER), first_name="Greta", last_name="Berg")
    molndal_officer = make_user("molndal_officer", (molndal_board, Role.CASE_OFFICER), first_name="Mats")
    shared = orgs["alpha"]
    return Tenants(
        gothenburg=gothenburg,
        nordost=nordost,
        nordost_dept=nordost_dept,
        molndal=molndal,
        molndal_board=molndal_board,
        shared=shared,
        gbg_officer=gbg_officer,
        molndal_officer=molndal_officer,
        gbg_agreement=tenant_agreement(gbg_officer, nordost_dept, shared, title="Göteborgs IOP", case_number="SN-1"),
        molndal_agreement=tenant_agreement(
            molndal_officer, molndal_board, shared, title="Mölndals IOP", case_number="M-1"
        ),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
