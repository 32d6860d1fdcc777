# SPDX-License-Identifier: EUPL-1.2
"""Errors carry a code and parameters from ``domain/``; the words are chosen at the edge, per language.

Every code a pure rule raises has a registered message, and the pages show it in the reader's language:
Swedish on the Swedish page, English on the English one.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.core.errors import describe, registered_codes
from apps.documents.errors import warning_text
from apps.organisations.forms import OrganisationForm
from domain import lifecycle
from domain.errors import DomainError

DOMAIN = Path(__file__).resolve().parents[3] / "domain"


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """DomainError and every class in domain/ that derives from it (directly or through another)."""
    names = {"DomainError"}
    changed = True
    while changed:
        changed = False
        for tree in trees:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in names
                    and any(
                        (isinstance(b, ast.Name) and b.id in names)
                        or (isinstance(b, ast.Attribute) and b.attr in names)
                        for b in node.bases
                    )
                ):
                    names.add(node.name)
                    changed = True
    return names


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def codes_in_domain() -> tuple[set[str], set[str]]:
    """(error codes, importer warning codes) written as literals in domain/: ``SomeError("code", ...)`` and
    ``builder.warn("code", ...)``."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(DOMAIN.rglob("*.py"))]
    classes = _error_classes(trees)
    errors, warnings = set(), set()
    for tree in trees:
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            if _called(node) in classes:
                errors.add(node.args[0].value)
            elif _called(node) == "warn":
                warnings.add(node.args[0].value)
    return errors, warnings


def test_the_scan_finds_the_codes_it_should():
    errors, warnings = codes_in_domain()
    assert {"lifecycle.decision_incomplete", "orgnr.checksum", "importer.file_missing"} <= errors
    assert "importer.warning.no_period" in warnings
    assert all("." in code and " " not in code for code in errors | warnings)


def test_every_code_raised_in_domain_has_a_registered_message():
    errors, warnings = codes_in_domain()
    missing = sorted((errors | warnings) - registered_codes())
    assert not missing, f"no message registered (apps/<area>/errors.py) for: {missing}"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_registered_message_can_be_said(language):
    """Each message renders with the parameters its code documents (no KeyError, no leftover placeholder)."""
    samples: dict[str, dict[str, object]] = {
        "lifecycle.transition_not_allowed": {"current": "draft", "target": "active", "allowed": ["decided"]},
        "lifecycle.decision_incomplete": {"missing": ["period", "decision"]},
        "importer.file_too_large": {"name": "a.txt", "size_bytes": 30_000_000, "max_bytes": 20_000_000},
        "importer.warning.several_periods": {
            "start": "2025-01-01",
            "end": "2025-12-31",
            "others": [["2024-01-01", "2024-12-31"]],
        },
        "importer.warning.several_annual_amounts": {"chosen": 800000, "others": [400000]},
        "importer.warning.several_case_numbers": {"chosen": "SOCN-2025-1", "others": ["SOCN-2025-2"]},
        "importer.warning.org_number_conflict": {"name": "Föreningen Alfa", "numbers": ["802473-9412", "857201-5728"]},
        "importer.warning.table_total_mismatch": {"section": "Del 1", "year": "2025", "summed": 1, "total": 2},
    }
    generic = {
        "status": "draft",
        "start": dt.date(2025, 1, 1),
        "end": dt.date(2025, 12, 31),
        "name": "a.txt",
        "suffix": ".md",
        "max_chars": 100,
        "max_pages": 500,
        "parties": "Mölndals stad",
        "seconds": 30,
        "megabytes": 768,
        "error": "KeyError",
        "index": "PKV",
        "number": "802473-9413",
        "summed": 600000,
        "total": 650000,
        "annual": 500000,
    }
    errors, warnings = codes_in_domain()
    with translation.override(language):
        for code in sorted((errors | warnings) & registered_codes()):
            if not code.startswith(("lifecycle.", "orgnr.", "importer.")):
                continue  # other areas test their own codes' parameters
            text = describe(DomainError(code, **samples.get(code, generic)))
            assert text and "%(" not in text, code


# Lifecycle refusals, through the agreement page ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("sv", "En överenskommelse med status utkast kan inte bli avslutad; tillåtet är: beslutad.", "cannot become"),
        ("en", "An agreement with the status draft cannot become ended; allowed: decided.", "kan inte bli"),
    ],
)
def test_a_refused_transition_is_explained_in_the_pages_language(
    client, users, make_agreement, language, expected, absent
):
    agreement = make_agreement(title="Norr Alfa")
    client.force_login(users["officer_north"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post(
        reverse("agreements:transition", args=[agreement.pk]), {"target": "ended"}, follow=True
    ).content.decode()
    assert expected in html and absent not in html
    agreement.refresh_from_db()
    assert agreement.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Innan överenskommelsen kan markeras som beslutad saknas: avtalsperiod, beslut (nämnd och datum)."),
        (
            "en",
            "Before the agreement can be marked as decided, it needs: agreement period, decision (committee and date).",
        ),
    ],
)
def test_what_deciding_lacks_is_listed_in_the_pages_language(client, users, make_agreement, language, expected):
    agreement = make_agreement(title="Utan period", decision=False, start_date=None, end_date=None)
    client.force_login(users["officer_north"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post(
        reverse("agreements:transition", args=[agreement.pk]), {"target": "decided"}, follow=True
    ).content.decode()
    assert expected in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Överenskommelsen kan inte bli pågående före startdatum 2030-01-01."),
        ("en", "The agreement cannot become active before its start date 2030-01-01."),
    ],
)
def test_lifecycle_dates_in_the_message(language, expected):
    facts = lifecycle.AgreementFacts(
        start=dt.date(2030, 1, 1),
        end=dt.date(2031, 1, 1),
        public_parties=1,
        nonprofit_parties=1,
        has_decision=True,
        today=dt.date(2025, 1, 1),
    )
    with translation.override(language), pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.check_transition("signed", "active", facts)
    with translation.override(language):
        assert describe(refused.value) == expected


# Organisation numbers, through the organisation form and page ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("sv", "802473-9413", "Kontrollsiffran stämmer inte: kontrollera organisationsnumret."),
        ("en", "802473-9413", "The check digit does not match: check the organisation number."),
        ("sv", "12345", "Ett organisationsnummer har tio siffror (NNNNNN-NNNN)."),
        ("en", "12345", "An organisation number has ten digits (NNNNNN-NNNN)."),
        ("sv", "abc", "Skriv organisationsnumret som NNNNNN-NNNN."),
        ("en", "abc", "Write the organisation number as NNNNNN-NNNN."),
    ],
)
def test_organisation_number_errors_in_the_forms_language(language, value, expected):
    with translation.override(language):
        form = OrganisationForm(data={"name": "Föreningen Gamma", "org_number": value, "kind": "non_profit"})
        assert not form.is_valid()
        assert form.errors["org_number"] == [expected]
        assert form.errors.as_data()["org_number"][0].code.startswith("orgnr_")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("sv", "Kontrollsiffran stämmer inte", "check digit"),
        ("en", "The check digit does not match", "Kontrollsiffran"),
    ],
)
def test_organisation_page_shows_the_number_error_in_the_pages_language(client, users, language, expected, absent):
    client.force_login(users["officer_north"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        reverse("organisations:create"), {"name": "Föreningen Gamma", "org_number": "802473-9413", "kind": "non_profit"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and expected in html and absent not in html  # the form again, with why


# Importer warnings, stored as codes, said in the reader's language ------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            "Kostnadsposterna för Del 1 summerar till 600\u00a0000\u00a0kr, men tabellens total är 650\u00a0000\u00a0kr; "
            "kontrollera posterna.",
        ),
        (
            "en",
            "The budget lines for Del 1 add up to 600\u00a0000\u00a0kr, but the table's total is 650\u00a0000\u00a0kr; "
            "check the lines.",
        ),
    ],
)
def test_a_stored_warning_is_said_in_the_readers_language(language, expected):
    stored = {
        "code": "importer.warning.table_total_mismatch",
        "params": {"section": "Del 1", "year": "", "summed": 600000, "total": 650000},
    }
    with translation.override(language):
        assert warning_text(stored) == expected


def test_a_warning_stored_as_text_before_codes_is_shown_as_it_was():
    assert warning_text("Ingen avtalsperiod hittades i dokumentet.") == "Ingen avtalsperiod hittades i dokumentet."
