# SPDX-License-Identifier: EUPL-1.2
"""The agreement list's cached parts (apps/core/cache.py, decision 0017): the filter choices and the invitation
count are read from the cache on the second request, per scope, and retired by a write through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role
from apps.agreements import selectors, services
from apps.agreements.models import Agreement
from tests.conftest import make_user
from tests.tenancy import client_for, make_tenants

pytestmark = pytest.mark.django_db


def _list_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("agreements:list"))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("who", ["officer_north", "controller_city", "partner_alpha", "superuser"])
def test_the_second_request_of_the_list_asks_fewer_queries(users, make_agreement, who: str) -> None:
    """The aggregates behind the filters (and, for a case officer, the invitation count) are asked once per
    scope until the register changes: the second request of the list asks fewer queries than the first."""
    make_agreement()
    user = make_user("admin", is_superuser=True) if who == "superuser" else users[who]
    client = client_for(user)
    first, _html = _list_queries(client)
    second, html = _list_queries(client)
    assert second < first, f"{who}: {first} queries, then {second}"
    assert "Socialförvaltningen Norr" in html and "2028" in html  # the choices, from the cache


def test_the_filter_choices_follow_a_write_through_the_services(
    users, orgs, make_agreement, django_capture_on_commit_callbacks
) -> None:
    """An agreement registered after the list was cached shows its body and years in the filters once it
    commits (the test database's transaction never commits: the callbacks are run as a commit would)."""
    make_agreement()
    client = client_for(users["officer_north"])
    _count, html = _list_queries(client)
    assert "Socialnämnden Norr" not in html and ">2031<" not in html
    with django_capture_on_commit_callbacks(execute=True):
        make_agreement(
            public=orgs["north"], case_number="SOCN-2", start_date=dt.date(2029, 1, 1), end_date=dt.date(2031, 12, 31)
        )
    _count, html = _list_queries(client)
    assert "Socialnämnden Norr" in html and ">2031<" in html


def test_the_invitation_count_is_kept_per_case_officer_scope(orgs, django_capture_on_commit_callbacks) -> None:
    """Göteborg invites Mölndal's committee: Mölndal's case officer counts one, Göteborg's none, a viewer of
    Mölndal's none (nothing to answer); the second count asks nothing."""
    t = make_tenants(orgs)
    viewer = make_user("molndal_viewer", (t.molndal, Role.VIEWER))
    assert selectors.invitation_count(t.molndal_officer) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_update(
            actor=t.gbg_officer,
            agreement=Agreement.objects.get(pk=t.gbg_agreement.pk),
            data={},
            parties=[
                services.PartyInput(role="public", organisation=t.nordost_dept),
                services.PartyInput(role="nonprofit", organisation=t.shared),
                services.PartyInput(role="public", organisation=t.molndal_board),
            ],
        )
    assert selectors.invitation_count(viewer) == 0
    assert selectors.invitation_count(t.gbg_officer) == 0
    assert selectors.invitation_count(t.molndal_officer) == 1
    with CaptureQueriesContext(connection) as captured:
        assert selectors.invitation_count(t.molndal_officer) == 1
    assert not [q for q in captured.captured_queries if "agreements_party" in q["sql"]]  # from the cache
