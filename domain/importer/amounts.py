# SPDX-License-Identifier: EUPL-1.2
"""Amounts of money in running text and in table rows ("1 275 750 kronor", "800 tkr", "8 mnkr").
May import: the standard library and other domain modules; never Django or an app.

Conversion to kronor reuses :func:`domain.money.parse_sek`; this module only finds the amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import DomainError
from domain.money import parse_sek

_UNIT = r"(?:miljoner\skronor|miljoner|miljon|mnkr|mkr|msek|mdkr|miljarder|tusen\skronor|tusen|tkr|tsek|kronor|kr\.?|sek|:-)"
# A number: grouped by spaces or dots ("1 275 750", "1.275.750") or plain digits, with optional decimals.
# Bounded repetitions keep the work per start position constant, so scanning stays linear.
_NUMBER = r"(?<![\d,.])(?P<num>\d{1,3}(?:[ .]\d{3}){1,4}|\d{1,10})(?:,(?P<dec>\d{1,2}|-{1,2}))?(?![\d])"
AMOUNT_RE = re.compile(rf"{_NUMBER}(?:\s?(?P<unit>{_UNIT})(?![a-zåäö]))?", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    value: int  # whole kronor
    start: int
    end: int
    has_unit: bool
    grouped: bool

    @property
    def plausible(self) -> bool:
        """Money-looking: with a unit, or digit-grouped, or at least 1 000 (not a year)."""
        return self.has_unit or self.grouped or (self.value >= 1000 and not 1900 <= self.value <= 2100)


def to_kronor(number: str, unit: str | None = None, decimals: str | None = None) -> int | None:
    """Whole kronor for a number and unit, via :func:`domain.money.parse_sek`; ``None`` if not an amount."""
    digits = re.sub(r"[ .]", "", number)
    text = digits + (f",{decimals}" if decimals and decimals.isdigit() else "")
    if unit:
        text += " " + unit.lower().replace(".", "").strip()
    try:
        value: Decimal = parse_sek(text)
    except DomainError as exc:
        if exc.code == "money.out_of_range" and not unit and not decimals:
            # Beyond any one amount: a run of several ("270 000 648 000 378 000") that table rows split later.
            return int(digits)
        return None
    except ValueError:
        return None
    if value < 0:
        return None
    return int(value.to_integral_value())


def find_amounts(text: str, scale_unit: str | None = None) -> list[Amount]:
    """Amounts in ``text``. ``scale_unit`` (e.g. "tkr") applies to numbers written without a unit."""
    found: list[Amount] = []
    for match in AMOUNT_RE.finditer(text):
        unit = match.group("unit")
        if unit and unit.lower() == "sek" and text[max(0, match.start() - 1) : match.start()] == "(":
            unit = None
        number = match.group("num")
        if number.isdigit() and len(number) > 1 and number.startswith("0"):
            continue  # "0701" is not an amount
        value = to_kronor(number, unit or scale_unit, match.group("dec"))
        if value is None:
            continue
        found.append(Amount(value, match.start(), match.end(), bool(unit), " " in number or "." in number))
    return found


def split_amount_run(text: str, count: int) -> list[int] | None:
    """Split a run of space-grouped numbers into ``count`` amounts: "2 020 000 4 040 000" → [2020000, 4040000].

    Each amount is a first group of 1–3 digits followed by groups of exactly three; a group of fewer than
    three digits must start an amount; an amount never starts with "0". Markers such as "*" or "kr" end an
    amount. When several splits are possible the one with the most even number of digits wins.
    """
    tokens = re.findall(r"\d+|[^\d\s]+", text)
    groups: list[tuple[str, bool]] = []  # (digits, must end an amount after it)
    for token in tokens:
        if token.isdigit():
            groups.append((token, False))
        elif groups:
            groups[-1] = (groups[-1][0], True)
    if not groups or count <= 0 or len(groups) > 60:
        return None
    n = len(groups)
    best: tuple[float, list[int]] | None = None
    budget = [20_000]  # explored splits; beyond this the run is too ambiguous to split

    def valid_amount(i: int, j: int) -> bool:  # groups[i:j] form one amount
        first = groups[i][0]
        if not 1 <= len(first) <= 3 and not (j == i + 1 and len(first) <= 9):
            return False
        if first.startswith("0") and first != "0":
            return False
        if any(len(g) != 3 for g, _ in groups[i + 1 : j]):
            return False
        return not any(end for _, end in groups[i : j - 1])

    def search(i: int, parts: list[int]) -> None:
        nonlocal best
        budget[0] -= 1
        if len(parts) > count or budget[0] < 0:
            return
        if i == n:
            if len(parts) == count:
                lengths = [len(str(p)) for p in parts]
                spread = max(lengths) - min(lengths)
                if best is None or spread < best[0]:
                    best = (spread, list(parts))
            return
        for j in range(i + 1, min(n, i + 5) + 1):
            if valid_amount(i, j):
                parts.append(int("".join(g for g, _ in groups[i:j])))
                search(j, parts)
                parts.pop()

    search(0, [])
    return best[1] if best else None
