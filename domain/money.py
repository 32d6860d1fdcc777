# SPDX-License-Identifier: EUPL-1.2
"""Money: Decimal kronor, rounding, Swedish formatting and parsing.
May import: the standard library and other domain modules; never Django or an app.

Money is always :class:`decimal.Decimal` with two decimals (öre), rounded ROUND_HALF_UP. Floats are
refused everywhere: a float that reaches these functions is a bug, so it raises ``TypeError``.

Amounts are bounded: one amount is at most :data:`MAX_AMOUNT` (just under a thousand billion kronor,
what the database stores: 14 digits, two of them öre). Beyond it a :class:`~domain.errors.DomainError`
``money.out_of_range`` says so, instead of an arithmetic exception deep in a calculation.

Error codes raised here: ``money.not_an_amount`` (``text``), ``money.out_of_range`` (``max``).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import DomainError

ORE = Decimal("0.01")
KRONA = Decimal("1")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")


def check_amount(amount: Decimal) -> Decimal:
    """``amount`` itself, if it is finite and within ±:data:`MAX_AMOUNT`; else ``money.out_of_range``."""
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise DomainError("money.out_of_range", max=MAX_AMOUNT)
    return amount


def to_money(value: Decimal | int | str) -> Decimal:
    """Convert an int, a Decimal or a plain numeric string to kronor with two decimals.

    Raises ``money.not_an_amount`` for text that is not a number and ``money.out_of_range`` for an
    amount beyond :data:`MAX_AMOUNT` (both are ``ValueError`` s).
    """
    if isinstance(value, (float, bool)):
        raise TypeError("money must not be a float or bool")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise DomainError("money.not_an_amount", text=str(value)) from exc
    if not amount.is_finite():
        raise DomainError("money.not_an_amount", text=str(value))
    # Checked before rounding: quantize itself fails on amounts with more digits than the context holds.
    check_amount(amount)
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def round_ore(value: Decimal) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


def round_krona(value: Decimal) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return value.quantize(KRONA, rounding=ROUND_HALF_UP)


def split_by_weights(total: Decimal, weights: list[int] | list[Decimal], unit: Decimal = ORE) -> list[Decimal]:
    """Split ``total`` in parts proportional to ``weights`` that add up to ``total`` exactly.

    Largest-remainder allocation in steps of ``unit`` (öre by default): every part is within one unit
    of its exact share and the parts sum to the total to the öre.
    """
    if isinstance(total, float):
        raise TypeError("money must not be a float")
    if not weights:
        raise ValueError("at least one weight is needed")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(Decimal(w) for w in weights)
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    total = total.quantize(unit, rounding=ROUND_HALF_UP)
    units = int(total / unit)
    exact = [Decimal(units) * Decimal(w) / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(n) * unit).quantize(unit) for n in floors]


def format_sek(value: Decimal, *, decimals: bool | None = None) -> str:
    """Swedish format: "1 234 567 kr" (non-breaking thin spaces avoided: plain no-break space).

    Öre are shown only when the amount has them, unless ``decimals`` says otherwise.
    """
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    amount = round_ore(value)
    show_ore = decimals if decimals is not None else amount != amount.to_integral_value()
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    ore = int((amount - whole) * 100)
    groups = f"{whole:,}".replace(",", "\u00a0")
    text = f"{groups},{ore:02d}" if show_ore else groups
    return f"{sign}{text}\u00a0kr"


_SCALE = {
    "kr": Decimal(1),
    "kronor": Decimal(1),
    "kronor.": Decimal(1),
    "sek": Decimal(1),
    ":-": Decimal(1),
    "tkr": Decimal(1000),
    "tsek": Decimal(1000),
    "tusen": Decimal(1000),
    "tusen kronor": Decimal(1000),
    "mnkr": Decimal(1_000_000),
    "mkr": Decimal(1_000_000),
    "msek": Decimal(1_000_000),
    "miljoner": Decimal(1_000_000),
    "miljoner kronor": Decimal(1_000_000),
    "miljon": Decimal(1_000_000),
    "mdkr": Decimal(1_000_000_000),
    "miljarder": Decimal(1_000_000_000),
}
_AMOUNT = re.compile(
    r"^\s*(?:ca\.?|cirka|omkring|totalt|om)?\s*"
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{1,2})?|\d+(?:,\d+)?)"
    r"\s*(?P<unit>tusen kronor|miljoner kronor|[a-zåäö]+\.?|:-)?\s*$",
    re.IGNORECASE,
)


def parse_sek(text: str) -> Decimal:
    """Parse a Swedish amount: "1 275 750 kronor", "800 tkr", "Ca 300 tkr", "8 mnkr", "4 040 000".

    Returns kronor as Decimal with two decimals; raises ``money.not_an_amount`` (a ``ValueError``) for
    anything else and ``money.out_of_range`` for an amount beyond :data:`MAX_AMOUNT`.
    """
    match = _AMOUNT.match(text or "")
    if not match:
        raise DomainError("money.not_an_amount", text=text or "")
    number = re.sub(r"[ \u00a0\u202f.]", "", match.group("num")).replace(",", ".")
    unit = (match.group("unit") or "kr").lower()
    if unit not in _SCALE:
        raise DomainError("money.not_an_amount", text=text)
    return to_money(Decimal(number) * _SCALE[unit])
