# SPDX-License-Identifier: EUPL-1.2
"""Membership writes go through the audited services, also from the admin; a user's scope follows them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.accounts import services
from apps.accounts.models import Membership, Role, User
from apps.audit.models import AuditEvent
from apps.organisations.scope import partner_organisation_ids, staff_organisation_ids

pytestmark = pytest.mark.django_db


def test_add_change_remove_are_audited(users, orgs):
    actor = User.objects.create_superuser("root", password="correct-horse-battery")
    person = User.objects.create_user("ny", password="correct-horse-battery")
    membership = services.membership_add(actor=actor, user=person, organisation=orgs["north"], role=Role.VIEWER)
    assert staff_organisation_ids(person) == {orgs["north"].pk, orgs["north_dept"].pk}

    services.membership_change_role(actor=actor, membership=membership, role=Role.CASE_OFFICER)
    membership.refresh_from_db()
    assert membership.role == Role.CASE_OFFICER

    services.membership_remove(actor=actor, membership=membership)
    assert not Membership.objects.filter(user=person).exists()
    events = list(AuditEvent.objects.filter(object_type="accounts.membership").order_by("id"))
    assert [e.action for e in events] == ["membership.added", "membership.changed", "membership.removed"]
    assert all(e.organisation_id == orgs["north"].pk and e.actor == actor for e in events)
    assert events[1].changes == {"role": [Role.VIEWER, Role.CASE_OFFICER]}
    assert "Handläggare" in events[1].summary or "handläggare" in events[1].summary.lower()


def test_duplicate_and_unknown_roles_are_refused_and_write_nothing(users, orgs):
    person = users["officer_north"]
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as duplicate:
        services.membership_add(actor=None, user=person, organisation=orgs["north"], role=Role.CASE_OFFICER)
    assert duplicate.value.code == "duplicate_role"
    with pytest.raises(ValidationError) as unknown:
        services.membership_add(actor=None, user=person, organisation=orgs["north"], role="boss")
    assert unknown.value.code == "invalid_role"
    assert AuditEvent.objects.count() == before
    assert Membership.objects.filter(user=person).count() == 1


def test_partner_scope_has_no_hierarchy(users, orgs):
    assert partner_organisation_ids(users["partner_alpha"]) == {orgs["alpha"].pk}
    assert staff_organisation_ids(users["partner_alpha"]) == set()


def test_admin_inline_writes_through_the_services(client, orgs):
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    person = User.objects.create_user("ny", password="correct-horse-battery")
    client.force_login(admin)
    url = f"/admin/accounts/user/{person.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = {
        "username": "ny",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "10:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": "",
        "memberships-0-user": str(person.pk),
        "memberships-0-organisation": str(orgs["south"].pk),
        "memberships-0-role": Role.CONTROLLER,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=person)
    assert membership.organisation == orgs["south"]
    assert AuditEvent.objects.filter(action="membership.added", actor=admin, object_id=str(membership.pk)).exists()
