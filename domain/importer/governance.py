# SPDX-License-Identifier: EUPL-1.2
"""Governance: steering-group meetings and members, and how often goals and indicators are followed up.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

import re

from domain.importer.doc import Doc
from domain.importer.draft import DraftBuilder
from domain.importer.numbers import COUNT, find_frequency, parse_count

_STEERING = re.compile(r"styrgrupp|styrgruppsmöte|styrelsegrupp", re.IGNORECASE)
_MEETING_VERB = re.compile(
    r"\b(?:mötas|möts|träffas|träffar|sammanträder|sammanträda|sammankallas|sammankallar|samlas|ses|möten|möte"
    r"|mötet|sammanträden|träffarna|styrgruppsmöte\w*|ha\smöte)\b",
    re.IGNORECASE,
)
_MEMBERS = (
    re.compile(
        rf"\b(?:minst|lägst|åtminstone)\s(?P<n>{COUNT})\s(?:representanter|ledamöter|personer|företrädare|deltagare"
        r"|medlemmar)\s(?:\w+\s)?(?:per|från\svarje|från\srespektive|för\svarje|för\srespektive|av\svarje)\spart",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:varje|respektive)\spart\s(?:\w+\s){{0,3}}?(?:utser|utse|ska\sutse|har|bidrar\smed|representeras\sav)\s"
        rf"(?:minst\s)?(?P<n>{COUNT})\s(?:representanter|ledamöter|personer|företrädare|representant|ledamot)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?P<n>{COUNT})\s(?:representanter|ledamöter|personer|företrädare)\s(?:per|från\svarje|från\srespektive)\spart",
        re.IGNORECASE,
    ),
)
_FOLLOW_UP = re.compile(
    r"följ(?:s|as|a)\supp|uppfölj|rapporter(?:as|a|ar)|redovis(?:as|a|ar|ning)|återrapport", re.IGNORECASE
)
_GOAL_WORDS = re.compile(r"\bmål|indikator|delmål|måluppfyllelse", re.IGNORECASE)
_NOT_FOLLOW_UP = re.compile(
    r"index|uppräkning|faktur|utbetal|betalning|styrgruppen\s(?:ska\s)?(?:mötas|möts|träffas)", re.IGNORECASE
)


def find_governance(doc: Doc, builder: DraftBuilder) -> None:
    _steering_meetings(doc, builder)
    _steering_members(doc, builder)
    _follow_ups(doc, builder)


def _steering_meetings(doc: Doc, builder: DraftBuilder) -> None:
    for sentence in doc.sentences:
        text = sentence.text
        if not _STEERING.search(text) or not _MEETING_VERB.search(text):
            continue
        if re.search(r"uppföljning(?:en)?\s(?:av\s)?(?:mål|indikator)", text, re.IGNORECASE) and not re.search(
            r"mötas|möts|träffas|sammanträder|sammankallas", text, re.IGNORECASE
        ):
            continue
        found = find_frequency(text)
        if found is not None:
            value, start, end = found
            builder.set("steering_group_min_meetings_per_year", value, sentence.span(start, end))
            return


def _steering_members(doc: Doc, builder: DraftBuilder) -> None:
    steering_positions = [m.start() for m in _STEERING.finditer(doc.text)]
    if not steering_positions:
        return
    for sentence in doc.sentences:
        for pattern in _MEMBERS:
            match = pattern.search(sentence.text)
            if not match:
                continue
            near = any(abs(pos - sentence.start) < 600 for pos in steering_positions)
            if not near and not _STEERING.search(sentence.text):
                continue
            value = parse_count(match.group("n"))
            if value is not None and 0 < value < 50:
                builder.set("steering_group_min_members_per_party", value, sentence.span(match.start(), match.end()))
                return


def _follow_ups(doc: Doc, builder: DraftBuilder) -> None:
    best: tuple[int, int, int, object] | None = None  # (rank, value, index, span)
    for index, sentence in enumerate(doc.sentences):
        text = sentence.text
        if not _FOLLOW_UP.search(text) or _NOT_FOLLOW_UP.search(text):
            continue
        found = find_frequency(text)
        if found is None:
            continue
        value, start, end = found
        rank = 0 if _GOAL_WORDS.search(text) else 1
        if value == 1 and rank == 1:
            rank = 2  # "årligen" alone is usually the annual report, weaker than a stated frequency
        if best is None or rank < best[0]:
            best = (rank, value, index, sentence.span(start, end))
    if best is not None:
        builder.set("follow_ups_per_year", best[1], best[3])  # type: ignore[arg-type]
