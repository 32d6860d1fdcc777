# SPDX-License-Identifier: EUPL-1.2
"""A normalised document seen two ways: as lines (for tables and lists) and as sentences (for prose).
May import: the standard library and other domain modules; never Django or an app.

Sentences are "flat": whitespace runs collapsed to one space, so a phrase wrapped over lines (or over
the blank lines PDF extraction inserts) matches one regular expression. Offsets in a flat sentence map
back to the normalised text with :meth:`Sentence.span`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

CONNECTORS = frozenset(
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
        "ska",
        "vid",
        "under",
        "inom",
        "enligt",
        "genom",
        "per",
        "via",
        "mot",
        "efter",
        "den",
        "det",
        "de",
        "en",
        "ett",
        "vars",
        "där",
        "när",
        "inkl.",
        "inkl",
        "t.ex.",
        "bl.a.",
        "exkl.",
        "resp.",
        "ca.",
        "ca",
    ]
)
ABBREVIATIONS = frozenset(
    [
        "t.ex",
        "bl.a",
        "ca",
        "inkl",
        "exkl",
        "s.k",
        "m.fl",
        "m.m",
        "dvs",
        "d.v.s",
        "resp",
        "nr",
        "kap",
        "st",
        "jfr",
        "ev",
        "p.g.a",
        "bl.a",
        "o.s.v",
        "osv",
        "fr.o.m",
        "t.o.m",
        "tel",
        "e.d",
        "sek",
        "kr",
        "tkr",
        "mnkr",
        "mkr",
        "f.d",
        "fr",
        "o.dyl",
        "etc",
        "vs",
    ]
)
_WORD = re.compile(r"\S+")
_UPPER_START = re.compile(r"[A-ZÅÄÖÉÜ0-9•\"”“'(]")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÅÄÖÉÜ0-9•\"”“(])")


@dataclass(frozen=True)
class Line:
    index: int
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Sentence:
    """A flat sentence: ``text`` plus, per word, its offset in ``text`` and in the normalised document."""

    text: str
    flat_starts: tuple[int, ...] = field(repr=False)
    doc_starts: tuple[int, ...] = field(repr=False)

    @property
    def start(self) -> int:
        return self.doc_starts[0] if self.doc_starts else 0

    @property
    def end(self) -> int:
        return self.to_doc(len(self.text))

    def to_doc(self, flat_pos: int) -> int:
        """Offset in the normalised document of ``flat_pos`` (clamped to the end of a word)."""
        if not self.flat_starts:
            return 0
        i = max(0, bisect_right(self.flat_starts, flat_pos) - 1)
        word_end_flat = self.flat_starts[i + 1] - 1 if i + 1 < len(self.flat_starts) else len(self.text)
        return self.doc_starts[i] + min(flat_pos, word_end_flat) - self.flat_starts[i]

    def span(self, flat_start: int, flat_end: int) -> tuple[int, int]:
        return self.to_doc(flat_start), self.to_doc(flat_end)


class Doc:
    """The normalised text with its lines and flat sentences."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _split_lines(text)
        self._line_starts = [line.start for line in self.lines]

    def line_index_at(self, offset: int) -> int:
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def nonblank_lines(self) -> list[Line]:
        return [line for line in self.lines if not line.is_blank]

    @cached_property
    def sentences(self) -> list[Sentence]:
        return _sentences(self)

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    def passage(self, start: int, end: int) -> dict[str, object]:
        """Evidence for a span of the normalised text (the text itself and its offsets)."""
        start, end = max(0, start), min(len(self.text), end)
        return {"text": self.text[start:end], "start": start, "end": end}

    def line_passage(self, first: int, last: int) -> dict[str, object]:
        return self.passage(self.lines[first].start, self.lines[last].end)


def _split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for index, raw in enumerate(text.split("\n")):
        lines.append(Line(index, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def is_heading_like(text: str) -> bool:
    """A short line without final punctuation, starting with a capital letter or a section number."""
    words = text.split()
    return (
        0 < len(words) <= 7
        and len(text) <= 70
        and not text.rstrip().endswith((".", ",", ";", ":", "-", "–"))
        and bool(re.match(r"[A-ZÅÄÖ0-9]", text.strip()))
        and words[-1].lower() not in CONNECTORS
    )


def ends_with_connector(text: str) -> bool:
    stripped = text.rstrip()
    if not stripped:
        return False
    if stripped.endswith((",", "-", "–", "/", "(", "&", "+")):
        return True
    return stripped.split()[-1].lower() in CONNECTORS


def _breaks_between(prev: Line, nxt: Line, blank_between: bool) -> bool:
    """Whether a structural sentence break separates two consecutive non-blank lines."""
    nxt_text = nxt.stripped
    prev_text = prev.stripped
    if nxt_text.startswith("•") or prev_text == "•":
        return True
    if " | " in nxt_text or " | " in prev_text:
        return True
    if not _UPPER_START.match(nxt_text):
        return False
    if ends_with_connector(prev_text):
        return False
    if blank_between:
        return True
    return is_heading_like(prev_text) and len(prev_text) < 45


def _double_spaced(lines: list[Line]) -> list[bool]:
    """Per non-blank line: whether it sits where PDF extraction put a blank line after every line.

    There blank lines carry no meaning (they do not end paragraphs), so they must not break sentences.
    """
    nonblank = [i for i, line in enumerate(lines) if not line.is_blank]
    gaps = [b - a > 1 for a, b in zip(nonblank, nonblank[1:], strict=False)]
    flags: list[bool] = []
    for k in range(len(nonblank)):
        window = gaps[max(0, k - 6) : k + 6]
        flags.append(len(window) >= 4 and sum(window) / len(window) >= 0.8)
    return flags


def _sentences(doc: Doc) -> list[Sentence]:
    # Build flat "paragraph runs" separated by structural breaks, then split them at sentence ends.
    sentences: list[Sentence] = []
    words: list[tuple[str, int]] = []
    prev: Line | None = None
    blank_between = False
    double = iter(_double_spaced(doc.lines))
    for line in doc.lines:
        if line.is_blank:
            blank_between = True
            continue
        if next(double):
            blank_between = False
        if prev is not None and _breaks_between(prev, line, blank_between):
            sentences.extend(_split_run(words))
            words = []
        for match in _WORD.finditer(line.text):
            words.append((match.group(), line.start + match.start()))
        prev = line
        blank_between = False
    sentences.extend(_split_run(words))
    return sentences


def _split_run(words: list[tuple[str, int]]) -> list[Sentence]:
    out: list[Sentence] = []
    current: list[tuple[str, int]] = []
    for i, (word, pos) in enumerate(words):
        current.append((word, pos))
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        if nxt and _is_sentence_end(word, nxt) or len(current) >= 150 and word.endswith((",", ";")):
            out.append(_make_sentence(current))
            current = []
    if current:
        out.append(_make_sentence(current))
    return out


def _is_sentence_end(word: str, nxt: str) -> bool:
    if not word.endswith((".", "!", "?")) or not _UPPER_START.match(nxt):
        return False
    core = word.rstrip(".!?").lower()
    if core in ABBREVIATIONS or (len(core) == 1 and core.isalpha()):
        return False
    return not (core.isdigit() and len(core) <= 2)


def _make_sentence(words: list[tuple[str, int]]) -> Sentence:
    flat_starts: list[int] = []
    doc_starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for word, doc_pos in words:
        flat_starts.append(pos)
        doc_starts.append(doc_pos)
        parts.append(word)
        pos += len(word) + 1
    return Sentence(" ".join(parts), tuple(flat_starts), tuple(doc_starts))
