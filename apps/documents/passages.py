# SPDX-License-Identifier: EUPL-1.2
"""The passage of the document a value came from, with a little context either side. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 100


@dataclass(frozen=True)
class Passage:
    before: str
    match: str
    after: str

    def __bool__(self) -> bool:
        return bool(self.match.strip())


def _trim_start(text: str) -> str:
    cut = text.find(" ")
    return "… " + text[cut + 1 :] if 0 <= cut < len(text) // 2 else text


def _trim_end(text: str) -> str:
    cut = text.rfind(" ")
    return text[:cut] + " …" if cut > len(text) // 2 else text


def passage(text: str, evidence: dict | None, context: int = CONTEXT) -> Passage | None:
    """The evidence span in ``text`` (the normalised document text) with ``context`` characters around it.

    Falls back to the evidence's own text when the offsets do not fit the stored text.
    """
    if not evidence:
        return None
    quoted = str(evidence.get("text") or "")
    start, end = evidence.get("start"), evidence.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text or "")) or (
        quoted and text[start:end] != quoted
    ):
        return Passage("", quoted, "") if quoted.strip() else None
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    if start - context > 0:
        before = _trim_start(before)
    if end + context < len(text):
        after = _trim_end(after)
    result = Passage(before, text[start:end], after)
    return result or None
