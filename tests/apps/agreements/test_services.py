# SPDX-License-Identifier: EUPL-1.2
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.agreements import services
from apps.agreements.models import Agreement, Indicator, Party
from apps.audit.models import AuditEvent
from apps.organisations.models import Organisation
from tests.conftest import agreement_data

pytestmark = pytest.mark.django_db


def test_create_writes_agreement_parties_decision_and_audit_event(make_agreement, users):
    agreement = make_agreement()
    assert agreement.status == Agreement.Status.DRAFT
    assert {p.role for p in agreement.parties.all()} == {"public", "nonprofit"}
    assert agreement.decisions.get().body == "Socialnämnden Norr"
    event = AuditEvent.objects.get(agreement=agreement, action="agreement.created")
    assert event.actor == users["officer_north"]
    assert event.changes  # what was set


def test_create_registers_a_new_organisation_inline(orgs, users):
    agreement = services.agreement_create(
        actor=users["officer_north"],
        data=agreement_data(),
        parties=[
            services.PartyInput(role="public", organisation=orgs["north"]),
            services.PartyInput(role="nonprofit", new_name="Nya föreningen", new_org_number="7177777773"),
        ],
    )
    org = Organisation.objects.get(name="Nya föreningen")
    assert org.org_number == "717777-7773"
    assert agreement.parties.filter(organisation=org, role="nonprofit").exists()


def test_a_bad_org_number_changes_nothing(orgs, users):
    before = (Agreement.objects.count(), Organisation.objects.count())
    with pytest.raises(Exception):
        services.agreement_create(
            actor=users["officer_north"],
            data=agreement_data(),
            parties=[
                services.PartyInput(role="public", organisation=orgs["north"]),
                services.PartyInput(role="nonprofit", new_name="Fel", new_org_number="802473-9413"),
            ],
        )
    assert (Agreement.objects.count(), Organisation.objects.count()) == before


def test_no_nonprofit_party_is_refused_and_nothing_is_written(orgs, users):
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(
            actor=users["officer_north"],
            data=agreement_data(),
            parties=[services.PartyInput(role="public", organisation=orgs["north"])],
        )
    assert "idéburen" in str(exc.value) or "non-profit" in str(exc.value)
    assert Agreement.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_end_before_start_is_refused(make_agreement):
    with pytest.raises(ValidationError) as exc:
        make_agreement(start_date=dt.date(2026, 1, 1), end_date=dt.date(2025, 1, 1))
    assert "end_date" in exc.value.message_dict
    assert Agreement.objects.count() == 0


def test_officer_cannot_register_for_another_body(orgs, users):
    with pytest.raises(ValidationError, match="arbetar för|work for"):
        services.agreement_create(
            actor=users["officer_north"],
            data=agreement_data(),
            parties=[
                services.PartyInput(role="public", organisation=orgs["south"]),
                services.PartyInput(role="nonprofit", organisation=orgs["alpha"]),
            ],
        )


@pytest.mark.parametrize("who", ["partner_alpha", "viewer_north", "controller_city", "nobody"])
def test_only_case_officers_create(orgs, users, who):
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=users[who],
            data=agreement_data(),
            parties=[
                services.PartyInput(role="public", organisation=orgs["north"]),
                services.PartyInput(role="nonprofit", organisation=orgs["alpha"]),
            ],
        )


def test_update_records_field_changes(make_agreement, users):
    agreement = make_agreement()
    services.agreement_update(
        actor=users["officer_north"], agreement=agreement, data={"title": "Nytt namn", "notice_period_months": 3}
    )
    event = AuditEvent.objects.filter(agreement=agreement, action="agreement.updated").get()
    assert event.changes["title"] == ["IOP Föräldrastöd", "Nytt namn"]
    assert event.changes["notice_period_months"] == [4, 3]


def test_update_by_officer_of_another_body_is_denied(make_agreement, users):
    agreement = make_agreement()
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=users["officer_south"], agreement=agreement, data={"title": "x"})
    agreement.refresh_from_db()
    assert agreement.title == "IOP Föräldrastöd"


def test_lifecycle_through_the_service(make_agreement, users):
    actor = users["officer_north"]
    agreement = make_agreement()
    for target in ("decided", "signed", "active"):
        agreement = services.agreement_transition(
            actor=actor, agreement=agreement, target=target, today=dt.date(2025, 8, 1)
        )
    assert agreement.status == "active"
    with pytest.raises(ValidationError, match="2028-07-01"):
        services.agreement_transition(actor=actor, agreement=agreement, target="ended", today=dt.date(2026, 1, 1))
    agreement = services.agreement_transition(
        actor=actor, agreement=agreement, target="terminated", note="Uppsägning 2026-01-01", today=dt.date(2026, 1, 1)
    )
    assert agreement.status == "terminated"
    assert AuditEvent.objects.filter(agreement=agreement, action="agreement.status_changed").count() == 4
    with pytest.raises(ValidationError):
        services.agreement_update(actor=actor, agreement=agreement, data={"title": "x"})


def test_deciding_without_a_decision_says_what_is_missing(make_agreement, users):
    agreement = make_agreement(decision=False)
    with pytest.raises(ValidationError, match="beslut"):
        services.agreement_transition(actor=users["officer_north"], agreement=agreement, target="decided")
    agreement.refresh_from_db()
    assert agreement.status == "draft"


def test_interventions_goals_and_indicators(make_agreement, users, orgs):
    actor = users["officer_north"]
    agreement = make_agreement()
    part = services.intervention_save(
        actor=actor, agreement=agreement, data={"kind": "local", "label": "Del 1", "title": "Kulturtolkar i Angered"}
    )
    goal = services.goal_save(actor=actor, agreement=agreement, data={"text": "Ökad tillit", "intervention": part})
    indicator = services.indicator_save(
        actor=actor,
        goal=goal,
        data=services.IndicatorInput(
            name="Antal deltagare fördelat på språkgrupp och kön",
            kind="count_by_dimensions",
            dimensions=["language_group", "gender"],
            collected_by=[orgs["alpha"]],
        ),
    )
    assert str(part) == "Del 1 – Kulturtolkar i Angered"
    assert [p.organisation for p in indicator.collected_by.all()] == [orgs["alpha"]]
    with pytest.raises(ValidationError):
        services.indicator_save(
            actor=actor,
            goal=goal,
            data=services.IndicatorInput(name="Antal", kind="count", collected_by=[orgs["beta"]]),
        )  # not a party
    with pytest.raises(ValidationError):
        services.indicator_save(
            actor=actor,
            goal=goal,
            data=services.IndicatorInput(name="Antal", kind="count_by_dimensions", dimensions=[]),
        )
    assert Indicator.objects.count() == 1
    services.agreement_child_delete(actor=actor, obj=indicator)
    assert Indicator.objects.count() == 0
    assert AuditEvent.objects.filter(action="indicator.deleted").exists()


def test_goal_cannot_point_at_another_agreements_intervention(make_agreement, users):
    actor = users["officer_north"]
    one, two = make_agreement(), make_agreement(title="Andra")
    foreign = services.intervention_save(actor=actor, agreement=two, data={"title": "Insats"})
    with pytest.raises(ValidationError):
        services.goal_save(actor=actor, agreement=one, data={"text": "Mål", "intervention": foreign})


def test_party_roles_are_replaced_on_update(make_agreement, users, orgs):
    agreement = make_agreement()
    services.agreement_update(
        actor=users["officer_north"],
        agreement=agreement,
        data={},
        parties=[
            services.PartyInput(role="public", organisation=orgs["north_dept"]),
            services.PartyInput(role="nonprofit", organisation=orgs["beta"]),
            services.PartyInput(role="dialogue", organisation=orgs["south"]),
        ],
    )
    assert set(agreement.parties.values_list("organisation__name", "role")) == {
        ("Socialförvaltningen Norr", "public"),
        ("Stiftelsen Beta", "nonprofit"),
        ("Socialnämnden Söder", "dialogue"),
    }
    assert Party.objects.filter(organisation=orgs["alpha"]).count() == 0
