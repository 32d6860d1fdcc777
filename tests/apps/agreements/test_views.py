# SPDX-License-Identifier: EUPL-1.2
"""The pages through Django's test client: scoping, field-level errors, exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.agreements.models import Agreement
from apps.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def north(make_agreement):
    return make_agreement(title="Norr Alfa")


@pytest.fixture
def south(make_agreement, users, orgs):
    return make_agreement(
        title="Söder Beta", actor=users["officer_south"], public=orgs["south"], nonprofit=orgs["beta"]
    )


def login(client, user):
    client.force_login(user)
    return client


def test_login_required(client, north):
    response = client.get(reverse("agreements:detail", args=[north.pk]))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_pages_are_swedish(client, users, north):
    login(client, users["officer_north"])
    html = client.get(reverse("agreements:list")).content.decode()
    assert 'lang="sv"' in html and "Överenskommelser" in html and "Registrera överenskommelse" in html


@pytest.mark.parametrize("name", ["detail", "edit", "history"])
def test_another_partners_agreement_is_404_not_403(client, users, north, south, name):
    login(client, users["partner_alpha"])
    assert client.get(reverse(f"agreements:{name}", args=[south.pk])).status_code == 404


def test_partner_reads_own_agreement_but_cannot_edit(client, users, north):
    login(client, users["partner_alpha"])
    assert client.get(reverse("agreements:detail", args=[north.pk])).status_code == 200
    assert client.get(reverse("agreements:edit", args=[north.pk])).status_code == 403
    assert client.post(reverse("agreements:transition", args=[north.pk]), {"target": "decided"}).status_code == 403
    assert client.get(reverse("organisations:list")).status_code == 403


def test_list_export_follows_filters_and_scope(client, users, north, south):
    login(client, users["controller_city"])
    response = client.get(reverse("agreements:list"), {"q": "Beta", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == "Titel"
    assert [r[1] for r in rows[1:]] == ["Söder Beta"]
    response = client.get(reverse("agreements:list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sorted(c.value for c in sheet["B"][1:]) == ["Norr Alfa", "Söder Beta"]
    login(client, users["partner_alpha"])
    rows = client.get(reverse("agreements:list"), {"format": "csv"}).getvalue().decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and "Norr Alfa" in rows[1]


def _form_data(orgs, **overrides):
    data = {
        "title": "Ny överenskommelse",
        "case_number": "SOCN-2026-1",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "ends_automatically": "on",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "30",
        "parties-0-role": "public",
        "parties-0-organisation": str(orgs["north"].pk),
        "parties-1-role": "nonprofit",
        "parties-1-organisation": str(orgs["alpha"].pk),
        "parties-2-role": "",
        "parties-2-new_kind": "non_profit",
    }
    data.update(overrides)
    return data


def test_create_through_the_form(client, users, orgs):
    login(client, users["officer_north"])
    response = client.post(
        reverse("agreements:create"),
        _form_data(
            orgs,
            **{
                "parties-2-role": "dialogue",
                "parties-2-new_name": "Förskoleförvaltningen Norr",
                "parties-2-new_org_number": "212000-1355",
                "parties-2-new_kind": "public_body",
            },
        ),
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Ny överenskommelse")
    assert agreement.parties.filter(role="dialogue", organisation__name="Förskoleförvaltningen Norr").exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"end_date": "2025-01-01"}, "end_date", "Slutdatum kan inte vara före startdatum"),
        (
            {"parties-2-role": "nonprofit", "parties-2-new_name": "X", "parties-2-new_org_number": "802473-9413"},
            "parties-2-new_org_number",
            "Kontrollsiffran",
        ),
        ({"parties-1-organisation": "", "parties-1-role": ""}, None, "minst en idéburen part"),
    ],
)
def test_form_errors_are_clear_and_change_nothing(client, users, orgs, overrides, field, message):
    login(client, users["officer_north"])
    before = (Agreement.objects.count(), Organisation.objects.count())
    response = client.post(reverse("agreements:create"), _form_data(orgs, **overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'id="error-summary"' in html
    if field:
        assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html
    assert (Agreement.objects.count(), Organisation.objects.count()) == before


def test_edit_and_history(client, users, north, orgs):
    login(client, users["officer_north"])
    form = client.get(reverse("agreements:edit", args=[north.pk]))
    assert form.status_code == 200
    data = _form_data(orgs, title="Norr Alfa ändrad", start_date="2025-07-01", end_date="2028-07-01")
    data.update({"parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "2"})
    for i, party in enumerate(north.parties.order_by("position")):
        data[f"parties-{i}-role"] = party.role
        data[f"parties-{i}-organisation"] = str(party.organisation_id)
    data.pop("parties-2-role")
    data.pop("parties-2-new_kind")
    response = client.post(reverse("agreements:edit", args=[north.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    history = client.get(reverse("agreements:history", args=[north.pk])).content.decode()
    assert "Norr Alfa ändrad" in history and "Titel" in history and "Nora" in history


def test_status_transition_refusal_is_explained(client, users, north):
    login(client, users["officer_north"])
    response = client.post(reverse("agreements:transition", args=[north.pk]), {"target": "ended"}, follow=True)
    assert "kan inte bli avslutad" in response.content.decode()
    north.refresh_from_db()
    assert north.status == "draft"


def test_goal_and_indicator_pages(client, users, north, orgs):
    login(client, users["officer_north"])
    url = reverse("agreements:goal_add", args=[north.pk])
    assert client.post(url, {"text": "Ökad tillit"}).status_code == 302
    goal = north.goals.get()
    url = reverse("agreements:indicator_add", args=[north.pk, goal.pk])
    bad = client.post(url, {"name": "Antal", "kind": "count_by_dimensions", "follow_ups_per_year": "2"})
    assert bad.status_code == 400 and "Välj minst en dimension" in bad.content.decode()
    ok = client.post(
        url,
        {
            "name": "Antal deltagare",
            "kind": "count_by_dimensions",
            "dimensions": ["gender"],
            "collected_by": [orgs["alpha"].pk],
            "follow_ups_per_year": "2",
        },
    )
    assert ok.status_code == 302
    assert goal.indicators.get().dimensions == ["gender"]
    page = client.get(reverse("agreements:detail", args=[north.pk])).content.decode()
    assert "Antal deltagare" in page and "kön" in page


def test_child_of_another_agreement_is_404(client, users, north, south):
    login(client, users["officer_north"])
    from apps.agreements import services

    goal = services.goal_save(actor=users["officer_south"], agreement=south, data={"text": "Söder mål"})
    assert client.get(reverse("agreements:goal_edit", args=[north.pk, goal.pk])).status_code == 404
    assert client.get(reverse("agreements:goal_edit", args=[south.pk, goal.pk])).status_code == 404


def test_swedish_whatever_the_browser_asks_and_english_on_request(client, users):
    login(client, users["officer_north"])
    html = client.get(reverse("agreements:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="sv"' in html and "Överenskommelser" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/avtal/"})
    html = client.get(reverse("agreements:list")).content.decode()
    assert 'lang="en"' in html and "Register agreement" in html
