# SPDX-License-Identifier: EUPL-1.2
"""Loading a table of index values from a file (``manage.py load_index``): reading, and the write.

Holds: :func:`read_sheets` (a .csv, .xlsx, .xls or .ods file → its sheets as rows of cells),
:func:`read_index_table` (the first sheet with a table of years and percentages, parsed by
:func:`domain.index_table.parse_index_table`), and the services of this concern, :func:`index_values_load`
(every value of the file in one transaction, each new or changed one audited) and
:func:`index_plans_regenerate` (after that commit, the payment plans the changed years reach, through the
bulk recalculation the load queued, :mod:`apps.finance.recalculation`). May import: domain, apps.core,
apps.audit, this app's models, services and recalculation.

Errors are :class:`~domain.errors.DomainError` codes (``index_file.*`` here, ``index_table.*`` and
``index.*`` from the pure rules) worded in :mod:`apps.finance.errors`, or a ``ValidationError`` from a
model's own checks; nothing is written when either is raised.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.audit.services import snapshot
from apps.core.errors import describe
from apps.core.services import require_perm
from apps.core.versioning import lock_current
from domain import indexation as index_rules
from domain.errors import DomainError
from domain.index_table import Cell, TableValue, parse_index_table

from . import recalculation, services
from .models import IndexSeries, IndexValue, PlanRecalculation

SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
SUFFIXES = frozenset({".csv", ".txt", *SPREADSHEETS})
MAX_FILE_BYTES = 20 * 1024 * 1024  # a table of index values is a few kB; refuse anything absurd
PERCENT_PLACES = Decimal(1).scaleb(-(IndexValue._meta.get_field("percent").decimal_places or 0))
# The bounds of IndexValue's ``indexvalue_percent_range`` constraint (exclusive), narrower than the rules'.
STORED_MIN, STORED_MAX = IndexValue.PERCENT_MIN, IndexValue.PERCENT_MAX
DEFAULT_MONTH = 10  # the model's default reference month (October, as PKV)

Status = Literal["new", "changed", "unchanged"]


class ValueRefused(Exception):
    """A value of the table that cannot be stored: its year and the reasons in the active language."""

    def __init__(self, year: int, messages: list[str]) -> None:
        super().__init__(f"{year}: {' '.join(messages)}")
        self.year = year
        self.messages = messages


# Reading ------------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # Excel's "CSV" on Swedish Windows


def _delimiter(text: str) -> str:
    """ ";" or a tab when the file uses one (then a comma is a decimal comma), else ","."""
    lines = [line for line in text.splitlines() if line.strip()]
    for candidate in (";", "\t"):
        if any(candidate in line for line in lines):
            return candidate
    return ","


def _read_csv(path: Path) -> list[list[Cell]]:
    data = path.read_bytes()
    if b"\x00" in data:
        raise DomainError("index_file.unreadable", name=path.name)
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        raise DomainError("index_file.unreadable", name=path.name) from None
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text))]
    except csv.Error:
        raise DomainError("index_file.unreadable", name=path.name) from None


def _read_spreadsheet(path: Path) -> list[list[list[Cell]]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets: list[list[list[Cell]]] = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append([list[Cell](row) for row in rows])
    except Exception:  # noqa: BLE001 - calamine raises many kinds (zip, XML, password, format): all mean unreadable
        raise DomainError("index_file.unreadable", name=path.name) from None
    return sheets


def read_sheets(path: Path) -> list[list[list[Cell]]]:
    """The sheets of the file (one for a CSV file), each as rows of cell values."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DomainError("index_file.unsupported", name=path.name, suffix=suffix or path.name)
    if not path.is_file():
        raise DomainError("index_file.missing", name=str(path))
    try:
        size = path.stat().st_size
    except OSError:
        raise DomainError("index_file.unreadable", name=path.name) from None
    if size > MAX_FILE_BYTES:
        raise DomainError("index_file.too_large", name=path.name, max_mb=MAX_FILE_BYTES // (1024 * 1024))
    try:
        return _read_spreadsheet(path) if suffix in SPREADSHEETS else [_read_csv(path)]
    except OSError:
        raise DomainError("index_file.unreadable", name=path.name) from None


def read_index_table(path: Path, *, label: str | None = None, month: int | None = None) -> list[TableValue]:
    """The years and percentages of the first sheet of ``path`` that holds such a table."""
    first_error: DomainError | None = None
    for rows in read_sheets(path):
        try:
            return parse_index_table(rows, label=label, month=month)
        except DomainError as exc:
            first_error = first_error or exc
    raise first_error or DomainError("index_table.no_years")


# Writing ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedValue:
    """One year of the file and what loading it does (or, in a dry run, would do)."""

    year: int
    month: int
    percent: Decimal
    status: Status
    old_percent: Decimal | None = None


@dataclass(frozen=True)
class PlanResult:
    """The payment plans regenerated after a load: how many agreements, how many changed, which refused."""

    agreements: int
    changed: int
    refused: list[tuple[int, str, list[str]]]  # (agreement id, title, messages)
    pending: bool = False  # the task worker is recalculating them still


def _existing_for(existing: Sequence[IndexValue], year: int, month: int | None) -> IndexValue | None:
    """The stored value a year of the file corresponds to: the same month, else the year's only value.

    The rules take one value of each kind per year (``index.duplicate_value``), whatever its month.
    """
    same_year = [value for value in existing if value.year == year]
    if month is not None:
        for value in same_year:
            if value.reference_month == month:
                return value
    return same_year[0] if len(same_year) == 1 else None


def _unchanged(value: IndexValue, percent: Decimal, month: int, is_forecast: bool) -> bool:
    return (
        value.percent == percent
        and value.reference_month == month
        and value.is_forecast == is_forecast
        and not value.is_example
    )


@transaction.atomic
def index_values_load(
    *,
    actor: Any,
    series: IndexSeries,
    values: Sequence[TableValue],
    published_on: dt.date,
    is_forecast: bool = False,
    source: str = "",
    dry_run: bool = False,
) -> list[LoadedValue]:
    """Store every value of a table in ``series``: new years added, changed ones updated, equal ones skipped.

    ``actor`` None is the platform itself (a command run without a user); a user must hold
    ``finance.change_index`` for the series. All or nothing: the first refused value (a percentage out of
    range, too precise, a value saved by someone else at the same moment) raises :class:`ValueRefused`
    and nothing is stored. ``dry_run`` checks everything and stores nothing. The payment plans are not
    touched here: a recalculation is queued in this transaction for the years whose values changed (the task
    runs it after the commit); :func:`index_plans_regenerate` runs it at once after the commit.
    """
    if actor is not None:
        require_perm(actor, "finance.change_index", series)
    IndexSeries.objects.select_for_update().filter(pk=series.pk).first()  # one load of a series at a time
    existing = list(IndexValue.objects.filter(series=series, year__in=[v.year for v in values]))
    result = []
    plan_years: list[int] = []
    for value in values:
        try:
            index_rules.IndexValue(year=value.year, percent=value.percent, is_forecast=is_forecast)
        except DomainError as exc:
            raise ValueRefused(value.year, [describe(exc)]) from exc
        if not STORED_MIN < value.percent < STORED_MAX:  # narrower than the rules: say so in their words
            refusal = DomainError("index.percent_out_of_range", min=STORED_MIN, max=STORED_MAX)
            raise ValueRefused(value.year, [describe(refusal)])
        current = _existing_for(existing, value.year, value.month)
        month = value.month or (current.reference_month if current is not None else DEFAULT_MONTH)
        if current is not None and _unchanged(current, value.percent, month, is_forecast):
            result.append(LoadedValue(value.year, month, current.percent, "unchanged", current.percent))
            continue
        if current is not None and not dry_run:
            current = lock_current(current, None)  # as stored, locked; a form open on it becomes stale
        obj = current or IndexValue(series=series)
        old_percent = None if current is None else current.percent
        before = snapshot(obj) if obj.pk else {}
        obj.year, obj.reference_month, obj.percent = value.year, month, value.percent
        obj.is_forecast, obj.is_example = is_forecast, False
        obj.source, obj.published_on = source, published_on
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise ValueRefused(value.year, _messages(exc)) from exc
        obj.percent = obj.percent.quantize(PERCENT_PLACES)  # as stored, so the audit reads as the history does
        status: Status = "new" if current is None else "changed"
        result.append(LoadedValue(value.year, month, value.percent, status, old_percent))
        if dry_run:
            continue
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as exc:  # a value for the year saved by someone else since it was read
            raise ValueRefused(
                value.year, [_("Someone else saved a value for this year at the same time; run the command again.")]
            ) from exc
        services.index_value_recorded(actor=actor, series=series, value=obj, before=before)
        if before == {} or plan_inputs_of(before) != recalculation.plan_inputs(obj):
            plan_years.append(obj.year)
    if plan_years:
        recalculation.plan_recalculation_queue(
            actor=actor, series=series, year=min(plan_years), trigger=PlanRecalculation.Trigger.LOADED
        )
    return result


def plan_inputs_of(before: dict[str, Any]) -> tuple[Any, ...]:
    """:func:`~apps.finance.recalculation.plan_inputs` of a value's snapshot (the percentage as stored)."""
    return tuple(Decimal(before[name]) if name == "percent" else before[name] for name in recalculation.PLAN_FIELDS)


def index_plans_regenerate(*, actor: Any, series: IndexSeries) -> PlanResult:
    """After a load of ``series`` committed: its plans recalculated at once, by the bulk recalculation.

    The load queued the recalculation in its transaction (and the task after its commit); this runs it now
    through the same code (:func:`apps.finance.recalculation.plan_recalculation_run`), unless the task
    worker already has. Only the agreements the changed years reach are counted. An agreement whose plan the
    new values cannot carry (e.g. funding that no longer fits the year's amount) is left as it was and listed
    in ``refused``; ``pending`` says the task worker is still at it.
    """
    latest = PlanRecalculation.objects.filter(series=series).order_by("-pk").first()
    if latest is None:
        return PlanResult(agreements=0, changed=0, refused=[])
    if latest.status == PlanRecalculation.Status.QUEUED:
        latest = recalculation.plan_recalculation_run(latest.pk) or latest
    refusals = latest.refusals.select_related("agreement").order_by("agreement_id")
    return PlanResult(
        agreements=latest.agreements_total,
        changed=latest.agreements_changed,
        refused=[(r.agreement_id, r.agreement.title, [recalculation.refusal_text(r.code, r.params)]) for r in refusals],
        pending=latest.is_active,
    )


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.message_dict.values() for m in errors]
    return [str(m) for m in exc.messages]
