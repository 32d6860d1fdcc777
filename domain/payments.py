# SPDX-License-Identifier: EUPL-1.2
"""Payment plans: when an agreement's money is invoiced, per funding source, and regeneration after a change.
May import: the standard library, holidays and other domain modules; never Django or an app.

A plan is regenerated after a change without touching what has already been invoiced.

Instalments (blocks)
    Money is per calendar year (see :mod:`domain.periods`), so instalments never cross a year: each year
    is cut into blocks — ``annual`` and ``once``: the whole year; ``semiannual``: January–June and
    July–December; ``quarterly``: calendar quarters; ``monthly``: each month. An instalment covers the
    block's counted months and gets the year's amount split by months (largest remainder, exact).
    ``once`` pays every year's instalment on the same date (the start); a one-off payment for an
    agreement spanning two years is therefore two planned payments, one per budget year, both due at
    the start (Reningsborg: 61 538,46 kr for 2024 and 738 461,54 kr for 2025, both in December 2024).

Due dates
    In advance, an instalment is due in the first covered month of its block (or ``rule.months[i]``
    for block i, moved into the covered months), on the **first weekday on or after the 1st** of that
    month, never before the agreement starts. In arrears, it is due in the last covered month of its
    block (or ``rule.months[i]``), on the **last weekday of the month** — half-yearly invoicing in
    arrears falls due at the end of June and the end of December. Public holidays are not considered.

Funding sources
    The year amount is shared between ``default_source`` (the remainder) and :class:`FundingShare` s:
    a fixed annual amount (pro rata by counted months, not indexed — any uplift stays with the default
    source) or a share of the year amount. A source ``invoiced_separately`` gets its own planned payment
    per instalment; the others are invoiced with the default source.

Keys
    ``"YYYY-MM:<source>"`` — the first covered month of the instalment and the source, e.g.
    ``"2026-01:Folkhälsomedel"``. Adjustments are ``"<slot key>:adjustment-N"``.

Regeneration
    See :func:`regenerate`. Recorded payments that are invoiced, paid or withheld are never altered or
    dropped; planned ones are replaced. Where a locked slot's amount differs from the new plan, an
    adjustment planned payment carries the difference: positive = invoice more, negative = a credit
    (kreditering / avräkning) to settle. A withheld payment still counts towards its slot: withholding is
    a state of that payment, not a change of the plan.

Recording and correcting
    planned → invoiced → paid, or planned → paid in one step when the invoice details come with the
    payment; planned or invoiced may be withheld. An invoice needs its number and date; a payment its
    date, never before the invoice date (:func:`recording_problems`, :func:`correction_problems`). A
    planned payment past its due date is overdue (:func:`is_overdue`): nobody has invoiced it yet.

Errors
    Refusals are :class:`~domain.errors.DomainError` s (``ValueError`` s) with a code and parameters; the
    words are chosen at the edge. Codes: ``payment.transition_not_allowed`` (``old``, ``new``: status
    values), ``payment.invoice_number_required``, ``payment.invoice_date_required``,
    ``payment.paid_date_required``, ``payment.paid_before_invoiced`` (``paid_on``, ``invoiced_on``),
    ``payment.not_recorded`` (``status``), ``payment.negative_year_amount`` (``year``),
    ``funding.negative_amount``, ``funding.share_out_of_range``, ``funding.duplicate_name`` (``name``: also
    when it is the default source's), ``funding.exceeds_year_amount``
    (``amount``, ``funding``, ``year``: ``None`` when not known), and ``period.too_long`` from
    :mod:`domain.periods`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Literal

import holidays

from domain.errors import DomainError
from domain.money import ZERO, round_ore, split_by_weights
from domain.periods import Period, check_money_period, month_end, months_covered, touched_months

Frequency = Literal["once", "annual", "semiannual", "quarterly", "monthly"]
_BLOCK_LENGTH = {"once": 12, "annual": 12, "semiannual": 6, "quarterly": 3, "monthly": 1}
ADJUSTMENT_MARK = ":adjustment-"


# --- Statuses -----------------------------------------------------------------------------------------


class PaymentStatus(StrEnum):
    PLANNED = "planned"
    INVOICED = "invoiced"
    PAID = "paid"
    WITHHELD = "withheld"


# planned → invoiced → paid (or planned → paid at once, with the invoice details); planned or invoiced
# may be withheld; a withheld payment is released as invoiced (or paid directly). Paid is final.
# Nothing goes back to planned. A controller's correction of a recorded payment is not a transition
# (see :func:`correction_problems`).
_NEXT = {
    PaymentStatus.PLANNED: frozenset({PaymentStatus.INVOICED, PaymentStatus.PAID, PaymentStatus.WITHHELD}),
    PaymentStatus.INVOICED: frozenset({PaymentStatus.PAID, PaymentStatus.WITHHELD}),
    PaymentStatus.WITHHELD: frozenset({PaymentStatus.INVOICED, PaymentStatus.PAID}),
    PaymentStatus.PAID: frozenset(),
}
LOCKED_STATUSES = frozenset({PaymentStatus.INVOICED, PaymentStatus.PAID, PaymentStatus.WITHHELD})


RECORDED_STATUSES = frozenset({PaymentStatus.INVOICED, PaymentStatus.PAID})


class PaymentStatusError(DomainError):
    """A status change, or recorded details, that are not allowed: a code and parameters."""


def next_statuses(status: PaymentStatus | str) -> frozenset[PaymentStatus]:
    """The statuses a payment in ``status`` may move to."""
    return _NEXT[PaymentStatus(status)]


def check_transition(old: PaymentStatus | str, new: PaymentStatus | str) -> None:
    """Raise :class:`PaymentStatusError` unless ``old`` → ``new`` is allowed."""
    old, new = PaymentStatus(old), PaymentStatus(new)
    if new not in _NEXT[old]:
        raise PaymentStatusError("payment.transition_not_allowed", old=old.value, new=new.value)


def payment_problems(
    status: PaymentStatus | str,
    *,
    invoice_number: str,
    invoiced_on: date | None,
    paid_on: date | None,
    invoice_required: bool,
) -> list[PaymentStatusError]:
    """What is missing or wrong in a payment's details for ``status``; empty when they are consistent.

    An invoiced payment has an invoice number and date. A paid one has a paid date; it also has the
    invoice details when ``invoice_required`` (it was invoiced, or is paid at once from planned), and in
    any case an invoice number comes with its date and the other way round. Paid is never before invoiced.
    """
    status = PaymentStatus(status)
    has_number, has_date = bool(invoice_number.strip()), invoiced_on is not None
    needs_invoice = status == PaymentStatus.INVOICED or (
        status == PaymentStatus.PAID and (invoice_required or has_number or has_date)
    )
    problems = []
    if needs_invoice and not has_number:
        problems.append(PaymentStatusError("payment.invoice_number_required"))
    if needs_invoice and not has_date:
        problems.append(PaymentStatusError("payment.invoice_date_required"))
    if status == PaymentStatus.PAID:
        if paid_on is None:
            problems.append(PaymentStatusError("payment.paid_date_required"))
        elif invoiced_on is not None and paid_on < invoiced_on:
            problems.append(
                PaymentStatusError("payment.paid_before_invoiced", paid_on=paid_on, invoiced_on=invoiced_on)
            )
    return problems


def recording_problems(
    old: PaymentStatus | str,
    new: PaymentStatus | str,
    *,
    invoice_number: str,
    invoiced_on: date | None,
    paid_on: date | None,
) -> list[PaymentStatusError]:
    """Whether a payment in ``old`` may be recorded as ``new`` with these details (the details after the
    change: what was recorded before and what is given now). Empty when it may.

    Paying a planned payment in one step needs the invoice details with it; paying an invoiced one keeps
    its invoice details; a withheld payment released straight to paid may have none.
    """
    old, new = PaymentStatus(old), PaymentStatus(new)
    try:
        check_transition(old, new)
    except PaymentStatusError as error:
        return [error]
    return payment_problems(
        new,
        invoice_number=invoice_number,
        invoiced_on=invoiced_on,
        paid_on=paid_on,
        invoice_required=old != PaymentStatus.WITHHELD,
    )


def correction_problems(
    current: PaymentStatus | str,
    corrected: PaymentStatus | str,
    *,
    invoice_number: str,
    invoiced_on: date | None,
    paid_on: date | None,
) -> list[PaymentStatusError]:
    """Whether a recorded (invoiced or paid) payment may be corrected to these details. Empty when it may.

    A correction fixes what was recorded by mistake: the invoice number, the dates, or the status
    between invoiced and paid. It never makes a payment planned again (the plan would lose it) and never
    touches a planned or withheld payment (those are recorded, not corrected).
    """
    current, corrected = PaymentStatus(current), PaymentStatus(corrected)
    if current not in RECORDED_STATUSES:
        return [PaymentStatusError("payment.not_recorded", status=current.value)]
    if corrected not in RECORDED_STATUSES:
        return [PaymentStatusError("payment.transition_not_allowed", old=current.value, new=corrected.value)]
    return payment_problems(
        corrected, invoice_number=invoice_number, invoiced_on=invoiced_on, paid_on=paid_on, invoice_required=False
    )


def is_overdue(status: PaymentStatus | str, due_on: date, today: date) -> bool:
    """A planned payment whose due date has passed: nobody has invoiced (or withheld) it yet."""
    return PaymentStatus(status) == PaymentStatus.PLANNED and due_on < today


# --- Value types --------------------------------------------------------------------------------------


def _check_money(value: object, name: str) -> None:
    if isinstance(value, (float, bool)) or not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal (never a float), not {type(value).__name__}")


@dataclass(frozen=True)
class PaymentRule:
    """How often and when the money is invoiced. ``months``: the due month of each block (optional)."""

    frequency: Frequency
    in_advance: bool = True
    months: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.frequency not in _BLOCK_LENGTH:
            raise ValueError(f"unknown frequency: {self.frequency!r}")
        if self.months and self.frequency in ("once", "monthly"):
            raise ValueError(f"months cannot be given for frequency {self.frequency!r}")
        if self.months and len(self.months) != 12 // self.block_length:
            raise ValueError("give one due month per block of the year")
        for index, month in enumerate(self.months):
            if month not in self.block(index):
                raise ValueError(f"due month {month} is outside block {index + 1}")

    @property
    def block_length(self) -> int:
        return _BLOCK_LENGTH[self.frequency]

    def block(self, index: int) -> range:
        """The calendar months (1–12) of block ``index`` of a year."""
        return range(index * self.block_length + 1, (index + 1) * self.block_length + 1)

    def nominal_due_month(self, index: int) -> int:
        if self.months:
            return self.months[index]
        block = self.block(index)
        return block[0] if self.in_advance else block[-1]


@dataclass(frozen=True)
class FundingShare:
    """A funding source other than the default one: a fixed annual amount or a share (0–1) of the year."""

    name: str
    annual_amount: Decimal | None = None
    share: Decimal | None = None
    invoiced_separately: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a funding source needs a name")
        if (self.annual_amount is None) == (self.share is None):
            raise ValueError("give exactly one of annual_amount and share")
        if self.annual_amount is not None:
            _check_money(self.annual_amount, "annual_amount")
            if self.annual_amount < 0:
                raise DomainError("funding.negative_amount")
        if self.share is not None:
            _check_money(self.share, "share")
            if not 0 <= self.share <= 1:
                raise DomainError("funding.share_out_of_range")

    def amount_for(self, year_amount: Decimal, months: int) -> Decimal:
        """This source's part of a year with ``months`` counted months and ``year_amount`` in all."""
        if self.annual_amount is not None:
            return round_ore(self.annual_amount * months / 12)
        assert self.share is not None  # exactly one of the two is given (__post_init__)
        return round_ore(year_amount * self.share)


@dataclass(frozen=True)
class PlannedPayment:
    """One planned instalment for one funding source. ``adjusts`` is the slot key an adjustment corrects."""

    due_on: date
    amount: Decimal
    funding_source: str
    covers: Period
    key: str
    adjusts: str | None = None

    def __post_init__(self) -> None:
        _check_money(self.amount, "amount")

    @property
    def year(self) -> int:
        return self.covers.start.year


@dataclass(frozen=True, kw_only=True)
class RecordedPayment:
    """A payment as stored: a planned payment that may have moved on to invoiced, paid or withheld."""

    key: str
    due_on: date
    amount: Decimal
    funding_source: str
    covers: Period
    status: PaymentStatus = PaymentStatus.PLANNED
    invoice_number: str = ""
    paid_on: date | None = None

    def __post_init__(self) -> None:
        _check_money(self.amount, "amount")
        object.__setattr__(self, "status", PaymentStatus(self.status))

    @property
    def year(self) -> int:
        return self.covers.start.year

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @classmethod
    def from_planned(cls, payment: PlannedPayment) -> RecordedPayment:
        return cls(
            key=payment.key,
            due_on=payment.due_on,
            amount=payment.amount,
            funding_source=payment.funding_source,
            covers=payment.covers,
        )


@dataclass(frozen=True)
class PlanChange:
    """One step of a regeneration: keep a recorded payment, add or update a planned one, or remove one."""

    action: Literal["keep", "add", "update", "remove"]
    key: str
    recorded: RecordedPayment | None = None
    payment: PlannedPayment | None = None


# --- Dates --------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _non_banking_days(year: int) -> frozenset[date]:
    """Swedish public holidays, plus midsommarafton, julafton and nyårsafton, when banks are closed too."""
    official = holidays.Sweden(years=[year], include_sundays=False)
    eves = {date(year, 12, 24), date(year, 12, 31)}
    eves |= {d - timedelta(days=1) for d, name in official.items() if name == "Midsommardagen"}
    return frozenset(official) | frozenset(eves)


def is_bank_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _non_banking_days(day.year)


def first_weekday_on_or_after(day: date) -> date:
    """The first bank day on or after ``day`` (weekends and Swedish holidays skipped)."""
    while not is_bank_day(day):
        day += timedelta(days=1)
    return day


def last_weekday_of_month(year: int, month: int) -> date:
    """The last bank day of the month (weekends and Swedish holidays skipped)."""
    day = month_end(date(year, month, 1))
    while not is_bank_day(day):
        day -= timedelta(days=1)
    return day


def due_date(period: Period, year: int, month: int, *, in_advance: bool) -> date:
    """In advance: the first bank day on or after the 1st (never before the start); in arrears: the last bank day."""
    if in_advance:
        return first_weekday_on_or_after(max(date(year, month, 1), period.start))
    return last_weekday_of_month(year, month)


# --- Funding ------------------------------------------------------------------------------------------


def funding_by_source(
    year_amount: Decimal, months: int, funding: list[FundingShare], *, default_source: str, year: int | None = None
) -> dict[str, Decimal]:
    """A year's amount per funding source; the default source gets the rest. Sums exactly to ``year_amount``.

    ``year`` only names the year in the ``funding.exceeds_year_amount`` refusal.
    """
    _check_money(year_amount, "year_amount")
    names = [share.name for share in funding]
    seen = {default_source}
    for name in names:
        if name in seen:
            raise DomainError("funding.duplicate_name", name=name)
        seen.add(name)
    parts = {share.name: share.amount_for(year_amount, months) for share in funding}
    rest = round_ore(year_amount) - sum(parts.values(), ZERO)
    if rest < 0:
        raise DomainError(
            "funding.exceeds_year_amount", amount=round_ore(year_amount), funding=sum(parts.values(), ZERO), year=year
        )
    return {default_source: rest, **parts}


def invoiced_by_source(
    year_amount: Decimal, months: int, funding: list[FundingShare], *, default_source: str, year: int | None = None
) -> dict[str, Decimal]:
    """Like :func:`funding_by_source`, with sources not invoiced separately folded into the default source."""
    by_source = funding_by_source(year_amount, months, funding, default_source=default_source, year=year)
    for share in funding:
        if not share.invoiced_separately:
            by_source[default_source] += by_source.pop(share.name)
    return by_source


# --- Plan ---------------------------------------------------------------------------------------------


def _months_in_year(period: Period, year: int) -> list[int]:
    """Counted months of ``year``; if none count (a very short period), every month touched."""
    counted = [m.month for m in months_covered(period) if m.year == year]
    return counted or [m.month for m in touched_months(period) if m.year == year]


def _blocks(rule: PaymentRule, months: list[int]) -> list[tuple[int, list[int]]]:
    """(block index, covered months) for each block of the year with covered months."""
    blocks = []
    for index in range(12 // rule.block_length):
        covered = [m for m in months if m in rule.block(index)]
        if covered:
            blocks.append((index, covered))
    return blocks


def _covers(period: Period, year: int, months: list[int]) -> Period:
    first = max(date(year, months[0], 1), period.start)
    last = min(month_end(date(year, months[-1], 1)), period.last_covered_day)
    return Period(first, last)


def _due_on(period: Period, rule: PaymentRule, year: int, index: int, months: list[int]) -> date:
    if rule.frequency == "once":
        if rule.in_advance:
            return due_date(period, period.start.year, period.start.month, in_advance=True)
        last = period.last_covered_day
        return due_date(period, last.year, last.month, in_advance=False)
    month = min(max(rule.nominal_due_month(index), months[0]), months[-1])
    return due_date(period, year, month, in_advance=rule.in_advance)


def slot_key(year: int, month: int, source: str) -> str:
    return f"{year:04d}-{month:02d}:{source}"


def generate_plan(
    period: Period,
    amounts_by_year: dict[int, Decimal],
    rule: PaymentRule,
    funding: list[FundingShare],
    *,
    default_source: str,
) -> list[PlannedPayment]:
    """The planned payments for ``amounts_by_year`` (base or indexed), sorted by due date and key.

    Each year's payments sum exactly to its amount, and per invoiced source to that source's part.
    Zero amounts produce no payment. A period longer than the money bound raises ``period.too_long``.
    """
    check_money_period(period)
    plan = []
    for year, amount in sorted(amounts_by_year.items()):
        _check_money(amount, f"amount for {year}")
        if amount < 0:
            raise DomainError("payment.negative_year_amount", year=year)
        months = _months_in_year(period, year)
        if not months:
            raise ValueError(f"{year} is outside the agreement period")
        plan.extend(_plan_year(period, year, amount, months, rule, funding, default_source))
    return sorted(plan, key=lambda p: (p.due_on, p.key))


def _plan_year(
    period: Period,
    year: int,
    amount: Decimal,
    months: list[int],
    rule: PaymentRule,
    funding: list[FundingShare],
    default_source: str,
) -> list[PlannedPayment]:
    blocks = _blocks(rule, months)
    by_source = invoiced_by_source(amount, len(months), funding, default_source=default_source, year=year)
    plan = []
    for source, source_amount in by_source.items():
        parts = split_by_weights(source_amount, [len(covered) for _, covered in blocks])
        for (index, covered), part in zip(blocks, parts, strict=True):
            if part == 0:
                continue
            plan.append(
                PlannedPayment(
                    due_on=_due_on(period, rule, year, index, covered),
                    amount=part,
                    funding_source=source,
                    covers=_covers(period, year, covered),
                    key=slot_key(year, covered[0], source),
                )
            )
    return plan


# --- Regeneration -------------------------------------------------------------------------------------


def slot_of(key: str) -> str:
    """The slot a key belongs to: the key itself, or the slot an adjustment key corrects."""
    return key.split(ADJUSTMENT_MARK, 1)[0]


def _adjustment_number(key: str) -> int:
    _, _, number = key.partition(ADJUSTMENT_MARK)
    return int(number) if number.isdigit() else 0


def _check_unique(keys: list[str]) -> None:
    if len(set(keys)) != len(keys):
        raise ValueError("payment keys must be unique")


def regenerate(
    existing: list[RecordedPayment], new_plan: list[PlannedPayment], *, as_of: date | None = None
) -> list[PlanChange]:
    """Reconcile the recorded payments with a new plan, slot by slot.

    * Invoiced, paid and withheld payments are kept exactly (``keep``).
    * A slot with no locked payment takes the new plan's payment: ``update`` (or ``keep`` if identical)
      of its planned record, ``add`` if there is none; planned records the new plan lacks are ``remove``d.
    * A slot with locked payments gets one adjustment planned payment for ``new amount − locked sum``
      (positive or negative; none when zero), due on the slot's new due date but not before ``as_of``.
      A slot dropped from the plan has new amount 0, so its locked payments are credited in full.

    Totals per year and source of the result (:func:`apply_changes`) therefore equal the new plan's.
    """
    _check_unique([p.key for p in existing])
    _check_unique([p.key for p in new_plan])
    if any(p.adjusts for p in new_plan):
        raise ValueError("a new plan must not contain adjustments")
    planned = {p.key: p for p in new_plan}
    recorded: dict[str, list[RecordedPayment]] = defaultdict(list)
    for payment in existing:
        recorded[slot_of(payment.key)].append(payment)
    changes = []
    for slot in sorted(set(planned) | set(recorded)):
        changes.extend(_reconcile_slot(slot, planned.get(slot), recorded.get(slot, []), as_of))
    return changes


def _reconcile_slot(
    slot: str, planned: PlannedPayment | None, records: list[RecordedPayment], as_of: date | None
) -> list[PlanChange]:
    locked = [r for r in records if r.is_locked]
    open_records = [r for r in records if not r.is_locked]
    changes = [PlanChange("keep", r.key, recorded=r) for r in locked]
    if not locked:
        targets = [planned] if planned is not None else []
    else:
        difference = (planned.amount if planned else ZERO) - sum((r.amount for r in locked), ZERO)
        targets = [_adjustment(slot, planned, records, difference, as_of)] if difference else []
    return changes + _match(open_records, targets)


def _adjustment(
    slot: str, planned: PlannedPayment | None, records: list[RecordedPayment], difference: Decimal, as_of: date | None
) -> PlannedPayment:
    locked = [r for r in records if r.is_locked]
    reusable = sorted(r.key for r in records if not r.is_locked and ADJUSTMENT_MARK in r.key)
    number = max((_adjustment_number(r.key) for r in records), default=0) + 1
    due_on = planned.due_on if planned else max(r.due_on for r in locked)
    if as_of is not None and due_on < as_of:
        due_on = first_weekday_on_or_after(as_of)
    return PlannedPayment(
        due_on=due_on,
        amount=difference,
        funding_source=planned.funding_source if planned else locked[0].funding_source,
        covers=planned.covers if planned else locked[0].covers,
        key=reusable[0] if reusable else f"{slot}{ADJUSTMENT_MARK}{number}",
        adjusts=slot,
    )


def _same(record: RecordedPayment, payment: PlannedPayment) -> bool:
    return (record.due_on, record.amount, record.funding_source, record.covers) == (
        payment.due_on,
        payment.amount,
        payment.funding_source,
        payment.covers,
    )


def _match(open_records: list[RecordedPayment], targets: list[PlannedPayment]) -> list[PlanChange]:
    by_key = {r.key: r for r in open_records}
    changes = []
    for target in targets:
        record = by_key.pop(target.key, None)
        if record is None:
            changes.append(PlanChange("add", target.key, payment=target))
        elif _same(record, target):
            changes.append(PlanChange("keep", target.key, recorded=record, payment=target))
        else:
            changes.append(PlanChange("update", target.key, recorded=record, payment=target))
    changes.extend(PlanChange("remove", r.key, recorded=r) for r in by_key.values())
    return changes


def apply_changes(changes: list[PlanChange]) -> list[RecordedPayment]:
    """The payments after a regeneration: kept records as they were, added and updated ones as planned."""
    result = []
    for change in changes:
        if change.action == "keep" and change.recorded is not None:
            result.append(change.recorded)
        elif change.action in ("add", "update") and change.payment is not None:
            result.append(RecordedPayment.from_planned(change.payment))
    return result


def totals_by_year_and_source(payments: list[RecordedPayment] | list[PlannedPayment]) -> dict[tuple[int, str], Decimal]:
    """Sum of amounts per (budget year, funding source)."""
    totals: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for payment in payments:
        totals[(payment.year, payment.funding_source)] += payment.amount
    return dict(totals)
