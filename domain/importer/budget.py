# SPDX-License-Identifier: EUPL-1.2
"""Budget lines (kostnadsposter) from tables, including tables broken over lines by PDF extraction.
May import: the standard library and other domain modules; never Django or an app.

A table starts at a header line ("Kostnadsposter Kostnad per helår", "Post Finansiering (SEK)",
"Kostnad Summa Finansiär Utförare") and ends at its total row ("Totalt", "Summa", "Avtalets totala
ekonomiska ram") or at prose. Rows are rebuilt from the extracted lines:

* a label wrapped over several lines continues while the next line starts in lower case, with "(",
  with a percentage, inside an open parenthesis, or after a line ending in a connector ("inkl.", ",");
* an amount on its own line (or first on a line) closes the row; text after it on that line is a
  comment column ("Varav 600 000 kr är folkhälsomedel"), continued by following lower-case lines
  (or, where blank lines separate cells, by the rest of its block) — never a new budget line;
* an amount at the end of a line closes a row labelled by the text before it;
* total rows are checked against the sum of the lines but never reported as lines.
Tables with year columns ("Kostnadspost 2025 2026 2027") give one line per year. Tables from Word files
arrive as " | "-separated rows and are read by column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.importer.amounts import Amount, find_amounts, split_amount_run
from domain.importer.doc import ABBREVIATIONS, CONNECTORS, Doc, Line
from domain.importer.draft import DraftBuilder
from domain.importer.sections import Sections

_HEADER = re.compile(
    r"kostnadspost|kostnadsslag|kostnadstyp|budgetpost|budgetpost|^\s*post\b.{0,40}(?:finansiering|belopp|kostnad|sek|kr)"
    r"|\bkostnad(?:er)?\b.{0,40}(?:summa|belopp|per\s(?:hel)?år|finansiär|kommentar|\(sek\)|\(kr\)|\(tkr\)|kronor)"
    r"|\bbudget\b.{0,30}(?:belopp|sek|kr|summa)|^\s*(?:aktivitet|insats|beskrivning)\b.{0,30}(?:belopp|kostnad)"
    r"|^\s*(?:utgifter|kostnader)\s*\|",
    re.IGNORECASE,
)
_HEADER_WORDS = frozenset(
    [
        "kostnadspost",
        "kostnadsposter",
        "kostnad",
        "kostnader",
        "post",
        "poster",
        "belopp",
        "summa",
        "kommentar",
        "kommentarer",
        "finansiär",
        "finansiering",
        "utförare",
        "sek",
        "kr",
        "tkr",
        "kronor",
        "per",
        "helår",
        "år",
        "grundbelopp",
        "budget",
        "anmärkning",
        "beskrivning",
        "typ",
        "årsbudget",
        "budgetpost",
        "not",
        "(sek)",
        "(kr)",
        "(tkr)",
        "och",
        "i",
    ]
)
_TOTAL = re.compile(
    r"^\s*(?:totalt|summa|total|totalsumma|sammanlagt|avtalets\stotala|total\skostnad|totala\skostnader"
    r"|summa\skostnader|totalbelopp|total\sbudget)\b|total\w*\s(?:ekonomisk\w*\s)?ram",
    re.IGNORECASE,
)
_COMMENT_AMOUNT = re.compile(r"\b(?:varav|av\sdessa|därav|ca|cirka|motsvarande|inkl\.?|exkl\.?)\s?$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass
class Row:
    label: str
    amount: int
    line_index: int
    first_line: int
    year: str | None = None
    description: str | None = None


@dataclass
class Table:
    header_index: int
    per_year: bool = False  # the header says the amounts are per (full) year: "Kostnad per helår"
    rows: list[Row] = field(default_factory=list)
    totals: dict[str | None, int] = field(default_factory=dict)
    end_index: int = 0


def _is_header(text: str) -> bool:
    if len(text) > 120 or len(text.split()) > 14 or not _HEADER.search(text):
        return False
    amounts = [a for a in find_amounts(_YEAR.sub(" ", text)) if a.plausible]
    return not amounts and not text.rstrip().endswith(".")


def _header_only(text: str) -> bool:
    words = [w.strip(",.*:").lower() for w in text.split()]
    return bool(words) and all(w in _HEADER_WORDS or not w for w in words)


def _starts_continuation(text: str) -> bool:
    first = text.lstrip()[:1]
    return first.islower() or first in "(\"”“'/&+-–" or bool(re.match(r"\d{1,3}\s?%", text.lstrip()))


def _ends_open(text: str) -> bool:
    stripped = text.rstrip()
    if stripped.endswith((",", "-", "–", "/", "(", "&", ":")):
        return True
    last = stripped.split()[-1].lower() if stripped.split() else ""
    return last in CONNECTORS or last.rstrip(".") in ABBREVIATIONS


def _paren_depth(text: str) -> int:
    return text.count("(") - text.count(")")


def build_label(parts: list[str]) -> tuple[str, str | None]:
    """Join wrapped label lines; lines that do not continue the label become the row's description."""
    if not parts:
        return "", None
    label = [parts[0]]
    rest: list[str] = []
    for part in parts[1:]:
        joined = " ".join(label)
        if rest:
            rest.append(part)
        elif _paren_depth(joined) > 0 or _starts_continuation(part) or _ends_open(label[-1]):
            label.append(part)
        else:
            rest.append(part)
    text = _join(label)
    text = re.sub(r"\s?\([^()]*\d[\d ]*\s?(?:kr|kronor|tkr)[^()]*\)", "", text).strip()
    return text, (_join(rest) or None)


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not out:
            out = part
        elif out.endswith("/"):
            out += part
        else:
            out += " " + part
    return re.sub(r"\s{2,}", " ", out).strip(" *")


class BudgetReader:
    def __init__(self, doc: Doc, builder: DraftBuilder, sections: Sections, skip: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.builder = builder
        self.sections = sections
        self.skip = skip
        self.tables: list[Table] = []

    def read(self) -> None:
        lines = self.doc.lines
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.is_blank and _is_header(line.stripped) and not self._skipped(i):
                table = self._read_pipe_table(i) if " | " in line.text else self._read_table(i)
                if table.rows:
                    self.tables.append(table)
                i = max(i + 1, table.end_index + 1)
                continue
            i += 1
        self._emit()

    def _skipped(self, index: int) -> bool:
        return any(a <= index <= b for a, b in self.skip)

    # --- extracted text (lines) ------------------------------------------------------------------

    def _read_table(self, header_index: int) -> Table:
        lines = self.doc.lines
        header = lines[header_index].stripped
        years = _YEAR.findall(header)
        scale = "tkr" if re.search(r"\btkr\b|tusental", header, re.IGNORECASE) else None
        table = Table(header_index, per_year=_per_year_header(self.doc, header_index))
        items = self._items(header_index)
        blank_share = sum(blank for _, blank in items) / len(items) if items else 0.0
        block_mode = 0.15 <= blank_share < 0.7  # blank lines separate cells, not every line
        pending: list[Line] = []
        in_comment = False
        started = False
        table.end_index = header_index
        for line, block_start in items:
            text = line.stripped
            table.end_index = line.index
            if not started and _header_only(text):
                continue
            if _TOTAL.search(text) and self._row_amounts(text, years, scale):
                table.totals.update(self._total_values(text, years, scale))
                break
            if self._is_prose(text) and started and not pending:
                table.end_index = line.index - 1
                break
            if block_mode:
                if in_comment and not block_start and not self._row_amounts(text, years, scale):
                    continue
            elif in_comment and _starts_continuation(text) and not text.lstrip().startswith("("):
                continue
            in_comment = False
            open_paren = _paren_depth(" ".join(p.stripped for p in pending)) > 0
            row = None if open_paren else self._row_from_line(line, text, pending, years, scale)
            if row is None:
                if block_mode and block_start:
                    pending = []  # where blank lines separate cells, a label is the block just before its amount
                pending.append(line)
                if len(pending) > 25:
                    break
                continue
            started = True
            table.rows.extend(row[0])
            pending = []
            in_comment = row[1]
        return table

    def _items(self, header_index: int) -> list[tuple[Line, bool]]:
        items: list[tuple[Line, bool]] = []
        blank = False
        for line in self.doc.lines[header_index + 1 : header_index + 160]:
            if line.is_blank:
                blank = True
                continue
            if _is_header(line.stripped) and items:
                break
            items.append((line, blank))
            blank = False
        return items

    @staticmethod
    def _is_prose(text: str) -> bool:
        words = text.split()
        return len(words) >= 12 and len(text) > 80 and not find_amounts(text)

    def _row_amounts(self, text: str, years: list[str], scale: str | None) -> list[Amount]:
        return [a for a in find_amounts(text, scale) if a.plausible or scale]

    def _total_values(self, text: str, years: list[str], scale: str | None) -> dict[str | None, int]:
        if years:
            first_digit = re.search(r"\d", text)
            values = split_amount_run(text[first_digit.start() :], len(years)) if first_digit else None
            if values:
                mult = 1000 if scale else 1
                return {year: v * mult for year, v in zip(years, values, strict=True)}
        amounts = self._row_amounts(text, years, scale)
        return {None: amounts[0].value} if amounts else {}

    def _row_from_line(
        self, line: Line, text: str, pending: list[Line], years: list[str], scale: str | None
    ) -> tuple[list[Row], bool] | None:
        """Rows closed by ``line`` and whether a comment column follows the amount; ``None`` if no amount."""
        amounts = [a for a in find_amounts(text, scale) if a.plausible or (scale and a.value >= 1000)]
        if not amounts:
            return None
        first = amounts[0]
        before = text[: first.start]
        if _COMMENT_AMOUNT.search(before) or _paren_depth(before) > 0:
            return None
        if text[first.end : first.end + 2].lstrip().startswith(("%", "/år", "/ år")):
            return None
        label_here = before.strip(" :–-*")
        if label_here and not re.search(r"[A-Za-zÅÄÖåäö]{2}", label_here):
            label_here = ""
        parts = [p.stripped for p in pending]
        if label_here and parts:
            label, description = _join(parts + [label_here]), None  # the amount ends a wrapped label cell
        else:
            label, description = build_label(parts or [label_here])
        if not label:
            return None
        first_line = pending[0].index if pending and parts and parts[0] == pending[0].stripped else line.index
        if years:
            values = split_amount_run(_amount_tail(text, first.start), len(years))
            if values:
                mult = 1000 if scale else 1
                rows = [
                    Row(label, v * mult, line.index, first_line, year, description)
                    for year, v in zip(years, values, strict=True)
                    if v > 0
                ]
                return rows, False
        comment = text[first.end :].strip(" *")
        return [Row(label, first.value, line.index, first_line, None, description)], bool(
            re.search(r"[A-Za-zÅÄÖåäö]{2}", comment)
        )

    # --- Word tables (" | " rows) ----------------------------------------------------------------

    def _read_pipe_table(self, header_index: int) -> Table:
        lines = self.doc.lines
        header = [c.strip() for c in lines[header_index].text.split("|")]
        table = Table(header_index)
        table.end_index = header_index
        scale = "tkr" if re.search(r"\btkr\b|tusental", lines[header_index].text, re.IGNORECASE) else None
        year_cols = {i: c for i, c in enumerate(header) if re.fullmatch(r"(?:19|20)\d\d", c)}
        amount_cols = [
            i
            for i, c in enumerate(header)
            if i > 0 and re.search(r"belopp|kostnad(?!spost)|summa|sek|kr|finansiering|budget", c, re.IGNORECASE)
        ] or [1]
        for line in lines[header_index + 1 : header_index + 200]:
            if line.is_blank:
                if table.rows or table.totals:
                    break
                continue
            if " | " not in line.text:
                break
            table.end_index = line.index
            cells = [c.strip() for c in line.text.split("|")]
            label = re.sub(r"\s?•\s?", " ", cells[0]).strip()
            if _TOTAL.search(label) or not label:
                for i, year in year_cols.items():
                    found = find_amounts(cells[i] if i < len(cells) else "", scale)
                    if found:
                        table.totals[year] = found[0].value
                if not year_cols:
                    for i in amount_cols:
                        found = find_amounts(cells[i] if i < len(cells) else "", scale)
                        if found:
                            table.totals[None] = found[0].value
                            break
                continue
            if year_cols:
                for i, year in year_cols.items():
                    found = find_amounts(cells[i] if i < len(cells) else "", scale)
                    if found and found[0].value > 0:
                        table.rows.append(Row(label, found[0].value, line.index, line.index, year))
                continue
            for i in amount_cols:
                found = [a for a in find_amounts(cells[i] if i < len(cells) else "", scale) if a.plausible or scale]
                if found:
                    table.rows.append(Row(label, found[0].value, line.index, line.index))
                    break
        return table

    # --- output ----------------------------------------------------------------------------------

    def _emit(self) -> None:
        lines_out: list[dict[str, object]] = []
        for table in self.tables:
            section = self.sections.at(table.header_index)
            for row in table.rows:
                key = f"budget_lines.{len(lines_out)}"
                item: dict[str, object] = {
                    "label": row.label,
                    "amount_sek": row.amount,
                    "section": section,
                    "year": int(row.year) if row.year else None,
                }
                if row.description:
                    item["description"] = row.description
                lines_out.append(item)
                self.builder.cite(key, (self.doc.lines[row.first_line].start, self.doc.lines[row.line_index].end))
            self._check_totals(table, section)
        self.builder.set("budget_lines", lines_out)

    def _check_totals(self, table: Table, section: str | None) -> None:
        for year, total in table.totals.items():
            rows = [r for r in table.rows if (r.year or None) == year]
            if not rows:
                continue
            summed = sum(r.amount for r in rows)
            if summed != total:
                self.builder.warn(
                    "importer.warning.table_total_mismatch",
                    section=section or "",
                    year=year or "",
                    summed=summed,
                    total=total,
                )

    def section_totals(self) -> list[tuple[str | None, int]]:
        """Per table: its section and the total of its lines (for the annual-amount check)."""
        return [(self.sections.at(t.header_index), sum(r.amount for r in t.rows if not r.year)) for t in self.tables]

    def year_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for table in self.tables:
            for year, total in table.totals.items():
                if year:
                    totals[year] = totals.get(year, 0) + total
        return totals


def _per_year_header(doc: Doc, header_index: int) -> bool:
    """Whether the header (or the heading just above it) says the amounts are per year."""
    text = " ".join(line.stripped for line in doc.lines[max(0, header_index - 2) : header_index + 4])
    return bool(re.search(r"per\s(?:hel)?år|/\s?år|årsbelopp|grundbelopp|årlig", text, re.IGNORECASE))


def _amount_tail(text: str, start: int) -> str:
    return re.sub(r"\b(?:kr|kronor|sek|tkr)\b", "*", text[start:], flags=re.IGNORECASE)


def find_budget_lines(doc: Doc, builder: DraftBuilder, sections: Sections, skip: list[tuple[int, int]]) -> BudgetReader:
    reader = BudgetReader(doc, builder, sections, skip)
    reader.read()
    return reader
