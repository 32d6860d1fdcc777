# SPDX-License-Identifier: EUPL-1.2
"""Properties: any text gives a well-formed draft, quickly; mutated real documents never break the reader."""

from __future__ import annotations

import json
import random
import re
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import orgnr
from domain.importer import normalize_text, parse_text
from domain.importer.draft import CONTRACT_KEYS, DIMENSIONS, DOCUMENT_TYPES, FORMAT, FREQUENCIES
from tests.domain.importer.conftest import SEEDS, SYNTHETIC

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS + SYNTHETIC]
SWEDISH = st.sampled_from(
    [
        "överenskommelse",
        "mellan",
        "Socialnämnden Norr",
        "och",
        "Föreningen Bro",
        "organisationsnummer",
        "802473-9412",
        "2025-07-01",
        "till och med",
        "1 juli 2028",
        "4 040 000 kr",
        "800 tkr",
        "per helår",
        "Totalt",
        "Summa",
        "Kostnadsposter",
        "Mål/Delmål Indikatorer Ansvar",
        "1.",
        "•",
        "\n",
        "\n\n",
        "  ",
        "PKV",
        "oktober",
        "uppsägningstid",
        "tre månader",
        "styrgruppen",
        "två gånger per år",
        "kvartalsvis",
        "i förskott",
        "Del 1",
        "(",
        ")",
        "|",
        "fördelat på kön",
        "dialogpart",
        "Tjänsteutlåtande",
        "Utfärdat",
        "Dnr",
        "senast",
        "förlängning",
    ]
)


def check_draft(draft: dict[str, Any]) -> None:
    """The contract's shape: every key, the right types, valid org numbers, whole non-negative kronor."""
    for key in CONTRACT_KEYS:
        assert key in draft, key
    assert draft["format"] == FORMAT
    assert draft["document_type"] in DOCUMENT_TYPES + (None,)
    for key in ("title", "case_number"):
        assert draft[key] is None or isinstance(draft[key], str)
    for key in ("issued_on",):
        assert draft[key] is None or DATE.match(draft[key])
    for side in ("public_parties", "nonprofit_parties"):
        for party in draft[side]:
            assert set(party) == {"name", "org_number"} and isinstance(party["name"], str) and party["name"]
            assert party["org_number"] is None or (
                orgnr.is_valid(party["org_number"]) and re.fullmatch(r"\d{6}-\d{4}", party["org_number"])
            )
    assert all(isinstance(name, str) and name for name in draft["dialogue_parties"])
    assert set(draft["period"]) == {"start", "end"}
    for value in draft["period"].values():
        assert value is None or DATE.match(value)
    for key in (
        "extension_max_months",
        "notice_period_months",
        "renewal_decision_months_before_end",
        "steering_group_min_meetings_per_year",
        "steering_group_min_members_per_party",
        "follow_ups_per_year",
    ):
        assert draft[key] is None or (type(draft[key]) is int and draft[key] >= 0), key
    for key in ("annual_amount_sek", "total_amount_sek"):
        assert draft[key] is None or (type(draft[key]) is int and draft[key] >= 0), key
    for year, amount in draft["amount_by_year_sek"].items():
        assert re.fullmatch(r"\d{4}", year) and type(amount) is int and amount >= 0
    if draft["indexation"] is not None:
        assert set(draft["indexation"]) == {"index", "reference_month"}
        month = draft["indexation"]["reference_month"]
        assert month is None or 1 <= month <= 12
    if draft["payment_schedule"] is not None:
        schedule = draft["payment_schedule"]
        assert schedule["frequency"] in FREQUENCIES and schedule["in_advance"] in (True, False, None)
        assert all(type(m) is int and 1 <= m <= 12 for m in schedule["months"])
    for line in draft["budget_lines"]:
        assert isinstance(line["label"], str) and line["label"]
        assert type(line["amount_sek"]) is int and line["amount_sek"] >= 0
        assert line["section"] is None or isinstance(line["section"], str)
        assert line["year"] is None or type(line["year"]) is int
    for goal in draft["goals"]:
        assert isinstance(goal["text"], str) and goal["text"]
        for indicator in goal["indicators"]:
            assert isinstance(indicator["text"], str) and indicator["text"]
            assert set(indicator["dimensions"]) <= set(DIMENSIONS)
            assert all(isinstance(name, str) for name in indicator["collected_by"])
    for warning in draft["warnings"]:  # a code and JSON parameters, no words (the edge says them)
        assert set(warning) == {"code", "params"} and warning["code"].startswith("importer.warning.")
        assert json.loads(json.dumps(warning["params"])) == warning["params"]
    norm_len = None
    for evidence in draft["evidence"].values():
        assert 0 <= evidence["start"] < evidence["end"]
        norm_len = norm_len or evidence["end"]
        assert len(evidence["text"]) == evidence["end"] - evidence["start"]


def check_evidence(text: str, draft: dict[str, Any]) -> None:
    norm = normalize_text(text)
    for key, evidence in draft["evidence"].items():
        assert norm[evidence["start"] : evidence["end"]] == evidence["text"], key


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gives_a_well_formed_draft(text: str) -> None:
    draft = parse_text(text)
    check_draft(draft)
    check_evidence(text, draft)


@settings(max_examples=150, deadline=None)
@given(st.lists(SWEDISH, max_size=200).map(" ".join))
def test_agreement_vocabulary_soup(text: str) -> None:
    draft = parse_text(text)
    check_draft(draft)
    check_evidence(text, draft)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(SEED_TEXTS))),
    st.randoms(use_true_random=False),
    st.lists(
        st.sampled_from(["delete", "duplicate", "shuffle", "unicode", "swap_chars", "join"]), min_size=1, max_size=4
    ),
    st.text(min_size=1, max_size=20),
)
def test_mutated_documents(index: int, rnd: random.Random, operations: list[str], noise: str) -> None:
    lines = SEED_TEXTS[index].split("\n")
    for operation in operations:
        if not lines:
            break
        i = rnd.randrange(len(lines))
        j = min(len(lines), i + rnd.randrange(1, 30))
        if operation == "delete":
            del lines[i:j]
        elif operation == "duplicate":
            lines[i:i] = lines[i:j]
        elif operation == "shuffle":
            chunk = lines[i:j]
            rnd.shuffle(chunk)
            lines[i:j] = chunk
        elif operation == "unicode":
            lines.insert(i, noise)
            lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)] + noise
        elif operation == "swap_chars":
            chars = list(lines[i])
            rnd.shuffle(chars)
            lines[i] = "".join(chars)
        else:
            lines[i:j] = [" ".join(lines[i:j])]
    text = "\n".join(lines)
    draft = parse_text(text)
    check_draft(draft)
    check_evidence(text, draft)


@pytest.mark.parametrize("text", SEED_TEXTS, ids=[p.stem for p in SEEDS + SYNTHETIC])
def test_fixture_drafts_are_well_formed(text: str) -> None:
    draft = parse_text(text)
    check_draft(draft)
    check_evidence(text, draft)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


ADVERSARIAL = {
    "digits_and_spaces": lambda r: "".join(r.choice("0123456789 ") for _ in range(200_000)),
    "digit_groups": lambda r: "1 " * 100_000,
    "grouped_amounts_one_line": lambda r: "123 456 " * 25_000,
    "amount_lines": lambda r: "\n".join("1 000" for _ in range(40_000)),
    "dates": lambda r: "2025-01-01 till och med " * 8_000,
    "parentheses": lambda r: "(" * 100_000 + ")" * 100_000,
    "hyphenation": lambda r: "a-\n" * 60_000,
    "capitalised_words": lambda r: "Socialnämnden " * 40_000,
    "one_long_sentence": lambda r: "ord " * 100_000,
    "budget_rows": lambda r: "Kostnadspost Belopp\n" + "Löner 500 000\n" * 20_000,
    "goal_rows": lambda r: "Mål Indikatorer Ansvar\n" + "Text\n1. Antal\nFöreningen Bro\n" * 10_000,
    "org_numbers": lambda r: " ".join("802473-9412" for _ in range(15_000)),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_long_adversarial_input_is_fast(name: str) -> None:
    text = ADVERSARIAL[name](random.Random(7))
    started = time.perf_counter()
    draft = parse_text(text)
    elapsed = time.perf_counter() - started
    check_draft(draft)
    assert elapsed < 15, f"{name} took {elapsed:.1f} s"
