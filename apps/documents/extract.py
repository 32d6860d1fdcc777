# SPDX-License-Identifier: EUPL-1.2
"""Facts the review page proposes beside the importer's draft: the purpose and the named case officer.

Plain Python, no Django (like :mod:`.matching` and :mod:`.passages`). Both work on the normalised text
of the document (:func:`domain.importer.normalize_text`) and return the value with the span it came from,
so that the review page can show the passage beside the proposal. Nothing found is ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PURPOSE_MAX_CHARS = 1500

# "Syfte", "2 Syfte med partnerskapet", "Syfte och mål", "Överenskommelsens syfte och värdegrund".
_PURPOSE_HEADING = re.compile(
    r"^[ \t]*(?:\d+(?:\.\d+)*\.?[ \t]+)?(?:(?:överenskommelsens|partnerskapets|avtalets)[ \t]+)?syfte"
    r"(?:[ \t]+(?:med|och)[ \t][^\n.]{0,60})?[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# "Syftet med partnerskapet är …", "Syftet med detta partnerskap är …", "Syftet med överenskommelsen …".
_PURPOSE_SENTENCE = re.compile(
    r"^[ \t]*Syftet[ \t]+med[ \t]+(?:detta[ \t]+|denna[ \t]+)?(?:partnerskap|överenskommelse|avtal|samverkan|iop)",
    re.IGNORECASE | re.MULTILINE,
)
_NAME = r"[A-ZÅÄÖÉÜ][a-zåäöéüß]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüß]+)?"
# "Handläggare\nKajsa Ahlström" or "Handläggare: Kajsa Ahlström" (a decision report's header).
_CASE_OFFICER = re.compile(
    rf"^[ \t]*(?:ansvarig[ \t]+)?handläggare[ \t]*:?[ \t]*(?:\n[ \t]*)?({_NAME}(?:[ \t]+{_NAME}){{1,3}})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END = (".", "!", "?", ":")


@dataclass(frozen=True)
class Found:
    """A value and where it stands in the text: ``text[start:end]`` is the passage it was read from."""

    value: str
    start: int
    end: int

    def evidence(self, text: str) -> dict:
        return {"text": text[self.start : self.end], "start": self.start, "end": self.end}


def _lines_from(text: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of every line from ``offset`` on."""
    spans, position = [], offset
    for line in text[offset:].split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _heading_like(line: str) -> bool:
    stripped = line.strip()
    return 0 < len(stripped) <= 50 and not stripped.endswith((*_SENTENCE_END, ","))


def _paragraph(text: str, offset: int) -> tuple[int, int] | None:
    """The paragraph that starts at the first non-blank line from ``offset``.

    Page layouts that put a blank line after every line (text from some PDFs) do not end the paragraph:
    only a blank line after a finished sentence, or a short heading after one, does.
    """
    start = end = None
    blank_before = first_short = False
    for line_start, line_end in _lines_from(text, offset):
        line = text[line_start:line_end]
        if not line.strip():
            if start is not None:
                blank_before = True
            continue
        if start is None:
            start, end = line_start + (len(line) - len(line.lstrip())), line_end
            first_short = _heading_like(line)
            continue
        if first_short and _heading_like(line):
            return None  # a list of headings (a table of contents), not a paragraph
        first_short = False
        finished = text[start:end].rstrip().endswith(_SENTENCE_END)
        if finished and (blank_before or _heading_like(line)):
            break
        if blank_before and not line.lstrip()[0].isalnum():
            break  # a list after the paragraph
        end, blank_before = line_end, False
        if end - start > PURPOSE_MAX_CHARS:
            break
    if start is None or end is None:
        return None
    return start, _cut(text, start, end)


def _cut(text: str, start: int, end: int) -> int:
    """``end``, or the last sentence end before the length limit when the paragraph is longer."""
    if end - start <= PURPOSE_MAX_CHARS:
        return len(text[:end].rstrip())
    window = text[start : start + PURPOSE_MAX_CHARS]
    last = max(window.rfind(". "), window.rfind(".\n"))
    return start + (last + 1 if last > 0 else len(window.rstrip()))


def find_purpose(text: str) -> Found | None:
    """The agreement's purpose (syfte): the paragraph under a "Syfte …" heading, or the one that begins
    "Syftet med partnerskapet …", whichever comes first in the document."""
    text = text or ""
    candidates: list[int] = []
    for match in _PURPOSE_HEADING.finditer(text):
        candidates.append(match.end())
    for match in _PURPOSE_SENTENCE.finditer(text):
        candidates.append(match.start())
    for offset in sorted(candidates):
        span = _paragraph(text, offset)
        if span is None:
            continue
        start, end = span
        value = " ".join(text[start:end].split())
        if len(value) >= 20:
            return Found(value, start, end)
    return None


def find_case_officer(text: str) -> Found | None:
    """The case officer (handläggare) a decision report names in its header: "Handläggare Kajsa Ahlström"."""
    match = _CASE_OFFICER.search(text or "")
    if match is None:
        return None
    return Found(" ".join(match.group(1).split()), match.start(), match.end())


def same_person(a: str, b: str) -> bool:
    """Do two spellings name the same person ("Kajsa  Ahlström", "kajsa ahlström")?"""
    return bool(a.strip()) and " ".join(a.casefold().split()) == " ".join(b.casefold().split())
