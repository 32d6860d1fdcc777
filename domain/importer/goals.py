# SPDX-License-Identifier: EUPL-1.2
"""Goals (mål/delmål) with their indicators, indicator dimensions and who collects the data.
May import: the standard library and other domain modules; never Django or an app.

Three shapes are read:

* goal tables "Mål/Delmål | Indikatorer | Ansvar för insamling av data": from PDFs their cells arrive
  interleaved line by line (goal lines, then "1. ..." indicator lines, then collector names), from
  Word files as " | " rows;
* bullet or numbered lists under a goal heading ("Mål", "Målsättningar", "Syfte och mål");
* labelled goals ("Delmål 2: ...") followed by "Indikator: ..." and "Ansvar: ..." lines.

Collector names are recognised from the parties found in the document (in any of their forms:
"Socialförvaltningen Nordost", "SF Nordost", "Tidigt föräldrastöd") and from short names that recur in
the table's collector column.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from domain.importer.doc import CONNECTORS, Doc, Line, is_heading_like
from domain.importer.draft import DraftBuilder
from domain.importer.parties import party_key
from domain.importer.sections import Sections

_TABLE_HEADER = re.compile(
    r"^\s*(?:mål|delmål|mål\s?/\s?delmål|målsättning\w*|effektmål|resultatmål)\b.{0,40}\bindikator", re.IGNORECASE
)
_HEADER_REST = frozenset(
    [
        "av",
        "data",
        "ansvar",
        "för",
        "insamling",
        "datainsamling",
        "källa",
        "mätmetod",
        "ansvarig",
        "indikatorer",
        "indikator",
        "mål",
        "delmål",
        "insamlingsansvar",
        "(ansvar)",
        "datakälla",
    ]
)
_END_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s)?(?:ekonomi|budget|kostnad|finansiering|organisation|uppföljning\s(?:och|av\sinsats)"
    r"|avtalstid|styrgrupp|styrning|insats\b|insatser|del\s\d|lokala\sinsatser|introduktion|värdegrund|underskrift"
    r"|målgrupp|resurser|samverkan|bakgrund|syfte|aktiviteter|tidplan|ansvarsfördelning|övergripande)",
    re.IGNORECASE,
)
_LIST_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:mål|målsättning(?:ar)?|mål\soch\sdelmål|delmål|effektmål|resultatmål"
    r"|partnerskapets\smål(?:sättning(?:ar)?)?|mål\sför\s(?:partnerskapet|överenskommelsen|insatsen|insatserna"
    r"|verksamheten|samarbetet)|övergripande\smål\w*|syfte\soch\smål|mål\soch\ssyfte|målbild|gemensamma\smål)\s*:?$",
    re.IGNORECASE,
)
_LABELLED_GOAL = re.compile(
    r"^\s*(?:•\s)?(?:delmål|mål|effektmål|resultatmål)\s?(?P<n>\d{1,2})\s?[:.)–-]\s?(?P<text>.+)$", re.IGNORECASE
)
_LABELLED_INDICATOR = re.compile(r"^\s*(?:•\s)?indikator(?:er)?\s?\d{0,2}\s?[:.–-]\s?(?P<text>.*)$", re.IGNORECASE)
_LABELLED_COLLECTOR = re.compile(
    r"^\s*(?:•\s)?(?:ansvar(?:ig)?(?:\spart)?(?:\sför\s(?:insamling|uppföljning|datainsamling|mätning)(?:\sav\sdata)?)?"
    r"|datainsamling|insamlas\sav|data\ssamlas\sin\sav)\s?:\s?(?P<text>.+)$",
    re.IGNORECASE,
)
_OVERALL_GOAL = re.compile(
    r"\b(?:(?:det|den)\s(?:övergripande|långsiktiga)\s(?:målet|målsättningen)"
    r"(?:\s(?:för|med)\s(?:partnerskapet|överenskommelsen|samarbetet))?"
    r"|(?:partnerskapets|överenskommelsens|samarbetets|insatsens)\s(?:(?:övergripande|långsiktiga)\s)?"
    r"(?:mål|målsättning))\sär\satt\s(?P<goal>[^.]{10,240})",
    re.IGNORECASE,
)
_WRAPPED_NAME_START = frozenset(
    {"föreningen", "stiftelsen", "förvaltningen", "nämnden", "socialförvaltningen", "socialnämnden", "sf"}
)
_NUMBERED = re.compile(r"^(?:\d{1,2}[.)]|[a-h][.)]|•)\s?(?P<text>.*)$")
_GENERIC_COLLECTOR = re.compile(
    r"^(?:SF|Socialförvaltningen|Förvaltningen|Socialtjänsten|Föreningen|Stiftelsen|Båda\sparter|Parterna|Gemensamt"
    r"|Alla\sparter|Samtliga\sparter|[A-ZÅÄÖ][a-zåäö]+förvaltningen|[A-ZÅÄÖ][a-zåäö]+nämnden)"
    r"(?:\s[A-ZÅÄÖ][\wåäö]+)?$"
)


@dataclass
class Indicator:
    lines: list[str]
    collectors: list[str] = field(default_factory=list)
    numbered: bool = False

    def text(self) -> str:
        return _join(self.lines)


@dataclass
class Goal:
    lines: list[str]
    first_line: int
    last_line: int
    section: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    source: str = "table"

    def text(self) -> str:
        return _join(self.lines)


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out.endswith("/") or (out.endswith("-") and part[:1].islower() and not part.startswith(("och ", "eller "))):
            out += part
        else:
            out = f"{out} {part}" if out else part
    out = re.sub(r"\s{2,}", " ", out).strip(" •;")
    return out[:1].upper() + out[1:] if out else out


def _continues(prev: str, nxt: str) -> bool:
    first = nxt.lstrip()[:1]
    if first.islower() or first in "(/-–&":
        return True
    stripped = prev.rstrip()
    if stripped.endswith((",", "/", "-", "–", "(", "&", "och")):
        return True
    last = stripped.split()[-1].lower() if stripped.split() else ""
    return last in CONNECTORS or last in _WRAPPED_NAME_START


# --- dimensions ----------------------------------------------------------------------------------

_BREAKDOWN = re.compile(
    r"fördela\w*|uppdela\w*|indela\w*|\bper\b|\befter\b|utifrån|\bmed\suppdelning|\bkön\b", re.IGNORECASE
)


def dimensions(text: str) -> list[str]:
    """Breakdown dimensions an indicator asks for: gender, age, language_group, school."""
    found: list[str] = []
    lower = text.lower()
    if re.search(
        r"\bkön\b|könsindel|könsuppdel|könsfördel|flickor\s(?:och|/|resp\w*)\s?pojkar|pojkar\s(?:och|/)\s?flickor"
        r"|kvinnor\s(?:och|/)\s?män|\bmän\s(?:och|/)\s?kvinnor",
        lower,
    ):
        found.append("gender")
    breakdown = _BREAKDOWN.search(lower) is not None
    if re.search(r"åldersgrupp|åldersindel|åldersuppdel|åldersfördel|ålderskategori|åldersintervall", lower) or (
        breakdown and re.search(r"\bålder\b|\båldrar\b", lower)
    ):
        found.append("age")
    if re.search(r"språkgrupp|språktillhörighet", lower) or (breakdown and re.search(r"\bspråk\b|modersmål", lower)):
        found.append("language_group")
    if re.search(
        r"(?:per|fördelat\spå|uppdelat\spå|efter)\s(?:[\wåäö]+(?:,|\soch)?\s){0,3}?skol(?:a|or|enhet\w*)\b"
        r"|skolvis|per\sskolenhet",
        lower,
    ):
        found.append("school")
    return found


# --- collectors ----------------------------------------------------------------------------------


class CollectorMatcher:
    def __init__(self, party_names: list[str]) -> None:
        self.keys = {party_key(name) for name in party_names if name}

    def is_collector(self, text: str) -> bool:
        text = text.strip(" .,;")
        if not text or len(text) > 80:
            return False
        parts = [p for p in re.split(r",\s?|\soch\s|\s?/\s?|\s&\s|\s•\s", text) if p.strip()]
        return bool(parts) and all(self._one(p.strip()) for p in parts)

    def _one(self, text: str) -> bool:
        return party_key(text) in self.keys or bool(_GENERIC_COLLECTOR.match(text))

    def split(self, text: str) -> list[str]:
        return [p.strip(" .,;") for p in re.split(r",\s?|\soch\s|\s?/\s?|\s&\s|\s•\s", text) if p.strip(" .,;")]

    def merges(self, previous: str, nxt: str) -> bool:
        """ "Socialförvaltningen" + "Nordost" on the next line form one known name."""
        return (
            len(nxt.split()) <= 2
            and nxt[:1].isupper()
            and party_key(f"{previous} {nxt}") in self.keys
            and party_key(previous) not in self.keys
        )


# --- tables from extracted text ------------------------------------------------------------------


class GoalReader:
    def __init__(self, doc: Doc, builder: DraftBuilder, sections: Sections, party_names: list[str]) -> None:
        self.doc = doc
        self.builder = builder
        self.sections = sections
        self.collectors = CollectorMatcher(party_names)
        self.goals: list[Goal] = []
        self.used_lines: set[int] = set()

    def read(self) -> None:
        lines = self.doc.lines
        i = 0
        while i < len(lines):
            if _is_table_header(lines[i].text):
                end = self._read_pipe_table(i) if " | " in lines[i].text else self._read_table(i)
                self.used_lines.update(range(i, end + 1))
                i = end + 1
                continue
            i += 1
        self._read_labelled()
        self._read_lists()
        if not self.goals:
            self._read_overall()  # a stated overall goal is only reported when nothing more specific is
        self._emit()

    def _cells(self, start: int) -> list[tuple[str, Line]]:
        cells: list[tuple[str, Line]] = []
        header_done = False
        for line in self.doc.lines[start + 1 : start + 260]:
            if line.is_blank:
                continue
            words = [w.lower().strip(",.:") for w in line.stripped.split()]
            if not header_done and words and all(w in _HEADER_REST for w in words):
                continue
            header_done = True
            for cell in re.split(r"\s{2,}", line.stripped):
                if cell.strip():
                    cells.append((cell.strip(), line))
        return cells

    def _is_end(self, cell: str, line: Line) -> bool:
        if _is_table_header(line.text) or len(line.stripped) > 160:
            return True
        if len(cell.split()) >= 18 and cell.endswith("."):
            return True
        return is_heading_like(cell) and bool(_END_HEADING.match(cell)) and not _NUMBERED.match(cell)

    def _read_table(self, header_index: int) -> int:
        header = self.doc.lines[header_index].text
        has_collector_col = bool(re.search(r"ansvar|insamling|källa", header, re.IGNORECASE))
        cells = self._cells(header_index)
        short_counts = Counter(c for c, _ in cells if len(c.split()) <= 4 and not _NUMBERED.match(c))
        section = self.sections.at(header_index)
        state = "start"
        goal: Goal | None = None
        targets: list[Indicator] = []
        last_line = header_index
        for cell, line in cells:
            if self._is_end(cell, line):
                break
            last_line = line.index
            numbered = _NUMBERED.match(cell)
            if (
                goal is not None
                and state in ("indicator", "collector", "goal")
                and self._collector(cell, short_counts, state, goal)
            ):
                if (
                    state == "collector"
                    and goal.indicators
                    and goal.indicators[-1].collectors
                    and self.collectors.merges(goal.indicators[-1].collectors[-1], cell)
                ):
                    self._extend_collector(goal, cell)
                else:
                    if state != "collector":
                        targets = [i for i in goal.indicators if not i.collectors] or goal.indicators[-1:]
                    self._add_collectors(targets, self.collectors.split(cell))
                state = "collector"
                goal.last_line = line.index
                continue
            if (
                state == "collector"
                and goal is not None
                and goal.indicators
                and goal.indicators[-1].collectors
                and self.collectors.merges(goal.indicators[-1].collectors[-1], cell)
            ):
                self._extend_collector(goal, cell)
                continue
            if state in ("start", "collector") or goal is None:
                text = numbered.group("text") if numbered and state == "collector" else cell
                goal = Goal([text], line.index, line.index, section)
                self.goals.append(goal)
                state = "goal"
                continue
            goal.last_line = line.index
            if numbered:
                goal.indicators.append(Indicator([numbered.group("text")], numbered=True))
                state = "indicator"
            elif state == "goal":
                if _continues(goal.lines[-1], cell):
                    goal.lines.append(cell)
                else:
                    goal.indicators.append(Indicator([cell]))
                    state = "indicator"
            else:  # state == "indicator"
                current = goal.indicators[-1]
                if _continues(current.lines[-1], cell):
                    current.lines.append(cell)
                elif has_collector_col:
                    goal.indicators.append(Indicator([cell]))
                else:
                    goal = Goal([cell], line.index, line.index, section)
                    self.goals.append(goal)
                    state = "goal"
        return last_line

    def _collector(self, cell: str, short_counts: Counter[str], state: str, goal: Goal) -> bool:
        if _NUMBERED.match(cell):
            return False
        if self.collectors.is_collector(cell):
            if state == "indicator" and goal.indicators:
                last_words = goal.indicators[-1].lines[-1].split()
                if last_words and last_words[-1].lower() in _WRAPPED_NAME_START or cell.endswith("."):
                    return False  # "... och Föreningen" + "Bro." is the indicator text wrapping
            return state != "goal" or not _continues(goal.lines[-1], cell)
        return (
            state in ("indicator", "collector")
            and short_counts[cell] >= 2
            and cell[:1].isupper()
            and not cell.endswith(".")
            and not re.search(r"\d", cell)
        )

    @staticmethod
    def _add_collectors(targets: list[Indicator], names: list[str]) -> None:
        """Collector cells in a row apply to every indicator of the row that has none yet."""
        for indicator in targets:
            for name in names:
                if name not in indicator.collectors:
                    indicator.collectors.append(name)

    @staticmethod
    def _extend_collector(goal: Goal, cell: str) -> None:
        previous = goal.indicators[-1].collectors[-1]
        merged = f"{previous} {cell}"
        for indicator in goal.indicators:
            indicator.collectors = [merged if c == previous else c for c in indicator.collectors]

    # --- tables from Word files ------------------------------------------------------------------

    def _read_pipe_table(self, header_index: int) -> int:
        lines = self.doc.lines
        header = [c.strip().lower() for c in lines[header_index].text.split("|")]
        goal_col = next((i for i, c in enumerate(header) if re.search(r"mål", c)), 0)
        ind_col = next((i for i, c in enumerate(header) if "indikator" in c), 1)
        col_col = next((i for i, c in enumerate(header) if re.search(r"ansvar|insamling|källa", c)), None)
        section = self.sections.at(header_index)
        goal: Goal | None = None
        last = header_index
        for line in lines[header_index + 1 : header_index + 300]:
            if line.is_blank or " | " not in line.text:
                break
            last = line.index
            cells = [c.strip() for c in line.text.split("|")]
            goal_text = re.sub(r"^\d{1,2}[.)]\s", "", _cell(cells, goal_col).replace(" • ", " ")).strip()
            if goal_text and (goal is None or goal_text != goal.text()):
                goal = Goal([goal_text], line.index, line.index, section)
                self.goals.append(goal)
            if goal is None:
                continue
            goal.last_line = line.index
            names = self.collectors.split(_cell(cells, col_col)) if col_col is not None else []
            for part in _split_indicators(_cell(cells, ind_col)):
                goal.indicators.append(Indicator([part], collectors=list(names)))
        return last

    # --- labelled goals ("Delmål 1: ...") --------------------------------------------------------

    def _read_labelled(self) -> None:
        lines = self.doc.lines
        goal: Goal | None = None
        in_indicators = False
        for line in lines:
            if line.index in self.used_lines or line.is_blank:
                continue
            text = line.stripped
            match = _LABELLED_GOAL.match(text)
            if match:
                goal = Goal(
                    [match.group("text")], line.index, line.index, self.sections.at(line.index), source="labelled"
                )
                self.goals.append(goal)
                in_indicators = False
                continue
            if goal is None:
                continue
            ind = _LABELLED_INDICATOR.match(text)
            col = _LABELLED_COLLECTOR.match(text)
            if ind:
                for part in _split_indicators(ind.group("text")):
                    goal.indicators.append(Indicator([part]))
                in_indicators = True
                goal.last_line = line.index
            elif col:
                names = self.collectors.split(col.group("text"))
                for indicator in goal.indicators:
                    if not indicator.collectors:
                        indicator.collectors = list(names)
                goal.last_line = line.index
            elif in_indicators and text.startswith("• "):
                goal.indicators.append(Indicator([text[2:]]))
                goal.last_line = line.index
            elif in_indicators and goal.indicators and _continues(goal.indicators[-1].lines[-1], text):
                goal.indicators[-1].lines.append(text)
            elif line.index - goal.last_line > 3 or is_heading_like(text):
                goal = None
                in_indicators = False

    # --- bullet lists under goal headings --------------------------------------------------------

    def _read_lists(self) -> None:
        lines = self.doc.lines
        for line in lines:
            if line.is_blank or line.index in self.used_lines or not _LIST_HEADING.match(line.stripped):
                continue
            self._read_list_after(line.index)

    def _read_list_after(self, heading_index: int) -> None:
        lines = self.doc.lines
        items: list[Goal] = []
        intro = 0
        section = self.sections.at(heading_index)
        for line in lines[heading_index + 1 : heading_index + 120]:
            if line.is_blank:
                continue
            if line.index in self.used_lines:
                break
            text = line.stripped
            item = _list_item(line)
            if item is not None:
                goal = Goal([item], line.index, line.index, section, source="list")
                items.append(goal)
                continue
            if items:
                if _continues(items[-1].lines[-1], text) and not is_heading_like(text) or text[:1].islower():
                    items[-1].lines.append(text)
                    items[-1].last_line = line.index
                    continue
                break
            intro += 1
            if intro > 14 or (is_heading_like(text) and intro > 0 and not text.endswith(":")):
                return
        self.goals.extend(g for g in items if len(g.text()) >= 6)

    # --- "Det övergripande målet är att ..." -----------------------------------------------------

    def _read_overall(self) -> None:
        for sentence in self.doc.sentences:
            match = _OVERALL_GOAL.search(sentence.text)
            if not match:
                continue
            text = match.group("goal").strip()
            start, end = sentence.span(match.start("goal"), match.end("goal"))
            index = self.doc.line_index_at(start)
            goal = Goal([text], index, self.doc.line_index_at(max(start, end - 1)), None, source="overall")
            self.goals.append(goal)

    # --- output ----------------------------------------------------------------------------------

    def _emit(self) -> None:
        order = {"table": 0, "labelled": 0, "list": 1, "overall": 2}
        ranked = sorted(self.goals, key=lambda g: (order[g.source], g.first_line))
        kept: list[Goal] = []
        for goal in ranked:
            text = goal.text()
            if len(text) < 3:
                continue
            if any(_same_text(text, other.text()) for other in kept):
                continue
            kept.append(goal)
        out = []
        for i, goal in enumerate(kept):
            indicators = []
            for indicator in goal.indicators:
                text = indicator.text()
                if not text:
                    continue
                indicators.append({"text": text, "dimensions": dimensions(text), "collected_by": indicator.collectors})
            out.append({"text": goal.text(), "section": goal.section, "indicators": indicators})
            self.builder.cite(f"goals.{i}", (self.doc.lines[goal.first_line].start, self.doc.lines[goal.last_line].end))
        self.builder.set("goals", out)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _is_table_header(text: str) -> bool:
    if " | " in text:
        return bool(_TABLE_HEADER.match(text))
    words = text.split()
    return (
        len(words) <= 10
        and not text.rstrip().endswith((".", ","))
        and bool(_TABLE_HEADER.match(text))
        and (words[-1].lower() not in CONNECTORS if words else False)
    )


def _list_item(line: Line) -> str | None:
    text = line.text
    stripped = text.strip()
    match = re.match(r"^(?:•|\d{1,2}[.)]|[a-h][.)])\s+(?P<text>\S.*)$", stripped)
    if match:
        return match.group("text")
    if text.startswith(" ") and stripped[:1].isupper() and not re.match(r"\d", stripped):
        return stripped  # a bullet whose symbol the PDF extraction dropped
    return None


def _split_indicators(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    parts = re.split(r"\s•\s|(?:^|\s)\d{1,2}[.)]\s", text)
    return [p.strip(" •;") for p in parts if p.strip(" •;")]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-zåäöéü0-9]+", text.lower()))


def _same_text(a: str, b: str) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return a.strip().lower() == b.strip().lower()
    return len(ta & tb) / len(ta | tb) >= 0.85


def find_goals(doc: Doc, builder: DraftBuilder, sections: Sections, party_names: list[str]) -> None:
    GoalReader(doc, builder, sections, party_names).read()
