# SPDX-License-Identifier: EUPL-1.2
"""The agreement clock: period, extension option, notice period and the renewal-decision deadline.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

import re
from collections import Counter

from domain.importer.dates import PeriodCandidate, open_ended_mentions, period_candidates
from domain.importer.doc import Doc, Sentence
from domain.importer.draft import DraftBuilder
from domain.importer.numbers import COUNT, DURATION, duration_months

_RENEWAL = re.compile(rf"senast\s(?P<d>{DURATION})\s(?:innan|före|inför|efter\satt)\s", re.IGNORECASE)
_RENEWAL_TOPIC = re.compile(
    r"förläng|nytt\savtal|ny\söverenskommelse|ställning|omförhandl|fortsatt|fortsätt|förnya|förnyelse"
    r"|avsikt",
    re.IGNORECASE,
)
_NOTICE_TOPIC = re.compile(r"uppsägning|säga\supp|sägas\supp|säger\supp", re.IGNORECASE)
_NOTICE = (
    re.compile(
        rf"(?P<count>{COUNT})(?:\s\(\d{{1,3}}\))?\s(?P<unit>månaders|månads|års)\s(?:ömsesidig\s)?"
        r"(?:uppsägningstid|uppsägning|varsel)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"uppsägningstid(?:en)?\s(?:\w+\s){{0,4}}?(?:är|om|på|av|:|blir|gäller)?\s?(?:minst\s)?(?P<count>{COUNT})"
        r"(?:\s\(\d{1,3}\))?\s(?P<unit>månader|månad|år)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:säga|sägas|säger)\supp\s(?:\w+\s){{0,6}}?(?:med|senast)\s(?:minst\s)?(?P<count>{COUNT})(?:\s\(\d{{1,3}}\))?\s"
        r"(?P<unit>månaders|månader|månads|års)",
        re.IGNORECASE,
    ),
)
_EXTENSION = (
    re.compile(
        rf"förläng\w*\s(?:\w+\s){{0,6}}?(?:om|med|på|i)\s(?:maximalt|högst|max|upp\still|ytterligare|som\smest)?\s?"
        rf"(?:ytterligare\s)?(?P<count>{COUNT}|ett\shalvt)(?:\s\(\d{{1,3}}\))?\s(?P<unit>månader|månad|år|halvår)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:maximalt|högst|max|upp\still)\s(?P<count>{COUNT})(?:\s\(\d{{1,3}}\))?\s(?P<unit>månaders|års|månader|år)\s(?:\w+\s)?förläng",
        re.IGNORECASE,
    ),
)


def find_period(doc: Doc, builder: DraftBuilder) -> None:
    candidates: list[PeriodCandidate] = []
    for index, sentence in enumerate(doc.sentences):
        context = doc.sentences[index - 1].text if index else ""
        candidates.extend(period_candidates(sentence.text, index, context if len(context) < 60 else ""))
    if candidates:
        _choose_period(doc, builder, candidates)
        return
    starts, ends = [], []
    for index, sentence in enumerate(doc.sentences):
        found_starts, found_ends = open_ended_mentions(sentence.text)
        starts += [(value, index, a, b) for value, a, b in found_starts]
        ends += [(value, index, a, b) for value, a, b in found_ends]
    if starts:
        value, index, a, b = starts[0]
        builder.set("period.start", value.isoformat(), doc.sentences[index].span(a, b))
    if ends:
        value, index, a, b = Counter(ends).most_common(1)[0][0]
        if not starts or value > starts[0][0]:
            builder.set("period.end", value.isoformat(), doc.sentences[index].span(a, b))
    if not starts and not ends:
        builder.warn("importer.warning.no_period")
    elif not (starts and ends):
        builder.warn("importer.warning.period_incomplete")


def _choose_period(doc: Doc, builder: DraftBuilder, candidates: list[PeriodCandidate]) -> None:
    totals: dict[tuple[object, object], float] = {}
    first: dict[tuple[object, object], PeriodCandidate] = {}
    for cand in candidates:
        key = (cand.start, cand.end)
        totals[key] = totals.get(key, 0.0) + max(cand.score, 0.1)
        if key not in first or cand.score > first[key].score:
            first[key] = cand
    ranked = sorted(totals, key=lambda k: (-totals[k], first[k].sentence_index))
    best = first[ranked[0]]
    if totals[ranked[0]] < 1.5 and len(candidates) == 1 and best.score < 1.5:
        builder.warn("importer.warning.period_uncertain")
    sentence = doc.sentences[best.sentence_index]
    span = sentence.span(best.flat_start, best.flat_end)
    builder.set("period.start", best.start.isoformat(), span)
    builder.set("period.end", best.end.isoformat(), span)
    rivals = [k for k in ranked[1:] if totals[k] >= 2.0 and k[0] != best.start and k[1] != best.end]
    if rivals:
        others = [[a.isoformat(), b.isoformat()] for a, b in rivals[:3]]  # type: ignore[attr-defined]
        builder.warn(
            "importer.warning.several_periods", start=best.start.isoformat(), end=best.end.isoformat(), others=others
        )


def _first(doc: Doc, finder) -> tuple[int, Sentence, int, int] | None:  # type: ignore[no-untyped-def]
    for sentence in doc.sentences:
        found = finder(sentence.text)
        if found is not None:
            value, start, end = found
            return value, sentence, start, end
    return None


def _renewal(text: str) -> tuple[int, int, int] | None:
    if (
        not _RENEWAL_TOPIC.search(text)
        or _NOTICE_TOPIC.search(text)
        and not re.search(r"ställningstagande|förläng", text, re.IGNORECASE)
    ):
        return None
    match = _RENEWAL.search(text)
    if not match:
        return None
    months = duration_months(match.group("count"), match.group("unit"))
    return (months, match.start(), match.end()) if months is not None else None


def _notice(text: str) -> tuple[int, int, int] | None:
    if not _NOTICE_TOPIC.search(text):
        return None
    for pattern in _NOTICE:
        match = pattern.search(text)
        if match:
            months = duration_months(match.group("count"), match.group("unit"))
            if months is not None:
                return months, match.start(), match.end()
    return None


def _extension(text: str) -> tuple[int, int, int] | None:
    if not re.search(r"förläng", text, re.IGNORECASE):
        return None
    for pattern in _EXTENSION:
        for match in pattern.finditer(text):
            if re.search(r"\bsenast\b|innan|före", text[match.start() : match.end() + 12], re.IGNORECASE):
                continue
            months = duration_months(match.group("count"), match.group("unit"))
            if months is not None and 0 < months <= 120:
                return months, match.start(), match.end()
    return None


def find_clock_terms(doc: Doc, builder: DraftBuilder) -> None:
    for key, finder in (
        ("renewal_decision_months_before_end", _renewal),
        ("notice_period_months", _notice),
        ("extension_max_months", _extension),
    ):
        found = _first(doc, finder)
        if found is not None:
            value, sentence, start, end = found
            builder.set(key, value, sentence.span(start, end))
    if re.search(
        r"förlängas\s(?:\w+\s){0,3}år\sför\sår|förlängs\sautomatiskt|automatisk\sförlängning", doc.text, re.IGNORECASE
    ):
        builder.warn("importer.warning.automatic_extension")
