# SPDX-License-Identifier: EUPL-1.2
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.organisations import services
from apps.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_create_normalises_the_number_and_audits(users):
    org = services.organisation_create(
        actor=users["officer_north"],
        data={"name": " Föreningen Gamma ", "org_number": "7177777773", "kind": "non_profit"},
    )
    assert (org.name, org.org_number) == ("Föreningen Gamma", "717777-7773")
    assert AuditEvent.objects.filter(organisation=org, action="organisation.created").exists()


def test_bad_check_digit_is_refused(users):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            actor=users["officer_north"], data={"name": "X", "org_number": "717777-7774", "kind": "non_profit"}
        )
    assert "org_number" in exc.value.message_dict
    assert not Organisation.objects.filter(name="X").exists()


def test_partners_cannot_change_the_register(users, orgs):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=users["partner_alpha"], organisation=orgs["alpha"], data={"name": "Y"})


def test_cycle_in_the_hierarchy_is_refused(users, orgs):
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=users["officer_north"],
            organisation=orgs["city"],
            data={"name": "Testkommun", "kind": "public_body", "parent": orgs["north_dept"]},
        )


def test_form_shows_field_error(client, users):
    client.force_login(users["officer_north"])
    response = client.post(reverse("organisations:create"), {"name": "Z", "org_number": "12345", "kind": "non_profit"})
    assert response.status_code == 400
    assert "tio siffror" in response.content.decode()


def test_search_by_number(client, users, orgs):
    client.force_login(users["controller_city"])
    html = client.get(reverse("organisations:list"), {"q": "8572015728"}).content.decode()
    assert "Stiftelsen Beta" in html and "Föreningen Alfa" not in html


def test_organisation_page_lists_the_agreements_the_viewer_may_see(client, users, orgs, make_agreement):
    """The agreements section comes from the agreements area (registered in its AppConfig.ready())."""
    mine = make_agreement(title="Nordlig överenskommelse", public=orgs["north_dept"], nonprofit=orgs["alpha"])
    make_agreement(
        actor=users["officer_south"],
        title="Sydlig överenskommelse",
        public=orgs["south"],
        nonprofit=orgs["alpha"],
        case_number="SOCN-2025-00002",
    )
    client.force_login(users["officer_north"])
    page = client.get(f"/organisationer/{orgs['alpha'].pk}/").content.decode()
    assert mine.title in page
    assert "Sydlig överenskommelse" not in page
    page = client.get(f"/organisationer/{orgs['beta'].pk}/").content.decode()
    assert "Inga överenskommelser som du kan se." in page
