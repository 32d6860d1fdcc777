# SPDX-License-Identifier: EUPL-1.2
"""Which part ("Del 1", "Del 2") of an agreement a line belongs to.
May import: the standard library and other domain modules; never Django or an app.

A section starts at a heading such as "Del 1 - Kulturtolkar i Angered" or "Lokala insatser: Del 2 – ...".
Two "Del" headings in a row are a table of contents, not a start. A section ends at a general heading
("Syfte och mål", "Organisation", "Övergripande insatser", ...). Sections are only reported when the
document has at least two of them.
"""

from __future__ import annotations

import re

from domain.importer.doc import Doc, is_heading_like

_DEL_HEADING = re.compile(
    r"^\s*(?:[A-Za-zÅÄÖåäö ]{0,30}:\s*)?(?P<kind>Del|Delområde|Delprojekt|Insatsområde)\s(?P<n>\d{1,2})\b"
    r"(?!\s?(?:och|,|&|samt)\s?(?:del\s)?\d)(?!\s?(?:och|samt)\s)"
)
_GENERAL_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s)?(?:syfte|bakgrund|om\sparterna|parter(?:na)?\b|värdegrund|avtalstid|organisation"
    r"|styrning|övergripande|målgrupp|insatser\s*$|ekonomi\soch|underskrift|ändring|uppsägning|omförhandling|hävning"
    r"|förutsättningar|sammanfattning|ärendet|bedömning|samverkan\s*$|uppföljning|sekretess|tvist|period\s*$"
    r"|resurser)",
    re.IGNORECASE,
)


class Sections:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts: list[tuple[int, str | None]] = []
        self._find()

    def _find(self) -> None:
        lines = self.doc.lines
        nonblank = [line for line in lines if not line.is_blank]
        dels = {line.index: _DEL_HEADING.match(line.text) for line in nonblank}
        events: list[tuple[int, str | None]] = []
        for k, line in enumerate(nonblank):
            match = dels[line.index]
            if match:
                prev_is_del = k > 0 and dels[nonblank[k - 1].index] is not None
                next_is_del = k + 1 < len(nonblank) and dels[nonblank[k + 1].index] is not None
                if not prev_is_del and not next_is_del:
                    events.append((line.index, f"{match.group('kind')} {match.group('n')}"))
            elif is_heading_like(line.stripped) and _GENERAL_HEADING.match(line.stripped):
                events.append((line.index, None))
        named = {name for _, name in events if name}
        self.starts = events if len(named) >= 2 else []

    def at(self, line_index: int) -> str | None:
        current: str | None = None
        for start, name in self.starts:
            if start > line_index:
                break
            current = name
        return current
