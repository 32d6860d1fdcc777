# SPDX-License-Identifier: EUPL-1.2
"""``parse_text``: normalised text → a draft in the format ``partnerskap.agreement-draft/1``.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

from typing import Any

from domain.importer import meta
from domain.importer.budget import find_budget_lines
from domain.importer.clock import find_clock_terms, find_period
from domain.importer.doc import Doc
from domain.importer.draft import DraftBuilder
from domain.importer.errors import ImportFailure
from domain.importer.finance import (
    find_amount_by_year,
    find_amounts_in_prose,
    find_indexation,
    find_payment_schedule,
)
from domain.importer.goals import find_goals
from domain.importer.governance import find_governance
from domain.importer.parties import find_parties
from domain.importer.sections import Sections
from domain.importer.text import MAX_TEXT_CHARS, normalize_text


def parse_text(text: str) -> dict[str, Any]:
    """Read an IOP agreement or decision report and return its draft.

    ``text`` may be raw extracted text: it is normalised first, and every ``evidence`` offset refers to
    ``normalize_text(text)``. Every contract key is present; what is not found is ``None`` or empty.
    Raises :class:`ImportFailure` only for text longer than ``MAX_TEXT_CHARS``.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFailure("importer.text_too_long", max_chars=MAX_TEXT_CHARS)
    doc = Doc(normalize_text(text))
    builder = DraftBuilder(doc)
    if not doc.text.strip():
        builder.warn("importer.warning.no_text")
        return builder.result()
    kind, span = meta.document_type(doc)
    builder.set("document_type", kind, span)
    title, title_span = meta.title(doc)
    builder.set("title", title, title_span)
    meta.case_number(doc, builder)
    meta.issued_on(doc, builder)
    find_parties(doc, builder)
    find_period(doc, builder)
    find_clock_terms(doc, builder)
    find_amounts_in_prose(doc, builder)
    year_tables = find_amount_by_year(doc, builder)
    find_indexation(doc, builder)
    find_payment_schedule(doc, builder, builder.draft["period"]["start"])
    sections = Sections(doc)
    budget = find_budget_lines(doc, builder, sections, year_tables)
    find_goals(doc, builder, sections, _party_names(builder.draft))
    find_governance(doc, builder)
    _cross_checks(builder, budget)
    return builder.result()


def _party_names(draft: dict[str, Any]) -> list[str]:
    names = [p["name"] for p in draft["public_parties"] + draft["nonprofit_parties"]]
    return names + list(draft["dialogue_parties"])


def _table_totals(builder: DraftBuilder, budget: Any) -> None:
    """A single budget table's total row is the total frame (or, with a "per helår" header, the annual amount)."""
    draft = builder.draft
    tables = [t for t in budget.tables if None in t.totals]
    if len(budget.tables) != 1 or len(tables) != 1:
        return
    table = tables[0]
    line = budget.doc.lines[table.end_index]
    span = (line.start, line.end)
    if table.totals[None] == draft["annual_amount_sek"]:
        return
    if table.per_year and draft["annual_amount_sek"] is None:
        builder.set("annual_amount_sek", table.totals[None], span)
    elif not table.per_year and draft["total_amount_sek"] is None:
        builder.set("total_amount_sek", table.totals[None], span)


def _cross_checks(builder: DraftBuilder, budget: Any) -> None:
    draft = builder.draft
    if not draft["amount_by_year_sek"]:
        year_totals = budget.year_totals()
        if year_totals:
            builder.set("amount_by_year_sek", dict(sorted(year_totals.items())))
    _table_totals(builder, budget)
    lines = [b for b in draft["budget_lines"] if b["year"] is None]
    annual, total = draft["annual_amount_sek"], draft["total_amount_sek"]
    summed = sum(int(b["amount_sek"]) for b in lines)
    if lines and annual is not None and summed != annual and (total is None or summed != total):
        builder.warn("importer.warning.lines_vs_annual_amount", summed=summed, annual=annual)
    elif lines and annual is None and total is not None and summed != total:
        builder.warn("importer.warning.lines_vs_total_amount", summed=summed, total=total)
    by_year = draft["amount_by_year_sek"]
    if by_year and total is not None and sum(by_year.values()) != total and len(by_year) > 1:
        builder.warn("importer.warning.years_vs_total_amount", summed=sum(by_year.values()), total=total)
    if by_year and annual is not None and max(by_year.values()) > annual * 1.001 and draft["indexation"] is None:
        builder.warn("importer.warning.year_above_annual_amount")
    period = draft["period"]
    if period["start"] and period["end"] and period["end"] < period["start"]:
        builder.warn("importer.warning.period_end_before_start")
    multi_year = bool(period["start"] and period["end"]) and int(period["end"][:4]) - int(period["start"][:4]) >= 2
    if draft["indexation"] is None and draft["annual_amount_sek"] and multi_year:
        builder.warn("importer.warning.no_indexation")
    if draft["goals"] and not any(g["indicators"] for g in draft["goals"]):
        builder.warn("importer.warning.goals_without_indicators")


def looks_like_agreement(draft: dict[str, Any], text: str) -> bool:
    """Whether ``text`` and its draft hold an IOP agreement or decision report (not a recipe, an invoice, noise)."""
    signals = meta.genre_signal_count(text)
    facts = sum(
        (
            bool(draft["public_parties"] or draft["nonprofit_parties"]),
            bool(draft["period"]["start"] or draft["period"]["end"]),
            bool(
                draft["annual_amount_sek"]
                or draft["total_amount_sek"]
                or draft["amount_by_year_sek"]
                or draft["budget_lines"]
            ),
            bool(draft["goals"]),
            bool(draft["case_number"]),
        )
    )
    return signals >= 2 and facts >= 1
