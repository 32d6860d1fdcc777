# SPDX-License-Identifier: EUPL-1.2
"""Shared fixtures: an organisation tree, users with roles, and agreements made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from apps.accounts.models import Membership, Role, User
from apps.agreements import services
from apps.organisations.models import Organisation


@pytest.fixture(autouse=True)
def swedish():
    """Every test starts in Swedish, the product's default language.

    Management commands switch translations off for the thread they run in (call_command); without this
    a test's outcome would depend on which test ran before it in the same worker.
    """
    translation.activate("sv")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (local memory in the test settings): a value cached by one test
    (the register's filter choices, a generation counter) must not answer another's request."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def orgs(db) -> dict[str, Organisation]:
    city = Organisation.objects.create(name="Testkommun", org_number="212000-1355", kind="public_body")
    north = Organisation.objects.create(
        name="Socialnämnden Norr", org_number="212000-1355", kind="public_body", parent=city
    )
    north_dept = Organisation.objects.create(
        name="Socialförvaltningen Norr", org_number="212000-1355", kind="public_body", parent=north
    )
    south = Organisation.objects.create(
        name="Socialnämnden Söder", org_number="212000-1355", kind="public_body", parent=city
    )
    alpha = Organisation.objects.create(name="Föreningen Alfa", org_number="802473-9412", kind="non_profit")
    beta = Organisation.objects.create(name="Stiftelsen Beta", org_number="857201-5728", kind="non_profit")
    return {"city": city, "north": north, "north_dept": north_dept, "south": south, "alpha": alpha, "beta": beta}


def make_user(username: str, *memberships: tuple[Organisation, str], **extra) -> User:
    user = User.objects.create_user(username=username, password="correct-horse-battery", **extra)
    for org, role in memberships:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def users(orgs) -> dict[str, User]:
    return {
        "officer_north": make_user("officer_north", (orgs["north"], Role.CASE_OFFICER), first_name="Nora"),
        "officer_south": make_user("officer_south", (orgs["south"], Role.CASE_OFFICER)),
        "controller_city": make_user("controller_city", (orgs["city"], Role.CONTROLLER)),
        "viewer_north": make_user("viewer_north", (orgs["north"], Role.VIEWER)),
        "partner_alpha": make_user("partner_alpha", (orgs["alpha"], Role.PARTNER_EDITOR)),
        "partner_beta": make_user("partner_beta", (orgs["beta"], Role.PARTNER_EDITOR)),
        "nobody": make_user("nobody"),
    }


def agreement_data(**overrides) -> dict:
    data = {
        "title": "IOP Föräldrastöd",
        "case_number": "SOCN-2025-00001",
        "purpose": "Stärka föräldrar.",
        "start_date": dt.date(2025, 7, 1),
        "end_date": dt.date(2028, 7, 1),
        "extension_max_months": 12,
        "notice_period_months": 4,
        "renewal_decision_months_before_end": 6,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_agreement(orgs, users):
    def make(*, actor=None, public=None, nonprofit=None, decision=True, **overrides):
        actor = actor or users["officer_north"]
        parties = [
            services.PartyInput(role="public", organisation=public or orgs["north_dept"]),
            services.PartyInput(role="nonprofit", organisation=nonprofit or orgs["alpha"]),
        ]
        dec = services.DecisionInput(body="Socialnämnden Norr", decided_on=dt.date(2025, 5, 28)) if decision else None
        return services.agreement_create(actor=actor, data=agreement_data(**overrides), parties=parties, decision=dec)

    return make
