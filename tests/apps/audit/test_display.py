# SPDX-License-Identifier: EUPL-1.2
"""The history formatter: labels and values from the models' metadata, in the viewer's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Goal
from apps.audit.display import EMPTY, ChangeRow, change_rows, history_rows
from apps.audit.models import AuditEvent
from apps.audit.services import reference, snapshot

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def event(object_type: str, changes: Any, object_id: str = "1") -> AuditEvent:
    return AuditEvent.objects.create(
        action="test", summary="test", object_type=object_type, object_id=object_id, changes=changes
    )


def rows(object_type: str, changes: Any) -> dict[str, tuple[str, str]]:
    return {row.label: (row.before, row.after) for row in change_rows(event(object_type, changes))}


def test_choices_show_their_label() -> None:
    assert rows("agreements.agreement", {"status": ["draft", "decided"]}) == {"Status": ("Utkast", "Beslutad")}
    assert rows("agreements.party", {"role": ["nonprofit", "dialogue"]}) == {"Roll": ("Idéburen part", "Dialogpart")}


def test_an_unknown_choice_is_shown_as_stored() -> None:
    assert rows("agreements.agreement", {"status": ["draft", "archived"]}) == {"Status": ("Utkast", "archived")}


def test_booleans_read_yes_and_no() -> None:
    assert rows("agreements.agreement", {"ends_automatically": [True, False]}) == {"Upphör automatiskt": ("Ja", "Nej")}


def test_amounts_are_money_in_swedish_format() -> None:
    assert rows("finance.financeterms", {"annual_amount": [None, "750000.00"]}) == {
        "Grundbelopp per år": (EMPTY, f"750{NBSP}000{NBSP}kr")
    }
    assert rows("finance.payment", {"amount": ["1234567.50", "1234567.5"]}) == {}  # the same amount
    assert rows("finance.repaymentclaim", {"amount": ["1000", "2500.25"]}) == {
        "Belopp": (f"1{NBSP}000{NBSP}kr", f"2{NBSP}500,25{NBSP}kr")
    }


def test_other_decimals_are_numbers_and_percentages() -> None:
    assert rows("agreements.indicator", {"target": ["12.00", "1500.50"]}) == {"Målvärde": ("12", f"1{NBSP}500,5")}
    assert rows("finance.indexvalue", {"percent": [None, "2.500"]}) == {"Förändring (%)": (EMPTY, f"2,5{NBSP}%")}
    assert rows("finance.financeterms", {"deviation_threshold_percent": ["10.00", "12.50"]}) == {
        "Gräns för avvikelse (%)": (f"10{NBSP}%", f"12,5{NBSP}%")
    }


def test_months_read_by_name() -> None:
    assert rows("finance.financeterms", {"index_reference_month": [None, 10]}) == {
        "Indexets referensmånad": (EMPTY, "oktober")
    }
    assert rows("finance.indexvalue", {"reference_month": [9, 13]}) == {"Referensmånad": ("september", "13")}
    assert rows("finance.financeterms", {"payment_months": [[1], [1, 7]]}) == {
        "Betalningsmånader": ("januari", "januari, juli")
    }


def test_month_counts_stay_numbers() -> None:
    assert rows("agreements.agreement", {"notice_period_months": [4, 3]}) == {"Uppsägningstid (månader)": ("4", "3")}


def test_dates_and_times_are_iso() -> None:
    assert rows("agreements.agreement", {"start_date": ["2025-07-01", None]}) == {"Startdatum": ("2025-07-01", EMPTY)}
    shown = rows("documents.importdraft", {"reviewed_at": [None, "2025-07-01T10:15:00+00:00"]})
    assert shown == {"Granskad": (EMPTY, "2025-07-01 12:15")}  # Europe/Stockholm, summer time


def test_json_lists_of_codes_use_the_choices_the_model_declares() -> None:
    assert rows("agreements.indicator", {"dimensions": [[], ["gender", "age"]]}) == {
        "Uppdelat på": (EMPTY, "Kön, Åldersgrupp")
    }


def test_empty_values_read_as_a_dash() -> None:
    assert rows("agreements.agreement", {"purpose": ["", "Stärka föräldrar."]}) == {
        "Syfte": (EMPTY, "Stärka föräldrar.")
    }


def test_internal_fields_are_not_shown() -> None:
    assert (
        rows(
            "agreements.intervention",
            {"position": [0, 1], "agreement": [None, {"model": "agreements.agreement", "id": 1, "name": "X"}]},
        )
        == {}
    )
    assert rows("finance.payment", {"key": ["a", "b"], "adjusts": ["", "a"]}) == {}


def test_reverse_relations_are_labelled_by_the_related_model() -> None:
    assert rows("agreements.agreement", {"decisions": [None, "Socialnämnden 2025-05-28"]}) == {
        "Beslut": (EMPTY, "Socialnämnden 2025-05-28")
    }
    assert set(rows("agreements.agreement", {"parties": [[], []]})) == set()
    assert set(rows("agreements.agreement", {"parties": [["A (Offentlig part)"], ["B"]]})) == {"Parter"}


def test_rows_follow_the_models_field_order() -> None:
    shown = change_rows(
        event(
            "agreements.agreement",
            {"parties": [[], ["B"]], "status": ["draft", "decided"], "note": [None, "ok"], "title": ["A", "B"]},
        )
    )
    assert [row.label for row in shown] == ["Titel", "Status", "Parter", "Anteckning"]


def test_related_object_by_its_name_and_marked_when_it_no_longer_exists(make_agreement, users) -> None:
    agreement = make_agreement()
    part = agreement_services.intervention_save(
        actor=users["officer_north"],
        agreement=agreement,
        data={"kind": "local", "label": "Del 1", "title": "Kulturtolkar"},
    )
    goal_event = event("agreements.goal", {"intervention": [None, reference(part)]})
    raw_event = event("agreements.goal", {"intervention": [part.pk, 987654]})
    assert change_rows(goal_event) == [ChangeRow("Insats", EMPTY, "Del 1 – Kulturtolkar")]
    assert change_rows(raw_event) == [ChangeRow("Insats", "Del 1 – Kulturtolkar", "#987654 (finns inte längre)")]
    part.delete()
    assert change_rows(goal_event) == [ChangeRow("Insats", EMPTY, "Del 1 – Kulturtolkar (finns inte längre)")]


def test_a_deleted_pk_reads_gracefully(make_agreement, users) -> None:
    agreement = make_agreement()
    part = agreement_services.intervention_save(
        actor=users["officer_north"], agreement=agreement, data={"kind": "overall", "title": "Föräldrastöd"}
    )
    pk = part.pk
    shown = event("agreements.goal", {"intervention": [pk, None]})
    part.delete()
    assert change_rows(shown) == [ChangeRow("Insats", f"#{pk} (finns inte längre)", EMPTY)]


def test_references_of_a_removed_model_or_with_a_bad_id_do_not_fail() -> None:
    gone = {"model": "gone.model", "id": 1, "name": "Gammalt"}
    bad = {"model": "agreements.intervention", "id": "not-a-number", "name": "Konstig"}
    assert rows("agreements.goal", {"intervention": [gone, bad]}) == {
        "Insats": ("Gammalt", "Konstig (finns inte längre)")
    }


def test_party_references_label_their_details_in_the_viewers_language(make_agreement) -> None:
    agreement = make_agreement()
    party = agreement.parties.select_related("organisation").get(role="nonprofit")
    ref = reference(party, name=str(party.organisation), details=("role", "signatory_name"))
    shown = event("agreements.agreement", {"parties": [[], [ref]]})
    assert change_rows(shown) == [ChangeRow("Parter", EMPTY, "Föreningen Alfa (Idéburen part)")]
    with translation.override("en"):
        assert change_rows(shown) == [ChangeRow("Parties", EMPTY, "Föreningen Alfa (Non-profit party)")]


def test_an_unknown_field_or_model_is_shown_as_stored() -> None:
    assert rows("agreements.agreement", {"mystery_field": [1, {"a": 1}]}) == {"Mystery field": ("1", '{"a": 1}')}
    assert rows("gone.model", {"title": ["A", "B"], "flag": [True, None]}) == {
        "Title": ("A", "B"),
        "Flag": ("Ja", EMPTY),
    }


@pytest.mark.parametrize(
    "changes",
    [
        "text",
        [1, 2],
        {"title": "only the new value"},
        {"title": ["a", "b", "c"]},
        {"start_date": ["not a date", 5]},
        {"annual_amount": ["lots", "1e400"]},
        {"status": [["draft"], {"x": 1}]},
        {"intervention": [{"model": "agreements.intervention", "id": [1], "name": None}, {"model": 5, "id": {}}]},
    ],
)
def test_malformed_changes_never_fail(changes) -> None:
    for shown in change_rows(event("finance.financeterms", changes)):
        assert isinstance(shown.label, str) and isinstance(shown.before, str) and isinstance(shown.after, str)


def test_english_interface_gets_english_labels_and_values() -> None:
    shown = event(
        "finance.financeterms",
        {
            "index_reference_month": [None, 10],
            "payment_in_advance": [False, True],
            "annual_amount": [None, "750000"],
            "basis": ["annual", "total"],
        },
    )
    with translation.override("en"):
        assert {row.label: (row.before, row.after) for row in change_rows(shown)} == {
            "Amount basis": ("Amount per full year", "Fixed total for the period"),
            "Base amount per year": (EMPTY, f"750{NBSP}000{NBSP}kr"),
            "Index reference month": (EMPTY, "October"),
            "Paid in advance": ("No", "Yes"),
        }


def test_snapshot_keeps_related_objects_as_references(make_agreement, users) -> None:
    agreement = make_agreement()
    part = agreement_services.intervention_save(
        actor=users["officer_north"], agreement=agreement, data={"kind": "overall", "title": "Föräldrastöd"}
    )
    goal = Goal.objects.create(agreement=agreement, intervention=part, text="Fler föräldrar deltar")
    values = snapshot(goal)
    assert values["intervention"] == {"model": "agreements.intervention", "id": part.pk, "name": "Föräldrastöd"}
    assert values["parent"] is None


def test_a_page_of_events_looks_related_objects_up_once_per_model(
    make_agreement, users, django_assert_num_queries
) -> None:
    agreement = make_agreement()
    parts = [
        agreement_services.intervention_save(
            actor=users["officer_north"], agreement=agreement, data={"kind": "overall", "title": f"Insats {i}"}
        )
        for i in range(5)
    ]
    for part in parts:
        event("agreements.goal", {"intervention": [None, reference(part)], "parent": [None, 987654]})
    events = list(AuditEvent.objects.filter(object_type="agreements.goal").order_by("id"))
    with django_assert_num_queries(2):  # interventions that exist; goals by pk
        entries = history_rows(events)
    assert [entry.rows[0].after for entry in entries] == [f"Insats {i}" for i in range(5)]


def _project_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model.__module__.startswith("apps.")]


def test_every_amount_shaped_decimal_field_is_money_or_known_not_to_be() -> None:
    """A new money field must be named ``amount`` or ``…_amount`` for the history to show it in kronor."""
    not_money = {("agreements.indicator", "baseline"), ("agreements.indicator", "target")}
    for model in _project_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField) and field.decimal_places == 2 and field.max_digits == 14:
                is_money = field.name == "amount" or field.name.endswith("_amount")
                assert is_money or (model._meta.label_lower, field.name) in not_money, (model, field.name)


def test_every_field_of_every_model_is_labelled_or_internal() -> None:
    """Whatever a snapshot of any model holds, each row has a human label in Swedish (or is hidden)."""
    for model in _project_models():
        names = [field.name for field in model._meta.concrete_fields if not field.primary_key]
        shown = change_rows(event(model._meta.label_lower, {name: [None, "x"] for name in names}))
        for row in shown:
            assert "_" not in row.label and row.label[:1].isupper(), (model, row.label)


def test_agreement_created_event_reads_like_a_form(make_agreement) -> None:
    agreement: Agreement = make_agreement()
    created = agreement.audit_events.get(action="agreement.created")
    shown = {row.label: row.after for row in change_rows(created)}
    assert shown["Startdatum"] == "2025-07-01" and shown["Status"] == "Utkast"
    assert shown["Upphör automatiskt"] == "Ja" and "Position" not in shown and "Created by" not in shown
