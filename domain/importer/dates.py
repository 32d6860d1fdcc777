# SPDX-License-Identifier: EUPL-1.2
"""Swedish dates ("2025-07-01", "1 juli 2025", "den 1:a juli 2025", "juli 2025") and agreement periods.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.importer.numbers import MONTH_NAME, month_number


@dataclass(frozen=True)
class DateMention:
    value: date
    start: int
    end: int
    precision: str  # "day" or "month" (a month without a day: "juli 2025")

    def as_start(self) -> date:
        return self.value

    def as_end(self) -> date:
        if self.precision == "month":
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last)
        return self.value


_ISO = r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"
_ISO_COMPACT = r"(?P<y3>(?:19|20)\d\d)(?P<m3>[01]\d)(?P<d3>[0-3]\d)(?!\d)"
_TEXTUAL = rf"(?:den\s)?(?P<d2>[0-3]?\d)(?::[ae])?\.?\s(?P<m2>{MONTH_NAME})\.?\s(?P<y2>(?:19|20)\d\d)(?!\d)"
_DOTTED = r"(?P<d4>[0-3]?\d)[./](?P<m4>[01]?\d)[./](?P<y4>(?:19|20)\d\d)(?!\d)"
_MONTH_YEAR = rf"(?P<m5>{MONTH_NAME})\s(?P<y5>(?:19|20)\d\d)(?!\d)"
DATE_RE = re.compile(
    rf"(?<![\d-])(?:{_ISO}|{_TEXTUAL}|{_DOTTED}|{_ISO_COMPACT})|(?<![\w])(?:{_MONTH_YEAR})",
    re.IGNORECASE,
)


def find_dates(text: str) -> list[DateMention]:
    """Every date mentioned in ``text`` (invalid calendar dates are skipped)."""
    found: list[DateMention] = []
    for match in DATE_RE.finditer(text):
        groups = match.groupdict()
        precision = "day"
        try:
            if groups["y"]:
                value = date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
            elif groups["y2"]:
                month = month_number(groups["m2"])
                if month is None:
                    continue
                value = date(int(groups["y2"]), month, int(groups["d2"]))
            elif groups["y4"]:
                value = date(int(groups["y4"]), int(groups["m4"]), int(groups["d4"]))
            elif groups["y3"]:
                value = date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
            else:
                month = month_number(groups["m5"])
                if month is None:
                    continue
                value = date(int(groups["y5"]), month, 1)
                precision = "month"
        except ValueError:
            continue
        found.append(DateMention(value, match.start(), match.end(), precision))
    return found


def parse_date(text: str) -> date | None:
    """The single date ``text`` consists of, or ``None``."""
    mentions = find_dates(text.strip())
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(text.strip()):
        return mentions[0].value
    return None


# --- periods -------------------------------------------------------------------------------------

_CONNECTOR = re.compile(
    r"^\s{0,3}(?:,\s?)?(?:och\s)?(?:(?:löper\s|gäller\s)?(?:till\soch\smed|t\.\s?o\.\s?m\.?|tom|till|fram\still"
    r"|–|—|-|−|och)\s{0,3}(?:den\s)?)$",
    re.IGNORECASE,
)
_START_CUE = re.compile(
    r"(?:från\soch\smed|fr\.\s?o\.\s?m\.?|fr\.o\.m|från|mellan|fom|perioden|avtalstid(?:en)?|avtalsperiod(?:en)?"
    r"|gäller|löper|tecknas\sför|period)\s{0,3}(?:den\s)?(?:\(?\s?)?$",
    re.IGNORECASE,
)
_CONTEXT_GOOD = re.compile(
    r"avtalstid|avtalsperiod|avtalet\sgäller|överenskommelsen\sgäller|gäller\s(?:från|under|för|perioden)"
    r"|perioden|partnerskapet\stecknas|tecknas\sför|godkänna\söverenskommelsen|löptid|avtalet\slöper"
    r"|överenskommelse|avtal|partnerskap|iop",
    re.IGNORECASE,
)
_CONTEXT_BAD = re.compile(
    r"tidigare|föregående|förra|har\sunder|har\ssamverkat|pågått|sedan|projekt(?:et)?\s|utvärdering|mätperiod"
    r"|redovisningsperiod|rapportperiod|ansökningsperiod|bidragsperiod\s\d",
    re.IGNORECASE,
)
_STRONG_CONTEXT = re.compile(
    r"avtalstid|avtalsperiod|avtalet\sgäller|överenskommelsen\sgäller|tecknas|godkänna\söverenskommelsen"
    r"|avtalet\slöper|löptid",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PeriodCandidate:
    start: date
    end: date
    score: float
    flat_start: int
    flat_end: int
    sentence_index: int


def period_candidates(sentence: str, sentence_index: int, heading: str = "") -> list[PeriodCandidate]:
    """Date pairs in one flat sentence that read as a period ("X till och med Y", "X–Y", "mellan X och Y").

    ``heading`` is a short preceding sentence (e.g. the heading "Avtalstid") that counts as context.
    """
    mentions = find_dates(sentence)
    found: list[PeriodCandidate] = []
    for first, second in zip(mentions, mentions[1:], strict=False):
        between = sentence[first.end : second.start]
        if len(between) > 24 or not _CONNECTOR.match(between):
            continue
        start, end = first.as_start(), second.as_end()
        if end <= start:
            continue
        before = sentence[max(0, first.start - 40) : first.start]
        score = 1.0
        if _START_CUE.search(before):
            score += 1.0
        if _STRONG_CONTEXT.search(sentence) or _STRONG_CONTEXT.search(heading):
            score += 2.0
        elif _CONTEXT_GOOD.search(sentence):
            score += 1.0
        if _CONTEXT_BAD.search(sentence):
            score -= 1.5
        found.append(PeriodCandidate(start, end, score, first.start, second.end, sentence_index))
    return found


_START_ONLY = re.compile(
    r"(?:gäller|börjar|träder\si\skraft|löper|startar|inleds)\s(?:\w+\s){0,3}?(?:från\soch\smed|fr\.\s?o\.\s?m\.?|från"
    r"|den|per)?\s?$",
    re.IGNORECASE,
)
_END_ONLY = re.compile(
    r"(?:upphör|gäller\still\soch\smed|gäller\still|löper\sut|slutar|avslutas|t\.\s?o\.\s?m\.?|till\soch\smed)"
    r"\s(?:\w+\s){0,2}?(?:att\sgälla\s)?(?:den|per|med)?\s?$",
    re.IGNORECASE,
)


def open_ended_mentions(sentence: str) -> tuple[list[tuple[date, int, int]], list[tuple[date, int, int]]]:
    """Single dates read as a start ("gäller från och med X") or an end ("upphör X", "till och med X")."""
    starts: list[tuple[date, int, int]] = []
    ends: list[tuple[date, int, int]] = []
    if not _CONTEXT_GOOD.search(sentence):
        return starts, ends
    for mention in find_dates(sentence):
        before = sentence[max(0, mention.start - 60) : mention.start]
        if _END_ONLY.search(before):
            ends.append((mention.as_end(), mention.start, mention.end))
        elif _START_ONLY.search(before):
            starts.append((mention.as_start(), mention.start, mention.end))
    return starts, ends
