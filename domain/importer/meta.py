# SPDX-License-Identifier: EUPL-1.2
"""Document type, title, case number (diarienummer) and the date the document was issued.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

import re

from domain.importer.dates import find_dates
from domain.importer.doc import CONNECTORS, Doc
from domain.importer.draft import DraftBuilder

_DECISION_STRONG = re.compile(
    r"^\s*(?:tjänsteutlåtande|förslag\still\sbeslut|beslutsförslag)\b|\btjänsteutlåtande\b",
    re.IGNORECASE | re.MULTILINE,
)
_DECISION_WEAK = re.compile(
    r"^\s*(?:ärendet|beskrivning\sav\särendet|förvaltningens\sbedömning|bedömning\sur\s\w+\sdimension"
    r"|handläggare|samverkan\si\sfsg)\b|\bnämnden\sbeslutar\b|\bbeslutar\satt\sgodkänna\b",
    re.IGNORECASE | re.MULTILINE,
)
_AGREEMENT_STRONG = re.compile(
    r"likalydande\sexemplar|^\s*(?:\d+(?:\.\d+)*\s)?(?:parternas\s)?underskrift(?:er)?\s*$"
    r"|^\s*(?:\d+(?:\.\d+)*\s)?avtalstid\s*$|^\s*för\s[A-ZÅÄÖa-zåäö][^\n]{2,60}\s{2,}för\s"
    r"|denna\söverenskommelse\sär\supprättad|detta\savtal\shar\supprättats",
    re.IGNORECASE | re.MULTILINE,
)
_AGREEMENT_TITLE = re.compile(
    r"^\s*(?:överenskommelse|avtal|samverkansavtal|partnerskapsavtal|iop-avtal)\b", re.IGNORECASE
)
_GENRE = re.compile(
    r"överenskommelse|partnerskap|\biop\b|idéburen|idéburet|idéburna|ideell|samverkansavtal|tjänsteutlåtande",
    re.IGNORECASE,
)


def document_type(doc: Doc) -> tuple[str, tuple[int, int] | None]:
    """ "agreement", "decision_report" or "decision_report_with_agreement", with the deciding passage."""
    decision = _DECISION_STRONG.search(doc.text)
    weak = _DECISION_WEAK.findall(doc.text)
    agreement = _AGREEMENT_STRONG.search(doc.text)
    first_line = next((line for line in doc.lines if not line.is_blank), None)
    titled_agreement = first_line is not None and _AGREEMENT_TITLE.match(first_line.text)
    is_decision = decision is not None or len(weak) >= 3
    is_agreement = agreement is not None or bool(titled_agreement)
    if is_decision and is_agreement:
        kind = "decision_report_with_agreement"
    elif is_decision:
        kind = "decision_report"
    else:
        kind = "agreement"
    cue = decision or agreement
    if cue is not None:
        return kind, (cue.start(), cue.end())
    if titled_agreement and first_line is not None:
        return kind, (first_line.start, first_line.end)
    return kind, None


def genre_signal_count(text: str) -> int:
    """How many IOP words ``text`` holds: used to refuse recipes, invoices and random text."""
    return sum(1 for _ in _GENRE.finditer(text[:400_000]))


# --- title ---------------------------------------------------------------------------------------

_NOT_TITLE = re.compile(
    r"^(?:tjänsteutlåtande|bilaga\s?\d*|utfärdat|diarienummer|dnr|ärendenummer|sida\s\d|datum|handläggare"
    r"|förslag\still\sbeslut|sammanfattning|innehåll|innehållsförteckning)\b",
    re.IGNORECASE,
)


def title(doc: Doc) -> tuple[str | None, tuple[int, int] | None]:
    """The document's heading, joined over the lines it was wrapped on.

    The first title-like line among the first lines wins, but one that names the partnership
    ("överenskommelse", "partnerskap", "IOP") is preferred over a name or a header field.
    """
    candidates: list[int] = []
    seen = 0
    for line in doc.lines:
        if line.is_blank:
            continue
        seen += 1
        if seen > 30:
            break
        text = line.stripped
        if _NOT_TITLE.match(text) or not re.search(r"[A-Za-zÅÄÖåäö]{3}", text) or _CONTACT.search(text):
            continue
        if len(text.split()) > 16 or text.endswith((".", ";")):
            continue
        candidates.append(line.index)
    if not candidates:
        return None, None
    named = [i for i in candidates if _GENRE.search(doc.lines[i].text)]
    first = named[0] if named and named[0] - candidates[0] <= 25 else candidates[0]
    return _title_from(doc, first)


_CONTACT = re.compile(r"@|telefon|e-post|tel\.|\d{3}-\d{2,3}\s?\d{2}", re.IGNORECASE)


def _title_from(doc: Doc, first: int) -> tuple[str | None, tuple[int, int] | None]:
    lines = doc.lines
    parts = [lines[first].stripped]
    last = first
    j = first + 1
    while j < len(lines) and len(parts) < 4 and not lines[j].is_blank:
        nxt = lines[j].stripped
        current = parts[-1]
        words = current.split()
        joins = nxt[:1].islower() or (bool(words) and words[-1].lower() in CONNECTORS)
        if not joins and nxt[:1].isupper() and words and words[-1][:1].islower() and len(current) > 30:
            following_blank = j + 1 >= len(lines) or lines[j + 1].is_blank
            joins = following_blank and len(nxt) < 60
        if not joins:
            break
        parts.append(nxt)
        last = j
        j += 1
    text = re.sub(r"\s{2,}", " ", " ".join(parts)).strip(" –-:")
    if len(text) > 200 or len(text) < 3:
        return None, None
    return text, (lines[first].start, lines[last].end)


# --- case number and issue date ------------------------------------------------------------------

_CASE_LABELLED = re.compile(
    r"\b(?:diarienummer|diarienr|dnr|ärendenummer|ärendenr|ärende\snr|vårt\sdnr|vår\sbeteckning|beteckning)"
    r"\.?\s{0,3}:?\s{0,3}(?P<value>(?:[A-ZÅÄÖ]{1,8}\s(?=\d))?[A-ZÅÄÖ0-9][A-ZÅÄÖa-zåäö0-9./:_\-–]{0,38})",
    re.IGNORECASE,
)
_CASE_BARE = re.compile(r"(?<![\w-])(?P<value>[A-ZÅÄÖ]{2,8}(?:-[A-ZÅÄÖ]{1,6})?[-_](?:19|20)\d\d[-_]\d{2,6})(?![\w-])")


def case_number(doc: Doc, builder: DraftBuilder) -> None:
    found: list[tuple[str, int, int]] = []
    for match in _CASE_LABELLED.finditer(doc.text):
        value = match.group("value").rstrip(".,:;–-")
        if re.search(r"\d", value) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            found.append((value, match.start(), match.end()))
    if not found:
        for match in _CASE_BARE.finditer(doc.text):
            found.append((match.group("value"), match.start(), match.end()))
    if not found:
        return
    value, start, end = found[0]
    builder.set("case_number", value, (start, end))
    others = sorted({v for v, _, _ in found if v != value})
    if others:
        builder.warn("importer.warning.several_case_numbers", chosen=value, others=others)


_ISSUED_LABELLED = re.compile(
    r"\b(?:utfärdat|utfärdad|daterad|datum|beslutsdatum|dat\.)\s{0,3}:?\s{0,3}(?=[\d]|den\s)", re.IGNORECASE
)
_NOT_PLACES = frozenset(
    [
        "avtalstid",
        "avtalsperiod",
        "period",
        "start",
        "slut",
        "startdatum",
        "slutdatum",
        "utbetalning",
        "faktura",
        "fakturering",
        "beslut",
        "beslutat",
        "reviderad",
        "reviderat",
        "version",
        "uppdaterad",
        "senast",
        "från",
        "till",
        "giltig",
        "gäller",
        "kostnad",
        "belopp",
        "summa",
        "totalt",
    ]
)
_PLACE_DATE_LINE = re.compile(
    r"^\s*(?:[A-ZÅÄÖ][a-zåäö]+(?:[ -][A-ZÅÄÖ][a-zåäö]+)?,?\s(?:den\s)?)(?P<date>[^\n]{6,20})\s*$", re.MULTILINE
)


def issued_on(doc: Doc, builder: DraftBuilder) -> None:
    for match in _ISSUED_LABELLED.finditer(doc.text):
        dates = find_dates(doc.text[match.end() : match.end() + 25])
        if dates and dates[0].start <= 4 and dates[0].precision == "day":
            mention = dates[0]
            builder.set("issued_on", mention.value.isoformat(), (match.start(), match.end() + mention.end))
            return
    for match in _PLACE_DATE_LINE.finditer(doc.text):
        first_word = match.group().split()[0].lower().rstrip(",")
        if first_word in _NOT_PLACES or first_word.endswith(("tid", "datum", "period", "dag")):
            continue
        dates = find_dates(match.group("date"))
        if len(dates) == 1 and dates[0].precision == "day" and dates[0].end == len(match.group("date").rstrip()):
            builder.set("issued_on", dates[0].value.isoformat(), (match.start(), match.end()))
            return
