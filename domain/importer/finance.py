# SPDX-License-Identifier: EUPL-1.2
"""Money terms in prose: annual amount, total frame, amounts per year, indexation and the payment rule.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from domain.importer.amounts import Amount, find_amounts, split_amount_run
from domain.importer.doc import Doc, Sentence
from domain.importer.draft import DraftBuilder
from domain.importer.numbers import find_frequency, month_number, months_in

_PER_YEAR_AFTER = re.compile(
    r"^\s?(?:\*\s?)?(?:\)\s?)?(?:per\s(?:hel)?år|/\s?år|om\såret|årligen|per\skalenderår|för\shelår)", re.IGNORECASE
)
_PER_YEAR_BEFORE = re.compile(
    r"(?:på\sårsbasis|per\s(?:hel)?år|årlig\w*\s(?:ersättning|bidrag|budget|belopp|kostnad)|årsbelopp\w*|grundbelopp\w*"
    r"|helårsbelopp\w*|årsbudget\w*)(?:\s(?:\w+\s){0,3}?(?:med|på|om|till|är|uppgår\still|:))?\s?$",
    re.IGNORECASE,
)
_PART_OF = re.compile(
    r"\b(?:varav|av\sdessa|av\svilka|därav|inklusive|motsvarande|hälften|andel)\s(?:\w+\s){0,3}$", re.IGNORECASE
)
_PART_AFTER = re.compile(r"^\s?(?:kr\s)?(?:är|utgör|avser|går\still|av\sdessa)\s", re.IGNORECASE)
_TOTAL_CUE = re.compile(
    r"(?:total(?:t|a)?\s(?:ekonomisk(?:a)?\s)?(?:ram(?:en)?|belopp(?:et)?|kostnad(?:en)?|finansiering(?:en)?)"
    r"|avtalets\stotala(?:\sekonomiska)?\sram|omfattar\stotalt|uppgår\stotalt\still|totalt|sammanlagt|ekonomisk\sram"
    r"|total\sram|hela\savtalsperioden|under\savtalsperioden|för\shela\sperioden)"
    r"(?:\s(?:\w+\s){0,4}?(?:är|om|på|till|av|med|:))?\s?(?:\w+\s)?$",
    re.IGNORECASE,
)
_TOTAL_LINE = re.compile(r"^\s*(?:totalt|summa|total|totalsumma|sammanlagt)\b", re.IGNORECASE)


def find_amounts_in_prose(doc: Doc, builder: DraftBuilder) -> None:
    annual: list[tuple[int, Sentence, Amount]] = []
    total: list[tuple[int, Sentence, Amount, int]] = []
    for sentence in doc.sentences:
        text = sentence.text
        for amount in find_amounts(text):
            if not amount.plausible or amount.value < 1000:
                continue
            before = text[max(0, amount.start - 70) : amount.start]
            after = text[amount.end : amount.end + 30]
            if _PART_OF.search(before) or _PART_AFTER.match(after):
                continue
            window = text[max(0, amount.start - 160) : amount.start]
            if window.count("(") > window.count(")"):
                continue  # "(Totala kostnader för föreningen 365 000 kr/år)": an aside, not the agreement's amount
            if _PER_YEAR_AFTER.match(after) or _PER_YEAR_BEFORE.search(before):
                annual.append((amount.value, sentence, amount))
            elif (
                _TOTAL_CUE.search(before)
                and not _TOTAL_LINE.match(text)
                or re.search(r"(?:avtalets\stotala|total\w*\s(?:ekonomisk\w*\s)?ram)", before, re.IGNORECASE)
            ):
                strength = 2 if re.search(r"ram|avtalsperiod|hela\sperioden|omfattar", before, re.IGNORECASE) else 1
                total.append((amount.value, sentence, amount, strength))
    if annual:
        counts = Counter(value for value, _, _ in annual)
        value = max(counts, key=lambda v: (counts[v], v))
        _, sentence, amount = next(item for item in annual if item[0] == value)
        builder.set("annual_amount_sek", value, sentence.span(amount.start, amount.end))
        if len(counts) > 1:
            builder.warn(
                "importer.warning.several_annual_amounts",
                chosen=value,
                others=[v for v in sorted(counts) if v != value],
            )
    if total:
        strongest = max(s for *_, s in total)
        counts = Counter(value for value, _, _, s in total if s == strongest)
        value = max(counts, key=lambda v: (counts[v], v))
        _, sentence, amount, _ = next(item for item in total if item[0] == value)
        builder.set("total_amount_sek", value, sentence.span(amount.start, amount.end))


# --- amounts per year ----------------------------------------------------------------------------

_YEAR_HEADER = re.compile(
    r"^\s*(?:[A-ZÅÄÖa-zåäö/()\s]{0,30}?\s)?(?P<years>(?:(?:19|20)\d\d(?:\s{1,8}|\s?\|\s?)){1,9}"
    r"(?:19|20)\d\d)\s*(?:\|?\s*(?:totalt|summa|total))?\s*$",
    re.IGNORECASE,
)
_GENERIC_ROW_LABEL = re.compile(
    r"^\s*(?:kostnad|kostnader|belopp|summa|totalt|total|ersättning|bidrag|budget|finansiering|totalbelopp"
    r"|årsbelopp|totalt\sbelopp|total\skostnad|utbetalning|ram|belopp\s\(?kr\)?|sek|kronor)\s*:?\s*(?:\(\w+\))?",
    re.IGNORECASE,
)
_YEAR_LINE = re.compile(
    r"^\s*(?:år\s|för\s)?(?P<year>(?:19|20)\d\d)\s?(?::|–|-)?\s{1,6}(?P<amount>\d{1,3}(?:[ .]\d{3}){1,4}|\d{4,10})"
    r"\s?(?P<unit>kr|kronor|sek|tkr|:-)?\s*\*?\s*$",
    re.IGNORECASE,
)


def find_amount_by_year(doc: Doc, builder: DraftBuilder) -> list[tuple[int, int]]:
    """Amounts per calendar year from year-header tables and "2025: 2 020 000 kr" lines.

    Returns the (first, last) line indices of the tables used, so the budget reader can skip them.
    """
    lines = doc.lines
    by_year: dict[str, int] = {}
    spans: list[tuple[int, int]] = []
    used: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        header = _YEAR_HEADER.match(line.text.replace("|", " "))
        if not header:
            continue
        years = re.findall(r"(?:19|20)\d\d", header.group("years"))
        if len(set(years)) != len(years) or sorted(years) != years:
            continue
        j = i + 1
        while j < len(lines) and lines[j].is_blank and j - i < 3:
            j += 1
        if j >= len(lines):
            continue
        row = lines[j].text.replace("|", " ")
        label = _GENERIC_ROW_LABEL.match(row)
        if not label:
            continue
        rest = row[label.end() :]
        scale = "tkr" if re.search(r"\btkr\b|tusental", line.text + rest, re.IGNORECASE) else None
        values = split_amount_run(re.sub(r"\b(?:kr|kronor|sek|tkr)\b", "*", rest, flags=re.IGNORECASE), len(years))
        if values is None:
            continue
        if scale:
            values = [v * 1000 for v in values]
        for year, value in zip(years, values, strict=True):
            by_year.setdefault(year, value)
        spans.append((line.start, lines[j].end))
        used.append((i, j))
    if not by_year:
        run: list[tuple[str, int, int]] = []
        for line in lines:
            match = _YEAR_LINE.match(line.text)
            if match:
                amount = _line_amount(match)
                if amount is not None:
                    run.append((match.group("year"), amount, line.index))
        if len(run) >= 2:
            for year, value, index in run:
                by_year.setdefault(year, value)
                spans.append((lines[index].start, lines[index].end))
    if by_year:
        builder.set("amount_by_year_sek", dict(sorted(by_year.items())))
        for year in by_year:
            builder.cite(f"amount_by_year_sek.{year}", spans[0] if len(spans) == 1 else _span_for(spans, lines, year))
    return used


def _line_amount(match: re.Match[str]) -> int | None:
    amounts = find_amounts(match.group("amount") + " " + (match.group("unit") or ""))
    return amounts[0].value if amounts else None


def _span_for(spans: list[tuple[int, int]], lines: list, year: str) -> tuple[int, int]:  # type: ignore[type-arg]
    for start, end in spans:
        if year in "\n".join(line.text for line in lines if start <= line.start <= end):
            return start, end
    return spans[0]


# --- indexation ----------------------------------------------------------------------------------

_INDEXES = (
    (
        "PKV",
        re.compile(
            r"\bPKV\b|prisindex\sför\skommunal\sverksamhet|kommunalt\spris\s?index|kommunala\sprisindex", re.IGNORECASE
        ),
    ),
    ("KPI", re.compile(r"\bKPI\b|konsumentprisindex", re.IGNORECASE)),
    ("AKI", re.compile(r"\bAKI\b|arbetskostnadsindex", re.IGNORECASE)),
    ("OMF", re.compile(r"omräkningsfaktor", re.IGNORECASE)),
    ("LPIK", re.compile(r"\bLPIK\b|landstingsprisindex", re.IGNORECASE)),
)
_INDEX_CUE = re.compile(
    r"index\w*|uppräkn\w*|räknas\supp|omräkn\w*|uppräknas|indexera\w*|indexreglera\w*", re.IGNORECASE
)
_NO_INDEX = re.compile(
    r"\b(?:ingen|inte|ej|utan)\s(?:\w+\s){0,3}?(?:index\w*|uppräkn\w*|räknas\supp|omräkn\w*)|sker\sinte\s\w*\s?uppräkning",
    re.IGNORECASE,
)
_REFERENCE_MONTH = re.compile(
    r"\b(?:för|per|i|från|avseende|enligt|av)\s(?P<m>januari|februari|mars|april|maj|juni|juli|augusti|september|oktober"
    r"|november|december)(?:\smånad|\sföregående\s(?:år|kalenderår)|\saktuellt\sår|\såret\sinnan|\s\d{4})?"
    r"|(?P<m2>januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)(?:värdet|index)",
    re.IGNORECASE,
)


def find_indexation(doc: Doc, builder: DraftBuilder) -> None:
    index_name: str | None = None
    index_span: tuple[int, int] | None = None
    month: int | None = None
    saw_cue = False
    negated = False
    for sentence in doc.sentences:
        text = sentence.text
        cue = _INDEX_CUE.search(text)
        if not cue:
            continue
        if _NO_INDEX.search(text):
            negated = True
            continue
        saw_cue = True
        for name, pattern in _INDEXES:
            match = pattern.search(text)
            if match and index_name is None:
                index_name = name
                index_span = sentence.span(match.start(), match.end())
        ref = _REFERENCE_MONTH.search(text)
        if ref and month is None and re.search(r"index|uppräkn|omräkn|PKV|KPI", text[: ref.end()], re.IGNORECASE):
            month = month_number(ref.group("m") or ref.group("m2"))
            if index_span is None or index_name is not None:
                builder.cite("indexation.reference_month", sentence.span(ref.start(), ref.end()))
    if index_name is None and not saw_cue:
        return
    if index_name is None:
        if negated and not month:
            return
        builder.warn("importer.warning.index_unknown")
    builder.set("indexation", {"index": index_name, "reference_month": month}, index_span)
    if index_name is not None and month is None:
        builder.warn("importer.warning.index_month_unknown", index=index_name)


# --- payment schedule ----------------------------------------------------------------------------

_PAYMENT = re.compile(
    r"faktur\w*|utbetal\w*|betalas|betalning\w*|rekvirer\w*|betalar|utbetalas|ersättningen\sbetalas",
    re.IGNORECASE,
)
_ONCE = re.compile(
    r"samma\smånad\ssom\s(?:avtalet|överenskommelsen|partnerskapet)\s(?:träder\si\skraft|börjar|startar)"
    r"|vid\s(?:avtalets|överenskommelsens|partnerskapets)\s(?:start|början|ikraftträdande|tecknande)"
    r"|i\ssamband\smed\s(?:avtalets|överenskommelsens)\s(?:start|tecknande|undertecknande)|engångs\w*"
    r"|vid\sett\s(?:och\ssamma\s)?tillfälle|hela\sbeloppet\s(?:\w+\s){0,3}?(?:på\sen\sgång|i\sförskott|vid)",
    re.IGNORECASE,
)
_IN_ADVANCE = re.compile(
    r"i\sförskott|förskottsvis|förskottsbetal\w*|i\sbörjan\sav\s(?:varje\s)?(?:period|kvartal|år)", re.IGNORECASE
)
_IN_ARREARS = re.compile(r"i\sefterskott|efterskottsvis|i\sefterhand|efter\savslutad|mot\sredovisning", re.IGNORECASE)
_FREQ_NAME = {1: "annual", 2: "semiannual", 4: "quarterly", 12: "monthly"}


def find_payment_schedule(doc: Doc, builder: DraftBuilder, period_start: str | None) -> None:
    best: tuple[int, dict[str, object], tuple[int, int]] | None = None
    separate = False
    for sentence in doc.sentences:
        text = sentence.text
        if not _PAYMENT.search(text):
            continue
        if re.search(r"särfaktur|faktureras\sseparat|separat\sfaktur", text, re.IGNORECASE):
            separate = True
        schedule, rank, span = _schedule_in(text, period_start)
        if schedule is None:
            continue
        if best is None or rank > best[0]:
            best = (rank, schedule, sentence.span(*span))
    if best is None:
        return
    builder.set("payment_schedule", best[1], best[2])
    if separate:
        builder.warn("importer.warning.separate_invoicing")


def _schedule_in(text: str, period_start: str | None) -> tuple[dict[str, object] | None, int, tuple[int, int]]:
    if re.search(r"index|uppräkn", text, re.IGNORECASE) and not re.search(
        r"gånger|halvårs|kvartal|månadsvis|årligen\si\sförskott", text, re.IGNORECASE
    ):
        return None, 0, (0, 0)
    in_advance: bool | None = True if _IN_ADVANCE.search(text) else (False if _IN_ARREARS.search(text) else None)
    once = _ONCE.search(text)
    if once:
        months: list[int] = []
        if period_start and re.search(
            r"samma\smånad|vid\s(?:avtalets|överenskommelsens)|i\ssamband", once.group(), re.IGNORECASE
        ):
            months = [date.fromisoformat(period_start).month]
            in_advance = True if in_advance is None else in_advance
        return {"frequency": "once", "in_advance": in_advance, "months": months}, 3, (once.start(), once.end())
    found = find_frequency(text)
    if found is None:
        return None, 0, (0, 0)
    per_year, start, end = found
    frequency = _FREQ_NAME.get(per_year)
    if frequency is None:
        return None, 0, (0, 0)
    months = sorted(months_in(text)) if frequency != "monthly" else []
    if len(months) > per_year:
        months = []
    return {"frequency": frequency, "in_advance": in_advance, "months": months}, 2, (start, end)
