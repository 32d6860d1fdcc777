# SPDX-License-Identifier: EUPL-1.2
"""Swedish counts ("tre", "tjugofyra", "12"), durations in months and frequencies per year.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

import re

_UNITS = {
    "noll": 0,
    "en": 1,
    "ett": 1,
    "ena": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "aderton": 18,
    "nitton": 19,
}
_TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90}
_SMALL_UNITS = ("en", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio")

# A count as digits or a Swedish number word; bounded so that it never backtracks far.
COUNT = (
    r"(?<![\wåäö])(?:\d{1,3}|(?:tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio)"
    r"(?:en|ett|två|tre|fyra|fem|sex|sju|åtta|nio)?|noll|ett|en|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv"
    r"|tretton|fjorton|femton|sexton|sjutton|arton|aderton|nitton)"
)


def parse_count(word: str) -> int | None:
    """``"tre"`` → 3, ``"tjugofyra"`` → 24, ``"12"`` → 12; ``None`` for anything else."""
    text = (word or "").strip().lower()
    if text.isdigit():
        return int(text) if len(text) <= 6 else None
    if text in _UNITS:
        return _UNITS[text]
    for tens_word, tens in _TENS.items():
        if text == tens_word:
            return tens
        if text.startswith(tens_word) and text[len(tens_word) :] in _SMALL_UNITS:
            return tens + _UNITS[text[len(tens_word) :]]
    return None


DURATION = rf"(?P<count>{COUNT}|ett halvt|ett halv)(?:\s\(\d{{1,3}}\))?\s?(?P<unit>månader|månaders|månad|mån\.?|år|års|halvår|veckor|veckors)"
_DURATION_RE = re.compile(DURATION, re.IGNORECASE)


def duration_months(count: str, unit: str) -> int | None:
    """Months for a count and a unit: ("tre", "månader") → 3, ("ett", "år") → 12, ("ett", "halvår") → 6."""
    number = parse_count(count)
    unit = unit.lower().rstrip(".")
    if unit.startswith("halvår"):
        return 6 * number if number is not None else None
    if number is None:
        return None
    if unit.startswith("mån"):
        return number
    if unit.startswith("år"):
        return 12 * number
    return None  # weeks are not a whole number of months


def find_duration(text: str) -> tuple[int, int, int] | None:
    """The first duration in ``text`` as (months, start, end)."""
    for match in _DURATION_RE.finditer(text):
        months = duration_months(match.group("count"), match.group("unit"))
        if months is not None:
            return months, match.start(), match.end()
    return None


# Frequencies: how many times per year.
_FREQUENCY_PATTERNS: tuple[tuple[re.Pattern[str], int | None], ...] = (
    (
        re.compile(
            rf"\b(?P<n>{COUNT})\s(?:gånger|ggr|gång|tillfällen)\s?(?:per|om|i|varje|/)\s?(?:år|kalenderår|året)\b",
            re.IGNORECASE,
        ),
        None,
    ),
    (re.compile(rf"\b(?P<n>{COUNT})\s(?:gånger|ggr|gång)\s?/\s?år\b", re.IGNORECASE), None),
    (re.compile(rf"\b(?P<n>{COUNT})\s(?:gånger|ggr|gång)\s(?:årligen|årsvis)\b", re.IGNORECASE), None),
    (re.compile(rf"\b(?P<n>{COUNT})\s(?:gånger|ggr|gång)\s(?:per|varje|i)\s(?:termin|halvår)\b", re.IGNORECASE), -2),
    (re.compile(r"\b(?:halvårsvis|halvårsvisa|varje halvår|per halvår|halvårs\w*uppföljning)", re.IGNORECASE), 2),
    (re.compile(r"\b(?:terminsvis|varje termin|per termin)\b", re.IGNORECASE), 2),
    (re.compile(r"\b(?:kvartalsvis|kvartalsvisa|varje kvartal|per kvartal|kvartalsavstämning\w*)", re.IGNORECASE), 4),
    (re.compile(r"\b(?:månadsvis|varje månad|per månad|en gång i månaden|månatlig\w*)\b", re.IGNORECASE), 12),
    (re.compile(r"\b(?:årligen|årsvis|en gång per år|en gång om året|varje år|årlig|årliga)\b", re.IGNORECASE), 1),
)


def find_frequency(text: str) -> tuple[int, int, int] | None:
    """The first "how often per year" in ``text`` as (times_per_year, start, end), earliest match first."""
    best: tuple[int, int, int] | None = None
    for pattern, fixed in _FREQUENCY_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if fixed is None or fixed < 0:
            count = parse_count(match.group("n"))
            if count is None or count <= 0 or count > 366:
                continue
            value = count * (-fixed) if fixed else count
        else:
            value = fixed
        if best is None or match.start() < best[1]:
            best = (value, match.start(), match.end())
    return best


MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAME = (
    r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|dec)"
)
_MONTH_WORD = re.compile(rf"\b(?P<m>{MONTH_NAME})(?:i|uari)?\.?(?![a-zåäö])", re.IGNORECASE)


def month_number(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def months_in(text: str) -> list[int]:
    """Month numbers named in ``text`` (full names only, to avoid "mar"/"sep" inside other words)."""
    found: list[int] = []
    for match in re.finditer(
        r"\b(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\b",
        text,
        re.IGNORECASE,
    ):
        number = MONTHS[match.group(1).lower()]
        if number not in found:
            found.append(number)
    return found
