# SPDX-License-Identifier: EUPL-1.2
"""Recalculating the payment plans of an index series in bulk, after its values changed.

Holds the services of this concern: :func:`plan_recalculation_queue` (in the transaction that saved the
values: a :class:`~apps.finance.models.PlanRecalculation` row, and the task queued for after the commit),
:func:`plan_recalculation_run` (the task's work) and :func:`plan_recalculation_retry` (a keeper starts a
stopped one again); and the words of a refusal (:func:`~apps.finance.errors.stored_error_text`). May import: domain, apps.core,
apps.audit, apps.agreements' models, this app's models, calculations and tasks (never its services, which
import this module).

What is recalculated
    Only the agreements on the series whose money reaches the first year the change can touch: a value for
    index year Y is applied from the January invoice of Y + 1 (:func:`domain.indexation.first_year_affected`,
    :func:`domain.indexation.reaches`), and only agreements with a period and a payment rule have a plan.

How
    In batches of :data:`BATCH_SIZE` agreements, each in one transaction: the batch's money terms and
    payments are locked (``select_for_update``: a payment recorded meanwhile waits for the batch, or the
    batch for it, and is then seen as recorded), then its agreements, funding sources and the series' values
    are read (a constant number of queries per batch, not per agreement), each plan is computed with the same
    rules as :func:`apps.finance.services._regenerate` (:func:`apps.finance.calculations.new_plan`,
    :func:`domain.payments.regenerate`) and written with one delete, one ``bulk_update`` and one
    ``bulk_create``; one "Payment plan updated" event per changed agreement (one insert). Invoiced, paid and
    withheld payments are never written. A batch is all or nothing, so every plan is all new or as before.

Refusals
    An agreement whose plan the new values cannot carry (a :class:`~domain.errors.DomainError`, e.g. funding
    that no longer fits a year) keeps its plan and is recorded with the code and parameters
    (:class:`~apps.finance.models.PlanRecalculationRefusal`); the others go on. A batch the database refuses
    (a constraint) is done again one agreement at a time, so that only the agreement it concerns is refused.

Superseded
    A newer recalculation of the same series supersedes a queued or running one when it is created (under the
    series' row lock) and takes over its years (``from_year`` is the earliest); the older one stops before its
    next batch. Running one again changes nothing: a task for a recalculation no longer queued returns at once,
    and a recalculation of unchanged values finds every plan as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import F, Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.agreements.models import Agreement
from apps.audit.services import AuditItem, audit_record, audit_record_many
from apps.core.services import require_perm
from domain import indexation as index_rules
from domain import payments as payment_rules
from domain import periods as period_rules
from domain.errors import DomainError

from . import amounts, calculations, tasks
from .errors import encode_params, stored_error_text
from .models import (
    FinanceTerms,
    FundingSource,
    IndexSeries,
    IndexValue,
    Payment,
    PlanRecalculation,
    PlanRecalculationRefusal,
)

logger = logging.getLogger(__name__)

refusal_text = stored_error_text  # why a plan was not recalculated (or a run stopped), in the active language

BATCH_SIZE = 200
# No progress for this long: the page says it is slow; this long again and a keeper may start it again.
SLOW_AFTER = dt.timedelta(minutes=2)
STALLED_AFTER = dt.timedelta(minutes=10)
# The fields of an index value the plans are computed from (the month, source and dates are not).
PLAN_FIELDS = ("year", "percent", "is_forecast")
# What a planned payment's row gets from the plan (as _regenerate's update_or_create writes it).
PLANNED_FIELDS = ("due_on", "amount", "funding_source", "covers_from", "covers_to", "adjusts", "status")
ACTIVE = (PlanRecalculation.Status.QUEUED, PlanRecalculation.Status.RUNNING)

NOT_COMPUTABLE = "payment_plan.not_computable"
NOT_SAVED = "payment_plan.not_saved"
FAILED = "recalculation.failed"


# Queueing ----------------------------------------------------------------------------------------------------


def plan_inputs(value: IndexValue) -> tuple[Any, ...]:
    """What of an index value the plans depend on: a change of anything else recalculates nothing."""
    return tuple(getattr(value, name) for name in PLAN_FIELDS)


def _may_reach(series: IndexSeries, from_year: int) -> bool:
    """Whether any agreement on the series may have a plan from ``from_year`` on (a superset: the task
    decides exactly)."""
    return _candidate_rows(series, from_year).exists()


def _candidate_rows(series: IndexSeries, from_year: int):
    return (
        FinanceTerms.objects.filter(
            index_series=series,
            agreement__start_date__isnull=False,
            agreement__end_date__gte=dt.date(from_year, 1, 1),
        )
        .exclude(payment_frequency="")
        .order_by("agreement_id")
    )


def plan_recalculation_queue(
    *,
    actor: Any,
    series: IndexSeries,
    year: int,
    trigger: str,
    value: IndexValue | None = None,
    from_year: int | None = None,
    force: bool = False,
) -> PlanRecalculation | None:
    """Record that the plans on ``series`` must follow a change of its value(s) for index year ``year``, and
    queue the task for after the commit. Runs in the caller's transaction, with the series' row locked.

    A queued or running recalculation of the series is superseded by this one, which takes over its years.
    None when no agreement on the series can be touched (and none was superseded), unless ``force``.
    """
    first = index_rules.first_year_affected(year) if from_year is None else from_year
    active = list(PlanRecalculation.objects.select_for_update().filter(series=series, status__in=ACTIVE))
    first = min([first, *(r.from_year for r in active)])
    if not (force or active or _may_reach(series, first)):
        return None
    recalculation = PlanRecalculation.objects.create(
        series=series,
        trigger=trigger,
        value=value,
        year=year,
        from_year=first,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if active:
        PlanRecalculation.objects.filter(pk__in=[r.pk for r in active]).update(
            status=PlanRecalculation.Status.SUPERSEDED, superseded_by=recalculation, finished_at=timezone.now()
        )
    recalculation_id = recalculation.pk
    transaction.on_commit(lambda: tasks.recalculate_plans.enqueue(recalculation_id))
    return recalculation


def stalled(recalculation: PlanRecalculation, *, after: dt.timedelta = STALLED_AFTER) -> bool:
    """A queued or running recalculation without progress for ``after``: no worker has it, or it died."""
    return recalculation.is_active and timezone.now() - recalculation.updated_at > after


def may_retry(recalculation: PlanRecalculation) -> bool:
    """A stopped recalculation (failed, or stalled) that is still the latest of its series."""
    if recalculation.status != PlanRecalculation.Status.FAILED and not stalled(recalculation):
        return False
    return not PlanRecalculation.objects.filter(series_id=recalculation.series_id, pk__gt=recalculation.pk).exists()


@transaction.atomic
def plan_recalculation_retry(*, actor: Any, recalculation: PlanRecalculation) -> PlanRecalculation:
    """Start a failed or stalled recalculation again, as a new one over the same years (audited)."""
    require_perm(actor, "finance.change_index", recalculation.series)
    series = IndexSeries.objects.select_for_update().get(pk=recalculation.series_id)
    current = PlanRecalculation.objects.select_for_update().get(pk=recalculation.pk)
    if not may_retry(current):
        raise ValidationError(
            _("This recalculation has not stopped, or a later one has replaced it: it cannot be started again."),
            code="not_stopped",
        )
    again = plan_recalculation_queue(
        actor=actor,
        series=series,
        year=current.year,
        from_year=current.from_year,
        trigger=PlanRecalculation.Trigger.RETRIED,
        value=current.value,
        force=True,
    )
    assert again is not None  # forced
    audit_record(
        actor=actor,
        action="payment_plan.recalculation_retried",
        summary=gettext_noop("Recalculation of the payment plans on %(series)s started again"),
        summary_params={"series": str(series)},
        obj=again,
        organisation=series.tenant,
        changes={"status": [current.status, again.status]},
    )
    return again


# Running -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    agreement_id: int
    code: str
    params: dict[str, Any]


@dataclass
class BatchResult:
    changed: int = 0


def _last_money_year(start: dt.date, end: dt.date) -> int:
    return period_rules.Period(start, end).last_covered_day.year


def affected_agreements(series: IndexSeries, from_year: int) -> list[int]:
    """The ids of the agreements on ``series`` whose plan a change from money year ``from_year`` can touch.

    One query; the exact rule in Python (:func:`domain.indexation.reaches`). An agreement whose period or
    rule the rules refuse is kept, so that the batch records why its plan cannot be computed.
    """
    ids = []
    rows = _candidate_rows(series, from_year).values_list(
        "agreement_id", "agreement__start_date", "agreement__end_date", "index_reference_month"
    )
    for agreement_id, start, end, month in rows:
        try:
            rule = index_rules.IndexRule(index=series.code, reference_month=month)
            if not index_rules.reaches(rule, start, _last_money_year(start, end), from_year):
                continue
        except DomainError:
            pass
        ids.append(agreement_id)
    return ids


def _claim(recalculation_id: int) -> tuple[PlanRecalculation, list[int]] | None:
    """Take a queued recalculation (one runner only) and find its agreements; None when it is not queued."""
    with transaction.atomic():
        recalculation = (
            PlanRecalculation.objects.select_for_update().select_related("series").filter(pk=recalculation_id).first()
        )
        if recalculation is None or recalculation.status != PlanRecalculation.Status.QUEUED:
            return None
        ids = affected_agreements(recalculation.series, recalculation.from_year)
        recalculation.status = PlanRecalculation.Status.RUNNING
        recalculation.started_at = timezone.now()
        recalculation.agreements_total = len(ids)
        recalculation.save(update_fields=["status", "started_at", "agreements_total", "updated_at"])
    return recalculation, ids


def plan_recalculation_run(recalculation_id: int, *, batch_size: int | None = None) -> PlanRecalculation | None:
    """Recalculate the plans of a queued recalculation, batch by batch (the task ``recalculate_plans``).

    Idempotent: a recalculation that is not queued (done, running elsewhere, superseded) is left as it is.
    Stops before the next batch once superseded. An unexpected error marks it failed (the batches before it
    are kept) and is raised again for the task runner to record.
    """
    claimed = _claim(recalculation_id)
    if claimed is None:
        return PlanRecalculation.objects.filter(pk=recalculation_id).first()
    recalculation, ids = claimed
    size = batch_size or BATCH_SIZE
    as_of = timezone.localdate()
    try:
        for start in range(0, len(ids), size):
            status = PlanRecalculation.objects.filter(pk=recalculation.pk).values_list("status", flat=True).first()
            if status != PlanRecalculation.Status.RUNNING:
                break  # superseded: the newer recalculation does these agreements
            _batch_or_one_by_one(recalculation, ids[start : start + size], as_of=as_of)
        else:
            _refresh_amounts_without_plan(recalculation.series, recalculation.from_year)
    except Exception:
        logger.exception("Recalculation %s of the payment plans stopped", recalculation.pk)
        PlanRecalculation.objects.filter(pk=recalculation.pk, status=PlanRecalculation.Status.RUNNING).update(
            status=PlanRecalculation.Status.FAILED, error_code=FAILED, finished_at=timezone.now()
        )
        raise
    PlanRecalculation.objects.filter(pk=recalculation.pk, status=PlanRecalculation.Status.RUNNING).update(
        status=PlanRecalculation.Status.DONE, finished_at=timezone.now()
    )
    recalculation.refresh_from_db()
    return recalculation


def _refresh_amounts_without_plan(series: IndexSeries, from_year: int) -> None:
    """The agreements on the series without a payment rule have no plan to recalculate, but their committed
    amounts (apps.finance.amounts) follow the index too: computed again in bulk, a transaction a chunk."""
    ids = list(
        FinanceTerms.objects.filter(
            index_series=series, payment_frequency="", agreement__end_date__gte=dt.date(from_year, 1, 1)
        ).values_list("agreement_id", flat=True)
    )
    for start in range(0, len(ids), amounts.CHUNK):
        with transaction.atomic():
            amounts.refresh(ids[start : start + amounts.CHUNK])


def _batch_or_one_by_one(recalculation: PlanRecalculation, ids: list[int], *, as_of: dt.date) -> None:
    try:
        _batch(recalculation, ids, as_of=as_of)
    except (IntegrityError, DataError):
        if len(ids) == 1:
            logger.exception("The payment plan of agreement %s could not be saved", ids[0])
            with transaction.atomic():
                _record(recalculation, ids, BatchResult(), [Refused(ids[0], NOT_SAVED, {})])
            return
        for agreement_id in ids:  # find the agreement the database refuses; the others are saved
            _batch_or_one_by_one(recalculation, [agreement_id], as_of=as_of)


def _batch(recalculation: PlanRecalculation, ids: Sequence[int], *, as_of: dt.date) -> None:
    """One transaction: lock, read, compute and write the plans of the agreements ``ids``."""
    series = recalculation.series
    with transaction.atomic():
        # Locks first, reads after: what is read is what was committed before the locks were granted.
        terms_of = {
            t.agreement_id: t
            for t in FinanceTerms.objects.select_for_update().filter(agreement_id__in=ids, index_series=series)
        }
        on_series = sorted(terms_of)
        payments_of: dict[int, list[Payment]] = defaultdict(list)
        for payment in Payment.objects.select_for_update().filter(agreement_id__in=on_series).order_by("pk"):
            payments_of[payment.agreement_id].append(payment)
        agreements = Agreement.objects.only("pk", "start_date", "end_date").in_bulk(on_series)
        sources_of: dict[int, list[FundingSource]] = defaultdict(list)
        for source in FundingSource.objects.filter(agreement_id__in=on_series):  # in their order (position, id)
            sources_of[source.agreement_id].append(source)
        values = list(IndexValue.objects.filter(series=series))

        result, refused = BatchResult(), []
        removed: list[int] = []
        updated: list[Payment] = []
        added: list[Payment] = []
        events: list[AuditItem] = []
        computed: dict[int, amounts.Computed] = {}
        for agreement_id in on_series:
            terms, agreement = terms_of[agreement_id], agreements[agreement_id]
            terms.agreement, terms.index_series = agreement, series
            rows = {p.key: p for p in payments_of[agreement_id]}
            sources = sources_of[agreement_id]
            try:
                figures = calculations.year_figures(agreement, terms, sources, values)
                plan = calculations.new_plan(agreement, terms, sources, values, figures=figures)
                changes = payment_rules.regenerate([calculations.recorded(p) for p in rows.values()], plan, as_of=as_of)
            except DomainError as exc:
                refused.append(Refused(agreement_id, exc.code, encode_params(exc.params)))
                computed[agreement_id] = amounts.Computed(error=exc)
                continue
            except (ValueError, TypeError, ArithmeticError):
                logger.exception("The payment plan of agreement %s could not be computed", agreement_id)
                refused.append(Refused(agreement_id, NOT_COMPUTABLE, {}))
                computed[agreement_id] = amounts.Computed(error=DomainError(NOT_COMPUTABLE))
                continue
            computed[agreement_id] = amounts.Computed(figures=figures)
            counts = {"add": 0, "update": 0, "remove": 0}
            for change in changes:
                if change.action == "keep":
                    continue
                counts[change.action] += 1
                if change.action == "remove":
                    row = rows[change.key]
                    assert row.status == Payment.Status.PLANNED  # recorded payments are kept, never removed
                    removed.append(row.pk)
                    continue
                planned = change.payment
                assert planned is not None  # an add or an update carries the planned payment
                row = rows.get(change.key) or Payment(agreement_id=agreement_id, key=planned.key)
                assert row.pk is None or row.status == Payment.Status.PLANNED  # never a recorded one
                row.due_on, row.amount, row.funding_source = planned.due_on, planned.amount, planned.funding_source
                row.covers_from, row.covers_to = planned.covers.start, planned.covers.end
                row.adjusts, row.status = planned.adjusts or "", Payment.Status.PLANNED
                (updated if row.pk else added).append(row)
            if counts["add"] or counts["update"] or counts["remove"]:
                result.changed += 1
                events.append(
                    AuditItem(
                        obj=agreement,
                        agreement=agreement,
                        changes={
                            "added": [None, counts["add"]],
                            "changed": [None, counts["update"]],
                            "removed": [None, counts["remove"]],
                        },
                    )
                )
        if removed:
            Payment.objects.filter(pk__in=removed).delete()
        if updated:
            _update_planned(updated)
        if added:
            Payment.objects.bulk_create(added)
        # The amounts the portfolio reads: what these plans were computed from (one delete and insert a table).
        amounts.store(computed)
        audit_record_many(
            actor=recalculation.requested_by,
            action="payment_plan.regenerated",
            summary=gettext_noop("Payment plan updated"),
            items=events,
        )
        _record(recalculation, ids, result, refused)


UPDATE_CHUNK = 8000  # rows per UPDATE: PostgreSQL takes at most 65 535 parameters (8 a row)


def _update_planned(rows: list[Payment]) -> None:
    """Write the planned fields of ``rows``: on PostgreSQL one ``UPDATE … FROM (VALUES …)`` per chunk, since
    ``bulk_update``'s ``CASE`` per row and column grows with the square of the rows (17 s of 22 for 1 000
    agreements); elsewhere (SQLite, the quick start) ``bulk_update``."""
    if connection.vendor != "postgresql":
        Payment.objects.bulk_update(rows, PLANNED_FIELDS)
        return
    meta = Payment._meta
    fields: list[Field[Any, Any]] = [meta.pk, *(cast(Field[Any, Any], meta.get_field(name)) for name in PLANNED_FIELDS)]
    quote = connection.ops.quote_name
    columns = [quote(str(f.column)) for f in fields]
    types = [f.rel_db_type(connection) if f.primary_key else f.db_type(connection) for f in fields]
    row_sql = "(" + ", ".join(f"%s::{db_type}" for db_type in types) + ")"
    assignments = ", ".join(f"{c} = v.{c}" for c in columns[1:])
    for start in range(0, len(rows), UPDATE_CHUNK):
        chunk = rows[start : start + UPDATE_CHUNK]
        params: list[Any] = []
        for row in chunk:
            params.extend(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)
        # Names and types come from the model's metadata; every value is a parameter.
        values = ", ".join([row_sql] * len(chunk))
        sql = f"UPDATE {quote(meta.db_table)} AS p SET {assignments} FROM (VALUES {values}) AS v({', '.join(columns)}) WHERE p.{columns[0]} = v.{columns[0]}"  # noqa: S608, E501
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _record(recalculation: PlanRecalculation, ids: Sequence[int], result: BatchResult, refused: list[Refused]) -> None:
    """The batch's progress and refusals, in the batch's transaction."""
    if refused:
        PlanRecalculationRefusal.objects.bulk_create(
            [
                PlanRecalculationRefusal(
                    recalculation=recalculation, agreement_id=r.agreement_id, code=r.code, params=r.params
                )
                for r in refused
            ],
            ignore_conflicts=True,
        )
    PlanRecalculation.objects.filter(pk=recalculation.pk).update(
        agreements_done=F("agreements_done") + len(ids),
        agreements_changed=F("agreements_changed") + result.changed,
        agreements_refused=F("agreements_refused") + len(refused),
        updated_at=timezone.now(),
    )
