# SPDX-License-Identifier: EUPL-1.2
"""Importing an agreement again updates it instead of making a duplicate; case officer, purpose, the kept
document and the partners' visibility of an imported agreement (services and selectors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Membership, Role
from apps.agreements import selectors as agreement_selectors
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Goal, Indicator, Intervention, Party
from apps.audit.models import AuditEvent
from apps.documents import extract, selectors, services
from apps.documents.models import ImportDraft
from apps.documents.review import DraftReview
from apps.finance.models import BudgetLine, FinanceTerms
from apps.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import post_data

pytestmark = pytest.mark.django_db

CASE_NUMBER = "SOCN-2025-00771"


def review_for(draft, actor, *, target: str | None = None, **changes) -> DraftReview:
    data = post_data(DraftReview(draft, user=actor), **changes)
    if target is not None:
        data["target"] = target
    return DraftReview(draft, data, user=actor)


def confirm(draft, actor, *, target: str | None = None, **changes) -> Agreement:
    review = review_for(draft, actor, target=target, **changes)
    assert review.is_valid(), [*review.extra_errors, *(f.errors for f in review.forms_with_errors)]
    return services.importdraft_confirm(actor=actor, draft=draft, review=review.to_review(), into=review.target)


def counts(agreement: Agreement) -> dict[str, int]:
    return {
        "parties": Party.objects.filter(agreement=agreement).count(),
        "interventions": Intervention.objects.filter(agreement=agreement).count(),
        "goals": Goal.objects.filter(agreement=agreement).count(),
        "indicators": Indicator.objects.filter(goal__agreement=agreement).count(),
        "budget_lines": BudgetLine.objects.filter(agreement=agreement).count(),
    }


@pytest.fixture
def imported(upload, users, nordost) -> Agreement:
    """The seed document imported once and confirmed as a new agreement."""
    return confirm(upload(), users["officer_north"], **{"agreement-title": "IOP Tidigt föräldrastöd"})


# 1. The same case number: warned, and updated instead of duplicated -----------------------------------------


def test_the_same_file_may_be_imported_again_once_it_became_an_agreement(upload, imported):
    again = upload()
    assert again.status == ImportDraft.Status.PENDING and again.pk != imported.import_drafts.get().pk
    with pytest.raises(services.AlreadyImported):
        upload()  # but not twice while a draft awaits review


def test_the_review_finds_the_visible_agreement_with_the_same_case_number(upload, users, imported):
    review = DraftReview(upload(), user=users["officer_north"])
    assert review.case_number == CASE_NUMBER
    assert [e.agreement for e in review.existing] == [imported]
    assert review.updatable == [imported]


def test_case_number_match_ignores_case_and_spacing(users, imported):
    assert selectors.agreements_with_case_number(users["officer_north"], "  socn-2025-00771 ") == [imported]
    assert selectors.agreements_with_case_number(users["officer_north"], "") == []
    assert selectors.agreements_with_case_number(users["officer_north"], None) == []


def test_an_agreement_of_another_body_or_tenant_is_never_revealed(upload, users, orgs, make_agreement):
    other_city = Organisation.objects.create(name="Annan kommun", org_number="212000-0142", kind="public_body")
    other_body = Organisation.objects.create(
        name="Socialnämnden Annan", org_number="212000-0142", kind="public_body", parent=other_city
    )
    other_officer = make_user("other_officer", (other_body, Role.CASE_OFFICER))
    make_agreement(actor=other_officer, public=other_body, title="Hemlig IOP", case_number=CASE_NUMBER)
    make_agreement(actor=users["officer_south"], public=orgs["south"], title="Södra IOP", case_number=CASE_NUMBER)
    draft = upload()
    review = DraftReview(draft, user=users["officer_north"])
    assert review.existing == []
    # Nothing to choose: the officer creates the agreement as if the others did not exist.
    created = confirm(draft, users["officer_north"])
    assert Agreement.objects.filter(case_number=CASE_NUMBER).count() == 3 and created.title != "Hemlig IOP"


def test_a_duplicate_must_be_decided_explicitly(upload, users, imported):
    review = review_for(upload(), users["officer_north"])
    assert not review.is_valid()
    assert any("finns redan" in e and CASE_NUMBER in e for e in review.extra_errors)
    review = review_for(ImportDraft.objects.get(status="pending"), users["officer_north"], target="something")
    assert not review.is_valid()
    assert review.extra_errors == ["Välj om en ny överenskommelse ska skapas eller en befintlig uppdateras."]
    assert Agreement.objects.count() == 1


def test_creating_a_new_agreement_anyway_is_possible(upload, users, imported):
    second = confirm(upload(), users["officer_north"], target="new")
    assert second.pk != imported.pk and Agreement.objects.count() == 2


def test_importing_the_same_document_again_updates_without_duplicating(upload, users, imported):
    before = counts(imported)
    assert before["budget_lines"] > 0 and before["indicators"] > 0
    draft = upload()
    updated = confirm(
        draft,
        users["officer_north"],
        target=f"update:{imported.pk}",
        **{"agreement-title": "IOP Tidigt föräldrastöd (uppdaterad)", "agreement-notice_period_months": "3"},
    )
    assert updated.pk == imported.pk and Agreement.objects.count() == 1
    assert counts(updated) == before
    updated.refresh_from_db()
    assert updated.title == "IOP Tidigt föräldrastöd (uppdaterad)" and updated.notice_period_months == 3
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.ACCEPTED and draft.agreement == updated
    event = AuditEvent.objects.get(action="importdraft.accepted", object_id=str(draft.pk))
    assert event.agreement_id == updated.pk and "uppdaterad från det importerade dokumentet" in event.summary
    assert AuditEvent.objects.filter(action="agreement.updated", agreement=updated).exists()


def test_update_overwrites_stated_facts_and_keeps_what_the_draft_leaves_empty(upload, users, imported):
    Agreement.objects.filter(pk=imported.pk).update(target_area="Nordost", extension_max_months=24)
    updated = confirm(
        upload(),
        users["officer_north"],
        target=f"update:{imported.pk}",
        **{"agreement-extension_max_months": None, "agreement-end_date": "2028-12-31"},
    )
    updated.refresh_from_db()
    assert updated.end_date == dt.date(2028, 12, 31)
    assert updated.extension_max_months == 24  # left empty in the review: kept
    assert updated.target_area == "Nordost"  # not in the draft at all: kept


def test_update_adds_what_a_hand_registered_agreement_lacks_and_matches_the_rest(
    upload, users, orgs, nordost, make_agreement
):
    officer = users["officer_north"]
    by_hand = make_agreement(
        public=nordost,
        nonprofit=orgs["alpha"],
        title="IOP registrerad för hand",
        case_number=CASE_NUMBER,
        purpose="",
        notice_period_months=None,
    )
    agreement_services.intervention_save(
        actor=officer, agreement=by_hand, data={"kind": "local", "label": "Del 1", "title": "Gammal titel"}
    )
    draft = upload()
    updated = confirm(draft, officer, target=f"update:{by_hand.pk}")
    parties = {p.organisation.name: p.role for p in updated.parties.select_related("organisation")}
    assert parties == {
        "Socialnämnden Nordost": "public",
        "Föreningen Alfa": "nonprofit",
        "Förskoleförvaltningen": "dialogue",
    }  # two matched, one added
    interventions = list(Intervention.objects.filter(agreement=updated).order_by("position", "id"))
    assert [i.label for i in interventions] == ["Del 1", "Del 2"]
    assert interventions[0].title != "Gammal titel"  # the document's title overwrites
    assert Goal.objects.filter(agreement=updated).count() == len(draft.draft["goals"])
    updated.refresh_from_db()
    assert updated.purpose.startswith("Syftet med partnerskapet") and updated.notice_period_months == 4
    assert FinanceTerms.objects.get(agreement=updated).annual_amount is not None


def test_a_changed_budget_amount_updates_the_line(upload, users, imported):
    line = BudgetLine.objects.filter(agreement=imported).order_by("position", "id").first()
    draft = upload()
    index = next(i for i, b in enumerate(draft.draft["budget_lines"]) if b["label"] == line.label and not b["year"])
    confirm(draft, users["officer_north"], target=f"update:{imported.pk}", **{f"budget-{index}-amount": "1 000"})
    line.refresh_from_db()
    assert line.annual_amount == 1000
    assert BudgetLine.objects.filter(agreement=imported, label=line.label, intervention=line.intervention).count() == 1


def test_a_changed_indicator_is_updated_not_duplicated(upload, users, imported):
    indicator = Indicator.objects.filter(goal__agreement=imported, kind="count").order_by("id").first()
    Indicator.objects.filter(pk=indicator.pk).update(kind="qualitative")
    confirm(upload(), users["officer_north"], target=f"update:{imported.pk}")
    indicator.refresh_from_db()
    assert indicator.kind == "count"
    assert Indicator.objects.filter(goal=indicator.goal, name=indicator.name).count() == 1


def test_update_is_refused_for_an_agreement_the_officer_may_not_change(upload, users, orgs, imported, make_agreement):
    southern = make_agreement(actor=users["officer_south"], public=orgs["south"], case_number=CASE_NUMBER)
    review = review_for(upload(), users["officer_north"], target=f"update:{southern.pk}")
    assert not review.is_valid()
    assert review.extra_errors == [
        "Överenskommelsen som skulle uppdateras hittades inte, eller så får du inte ändra den."
    ]
    draft = ImportDraft.objects.get(status="pending")
    plain = review_for(draft, users["officer_north"], target="new")
    assert plain.is_valid()
    with pytest.raises(PermissionDenied):
        services.importdraft_confirm(actor=users["officer_north"], draft=draft, review=plain.to_review(), into=southern)
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.PENDING


def test_an_ended_agreement_is_not_updated_and_nothing_changes(upload, users, imported):
    Agreement.objects.filter(pk=imported.pk).update(status=Agreement.Status.ENDED)
    draft = upload()
    review = DraftReview(draft, user=users["officer_north"])
    assert review.existing[0].may_update is False and review.updatable == []
    before = counts(imported)
    with pytest.raises(ValidationError):
        confirm(draft, users["officer_north"], target=f"update:{imported.pk}", **{"agreement-title": "Ny titel"})
    imported.refresh_from_db()
    assert imported.title == "IOP Tidigt föräldrastöd" and counts(imported) == before
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.PENDING


@pytest.mark.parametrize("status", [Agreement.Status.SIGNED, Agreement.Status.ACTIVE])
def test_a_signed_agreement_is_not_overwritten_by_an_import(upload, users, imported, status):
    """Once signed, an agreement changes only by amendment: the review says so, the service refuses it."""
    Agreement.objects.filter(pk=imported.pk).update(status=status)
    draft = upload()
    review = DraftReview(draft, user=users["officer_north"])
    assert review.existing[0].signed is True and review.updatable == []
    before = counts(imported)
    valid = review_for(draft, users["officer_north"], target="new", **{"agreement-title": "Ny titel"})
    assert valid.is_valid()
    with pytest.raises(ValidationError) as refused:
        services.importdraft_confirm(
            actor=users["officer_north"],
            draft=draft,
            review=valid.to_review(),
            into=Agreement.objects.get(pk=imported.pk),
        )
    assert refused.value.code == "signed"
    assert "ändras bara genom en ändring som alla parter godkänt" in refused.value.messages[0]
    imported.refresh_from_db()
    assert imported.title == "IOP Tidigt föräldrastöd" and counts(imported) == before
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.PENDING


# 2. Case officer and purpose ----------------------------------------------------------------------------------


def test_the_confirming_officer_becomes_case_officer_and_the_purpose_is_carried_over(imported, users):
    assert imported.case_officer == users["officer_north"]
    assert imported.purpose.startswith("Syftet med partnerskapet är att genom samverkan öka målgruppens")


def test_the_officer_named_in_the_document_is_proposed_when_a_user(upload, users, orgs, nordost):
    kajsa = make_user("kajsa", (orgs["north_dept"], Role.CASE_OFFICER), first_name="Kajsa", last_name="Ahlström")
    draft = upload()
    review = DraftReview(draft, user=users["officer_north"])
    assert review.form.initial["case_officer"] == kajsa.pk
    source = {bound.name: passage for bound, passage in review.agreement_rows}["case_officer"]
    assert source and "Kajsa Ahlström" in source.match
    agreement = confirm(draft, users["officer_north"])
    assert agreement.case_officer == kajsa


def test_a_namesake_outside_the_officers_bodies_is_not_proposed(upload, users, orgs, nordost):
    make_user("kajsa", (orgs["south"], Role.CASE_OFFICER), first_name="Kajsa", last_name="Ahlström")
    review = DraftReview(upload(), user=users["officer_north"])
    assert review.form.initial["case_officer"] is None
    assert confirm(ImportDraft.objects.get(), users["officer_north"]).case_officer == users["officer_north"]


def test_a_case_officer_outside_the_officers_bodies_is_refused(upload, users, orgs, nordost):
    review = review_for(upload(), users["officer_north"], **{"agreement-case_officer": str(users["officer_south"].pk)})
    assert not review.is_valid()
    assert "case_officer" in review.form.errors


def test_the_reviewer_may_correct_the_purpose(upload, users, nordost):
    agreement = confirm(upload(), users["officer_north"], **{"agreement-purpose": "Ett rättat syfte."})
    assert agreement.purpose == "Ett rättat syfte."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Syfte\nAtt stärka föräldrar i området.\n\nMål\nFler träffar.", "Att stärka föräldrar i området."),
        (
            "2 Syfte med partnerskapet\nSyftet med partnerskapet är att nå\n\nfler barn.\n\nNästa stycke.",
            "Syftet med partnerskapet är att nå fler barn.",
        ),
        ("Inledning\nDetta dokument saknar ett uttalat ändamål.", None),
        (
            "Innehåll\nSyfte med partnerskapet 3\nMål 4\nEkonomi 5\n\nSyfte med partnerskapet\nVi vill stärka barnen.\n",
            "Vi vill stärka barnen.",
        ),  # the table of contents is passed over
    ],
)
def test_find_purpose(text, expected):
    found = extract.find_purpose(text)
    assert (found.value if found else None) == expected
    if found:
        assert text[found.start : found.end].split() == found.value.split()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tjänsteutlåtande\nHandläggare\nKajsa Ahlström\nTelefon: 031-365 246", "Kajsa Ahlström"),
        ("Handläggare: Per Olof Svensson-Berg\n", "Per Olof Svensson-Berg"),
        ("Ansvarig för uppföljning är handläggare på förvaltningen.", None),
    ],
)
def test_find_case_officer(text, expected):
    found = extract.find_case_officer(text)
    assert (found.value if found else None) == expected


# 3. The document stays with the agreement ----------------------------------------------------------------------


def test_the_created_and_the_updating_documents_are_kept_with_the_agreement(upload, users, imported):
    first = imported.import_drafts.get()
    second = upload()
    confirm(second, users["officer_north"], target=f"update:{imported.pk}")
    assert selectors.agreement_documents(imported) == [first, second]
    assert selectors.get_agreement_document(users["officer_north"], second.pk) == second


def test_only_those_who_see_the_agreement_get_its_document(users, imported):
    document = imported.import_drafts.get()
    assert users["viewer_north"].has_perm("documents.view_document", document)
    for who in ("officer_south", "partner_alpha", "partner_beta", "nobody"):
        with pytest.raises(ImportDraft.DoesNotExist):
            selectors.get_agreement_document(users[who], document.pk)
        assert not users[who].has_perm("documents.view_document", document)
    agreement_services.agreement_share_with_partners(actor=users["officer_north"], agreement=imported)
    assert selectors.get_agreement_document(users["partner_alpha"], document.pk) == document


def test_a_pending_draft_is_not_an_agreement_document(upload, users, imported):
    pending = upload()
    with pytest.raises(ImportDraft.DoesNotExist):
        selectors.get_agreement_document(users["officer_north"], pending.pk)


# 4. Hidden from the partners until shown -----------------------------------------------------------------------


def test_an_imported_agreement_is_hidden_from_the_partners_until_shown(users, imported):
    assert imported.shared_with_partners is False
    partner, officer = users["partner_alpha"], users["officer_north"]
    assert not agreement_selectors.visible_agreements(partner).filter(pk=imported.pk).exists()
    assert not partner.has_perm("agreements.view_agreement", imported)
    for staff in ("officer_north", "viewer_north", "controller_city"):  # staff visibility unchanged
        assert agreement_selectors.visible_agreements(users[staff]).filter(pk=imported.pk).exists()
    shown = agreement_services.agreement_share_with_partners(actor=officer, agreement=imported)
    assert shown.shared_with_partners is True
    assert agreement_selectors.visible_agreements(partner).filter(pk=imported.pk).exists()
    assert partner.has_perm("agreements.view_agreement", shown)
    event = AuditEvent.objects.get(action="agreement.shared_with_partners")
    assert event.agreement_id == imported.pk and event.actor_id == officer.pk
    agreement_services.agreement_share_with_partners(actor=officer, agreement=shown)  # again: nothing to record
    assert AuditEvent.objects.filter(action="agreement.shared_with_partners").count() == 1


def test_an_agreement_registered_by_hand_is_shown_to_the_partners(users, make_agreement):
    agreement = make_agreement()
    assert agreement.shared_with_partners is True
    assert agreement_selectors.visible_agreements(users["partner_alpha"]).filter(pk=agreement.pk).exists()


def test_an_update_keeps_the_agreements_visibility(upload, users, make_agreement, orgs, nordost):
    shown = make_agreement(public=nordost, case_number=CASE_NUMBER)
    confirm(upload(), users["officer_north"], target=f"update:{shown.pk}")
    shown.refresh_from_db()
    assert shown.shared_with_partners is True


@pytest.mark.parametrize("who", ["viewer_north", "controller_city", "partner_alpha", "officer_south"])
def test_only_a_case_officer_of_the_agreement_may_show_it(users, imported, who):
    with pytest.raises(PermissionDenied):
        agreement_services.agreement_share_with_partners(actor=users[who], agreement=imported)
    imported.refresh_from_db()
    assert imported.shared_with_partners is False


def test_a_partner_who_is_also_staff_of_a_public_party_still_sees_it(users, orgs, imported):
    both = make_user("both", (orgs["alpha"], Role.PARTNER_EDITOR))
    Membership.objects.create(user=both, organisation=orgs["north"], role=Role.VIEWER)
    assert agreement_selectors.visible_agreements(both).filter(pk=imported.pk).exists()
