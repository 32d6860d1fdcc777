# SPDX-License-Identifier: EUPL-1.2
"""The import score on the real seed documents and on the synthetic documents (rules as in score.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.importer import parse_text
from tests.domain.importer.conftest import SEEDS, SYNTHETIC
from tests.domain.importer.scoring import doc_score


def _score(path: Path) -> tuple[float, dict[str, float]]:
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    draft = parse_text(path.read_text(encoding="utf-8"))
    return doc_score(draft, gold)


def test_seed_documents_score_at_least_095_overall() -> None:
    scores = [_score(path)[0] for path in SEEDS]
    assert len(scores) == 3
    assert sum(scores) / len(scores) >= 0.95


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_each_seed_document_scores_well(path: Path) -> None:
    score, parts = _score(path)
    assert score >= 0.9, {k: v for k, v in parts.items() if v < 1}


@pytest.mark.parametrize("path", SYNTHETIC, ids=lambda p: p.stem)
def test_synthetic_documents_are_read_as_expected(path: Path) -> None:
    score, parts = _score(path)
    assert score == pytest.approx(1.0), {k: v for k, v in parts.items() if v < 1}


@pytest.mark.parametrize("path", SYNTHETIC, ids=lambda p: p.stem)
def test_synthetic_titles_match(path: Path) -> None:
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert parse_text(path.read_text(encoding="utf-8"))["title"] == gold["title"]
