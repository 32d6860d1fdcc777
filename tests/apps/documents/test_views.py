# SPDX-License-Identifier: EUPL-1.2
"""The import pages through Django's test client: scoping (404 for others), errors, the review and confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.agreements.models import Agreement
from apps.documents.models import ImportDraft
from apps.documents.review import DraftReview

from .conftest import RECIPE, TIDIGT, post_data, seed_upload

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_login_required(client):
    response = client.get(reverse("documents:upload"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_nav_item_only_for_case_officers(client, users):
    assert "Importera" in login(client, users["officer_north"]).get(reverse("agreements:list")).content.decode()
    for who in ("partner_alpha", "viewer_north"):
        html = login(client, users[who]).get(reverse("agreements:list")).content.decode()
        assert 'href="/import/"' not in html
        assert client.get(reverse("documents:list")).status_code == 403
        assert client.get(reverse("documents:upload")).status_code == 403


def test_upload_reads_the_document_and_opens_the_review(client, users, orgs, django_capture_on_commit_callbacks):
    login(client, users["officer_north"])
    page = client.get(reverse("documents:upload")).content.decode()
    assert "Ladda upp ett dokument" in page and 'accept=".txt,.pdf,.docx"' in page
    with django_capture_on_commit_callbacks(execute=True):  # the reading task, queued for after the commit
        response = client.post(reverse("documents:upload"), {"public_body": orgs["north"].pk, "file": seed_upload()})
    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:review", args=[draft.pk])
    html = client.get(response["Location"]).content.decode()
    assert "Granska importerat dokument" in html
    # The value and, beside it, the passage it came from.
    assert 'value="SOCN-2025-00771"' in html and "<mark>Ärendenummer SOCN-2025-00771</mark>" in html
    assert "Organisationsnummer saknas för Socialnämnden Nordost." in html
    listing = client.get(reverse("documents:list")).content.decode()
    assert TIDIGT.name in listing and "2 varningar" in listing


@pytest.mark.django_db(transaction=True)  # the upload commits, and the immediate backend reads it at once
def test_a_non_agreement_gets_a_clear_error_and_is_kept_among_the_failed(client, users, orgs):
    login(client, users["officer_north"])
    response = client.post(
        reverse("documents:upload"), {"public_body": orgs["north"].pk, "file": SimpleUploadedFile("recept.txt", RECIPE)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and "verkar inte innehålla någon överenskommelse" in html
    assert ImportDraft.objects.get().status == "failed" and not Agreement.objects.exists()


def test_size_limit_and_format_errors_are_translated(client, users, orgs, settings):
    login(client, users["officer_north"])
    settings.PARTNERSKAP_IMPORT_MAX_BYTES = 1000
    html = client.post(
        reverse("documents:upload"), {"public_body": orgs["north"].pk, "file": seed_upload()}
    ).content.decode()
    assert "Filen är för stor" in html and "Den största fil som kan importeras är" in html
    html = client.post(
        reverse("documents:upload"), {"public_body": orgs["north"].pk, "file": SimpleUploadedFile("a.xlsx", b"x")}
    ).content.decode()
    assert "Välj en Word-fil (.docx), PDF-fil (.pdf) eller textfil (.txt)." in html
    assert not ImportDraft.objects.exists()


def test_cannot_upload_for_another_body(client, users, orgs):
    login(client, users["officer_north"])
    response = client.post(reverse("documents:upload"), {"public_body": orgs["south"].pk, "file": seed_upload()})
    assert response.status_code == 400
    assert not ImportDraft.objects.exists()


@pytest.mark.parametrize("name", ["review", "file", "reject"])
@pytest.mark.parametrize("who", ["partner_alpha", "officer_south", "viewer_north", "controller_city"])
def test_another_bodys_draft_is_404(client, users, upload, name, who):
    draft = upload()
    login(client, users[who])
    url = reverse(f"documents:{name}", args=[draft.pk])
    response = client.post(url) if name == "reject" else client.get(url)
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.PENDING


def test_officer_downloads_the_original_file(client, users, upload):
    draft = upload()
    response = login(client, users["officer_north"]).get(reverse("documents:file", args=[draft.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TIDIGT.read_bytes()
    assert "attachment" in response["Content-Disposition"] and TIDIGT.name in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


def test_review_confirm_creates_the_agreement(client, users, upload, nordost):
    draft = upload()
    login(client, users["officer_north"])
    data = post_data(DraftReview(draft), **{"agreement-title": "IOP Tidigt föräldrastöd 2025–2028"})
    response = client.post(reverse("documents:review", args=[draft.pk]), data)
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert agreement.title == "IOP Tidigt föräldrastöd 2025–2028"
    html = client.get(reverse("documents:review", args=[draft.pk])).content.decode()
    assert "Överenskommelse skapad" in html and agreement.title in html


def test_review_errors_are_shown_and_nothing_is_created(client, users, upload, nordost):
    draft = upload()
    login(client, users["officer_north"])
    data = post_data(
        DraftReview(draft),
        **{"agreement-end_date": "2024-01-01", "budget-0-amount": "12,50 kr", "parties-1-match": "skip"},
    )
    response = client.post(reverse("documents:review", args=[draft.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Slutdatum kan inte vara före startdatum" in html
    assert "Ange hela kronor, utan ören." in html
    assert "En part som lämnas utanför överenskommelsen kan inte samla in uppgifterna." in html
    assert not Agreement.objects.exists()


def test_service_errors_on_confirm_are_shown(client, users, upload, nordost):
    draft = upload()
    login(client, users["officer_north"])
    # Both parties matched to the same organisation: the agreement service refuses, the page says why.
    data = post_data(DraftReview(draft), **{"parties-2-match": f"org:{nordost.pk}"})
    response = client.post(reverse("documents:review", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Samma organisation" in response.content.decode()
    assert not Agreement.objects.exists()


def test_reject_from_the_page(client, users, upload):
    draft = upload()
    login(client, users["officer_north"])
    response = client.post(reverse("documents:reject", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.REJECTED
