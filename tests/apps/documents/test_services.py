# SPDX-License-Identifier: EUPL-1.2
"""Uploading, confirming and rejecting import drafts against the database."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Goal, Indicator, Intervention
from apps.audit.models import AuditEvent
from apps.documents import services
from apps.documents.models import ImportDraft
from apps.documents.review import DraftReview
from apps.organisations.models import Organisation

from .conftest import RECIPE, TIDIGT, post_data, seed_upload

pytestmark = pytest.mark.django_db


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_upload_stores_file_draft_text_and_audit(upload, users, orgs, media):
    draft = upload()
    assert draft.status == ImportDraft.Status.PENDING
    assert draft.original_name == TIDIGT.name
    assert draft.size == TIDIGT.stat().st_size and len(draft.sha256) == 64
    assert draft.draft["case_number"] == "SOCN-2025-00771"
    assert draft.warnings == draft.draft["warnings"]
    assert draft.uploaded_by == users["officer_north"] and draft.public_body == orgs["north"]
    assert draft.file.name.startswith("imports/") and TIDIGT.stem not in draft.file.name
    assert draft.file.read() == TIDIGT.read_bytes()
    evidence = draft.draft["evidence"]["case_number"]
    assert draft.text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert AuditEvent.objects.filter(action="importdraft.uploaded", object_id=str(draft.pk)).exists()
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("recept.txt", RECIPE, "importer.not_an_agreement", "verkar inte innehålla någon överenskommelse"),
        ("trasig.pdf", b"%PDF-1.4 not really", "importer.pdf_unreadable", "PDF-filen trasig.pdf kunde inte öppnas"),
    ],
)
def test_a_file_that_cannot_be_read_is_kept_as_failed_with_its_reason(upload, media, name, content, code, message):
    draft = upload(file=SimpleUploadedFile(name, content))
    assert draft.status == "failed" and draft.error_code == code and message in draft.failure_text
    assert draft.file.read() == content and len(stored_files(media)) == 1
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == ["importdraft.failed", "importdraft.uploaded"]
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.txt", b"", "Filen tom.txt är tom."),
        ("kalkyl.xlsx", b"PK\x03\x04", "är inte en Word-, PDF- eller textfil"),
    ],
)
def test_a_file_refused_before_reading_stores_nothing(upload, media, name, content, message):
    with pytest.raises(ValidationError) as caught:
        upload(file=SimpleUploadedFile(name, content))
    assert message in " ".join(caught.value.messages)
    assert not ImportDraft.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="importdraft").exists()
    assert stored_files(media) == []


def test_too_large_file_is_refused(upload, settings):
    settings.PARTNERSKAP_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        upload()
    assert caught.value.code == "too_large"
    assert not ImportDraft.objects.exists()


def test_the_same_file_twice_is_refused_until_rejected(upload, users):
    first = upload()
    with pytest.raises(services.AlreadyImported) as caught:
        upload()
    assert caught.value.draft == first
    services.importdraft_reject(actor=users["officer_north"], draft=first)
    assert upload().status == ImportDraft.Status.PENDING


@pytest.mark.parametrize("who", ["officer_south", "partner_alpha", "controller_city", "nobody"])
def test_only_a_case_officer_over_the_body_may_upload(upload, users, orgs, who):
    with pytest.raises(PermissionDenied):
        upload(actor=users[who], public_body=orgs["north"])
    assert not ImportDraft.objects.exists()


def confirm(draft, actor, **changes):
    review = DraftReview(draft, post_data(DraftReview(draft), **changes))
    assert review.is_valid(), review.forms_with_errors and [f.errors for f in review.forms_with_errors]
    return services.importdraft_confirm(actor=actor, draft=draft, review=review.to_review())


def test_confirm_creates_agreement_parties_interventions_goals_and_indicators(upload, users, orgs, nordost):
    officer = users["officer_north"]
    draft = upload()
    agreement = confirm(draft, officer, **{"agreement-title": "IOP Tidigt föräldrastöd (rättad)"})

    assert agreement.title == "IOP Tidigt föräldrastöd (rättad)"
    assert agreement.case_number == "SOCN-2025-00771"
    assert agreement.start_date.isoformat() == "2025-07-01" and agreement.end_date.isoformat() == "2028-07-01"
    assert (
        agreement.extension_max_months,
        agreement.notice_period_months,
        agreement.renewal_decision_months_before_end,
    ) == (12, 4, 6)
    parties = {p.organisation.name: p.role for p in agreement.parties.select_related("organisation")}
    # Matched by name (no number in the document) and by organisationsnummer (802473-9412 is Föreningen Alfa).
    assert parties["Socialnämnden Nordost"] == "public"
    assert parties["Föreningen Alfa"] == "nonprofit"
    assert parties["Förskoleförvaltningen"] == "dialogue"  # registered as new
    assert Organisation.objects.get(name="Förskoleförvaltningen").kind == "public_body"

    labels = list(Intervention.objects.filter(agreement=agreement).values_list("label", flat=True))
    assert labels == ["Del 1", "Del 2"]
    goals = Goal.objects.filter(agreement=agreement)
    assert goals.count() == len(draft.draft["goals"])
    first = goals.get(text__startswith="Tillit till socialtjänsten samt")
    assert first.intervention.label == "Del 1"
    by_dimensions = Indicator.objects.get(
        goal__agreement=agreement, name="Antal deltagare fördelat på språkgrupp och kön"
    )
    assert by_dimensions.kind == "count_by_dimensions"
    assert sorted(by_dimensions.dimensions) == ["gender", "language_group"]
    assert [p.organisation.name for p in by_dimensions.collected_by.all()] == ["Föreningen Alfa"]
    shared = Indicator.objects.filter(goal__agreement=agreement, name__startswith="Antal träffar/deltagare").get()
    assert sorted(p.organisation.name for p in shared.collected_by.all()) == [
        "Föreningen Alfa",
        "Socialnämnden Nordost",
    ]
    assert Indicator.objects.filter(goal__agreement=agreement, kind="qualitative").exists()

    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.ACCEPTED and draft.agreement == agreement
    assert draft.reviewed_by == officer
    assert AuditEvent.objects.filter(action="importdraft.accepted", agreement=agreement).exists()
    with pytest.raises(ValidationError):
        confirm(draft, officer)


def test_removed_goals_and_indicators_are_not_created(upload, users, nordost):
    draft = upload()
    n_goals = len(draft.draft["goals"])
    agreement = confirm(draft, users["officer_north"], **{"goals-0-DELETE": "on", "indicators-3-DELETE": "on"})
    assert Goal.objects.filter(agreement=agreement).count() == n_goals - 1
    assert not Goal.objects.filter(agreement=agreement, text__startswith="Tillit till socialtjänsten samt").exists()
    assert not Indicator.objects.filter(
        goal__agreement=agreement,
        name="Antal deltagare fördelat på språkgrupp och kön",
        goal__text__startswith="Stärkt föräldraförmåga och",
    ).exists()


def test_a_failure_inside_confirm_leaves_no_agreement_and_no_organisation(upload, users, nordost):
    draft = upload()
    orgs_before = Organisation.objects.count()
    with (
        mock.patch.object(agreement_services, "indicator_save", side_effect=ValidationError("boom")),
        pytest.raises(ValidationError),
    ):
        confirm(draft, users["officer_north"])
    assert not Agreement.objects.exists()
    assert Organisation.objects.count() == orgs_before  # Förskoleförvaltningen was not left behind
    assert not Goal.objects.exists() and not Intervention.objects.exists()
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.PENDING and draft.agreement is None


def test_money_goes_to_finance_when_it_is_installed(upload, users, nordost):
    draft = upload()
    calls = []
    with mock.patch.object(services, "finance_apply", return_value=lambda **kw: calls.append(kw)):
        agreement = confirm(
            draft, users["officer_north"], **{"agreement-annual_amount": "4 100 000", "budget-1-DELETE": "on"}
        )
    (call,) = calls
    assert call["agreement"] == agreement
    assert call["annual_amount"] == 4100000 and str(call["annual_amount"]) == "4100000"
    assert call["indexation"] == {"index": "PKV", "reference_month": 10}
    assert call["payment_schedule"] == {"frequency": "semiannual", "in_advance": True, "months": [1, 7]}
    assert len(call["budget_lines"]) == len(draft.draft["budget_lines"]) - 1
    line = call["budget_lines"][0]
    assert line["label"].startswith("Löner") and line["section"] == "Del 1" and str(line["amount"]) == "1760000"


def test_confirm_without_finance_still_creates_the_agreement(upload, users, nordost):
    draft = upload()
    with mock.patch.object(services, "finance_apply", return_value=None):
        agreement = confirm(draft, users["officer_north"])
    assert agreement.pk


def test_only_a_case_officer_over_the_body_may_confirm_or_reject(upload, users, nordost):
    draft = upload()
    review = DraftReview(draft, post_data(DraftReview(draft)))
    assert review.is_valid()
    for who in ("officer_south", "partner_alpha", "viewer_north"):
        with pytest.raises(PermissionDenied):
            services.importdraft_confirm(actor=users[who], draft=draft, review=review.to_review())
        with pytest.raises(PermissionDenied):
            services.importdraft_reject(actor=users[who], draft=draft)
    assert not Agreement.objects.exists()


def test_reject(upload, users):
    draft = upload()
    services.importdraft_reject(actor=users["officer_north"], draft=draft)
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.REJECTED and draft.reviewed_by == users["officer_north"]
    assert AuditEvent.objects.filter(action="importdraft.rejected").exists()


def test_record_failure_keeps_the_file_and_reason_once(users, orgs):
    for _attempt in range(2):
        failed = services.importdraft_record_failure(
            actor=users["officer_north"],
            public_body=orgs["north"],
            file=SimpleUploadedFile("recept.txt", RECIPE),
            message="Ingen IOP.",
        )
    assert ImportDraft.objects.filter(status="failed").count() == 1
    assert failed.error_message == "Ingen IOP." and failed.file.read() == RECIPE


def test_upload_reads_word_documents(upload, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in TIDIGT.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "avtal.docx"
    document.save(path)
    draft = upload(file=seed_upload(path))
    assert draft.original_name == "avtal.docx" and draft.draft["case_number"] == "SOCN-2025-00771"
