# SPDX-License-Identifier: EUPL-1.2
"""The draft format ``partnerskap.agreement-draft/1`` and a builder that records evidence and warnings.
May import: the standard library and other domain modules; never Django or an app.

A warning is a code and parameters, ``{"code": "importer.warning.no_period", "params": {}}``, never words:
the edge (the review page, the ``import_agreement`` command) says it in the reader's language. Parameters
are JSON values (strings, integers, lists of them), so a draft can be stored as it is.
"""

from __future__ import annotations

import copy
from typing import Any, TypedDict

from domain.importer.doc import Doc

FORMAT = "partnerskap.agreement-draft/1"
DOCUMENT_TYPES = ("agreement", "decision_report", "decision_report_with_agreement")
FREQUENCIES = ("once", "annual", "semiannual", "quarterly", "monthly")
DIMENSIONS = ("gender", "age", "language_group", "school")

_EMPTY: dict[str, Any] = {
    "format": FORMAT,
    "document_type": None,
    "title": None,
    "case_number": None,
    "issued_on": None,
    "public_parties": [],
    "nonprofit_parties": [],
    "dialogue_parties": [],
    "period": {"start": None, "end": None},
    "extension_max_months": None,
    "notice_period_months": None,
    "renewal_decision_months_before_end": None,
    "annual_amount_sek": None,
    "total_amount_sek": None,
    "amount_by_year_sek": {},
    "indexation": None,
    "payment_schedule": None,
    "budget_lines": [],
    "goals": [],
    "steering_group_min_meetings_per_year": None,
    "steering_group_min_members_per_party": None,
    "follow_ups_per_year": None,
    "warnings": [],
}
CONTRACT_KEYS = tuple(_EMPTY)
WARNING_PREFIX = "importer.warning."


class DraftWarning(TypedDict):
    code: str
    params: dict[str, Any]


def empty_draft() -> dict[str, Any]:
    """A draft with every contract key present and nothing known (plus an empty ``evidence``)."""
    draft = copy.deepcopy(_EMPTY)
    draft["evidence"] = {}
    return draft


class DraftBuilder:
    """Collects values, the passages they came from (``evidence``) and warnings for one document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.draft = empty_draft()
        self.evidence: dict[str, dict[str, object]] = {}
        self.warnings: list[DraftWarning] = []

    def set(self, key: str, value: Any, span: tuple[int, int] | None = None) -> None:
        """Set a top-level key (or "period.start"-style dotted key) and cite ``span`` for it."""
        target = self.draft
        parts = key.split(".")
        for part in parts[:-1]:
            target = target[part]
        target[parts[-1]] = value
        if span is not None:
            self.cite(key, span)

    def cite(self, key: str, span: tuple[int, int]) -> None:
        start, end = span
        if 0 <= start < end <= len(self.doc.text):
            self.evidence[key] = self.doc.passage(start, end)

    def warn(self, code: str, **params: Any) -> None:
        """Record a warning once: ``code`` is ``importer.warning.<what>``; ``params`` are JSON values."""
        if not code.startswith(WARNING_PREFIX):
            raise ValueError(f"a warning code starts with {WARNING_PREFIX!r}: {code!r}")
        warning: DraftWarning = {"code": code, "params": dict(params)}
        if warning not in self.warnings:
            self.warnings.append(warning)

    def result(self) -> dict[str, Any]:
        draft = self.draft
        draft["warnings"] = [{"code": w["code"], "params": dict(w["params"])} for w in self.warnings]
        draft["evidence"] = dict(sorted(self.evidence.items()))
        return draft
