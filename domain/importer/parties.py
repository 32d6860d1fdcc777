# SPDX-License-Identifier: EUPL-1.2
"""Parties: the public side (nämnd/förvaltning), the idéburna organisations and the dialogue parties.
May import: the standard library and other domain modules; never Django or an app.

Names come from several kinds of evidence, each with a weight: an organisationsnummer beside the name,
a labelled list ("Idéburen sektor", "Offentlig part:"), "överenskommelse ... mellan A och B", signature
lines ("För A   För B"), a self-description ("X är en ideell förening") and plain mentions. Mentions of
the same organisation in different forms ("Socialnämnden Nordost", "socialförvaltningen Nordost",
"Skyddsvärnet i Göteborg", "Skyddsvärnets") are grouped by a key before the strongest are chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain import orgnr
from domain.importer.doc import Doc
from domain.importer.draft import DraftBuilder

PUBLIC_RE = re.compile(
    r"nämnd|förvaltning|kommun\b|kommunen\b|\bstad\b|\bstaden\b|\bregion\b|regionen\b|landsting|stadsdel"
    r"|kommunstyrelse|myndighet|^SF\s",
    re.IGNORECASE,
)
NONPROFIT_RE = re.compile(
    r"förening|stiftelse|ideell|idéburen|idéburna|församling|samfund|kooperativ|förbund|mission|rörelse"
    r"|\bIF\b|\bIK\b|\bBK\b|\bFF\b",
    re.IGNORECASE,
)
_FORM_WORDS = frozenset(
    [
        "föreningen",
        "förening",
        "stiftelsen",
        "stiftelse",
        "ideella",
        "ideell",
        "idéburna",
        "idéburen",
        "organisationen",
        "ekonomiska",
        "riksförbundet",
    ]
)
_STOP_AFTER_NAME = frozenset(
    [
        "och",
        "eller",
        "samt",
        "med",
        "till",
        "av",
        "för",
        "i",
        "på",
        "om",
        "mellan",
        "att",
        "som",
        "från",
        "är",
        "var",
        "ska",
        "skall",
        "kan",
        "har",
        "hade",
        "blir",
        "bildades",
        "ersätts",
        "fakturerar",
        "finns",
        "deltar",
        "bidrar",
        "arbetar",
        "driver",
        "erbjuder",
        "ansvarar",
        "vill",
        "tar",
        "ger",
        "får",
        "genom",
        "inom",
        "enligt",
        "under",
        "vid",
        "utför",
        "utgör",
        "ingår",
        "står",
        "svarar",
        "önskar",
        "the",
        "a",
        "an",
        "den",
        "det",
        "de",
        "en",
        "ett",
        "sina",
        "sin",
        "sitt",
        "dess",
    ]
)
_NAME_WORD = r"[A-ZÅÄÖÉ][\wåäöÅÄÖéÉ&\-]*"
# Public bodies: a compound ending in -nämnd/-förvaltning (with an optional area such as "Nordost").
_PUBLIC_BODY = re.compile(
    r"(?<![\wåäö])(?P<pre>[A-ZÅÄÖ][a-zåäö]{2,20}-\s(?:och|samt)\s)?(?P<stem>[A-ZÅÄÖa-zåäö][a-zåäö\-]{1,30}?)?"
    r"(?P<kind>nämnd|förvaltning|styrelse)(?P<def>en)?"
    r"(?P<qual>\s(?!Och\b|För\b)[A-ZÅÄÖ][a-zåäöA-ZÅÄÖ]{1,20}(?:\s[A-ZÅÄÖ][a-zåäö]{2,20})?)?(?![\wåäö])"
)
_MUNICIPALITY = re.compile(
    r"(?<![\wåäö])(?:(?P<city>[A-ZÅÄÖ][a-zåäö]{2,20})s?\s(?:kommun|stad|Stad|kommunen)|Region\s[A-ZÅÄÖ][a-zåäö]{2,20}"
    r"|[A-ZÅÄÖ][a-zåäö]{2,20}regionen)(?![\wåäö])"
)
_ORGNR = re.compile(r"(?<![\d-])(?P<nr>\d{6}\s?[-–]\s?\d{4}|\d{10})(?![\d-])")
_ORGNR_LABEL = re.compile(
    r"\(?\s*(?:organisationsnummer|organisationsnr|org\.?\s?nr\.?|orgnr|org\.?\s?nummer|org\.-?nr)\s*:?\s*\(?\s*$",
    re.IGNORECASE,
)
_MELLAN = re.compile(
    r"\bmellan\s(?P<list>[^.;:]{3,200}?)(?=\s(?:från\soch\smed|fr\.o\.m|för\sperioden|under\speriod|avseende|om\s"
    r"|gällande|har\s|etablerades|bygger|är\s|ska\s|i\ssyfte|\d{4}-\d{2}-\d{2})|[.;:]|$)",
    re.IGNORECASE,
)
_AGREEMENT_WORDS = re.compile(r"överenskommelse|avtal|\biop\b|partnerskap|samarbete\s", re.IGNORECASE)
_SELF_DESCRIPTION = re.compile(
    rf"^(?P<name>{_NAME_WORD}(?:\s(?:i\s)?{_NAME_WORD}|\s[a-zåäö][\wåäö\-]*){{0,4}}?)(?:,[^,]{{3,60}},)?\s(?:är|var)\s"
    r"(?:en|ett)\s"
    r"(?P<what>(?:[\w,\-]+\s){0,8}?(?:förening|organisation|stiftelse|trossamfund|församling|kooperativ)\w*)",
    re.IGNORECASE,
)
_LABELS = (
    (
        re.compile(
            r"^\s*(?:offentlig\s(?:sektor|part|aktör)|kommunal\spart|offentliga\sparter)\s*:?\s*(?P<rest>.*)$",
            re.IGNORECASE,
        ),
        "public",
    ),
    (
        re.compile(
            r"^\s*(?:idéburen|ideell)\s(?:sektor|part|organisation|aktör)|^\s*idéburna\sparter"
            r"|^\s*civilsamhällesaktör",
            re.IGNORECASE,
        ),
        "nonprofit",
    ),
)
_LIST_NAME = rf"{_NAME_WORD}(?:\s[a-zåäö]{{3,}})?(?:\s(?:i\s)?{_NAME_WORD}){{0,3}}"
_NAME_LIST = rf"{_LIST_NAME}(?:(?:,\s|\soch\s){_LIST_NAME}){{0,5}}"
_DIALOGUE = (
    re.compile(
        rf"(?P<list>{_NAME_LIST}|[a-zåäö]+(?:förvaltningen|nämnden))\s"
        r"(?:finns\smed|deltar|ingår|medverkar|är\smed|är|agerar|fungerar)\s(?:\w+\s){0,2}?(?:som\s)?(?:en\s)?"
        r"(?:aktiv\s|aktiva\s)?[dD]ialogpart"
    ),
    re.compile(
        r"\bär\s(?P<list>[\wåäöÅÄÖ\-]+(?:\s(?:i\s)?[A-ZÅÄÖ][\wåäö\-]+){0,3})\s(?:en\s)?(?:aktiv\s)?[dD]ialogpart"
    ),
    re.compile(r"\b[dD]ialogparter?\s?(?:är|:)\s(?P<list>[^.;]{3,160})"),
)


@dataclass
class Candidate:
    name: str
    side: str | None  # "public", "nonprofit" or None (unknown)
    score: float = 0.0
    org_number: str | None = None
    names: dict[str, float] = field(default_factory=dict)
    span: tuple[int, int] | None = None
    span_weight: float = -1.0

    def add(self, name: str, weight: float, span: tuple[int, int] | None) -> None:
        self.score += weight
        self.names[name] = self.names.get(name, 0.0) + weight
        if span is not None and weight > self.span_weight:
            self.span, self.span_weight = span, weight


def clean_name(text: str) -> str:
    """Trim a candidate name: bullets, quotes, label words, trailing punctuation, a leading lower-case form."""
    name = re.sub(r"\s+", " ", text).strip(" •-–—:;,.|()\"'”“")
    name = re.sub(r"^(?:part|parter|parterna|för|mellan)\s*:?\s+", "", name, flags=re.IGNORECASE)
    words = name.split()
    if len(words) > 8:
        words = words[:8]
    name = " ".join(words)
    return name[:1].upper() + name[1:] if name else name


def side_of(name: str) -> str | None:
    if PUBLIC_RE.search(name):
        return "public"
    if NONPROFIT_RE.search(name):
        return "nonprofit"
    return None


def party_key(name: str) -> str:
    """Group key: org-form words, a trailing "i <Ort>", genitive -s and case are ignored."""
    text = re.sub(r"\s+i\s[A-ZÅÄÖ][\wåäö]+$", "", name.strip())
    public = _PUBLIC_BODY.search(text)
    if public:
        stem = (public.group("stem") or "").lower().strip("-")
        qual = (public.group("qual") or "").strip().lower()
        if qual.endswith("s") and len(qual) > 4:
            qual = qual[:-1]
        return f"{stem}|{qual}"
    if text.upper().startswith("SF "):
        qual = text[3:].strip().lower()
        return f"social|{qual[:-1] if qual.endswith('s') and len(qual) > 4 else qual}"
    words = [w for w in re.findall(r"[\wåäöÅÄÖé\-]+", text.lower()) if w not in _FORM_WORDS]
    if words and words[-1].endswith("s") and len(words[-1]) > 4:
        words[-1] = words[-1][:-1]
    return " ".join(words) or text.lower()


def name_phrase(text: str) -> str | None:
    """The organisation name at the start of ``text``: capitalised words, "i Ort", a few lower-case words."""
    words = [w.replace("\x00", " ") for w in re.sub(r"-\s(och|samt)\s", "-\x00\\1\x00", text).split()]
    taken: list[str] = []
    for i, word in enumerate(words):
        bare = word.strip(',.;:()”“"')
        lower = bare.lower()
        if not bare or (i > 0 and word.startswith("(")):
            break
        if i == 0:
            if not (bare[0].isupper() or lower in ("föreningen", "stiftelsen") or PUBLIC_RE.search(lower)):
                return None
            taken.append(bare)
        elif lower == "i" and i + 1 < len(words) and words[i + 1][:1].isupper():
            taken.append("i")
        elif bare[0].isupper():
            taken.append(bare)
        elif lower in _STOP_AFTER_NAME or re.search(r"\d", bare):
            break
        elif len(taken) <= 2 and not any(t.islower() for t in taken[1:]):
            taken.append(bare)
        else:
            break
        if word.endswith((",", ".", ";", ":", ")")) or len(taken) >= 6:
            break
    if taken and taken[-1] == "i":
        taken.pop()
    return " ".join(taken).replace("\x00", " ") if taken else None


class PartyFinder:
    def __init__(self, doc: Doc, builder: DraftBuilder) -> None:
        self.doc = doc
        self.builder = builder
        self.candidates: dict[str, Candidate] = {}
        self.dialogue: dict[str, tuple[str, tuple[int, int]]] = {}

    def candidate(self, name: str, side: str | None, weight: float, span: tuple[int, int] | None) -> Candidate | None:
        name = clean_name(name)
        if len(name) < 2 or not re.search(r"[A-Za-zÅÄÖåäö]{2}", name) or name.lower() in _FORM_WORDS:
            return None
        key = party_key(name)
        cand = self.candidates.get(key)
        if cand is None:
            cand = self.candidates[key] = Candidate(name, side)
        if cand.side is None and side is not None:
            cand.side = side
        cand.add(name, weight, span)
        return cand

    # --- evidence collectors ---------------------------------------------------------------------

    def collect(self) -> None:
        self._org_numbers()
        self._labelled_lists()
        self._mentions()
        for sentence in self.doc.sentences:
            self._mellan(sentence)
            self._self_description(sentence)
            self._dialogue(sentence)
        self._signatures()

    def _org_numbers(self) -> None:
        text = self.doc.text
        for match in _ORGNR.finditer(text):
            raw = match.group("nr")
            true_line_start = text.rfind("\n", max(0, match.start() - 400), match.start()) + 1
            line_start = max(true_line_start, match.start() - 160)
            before = text[line_start : match.start()]
            labelled = bool(_ORGNR_LABEL.search(before)) or bool(
                re.search(r"org", text[max(0, match.start() - 40) : match.start()], re.IGNORECASE)
            )
            digits = re.sub(r"\D", "", raw)
            if len(raw) == 10 and not labelled:
                continue
            if int(digits[2]) < 2:  # the month digits of a personnummer: not an organisation
                continue
            name_text = _ORGNR_LABEL.sub("", before).rstrip(" ,(|:")
            if not re.search(r"[A-Za-zÅÄÖåäö]{2}", name_text) and true_line_start > 0 and line_start == true_line_start:
                name_text = self._previous_line(line_start)
            name = self._name_before(name_text)
            span = (match.start(), match.end())
            try:
                number = orgnr.normalize(digits[:6] + "-" + digits[6:])
            except orgnr.OrgnrError:
                self.builder.warn(
                    "importer.warning.org_number_check_digit", number=f"{digits[:6]}-{digits[6:]}", name=name or ""
                )
                if name:
                    side = side_of(name) or ("public" if digits.startswith("2") else "nonprofit")
                    self.candidate(name, side, 3.0, (line_start, match.end()))
                continue
            if not name:
                continue
            side = "public" if number.startswith("2") else (side_of(name) or "nonprofit")
            cand = self.candidate(name, side, 6.0, (line_start, match.end()))
            if cand is not None:
                if cand.org_number and cand.org_number != number:
                    self.builder.warn(
                        "importer.warning.org_number_conflict", name=cand.name, numbers=[cand.org_number, number]
                    )
                cand.org_number = cand.org_number or number
                cand.names[clean_name(name)] = cand.names.get(clean_name(name), 0.0) + 10.0
            del span

    def _previous_line(self, line_start: int) -> str:
        """The nearest non-blank line before ``line_start`` (within a few lines), cut to its last 160 characters."""
        index = self.doc.line_index_at(line_start)
        for line in reversed(self.doc.lines[max(0, index - 4) : index]):
            if not line.is_blank:
                return line.text[-160:]
        return ""

    def _name_before(self, text: str) -> str | None:
        text = re.split(r"\)|:\s|;|\.\s|\|\s?|(?<!-)\s(?:och|samt|mellan|med|är)\s", text)[-1].strip()
        text = text.lstrip("•-– ").strip()
        if not text:
            return None
        segments = [s.strip() for s in text.split(",") if s.strip()]
        best = next((s for s in segments if PUBLIC_RE.search(s) or NONPROFIT_RE.search(s)), segments[0])
        best = re.sub(r"^(?:org\w*|part)\s*:?\s*", "", best, flags=re.IGNORECASE)
        name = (
            name_phrase(best) if not best[:1].islower() or best.lower().startswith(("förening", "stiftelse")) else None
        )
        if name is None and PUBLIC_RE.search(best):
            found = _PUBLIC_BODY.search(best)
            name = found.group().strip() if found else None
        return name

    def _labelled_lists(self) -> None:
        lines = self.doc.lines
        for i, line in enumerate(lines):
            for pattern, side in _LABELS:
                match = pattern.match(line.text)
                if not match:
                    continue
                rest = match.groupdict().get("rest") or ""
                if rest.strip() and len(rest) < 120:
                    name = name_phrase(rest.strip())
                    if name:
                        self.candidate(name, side, 4.0, (line.start, line.end))
                    continue
                for nxt in lines[i + 1 : i + 8]:
                    if nxt.is_blank:
                        continue
                    if not nxt.stripped.startswith("•"):
                        break
                    name = self._name_before(nxt.stripped.lstrip("• ").split(",")[0])
                    if name:
                        self.candidate(name, side, 4.0, (nxt.start, nxt.end))

    def _mentions(self) -> None:
        text = self.doc.text
        for match in _PUBLIC_BODY.finditer(text):
            stem = match.group("stem") or ""
            if not stem and not match.group("qual"):
                continue  # "Förvaltningen", "nämnden": a reference, not a name
            if match.group("kind") == "styrelse" and not stem.lower().startswith("kommun"):
                continue
            name = match.group().strip()
            if match.group("qual") and match.group("qual").strip().endswith("s") and len(match.group("qual")) > 5:
                base = name[:-1]
                if base in text:
                    name = base
            self.candidate(name, "public", 0.5, (match.start(), match.end()))
        for match in _MUNICIPALITY.finditer(text):
            self.candidate(match.group(), "public", 0.2, (match.start(), match.end()))

    def _mellan(self, sentence) -> None:  # type: ignore[no-untyped-def]
        if not _AGREEMENT_WORDS.search(sentence.text):
            return
        strong = bool(re.search(r"överenskommelse|avtal|\biop\b", sentence.text, re.IGNORECASE))
        for match in _MELLAN.finditer(sentence.text):
            parts = re.split(r",\s|(?<!-)\soch\s|(?<!-)\ssamt\s", match.group("list"))
            names: list[tuple[str, tuple[int, int]]] = []
            offset = match.start("list")
            for part in parts:
                part = re.split(r"\s(?:genom|via|inom)\s", part)[0]
                name = name_phrase(part.strip())
                if not name:
                    continue
                pos = sentence.text.find(part.strip(), offset)
                span = sentence.span(pos, pos + len(part.strip())) if pos >= 0 else None
                names.append((name, span or (sentence.start, sentence.end)))
            if len(names) < 2:
                continue
            sides = [side_of(n) for n, _ in names]
            weight = 3.0 if strong else 1.5
            for (name, span), side in zip(names, sides, strict=True):
                if side is None and "public" in sides and all(s != "nonprofit" for s in sides):
                    side = "nonprofit"
                if side is None:
                    continue
                self.candidate(name, side, weight, span)

    def _self_description(self, sentence) -> None:  # type: ignore[no-untyped-def]
        match = _SELF_DESCRIPTION.match(sentence.text)
        if not match:
            return
        if not re.search(
            r"idébur|ideell|förening|stiftelse|samfund|församling|kooperativ", match.group("what"), re.IGNORECASE
        ):
            return
        name = name_phrase(match.group("name"))
        if name and not PUBLIC_RE.search(name):
            self.candidate(name, "nonprofit", 3.0, sentence.span(0, match.end()))

    def _dialogue(self, sentence) -> None:  # type: ignore[no-untyped-def]
        if "dialogpart" not in sentence.text.lower():
            return
        for pattern in _DIALOGUE:
            for match in pattern.finditer(sentence.text):
                names = re.split(r",\s|\soch\s", match.group("list"))
                for raw in names:
                    name = clean_name(raw.strip())
                    name = re.sub(r"^(?:I|Som|Även|Också)\s", "", name)
                    if not name or not (PUBLIC_RE.search(name) or name[:1].isupper()):
                        continue
                    if name.lower() in ("det", "den", "de", "detta", "partnerskapet", "överenskommelsen"):
                        continue
                    key = party_key(name)
                    current = self.dialogue.get(key)
                    shorter = current is None or len(name) < len(current[0])
                    if shorter:
                        self.dialogue[key] = (name, sentence.span(match.start(), match.end()))

    def _signatures(self) -> None:
        for line in self.doc.lines:
            if not re.match(r"^\s*För\s", line.text):
                continue
            for cell in re.split(r"\s{2,}", line.text.strip()):
                if cell.startswith("För "):
                    name = name_phrase(cell[4:].strip())
                    if name:
                        self.candidate(name, side_of(name), 2.0, (line.start, line.end))

    # --- selection -------------------------------------------------------------------------------

    def choose(self) -> None:
        dialogue_keys = set(self.dialogue)
        public = [c for k, c in self.candidates.items() if c.side == "public" and k not in dialogue_keys]
        nonprofit = [c for k, c in self.candidates.items() if c.side == "nonprofit" and k not in dialogue_keys]
        public = self._choose_public(public)
        nonprofit = self._choose_nonprofit(nonprofit)
        for label, chosen in (("public_parties", public), ("nonprofit_parties", nonprofit)):
            items = []
            for i, cand in enumerate(chosen):
                items.append({"name": _display_name(cand), "org_number": cand.org_number})
                if cand.span:
                    self.builder.cite(f"{label}.{i}", cand.span)
            self.builder.set(label, items)
        dialogue = []
        for i, (name, span) in enumerate(self.dialogue.values()):
            dialogue.append(name)
            self.builder.cite(f"dialogue_parties.{i}", span)
        self.builder.set("dialogue_parties", dialogue)
        if not public:
            self.builder.warn("importer.warning.no_public_party")
        if not nonprofit:
            self.builder.warn("importer.warning.no_nonprofit_party")
        for cand in public + nonprofit:
            if cand.org_number is None:
                self.builder.warn("importer.warning.org_number_missing", name=_display_name(cand))

    @staticmethod
    def _choose_public(cands: list[Candidate]) -> list[Candidate]:
        if not cands:
            return []
        bodies = [c for c in cands if re.search(r"nämnd|förvaltning|styrelse|^SF\s", c.name, re.IGNORECASE)]
        if bodies:
            cands = bodies
        cands.sort(key=lambda c: (-(c.org_number is not None), -c.score))
        top = cands[0]
        if top.score < 1.0 and top.org_number is None:
            return []
        chosen = [top]
        for cand in cands[1:]:
            if cand.org_number is not None or cand.score >= max(6.0, top.score * 0.5):
                chosen.append(cand)
        return chosen[:4]

    @staticmethod
    def _choose_nonprofit(cands: list[Candidate]) -> list[Candidate]:
        if not cands:
            return []
        cands.sort(key=lambda c: (-(c.org_number is not None), -c.score))
        strong = [c for c in cands if c.score >= 3.0]
        if strong:
            top = strong[0].score
            return [c for c in strong if c.org_number is not None or c.score >= min(5.0, top * 0.5)][:6]
        return [cands[0]] if cands[0].score >= 1.5 else []


def _display_name(cand: Candidate) -> str:
    best = max(cand.names.items(), key=lambda item: (item[1], -len(item[0])))[0]
    return best[:1].upper() + best[1:]


def find_parties(doc: Doc, builder: DraftBuilder) -> None:
    finder = PartyFinder(doc, builder)
    finder.collect()
    finder.choose()
