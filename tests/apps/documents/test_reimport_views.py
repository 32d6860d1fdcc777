# SPDX-License-Identifier: EUPL-1.2
"""The pages of importing again, the kept document and the partners' visibility, through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.agreements.models import Agreement
from apps.audit.models import AuditEvent
from apps.documents.models import ImportDraft
from apps.documents.review import DraftReview
from apps.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import TIDIGT, post_data

pytestmark = pytest.mark.django_db

CASE_NUMBER = "SOCN-2025-00771"


def login(client, user):
    client.force_login(user)
    return client


def submit(client, draft, user, **changes):
    data = post_data(DraftReview(draft, user=user), **changes)
    return client.post(reverse("documents:review", args=[draft.pk]), data)


@pytest.fixture
def imported(client, upload, users, nordost) -> Agreement:
    officer = users["officer_north"]
    draft = upload()
    response = submit(
        login(client, officer), draft, officer, target="new", **{"agreement-title": "IOP Tidigt föräldrastöd"}
    )
    assert response.status_code == 302
    return Agreement.objects.get()


def test_creating_says_the_agreement_is_hidden_from_the_partners(client, upload, users, nordost):
    officer = users["officer_north"]
    response = submit(login(client, officer), upload(), officer, target="new")
    agreement = Agreement.objects.get()
    assert response["Location"] == agreement.get_absolute_url()
    html = client.get(response["Location"]).content.decode()
    assert "Den visas inte för parterna förrän du väljer att visa den." in html
    assert "Visas inte för parterna" in html and "Visa för parterna" in html
    assert agreement.case_officer == officer and agreement.purpose.startswith("Syftet med partnerskapet")


def test_the_review_warns_links_and_offers_the_update(client, upload, users, imported):
    html = login(client, users["officer_north"]).get(reverse("documents:review", args=[upload().pk])).content.decode()
    assert f"Det finns redan en överenskommelse med diarienumret {CASE_NUMBER}" in html
    assert f'href="{imported.get_absolute_url()}"' in html
    assert f'name="target" value="update:{imported.pk}"' in html and "Uppdatera ”IOP Tidigt föräldrastöd”" in html
    assert "Skapa en ny överenskommelse ändå" in html
    assert "Skapa överenskommelsen</button>" not in html


def test_no_warning_without_a_visible_agreement_of_the_same_case_number(client, upload, users, orgs, make_agreement):
    other_city = Organisation.objects.create(name="Annan kommun", org_number="212000-0142", kind="public_body")
    other_officer = make_user("other_officer", (other_city, "case_officer"))
    make_agreement(actor=other_officer, public=other_city, title="Hemlig IOP i annan kommun", case_number=CASE_NUMBER)
    html = login(client, users["officer_north"]).get(reverse("documents:review", args=[upload().pk])).content.decode()
    assert "Hemlig IOP" not in html and "finns redan en överenskommelse" not in html
    assert 'name="target" value="new"' in html and "Skapa överenskommelsen" in html


def test_choosing_update_updates_the_agreement(client, upload, users, imported):
    officer = users["officer_north"]
    draft = upload()
    response = submit(
        client,
        draft,
        officer,
        target=f"update:{imported.pk}",
        **{"agreement-title": "IOP Tidigt föräldrastöd (uppdaterad)"},
    )
    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()
    assert Agreement.objects.count() == 1
    imported.refresh_from_db()
    assert imported.title == "IOP Tidigt föräldrastöd (uppdaterad)"
    html = client.get(response["Location"]).content.decode()
    assert "Överenskommelsen har uppdaterats från det importerade dokumentet." in html
    assert html.count(TIDIGT.name) == 2  # both documents listed


def test_without_a_choice_nothing_is_created(client, upload, users, imported):
    draft = upload()
    response = submit(client, draft, users["officer_north"])
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and "Välj om den ska uppdateras" in html
    assert Agreement.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.PENDING


def test_update_of_an_agreement_out_of_reach_is_refused(client, upload, users, orgs, imported, make_agreement):
    southern = make_agreement(
        actor=users["officer_south"], public=orgs["south"], case_number=CASE_NUMBER, title="Södra IOP"
    )
    draft = upload()
    response = submit(client, draft, users["officer_north"], target=f"update:{southern.pk}")
    assert response.status_code == 400
    assert "hittades inte, eller så får du inte ändra den" in response.content.decode()
    southern.refresh_from_db()
    assert southern.title == "Södra IOP"


def test_the_agreement_page_lists_its_document(client, users, imported):
    document = imported.import_drafts.get()
    html = login(client, users["viewer_north"]).get(imported.get_absolute_url()).content.decode()
    assert 'id="documents-heading">Dokument</h2>' in html
    assert f'href="{reverse("documents:document", args=[document.pk])}">{TIDIGT.name}</a>' in html
    assert "Nora" in html and document.created_at.strftime("%Y-%m-%d") in html


def test_an_agreement_without_documents_says_so(client, users, make_agreement):
    agreement = make_agreement()
    html = login(client, users["partner_alpha"]).get(agreement.get_absolute_url()).content.decode()
    assert "Inga dokument finns sparade med den här överenskommelsen." in html
    assert "Visas inte för parterna" not in html


@pytest.mark.parametrize("who", ["officer_north", "viewer_north", "controller_city"])
def test_staff_who_see_the_agreement_download_its_document(client, users, imported, who):
    document = imported.import_drafts.get()
    response = login(client, users[who]).get(reverse("documents:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TIDIGT.read_bytes()
    assert "attachment" in response["Content-Disposition"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["officer_south", "partner_alpha", "partner_beta", "nobody"])
def test_others_get_404_for_the_document(client, users, imported, who):
    document = imported.import_drafts.get()
    assert login(client, users[who]).get(reverse("documents:document", args=[document.pk])).status_code == 404


def test_a_pending_draft_or_a_guessed_id_is_not_downloadable_as_a_document(client, upload, users, imported):
    pending = upload()
    login(client, users["officer_north"])
    assert client.get(reverse("documents:document", args=[pending.pk])).status_code == 404
    assert client.get(reverse("documents:document", args=[99999])).status_code == 404


def test_partners_get_404_until_the_officer_shows_the_agreement(
    client, users, imported, django_capture_on_commit_callbacks
):
    partner = users["partner_alpha"]
    document = imported.import_drafts.get()
    login(client, partner)
    assert client.get(imported.get_absolute_url()).status_code == 404
    assert client.get(reverse("agreements:history", args=[imported.pk])).status_code == 404
    assert client.get(reverse("finance:agreement", args=[imported.pk])).status_code == 404
    assert "IOP Tidigt föräldrastöd" not in client.get(reverse("agreements:list")).content.decode()
    assert client.post(reverse("agreements:share", args=[imported.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):  # the request commits: the cached pages are retired
        response = login(client, users["officer_north"]).post(reverse("agreements:share", args=[imported.pk]))
    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()
    html = client.get(response["Location"]).content.decode()
    assert "Överenskommelsen visas nu för parterna." in html and "Visas inte för parterna" not in html
    assert AuditEvent.objects.filter(action="agreement.shared_with_partners", agreement=imported).count() == 1

    login(client, partner)
    assert client.get(imported.get_absolute_url()).status_code == 200
    assert "IOP Tidigt föräldrastöd" in client.get(reverse("agreements:list")).content.decode()
    assert client.get(reverse("documents:document", args=[document.pk])).status_code == 200


def test_showing_needs_a_case_officer_and_a_post(client, users, imported):
    login(client, users["viewer_north"])
    html = client.get(imported.get_absolute_url()).content.decode()
    assert "Visas inte för parterna" in html and "Visa för parterna</button>" not in html
    assert client.post(reverse("agreements:share", args=[imported.pk])).status_code == 403
    login(client, users["officer_north"])
    assert client.get(reverse("agreements:share", args=[imported.pk])).status_code == 405
    imported.refresh_from_db()
    assert imported.shared_with_partners is False
