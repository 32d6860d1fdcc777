# SPDX-License-Identifier: EUPL-1.2
"""Matching the parties and data collectors named in a document to organisations. Plain Python, no Django.

A document names "Föreningen Tidigt föräldrastöd (802473-9412)", an indicator table says the data is
collected by "SF Nordost". These functions rank the organisations in the register (or the parties of the
draft) by how well they fit; the reviewer confirms or picks another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

# Words that say what kind of organisation it is, not which one.
_GENERIC = {
    "föreningen",
    "förening",
    "stiftelsen",
    "stiftelse",
    "ideell",
    "ideella",
    "riksförbundet",
    "förbundet",
    "i",
    "och",
    "av",
    "för",
    "med",
    "the",
    "ab",
    "ek",
    "ekonomisk",
    "kommun",
    "stad",
    "staden",
}
# Abbreviations common in Swedish municipal documents.
_ABBREVIATIONS = {
    "sf": "socialförvaltningen",
    "sn": "socialnämnden",
    "sdf": "stadsdelsförvaltningen",
    "sdn": "stadsdelsnämnden",
}


def words(name: str) -> list[str]:
    """Lower-case words of a name, abbreviations expanded."""
    tokens = re.findall(r"[0-9a-zåäöéü]+", (name or "").casefold())
    return [_ABBREVIATIONS.get(t, t) for t in tokens]


# A document's names are compared with every organisation of the register (thousands in a national
# installation), and the same names and words come back again and again: the pure functions below remember
# their answers, and a comparison is skipped when a bound already proves its outcome.


@lru_cache(maxsize=16384)
def key(name: str) -> str:
    """A name reduced to its distinguishing words, for comparing spellings."""
    return " ".join(w for w in words(name) if w not in _GENERIC)


CLOSE = 0.85


@lru_cache(maxsize=65536)
def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) <= 3:
        return False
    matcher = SequenceMatcher(None, a, b)
    # real_quick_ratio and quick_ratio are upper bounds of ratio: below the bar, ratio is too.
    return matcher.real_quick_ratio() >= CLOSE and matcher.quick_ratio() >= CLOSE and matcher.ratio() >= CLOSE


def similarity(a: str, b: str) -> float:
    """0..1: how alike two organisation names are (1 for the same distinguishing words).

    Every distinguishing word must have a close counterpart: "Socialnämnden Norr" is not "Socialnämnden
    Nordost" however alike the letters, while a misspelt "Socialnämden Nordost" still is.
    """
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    wa, wb = ka.split(), kb.split()
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return 0.85
    close = sum(any(_close(x, y) for y in wb) for x in wa) + sum(any(_close(y, x) for x in wa) for y in wb)
    if not close:  # no word has a counterpart: nothing alike, whatever the letters (the minimum is 0)
        return 0.0
    return min(SequenceMatcher(None, ka, kb).ratio(), close / (len(wa) + len(wb)))


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    org_number: str
    score: float
    by_number: bool


def rank_organisations(
    name: str,
    org_number: str | None,
    register: Iterable[tuple[int, str, str]],
    *,
    limit: int = 5,
    threshold: float = 0.6,
) -> list[Candidate]:
    """The register's organisations (id, name, org_number) that may be the one named, best first.

    The organisationsnummer decides when it is stated; several organisations can share one (a city's
    committees share the city's number), and then the name decides among them.
    """
    found = []
    for org_id, org_name, number in register:
        same_number = bool(org_number) and number == org_number
        score = (
            1.0
            if (org_name or "").casefold().strip() == (name or "").casefold().strip()
            else similarity(name, org_name)
        )
        if same_number or score >= threshold:
            found.append(Candidate(org_id, org_name, number, score, same_number))
    found.sort(key=lambda c: (c.by_number, c.score), reverse=True)
    return found[:limit]


def best_match(name: str, org_number: str | None, candidates: Sequence[Candidate]) -> Candidate | None:
    """The candidate to propose, or None when none is a safe guess."""
    numbered = [c for c in candidates if c.by_number]
    if org_number and len(numbered) == 1:
        return numbered[0]
    pool = numbered if org_number and numbered else candidates
    strong = [c for c in pool if c.score >= 0.85]
    if not strong:
        return None
    if len(strong) > 1 and strong[0].score == strong[1].score:
        return None
    return strong[0]


def match_collectors(collectors: Iterable[str], parties: Sequence[str]) -> list[int]:
    """Indexes of ``parties`` meant by the collector names of an indicator ("SF Nordost", "Tidigt föräldrastöd")."""
    chosen: list[int] = []
    for collector in collectors:
        scores = [(_collector_score(collector, party), i) for i, party in enumerate(parties)]
        scores = [s for s in scores if s[0] > 0]
        if scores:
            best = max(scores)[1]
            if best not in chosen:
                chosen.append(best)
    return sorted(chosen)


def _collector_score(collector: str, party: str) -> float:
    sim = similarity(collector, party)
    if sim >= 0.85:
        return sim + 1
    shared = set(key(collector).split()) & set(key(party).split())
    if not shared:
        return 0.0
    # "Socialförvaltningen Nordost" and "Socialnämnden Nordost": the place alone names the public party.
    return len(shared) / max(len(key(collector).split()), 1) + sim / 10
