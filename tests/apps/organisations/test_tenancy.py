# SPDX-License-Identifier: EUPL-1.2
"""Tenancy: two municipalities in one installation, each with its own bodies and staff, and a non-profit
they share. Staff act only within their own tenant: they create and edit only its bodies, a body's parent
is a body of the same tenant, another tenant's body is no party they can add, and the organisation list
counts only the agreements the viewer may see."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Party
from apps.agreements.selectors import visible_agreements
from apps.audit.models import AuditEvent
from apps.organisations import scope, services
from apps.organisations.forms import OrganisationForm
from apps.organisations.models import Organisation
from tests.conftest import agreement_data, make_user
from tests.tenancy import GBG, MOLNDAL, Tenants, client_for, make_tenants, tenant_agreement

pytestmark = pytest.mark.django_db

_agreement = tenant_agreement
_client = client_for


@pytest.fixture
def tenants(orgs) -> Tenants:
    """Göteborg (Socialnämnden Nordost and its department) and Mölndal (its own committee), an officer in
    each, and the shared non-profit Föreningen Alfa (from ``orgs``) with an agreement in each."""
    return make_tenants(orgs)


def _org_form_data(org: Organisation, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": org.name,
        "org_number": org.org_number,
        "kind": org.kind,
        "parent": org.parent_id or "",
        "kammarkollegiet_registered_on": "",
        "version": org.version,
    }
    data.update(changes)
    return data


def _state(org: Organisation) -> tuple[object, ...]:
    org.refresh_from_db()
    return (org.name, org.org_number, org.kind, org.parent_id, org.version)


# The scope ------------------------------------------------------------------------------------------------------


def test_the_tenant_of_a_body_is_the_top_of_its_parent_chain(tenants: Tenants, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(2):  # one query per level above Socialförvaltningen Nordost
        assert scope.tenant_of(tenants.nordost_dept) == tenants.gothenburg
    assert scope.tenant_of(tenants.molndal) == tenants.molndal
    assert scope.tenant_of(tenants.shared) is None  # a non-profit belongs to no tenant


def test_tenant_ids_are_the_tenants_of_the_staff_memberships_once_per_request(
    tenants: Tenants, django_assert_num_queries
) -> None:
    user = User.objects.get(pk=tenants.molndal_officer.pk)
    assert scope.tenant_ids(user) == {tenants.molndal.pk}
    with django_assert_num_queries(0):
        assert scope.tenant_ids(user) == {tenants.molndal.pk}
    partner = make_user("partner_shared", (tenants.shared, Role.PARTNER_EDITOR))
    assert scope.tenant_ids(partner) == set()
    assert scope.tenant_body_ids(tenants.gbg_officer) == {
        tenants.gothenburg.pk,
        tenants.nordost.pk,
        tenants.nordost_dept.pk,
    }


def test_the_scope_of_a_deep_hierarchy_is_read_in_one_query(tenants: Tenants, django_assert_num_queries) -> None:
    """Five levels below Göteborg (region → kommun → nämnd → förvaltning → enhet → grupp): the user's whole scope,
    their tenants and the tenant's bodies come from one recursive query, whatever the depth, and only the
    user's own subtree is their staff scope; descendant_ids is one query too."""
    levels = [tenants.nordost_dept]
    for depth in range(5):
        levels.append(
            Organisation.objects.create(
                name=f"Enhet nivå {depth}", org_number="212000-1355", kind="public_body", parent=levels[-1]
            )
        )
    sibling = Organisation.objects.create(
        name="Grannenheten", org_number="212000-1355", kind="public_body", parent=tenants.nordost
    )
    officer = make_user("deep_officer", (levels[2], Role.CASE_OFFICER))
    officer = User.objects.get(pk=officer.pk)
    with django_assert_num_queries(2):  # the memberships, then the hierarchy
        assert scope.staff_organisation_ids(officer) == {o.pk for o in levels[2:]}
    with django_assert_num_queries(0):
        assert scope.tenant_ids(officer) == {tenants.gothenburg.pk}
        assert scope.staff_organisation_ids(officer, {Role.CONTROLLER}) == set()
        assert {tenants.gothenburg.pk, tenants.nordost.pk, sibling.pk, *(o.pk for o in levels)} == (
            scope.tenant_body_ids(officer)
        )
    with django_assert_num_queries(1):
        assert scope.descendant_ids([tenants.nordost.pk]) == {tenants.nordost.pk, sibling.pk, *(o.pk for o in levels)}
    with django_assert_num_queries(2):  # the chains above them, then the tenants
        found = scope.tenants_of([levels[-1].pk, tenants.molndal.pk, tenants.shared.pk])
    assert found == {levels[-1].pk: tenants.gothenburg, tenants.molndal.pk: tenants.molndal}


# Re-parenting and editing another tenant's bodies ----------------------------------------------------------------


def test_molndal_cannot_re_parent_gothenburgs_committee_through_the_service(tenants: Tenants) -> None:
    before = _state(tenants.nordost)
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=tenants.molndal_officer,
            organisation=tenants.nordost,
            data={"name": tenants.nordost.name, "kind": "public_body", "parent": tenants.molndal_board},
        )
    assert _state(tenants.nordost) == before
    # Mölndal's officer sees no more of Göteborg's agreements than before.
    assert not visible_agreements(tenants.molndal_officer).filter(pk=tenants.gbg_agreement.pk).exists()


def test_molndal_cannot_re_parent_or_edit_gothenburgs_committee_through_the_page(tenants: Tenants) -> None:
    """Göteborg's committee is no party to anything Mölndal sees: its pages are missing for Mölndal (404, as
    for a body that does not exist). Once it is (see below), they open read-only: the edit page is 403."""
    client = _client(tenants.molndal_officer)
    url = reverse("organisations:edit", args=[tenants.nordost.pk])
    before = _state(tenants.nordost)
    events = AuditEvent.objects.count()
    assert client.get(url).status_code == 404
    response = client.post(url, _org_form_data(tenants.nordost, parent=tenants.molndal_board.pk))
    assert response.status_code == 404
    response = client.post(url, _org_form_data(tenants.nordost, name="Socialnämnden Mölndal Nordost"))
    assert response.status_code == 404
    assert _state(tenants.nordost) == before and AuditEvent.objects.count() == events
    assert client.get(reverse("organisations:detail", args=[tenants.nordost.pk])).status_code == 404
    # Party to an agreement Mölndal sees, the body's page opens without an edit link, and editing is refused.
    Party.objects.create(agreement=tenants.molndal_agreement, organisation=tenants.nordost, role="dialogue")
    page = client.get(reverse("organisations:detail", args=[tenants.nordost.pk])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 403
    response = client.post(url, _org_form_data(tenants.nordost, parent=tenants.molndal_board.pk))
    assert response.status_code == 403
    assert _state(tenants.nordost) == before and AuditEvent.objects.count() == events


def test_a_body_cannot_be_moved_under_another_tenants_body(tenants: Tenants) -> None:
    """Mölndal's own committee cannot be put under Göteborg's: a parent is a body of the same tenant."""
    before = _state(tenants.molndal_board)
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(
            actor=tenants.molndal_officer,
            organisation=tenants.molndal_board,
            data={"name": tenants.molndal_board.name, "kind": "public_body", "parent": tenants.nordost},
        )
    assert exc.value.message_dict["parent"] == [
        "En organisation kan bara höra till en organisation i din egen kommun eller region."
    ]
    assert _state(tenants.molndal_board) == before
    response = _client(tenants.molndal_officer).post(
        reverse("organisations:edit", args=[tenants.molndal_board.pk]),
        _org_form_data(tenants.molndal_board, parent=tenants.nordost.pk),
    )
    assert response.status_code == 400  # not among the choices
    assert _state(tenants.molndal_board) == before


def test_molndal_cannot_create_a_body_under_gothenburg(tenants: Tenants) -> None:
    data = {"name": "Socialnämnden Hisingen", "org_number": GBG, "kind": "public_body", "parent": tenants.gothenburg}
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=tenants.molndal_officer, data=data)
    assert "parent" in exc.value.message_dict
    response = _client(tenants.molndal_officer).post(
        reverse("organisations:create"), {**data, "parent": tenants.gothenburg.pk}
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="Socialnämnden Hisingen").exists()
    # Under its own municipality it may.
    own = services.organisation_create(
        actor=tenants.molndal_officer,
        data={"name": "Förskolenämnden", "org_number": MOLNDAL, "kind": "public_body", "parent": tenants.molndal},
    )
    assert scope.tenant_of(own) == tenants.molndal


def test_a_new_municipality_is_registered_by_a_superuser_only(tenants: Tenants) -> None:
    data = {"name": "Partille kommun", "org_number": "212000-1496", "kind": "public_body"}
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=tenants.molndal_officer, data=data)
    assert "plattformsadministratör" in exc.value.message_dict["parent"][0]
    # Nor by taking a body of its own out of its municipality.
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=tenants.molndal_officer,
            organisation=tenants.molndal_board,
            data={"name": tenants.molndal_board.name, "kind": "public_body", "parent": None},
        )
    assert not Organisation.objects.filter(name="Partille kommun").exists()
    admin = User.objects.create_superuser(username="admin", password="correct-horse-battery")
    partille = services.organisation_create(actor=admin, data=data)
    assert scope.tenant_of(partille) == partille


def test_a_shared_non_profit_is_not_drawn_into_a_tenant(tenants: Tenants) -> None:
    """Putting the shared non-profit under a committee, or making it a public body, would hand that
    municipality every other municipality's agreements with it."""
    before = _state(tenants.shared)
    for changes in ({"parent": tenants.molndal_board}, {"kind": "public_body", "parent": tenants.molndal_board}):
        with pytest.raises(ValidationError):
            services.organisation_update(
                actor=tenants.molndal_officer,
                organisation=tenants.shared,
                data={
                    "name": tenants.shared.name,
                    "org_number": tenants.shared.org_number,
                    "kind": "non_profit",
                    **changes,
                },
            )
    assert _state(tenants.shared) == before
    assert not visible_agreements(tenants.molndal_officer).filter(pk=tenants.gbg_agreement.pk).exists()


def test_the_parent_choices_are_the_actors_tenants_bodies(tenants: Tenants) -> None:
    form = OrganisationForm(instance=tenants.molndal_board, user=tenants.molndal_officer)
    assert list(form.fields["parent"].queryset) == [tenants.molndal]  # type: ignore[attr-defined]
    page = _client(tenants.molndal_officer).get(reverse("organisations:create")).content.decode()
    options = re.findall(r'<option value="(\d+)"', page.split('name="parent"', 1)[1].split("</select>", 1)[0])
    assert set(map(int, options)) == {tenants.molndal.pk, tenants.molndal_board.pk}
    assert "Socialnämnden Nordost" not in page.split('name="parent"', 1)[1].split("</select>", 1)[0]


# The shared non-profit ------------------------------------------------------------------------------------------


def test_the_shared_non_profit_is_editable_by_both_and_the_change_audited(tenants: Tenants) -> None:
    org = tenants.shared
    services.organisation_update(
        actor=tenants.molndal_officer,
        organisation=org,
        data={"name": "Föreningen Alfa Väst", "org_number": org.org_number, "kind": "non_profit"},
    )
    client = _client(tenants.gbg_officer)
    org.refresh_from_db()
    response = client.post(
        reverse("organisations:edit", args=[org.pk]), _org_form_data(org, name="Föreningen Alfa i Väst")
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Föreningen Alfa i Väst"
    changes = [
        (e.actor_id, e.changes["name"])
        for e in AuditEvent.objects.filter(organisation=org, action="organisation.updated").order_by("id")
    ]
    assert changes == [
        (tenants.molndal_officer.pk, ["Föreningen Alfa", "Föreningen Alfa Väst"]),
        (tenants.gbg_officer.pk, ["Föreningen Alfa Väst", "Föreningen Alfa i Väst"]),
    ]


# Party injection -------------------------------------------------------------------------------------------------


def _parties(*pairs: tuple[str, Organisation]) -> list[agreement_services.PartyInput]:
    return [agreement_services.PartyInput(role=role, organisation=org) for role, org in pairs]


def test_gothenburgs_body_named_by_molndal_is_only_invited_and_grants_nothing(tenants: Tenants) -> None:
    """Party injection: naming another tenant's body as a public or dialogue party no longer hands that
    tenant's staff the agreement (nor the edit rights): the body is invited and, until Göteborg's case
    officers accept (tests/apps/agreements/test_invitations.py), grants no one anything."""
    agreement = tenants.molndal_agreement
    for role in ("public", "dialogue"):
        agreement_services.agreement_update(
            actor=tenants.molndal_officer,
            agreement=Agreement.objects.get(pk=agreement.pk),
            data={},
            parties=_parties(("public", tenants.molndal_board), ("nonprofit", tenants.shared), (role, tenants.nordost)),
        )
        party = agreement.parties.get(organisation=tenants.nordost)
        assert (party.role, party.status, party.invited_by) == (role, Party.Status.INVITED, tenants.molndal_officer)
        assert not visible_agreements(tenants.gbg_officer).filter(pk=agreement.pk).exists()
        assert not tenants.gbg_officer.has_perm("agreements.change_agreement", agreement)
    # Mölndal still needs a public party of its own: another tenant's body alone is refused.
    with pytest.raises(ValidationError) as exc:
        agreement_services.agreement_create(
            actor=tenants.molndal_officer,
            data=agreement_data(case_number="M-2"),
            parties=_parties(("public", tenants.nordost), ("nonprofit", tenants.shared)),
        )
    assert exc.value.message_dict["parties"] == [
        "En av de offentliga parterna måste vara en nämnd eller förvaltning du arbetar för."
    ]
    assert not Agreement.objects.filter(case_number="M-2").exists()


def test_gothenburgs_body_named_on_molndals_page_is_invited(tenants: Tenants) -> None:
    agreement = tenants.molndal_agreement
    data = {
        "title": agreement.title,
        "case_number": agreement.case_number,
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat(),
        "version": agreement.version,
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "2",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "30",
        "parties-0-role": "public",
        "parties-0-organisation": str(tenants.molndal_board.pk),
        "parties-1-role": "nonprofit",
        "parties-1-organisation": str(tenants.shared.pk),
        "parties-2-role": "public",
        "parties-2-organisation": str(tenants.nordost.pk),
        "parties-2-new_kind": "non_profit",
    }
    response = _client(tenants.molndal_officer).post(reverse("agreements:edit", args=[agreement.pk]), data)
    assert response.status_code == 302
    assert agreement.parties.get(organisation=tenants.nordost).status == Party.Status.INVITED
    page = _client(tenants.molndal_officer).get(agreement.get_absolute_url()).content.decode()
    assert "Inbjuden – väntar på svar" in page
    assert _client(tenants.gbg_officer).get(agreement.get_absolute_url()).status_code == 404


def test_a_new_public_body_entered_with_a_party_joins_the_actors_municipality(tenants: Tenants) -> None:
    """Entered inline, a new public body with the actor's municipality's number is registered under it; one
    with another number would be a new municipality, which only a superuser registers."""
    agreement_services.agreement_create(
        actor=tenants.molndal_officer,
        data=agreement_data(case_number="M-3"),
        parties=[
            *_parties(("public", tenants.molndal_board), ("nonprofit", tenants.shared)),
            agreement_services.PartyInput(
                role="dialogue", new_name="Förskoleförvaltningen", new_org_number=MOLNDAL, new_kind="public_body"
            ),
        ],
    )
    assert Organisation.objects.get(name="Förskoleförvaltningen").parent == tenants.molndal
    with pytest.raises(ValidationError):
        agreement_services.agreement_create(
            actor=tenants.molndal_officer,
            data=agreement_data(case_number="M-4"),
            parties=[
                *_parties(("public", tenants.molndal_board), ("nonprofit", tenants.shared)),
                agreement_services.PartyInput(
                    role="dialogue", new_name="Kulturnämnden", new_org_number=GBG, new_kind="public_body"
                ),
            ],
        )
    assert not Organisation.objects.filter(name="Kulturnämnden").exists()


# The organisation list ------------------------------------------------------------------------------------------


def _count_in_list(client: Client, org: Organisation) -> str:
    html = client.get(reverse("organisations:list"), {"q": org.name}).content.decode()
    row = next(r for r in html.split("<tr>") if reverse("organisations:detail", args=[org.pk]) in r)
    cells = re.findall(r'<td class="num">(\d+)</td>', row)
    assert len(cells) == 1, row
    return cells[0]


def test_the_organisation_list_counts_only_the_agreements_the_viewer_may_see(tenants: Tenants) -> None:
    _agreement(tenants.gbg_officer, tenants.nordost, tenants.shared, title="Göteborgs andra IOP", case_number="SN-2")
    gbg, molndal = _client(tenants.gbg_officer), _client(tenants.molndal_officer)
    assert _count_in_list(gbg, tenants.shared) == "2"
    assert _count_in_list(molndal, tenants.shared) == "1"
    assert _count_in_list(gbg, tenants.nordost_dept) == "1"
    assert _count_in_list(molndal, tenants.molndal_board) == "1"
    admin = User.objects.create_superuser(username="admin", password="correct-horse-battery")
    assert _count_in_list(_client(admin), tenants.shared) == "3"
    assert _count_in_list(_client(admin), tenants.nordost_dept) == "1"


def _listed(client: Client, **params: str) -> set[str]:
    html = client.get(reverse("organisations:list"), params).content.decode()
    return set(re.findall(r'href="/organisationer/\d+/">([^<]+)</a>', html))


def test_the_register_shows_the_own_tenant_the_shared_ones_and_other_tenants_bodies_on_seen_agreements(
    tenants: Tenants,
) -> None:
    own_molndal = {"Mölndals stad", "Social- och arbetsmarknadsnämnden"}
    own_gbg = {"Göteborgs Stad", "Socialnämnden Nordost", "Socialförvaltningen Nordost"}
    shared = {"Föreningen Alfa", "Stiftelsen Beta"}  # the non-profits: one per number, for every tenant
    testkommun = {"Testkommun", "Socialnämnden Norr", "Socialförvaltningen Norr", "Socialnämnden Söder"}
    molndal, gbg = _client(tenants.molndal_officer), _client(tenants.gbg_officer)
    assert _listed(molndal) == own_molndal | shared
    assert _listed(gbg) == own_gbg | shared
    assert _listed(molndal, kind="public_body") == own_molndal
    assert _listed(molndal, q="Nordost") == set()
    # Another tenant's body's page is missing, as a body that does not exist.
    for org in (tenants.nordost, tenants.gothenburg, tenants.nordost_dept):
        assert molndal.get(reverse("organisations:detail", args=[org.pk])).status_code == 404
        assert molndal.get(reverse("organisations:edit", args=[org.pk])).status_code == 404
    # Named on an agreement Mölndal sees (Göteborg's body accepted Mölndal's invitation), it opens, read-only,
    # and links only to what opens: not to Göteborg's other bodies.
    agreement = Agreement.objects.get(pk=tenants.molndal_agreement.pk)
    agreement_services.agreement_update(
        actor=tenants.molndal_officer,
        agreement=agreement,
        data={},
        parties=_parties(("public", tenants.molndal_board), ("nonprofit", tenants.shared), ("public", tenants.nordost)),
    )
    party = agreement.parties.get(organisation=tenants.nordost)
    agreement_services.party_invitation_accept(actor=tenants.gbg_officer, party=party)
    assert _listed(molndal) == own_molndal | shared | {"Socialnämnden Nordost"}
    page = molndal.get(reverse("organisations:detail", args=[tenants.nordost.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Mölndals IOP" in html
    assert reverse("organisations:edit", args=[tenants.nordost.pk]) not in html
    assert reverse("organisations:detail", args=[tenants.gothenburg.pk]) not in html  # its municipality: no link
    assert reverse("organisations:detail", args=[tenants.nordost_dept.pk]) not in html  # nor the body below it
    assert "Göteborgs Stad" in html  # named, as the body it belongs to
    assert molndal.get(reverse("organisations:edit", args=[tenants.nordost.pk])).status_code == 403
    assert molndal.get(reverse("organisations:detail", args=[tenants.gothenburg.pk])).status_code == 404
    # A superuser sees every tenant's register.
    admin = User.objects.create_superuser(username="admin", password="correct-horse-battery")
    assert _listed(_client(admin)) == own_molndal | own_gbg | shared | testkommun


def _party_select(html: str) -> str:
    return html.split('name="parties-0-organisation"', 1)[1].split("</select>", 1)[0]


def test_the_party_dropdown_groups_other_tenants_bodies_as_invitations(tenants: Tenants) -> None:
    html = _client(tenants.molndal_officer).get(reverse("agreements:create")).content.decode()
    select = _party_select(html)
    own, _sep, other = select.partition('<optgroup label="Andra kommuner och regioner – bjuds in">')
    assert other, select
    names = lambda part: re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', part)  # noqa: E731
    assert set(names(own)) == {
        "Mölndals stad",
        "Social- och arbetsmarknadsnämnden",
        "Föreningen Alfa",
        "Stiftelsen Beta",
    }
    assert {"Göteborgs Stad", "Socialnämnden Nordost", "Socialförvaltningen Nordost", "Testkommun"} <= set(names(other))
    assert not set(names(other)) & set(names(own))
    assert "Föreningen Alfa" not in other  # non-profits are shared: never invited
    # A superuser registers for every tenant: one list.
    admin = User.objects.create_superuser(username="admin", password="correct-horse-battery")
    assert "<optgroup" not in _party_select(_client(admin).get(reverse("agreements:create")).content.decode())
