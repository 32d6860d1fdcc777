# SPDX-License-Identifier: EUPL-1.2
"""Writes of an agreement's money. Keyword-only, one transaction each, each with an audit event.

Whenever the amounts, the payment rule, the period or the index values change, the payment plan is
regenerated: recorded invoices and payments are never lost or altered (domain.payments.regenerate).
A refusal by a pure rule (a ``DomainError``) becomes a ``ValidationError`` in the active language, on
the field it concerns (apps.finance.errors), and the transaction changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.agreements.models import Agreement, Intervention
from apps.audit.services import (
    audit_record,
    choice_param,
    diff,
    kind_param,
    money_param,
    month_param,
    percent_param,
    snapshot,
)
from apps.core.services import require_perm
from apps.core.versioning import bump_version, gone_error, lock_current
from domain import indexation as index_rules
from domain import payments as payment_rules
from domain import periods as period_rules
from domain.errors import DomainError
from domain.money import to_money

from . import amounts, calculations, recalculation
from .errors import describe, validation_error
from .models import (
    ActualCost,
    BudgetLine,
    FinanceTerms,
    FundingSource,
    IndexSeries,
    IndexValue,
    Payment,
    PlanRecalculation,
    RepaymentClaim,
)
from .selectors import visible_index_series

TERMS_FIELDS = (
    "basis",
    "annual_amount",
    "total_amount",
    "default_source",
    "index_series",
    "index_reference_month",
    "payment_frequency",
    "payment_in_advance",
    "payment_months",
    "deviation_threshold_percent",
)


def _terms_of(agreement: Agreement, *, lock: bool = False) -> FinanceTerms | None:
    """The agreement's money terms; ``lock`` holds their row until the transaction ends, so that sums
    checked against them (the funding sources within the annual amount) hold under concurrent writes."""
    terms = FinanceTerms.objects.filter(agreement=agreement)
    if lock:
        terms = terms.select_for_update(of=("self",))
    return terms.select_related("index_series").first()


def _saved(obj: FinanceTerms | FundingSource | IndexValue, *, field: str | None, message: str) -> None:
    """Save, turning a uniqueness that another write got to first into a message (never a 500)."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({field: message} if field else message, code="conflict") from exc


def _dates_in_range(**dates: dt.date | None) -> dict[str, list[str]]:
    """A field error for each given date whose year lies outside the years the system handles."""
    errors: dict[str, list[str]] = {}
    for field, value in dates.items():
        if value is None:
            continue
        try:
            period_rules.check_year(value.year)
        except DomainError as exc:
            errors[field] = validation_error(exc, fields={}).messages
    return errors


def _check_dates_in_range(**dates: dt.date | None) -> None:
    errors = _dates_in_range(**dates)
    if errors:
        raise ValidationError(errors)


def _validate_terms(terms: FinanceTerms, *, both_amounts: bool = False) -> None:
    errors = {}
    if both_amounts:
        errors["total_amount"] = _("Give either an amount per year or a total amount, not both.")
    if not (isinstance(terms.index_reference_month, int) and 1 <= terms.index_reference_month <= 12):
        errors["index_reference_month"] = _("Months are numbers from 1 to 12.")
    if terms.basis == FinanceTerms.Basis.ANNUAL:
        terms.total_amount = None
        if terms.annual_amount is None:
            errors["annual_amount"] = _("Give the amount per full year.")
    else:
        terms.annual_amount = None
        if terms.total_amount is None:
            errors["total_amount"] = _("Give the total amount for the period.")
    months = terms.payment_months or []
    if not all(isinstance(m, int) and 1 <= m <= 12 for m in months):
        errors["payment_months"] = _("Months are numbers from 1 to 12.")
    if errors:
        raise ValidationError(errors)
    terms.full_clean()


def _check_funding_fits(agreement: Agreement, terms: FinanceTerms) -> None:
    """The funding sources must fit inside every year's amount (the main funder carries the rest)."""
    try:
        calculations.year_figures(agreement, terms, list(agreement.funding_sources.all()), _values(terms))
    except DomainError as exc:
        raise validation_error(exc, fields={}) from exc


def _values(terms: FinanceTerms) -> list[IndexValue]:
    return list(IndexValue.objects.filter(series_id=terms.index_series_id)) if terms.index_series_id else []


def _regenerate(*, actor, agreement: Agreement, as_of: dt.date | None = None) -> dict[str, int]:
    """Bring the stored plan in line with the terms; keeps every invoiced, paid or withheld payment."""
    terms = _terms_of(agreement)
    if terms is None:
        amounts.forget([agreement.pk])
        return {}
    sources, values = list(agreement.funding_sources.all()), _values(terms)
    computed = amounts.compute(agreement, terms, sources, values)
    try:
        # Figures that cannot be computed refuse the write when there is a plan to make from them; without a
        # payment rule there is none, and the amounts keep the reason instead.
        figures = list(computed.figures) if computed.error is None else None
        plan = calculations.new_plan(agreement, terms, sources, values, figures=figures)
    except DomainError as exc:
        raise validation_error(exc, fields={}) from exc
    # The amounts the portfolio and ``commitments`` read change with the plan, in the same transaction.
    amounts.store({agreement.pk: computed})
    rows = {p.key: p for p in Payment.objects.select_for_update().filter(agreement=agreement)}
    changes = payment_rules.regenerate(
        [calculations.recorded(p) for p in rows.values()], plan, as_of=as_of or timezone.localdate()
    )
    counts = {"add": 0, "update": 0, "remove": 0, "keep": 0}
    for change in changes:
        counts[change.action] += 1
        if change.action == "remove":
            rows[change.key].delete()
        elif change.action in ("add", "update"):
            p = change.payment
            assert p is not None  # an add or an update carries the planned payment
            Payment.objects.update_or_create(
                agreement=agreement,
                key=p.key,
                defaults={
                    "due_on": p.due_on,
                    "amount": p.amount,
                    "funding_source": p.funding_source,
                    "covers_from": p.covers.start,
                    "covers_to": p.covers.end,
                    "adjusts": p.adjusts or "",
                    "status": Payment.Status.PLANNED,
                },
            )
    if counts["add"] or counts["update"] or counts["remove"]:
        audit_record(
            actor=actor,
            action="payment_plan.regenerated",
            summary=gettext_noop("Payment plan updated"),
            obj=agreement,
            agreement=agreement,
            changes={
                "added": [None, counts["add"]],
                "changed": [None, counts["update"]],
                "removed": [None, counts["remove"]],
            },
        )
    return counts


@transaction.atomic
def finance_terms_save(*, actor, agreement: Agreement, data: dict, expected_version: int | None = None) -> FinanceTerms:
    require_perm(actor, "finance.change_finance", agreement)
    terms = _terms_of(agreement, lock=True)
    if terms is not None:
        terms = lock_current(terms, expected_version)
    elif expected_version is not None:
        raise gone_error()
    else:
        terms = FinanceTerms(agreement=agreement)
    before = snapshot(terms) if terms.pk else {}
    series = data.get("index_series")
    if (
        series is not None
        and series.pk != terms.index_series_id
        and not visible_index_series(actor).filter(pk=series.pk).exists()
    ):
        # Another tenant's own series: not this user's to name (the form offers national and their own).
        raise ValidationError({"index_series": [_("Choose a national index series or one of your own.")]})
    for key in TERMS_FIELDS:
        if key in data:
            setattr(terms, key, data[key])
    both_amounts = data.get("annual_amount") is not None and data.get("total_amount") is not None
    _validate_terms(terms, both_amounts=both_amounts)
    _check_funding_fits(agreement, terms)
    _saved(
        terms,
        field=None,
        message=_("Someone else saved money terms for this agreement at the same time. Open them again."),
    )
    changes = diff(before, snapshot(terms))
    if before:
        bump_version(terms, changes)
    audit_record(
        actor=actor,
        action="finance.terms_saved",
        summary=gettext_noop("Money terms saved"),
        obj=terms,
        agreement=agreement,
        changes=changes,
    )
    _regenerate(actor=actor, agreement=agreement)
    return terms


@transaction.atomic
def funding_source_save(
    *,
    actor,
    agreement: Agreement,
    data: dict,
    source: FundingSource | None = None,
    expected_version: int | None = None,
) -> FundingSource:
    require_perm(actor, "finance.change_finance", agreement)
    if source is not None and source.agreement_id != agreement.pk:
        raise ValidationError(_("This funding source belongs to another agreement."))
    # The terms' row is locked first: concurrent additions are checked against the annual amount one
    # after the other, each seeing the sources the ones before it saved.
    terms = _terms_of(agreement, lock=True)
    if source is not None:
        obj = lock_current(source, expected_version)
    else:
        obj = FundingSource(agreement=agreement, position=agreement.funding_sources.count())
    before = snapshot(obj) if obj.pk else {}
    for key in ("name", "annual_amount", "share_percent", "invoiced_separately", "co_financing"):
        if key in data:
            setattr(obj, key, data[key])
    if (obj.annual_amount is None) == (obj.share_percent is None):
        raise ValidationError({"annual_amount": _("Give either an amount per year or a share, not both.")})
    if terms and obj.name.strip().lower() == terms.default_source.strip().lower():
        raise ValidationError({"name": _("The main funder carries the rest; add only the other funders here.")})
    obj.full_clean()
    try:
        calculations.funding_shares([obj])
    except DomainError as exc:
        raise validation_error(exc) from exc
    _saved(obj, field="name", message=_("This agreement already has a funding source with this name."))
    if terms:
        _check_funding_fits(agreement, terms)
    changes = diff(before, snapshot(obj))
    if before:
        bump_version(obj, changes)
    audit_record(
        actor=actor,
        action="finance.funding_source_saved",
        summary=gettext_noop("Funding source saved: %s"),
        summary_params=[str(obj)],
        obj=obj,
        agreement=agreement,
        changes=changes,
    )
    _regenerate(actor=actor, agreement=agreement)
    return obj


@transaction.atomic
def budget_line_save(
    *,
    actor,
    agreement: Agreement,
    data: dict,
    line: BudgetLine | None = None,
    expected_version: int | None = None,
) -> BudgetLine:
    require_perm(actor, "finance.change_finance", agreement)
    obj = line or BudgetLine(agreement=agreement, position=agreement.budget_lines.count())
    if obj.agreement_id != agreement.pk:
        raise ValidationError(_("This budget line belongs to another agreement."))
    if obj.pk:
        obj = lock_current(obj, expected_version)
    before = snapshot(obj) if obj.pk else {}
    for key in ("label", "category", "staffing_note", "annual_amount", "intervention", "funding_source"):
        if key in data:
            setattr(obj, key, data[key])
    if obj.intervention is not None and obj.intervention.agreement_id != agreement.pk:
        raise ValidationError({"intervention": _("Choose an intervention of this agreement.")})
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj))
    if before:
        bump_version(obj, changes)
    audit_record(
        actor=actor,
        action="finance.budget_line_saved",
        summary=gettext_noop("Budget line saved: %s"),
        summary_params=[str(obj)],
        obj=obj,
        agreement=agreement,
        changes=changes,
    )
    return obj


@transaction.atomic
def finance_row_delete(*, actor, obj: FundingSource | BudgetLine | RepaymentClaim) -> None:
    agreement = obj.agreement
    require_perm(actor, "finance.change_finance", agreement)
    if isinstance(obj, BudgetLine) and obj.actual_costs.exists():
        raise ValidationError(_("Actual costs are recorded on this budget line; it cannot be removed."))
    audit_record(
        actor=actor,
        action=f"finance.{obj._meta.model_name}_deleted",
        summary=gettext_noop("%(kind)s removed: %(label)s"),
        summary_params={"kind": kind_param(obj), "label": str(obj)},
        obj=obj,
        agreement=agreement,
        changes={k: [v, None] for k, v in snapshot(obj).items()},
    )
    obj.delete()
    if isinstance(obj, FundingSource):
        _regenerate(actor=actor, agreement=agreement)


@transaction.atomic
def payment_plan_regenerate(*, actor, agreement: Agreement, as_of: dt.date | None = None) -> dict[str, int]:
    require_perm(actor, "finance.record_payment", agreement)
    return _regenerate(actor=actor, agreement=agreement, as_of=as_of)


@transaction.atomic
def payment_record(
    *,
    actor,
    payment: Payment,
    status: str,
    invoice_number: str = "",
    invoiced_on: dt.date | None = None,
    paid_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Payment:
    """Record an invoice, a payment or a withholding: planned → invoiced → paid, or withheld.

    A planned payment is paid in one step when its invoice number and date come with the paid date.
    Invoice details already recorded are kept (a controller corrects them: :func:`payment_correct`);
    an invoice date defaults to today when invoicing. A paid date before the invoice date is refused.
    """
    require_perm(actor, "finance.record_payment", payment.agreement)
    payment = lock_current(payment, expected_version)
    invoicing = status in (Payment.Status.INVOICED, Payment.Status.PAID)
    number = (payment.invoice_number or invoice_number.strip()) if invoicing else payment.invoice_number
    invoice_date = (payment.invoiced_on or invoiced_on) if invoicing else payment.invoiced_on
    if status == Payment.Status.INVOICED and invoice_date is None:
        invoice_date = timezone.localdate()
    _check_dates_in_range(invoiced_on=invoiced_on, paid_on=paid_on)
    problems = payment_rules.recording_problems(
        payment.status, status, invoice_number=number, invoiced_on=invoice_date, paid_on=paid_on
    )
    if problems:
        raise validation_error(*problems)
    before = snapshot(payment)
    payment.status = status
    payment.invoice_number, payment.invoiced_on = number, invoice_date
    if status == Payment.Status.PAID:
        payment.paid_on = paid_on
    if note:
        payment.note = note
    payment.full_clean()
    payment.save()
    changes = diff(before, snapshot(payment))
    bump_version(payment, changes)
    audit_record(
        actor=actor,
        action="payment.recorded",
        summary=gettext_noop("Payment due %(due)s: %(status)s"),
        summary_params={"due": payment.due_on.isoformat(), "status": choice_param(payment, "status", lower=True)},
        obj=payment,
        agreement=payment.agreement,
        changes=changes,
    )
    return payment


@transaction.atomic
def payment_correct(
    *,
    actor,
    payment: Payment,
    status: str,
    invoice_number: str,
    invoiced_on: dt.date | None,
    paid_on: dt.date | None,
    reason: str,
    expected_version: int | None = None,
) -> Payment:
    """A controller corrects what was recorded by mistake on an invoiced or paid payment.

    The invoice number, the invoice and paid dates and the status between invoiced and paid may change;
    the amount and the plan do not (both statuses lock the payment, so regeneration is unaffected). The
    audit event carries the old and the new values and the reason.
    """
    require_perm(actor, "finance.correct_payment", payment.agreement)
    payment = lock_current(payment, expected_version)
    paid_on = paid_on if status == Payment.Status.PAID else None
    _check_dates_in_range(invoiced_on=invoiced_on, paid_on=paid_on)
    problems = payment_rules.correction_problems(
        payment.status, status, invoice_number=invoice_number, invoiced_on=invoiced_on, paid_on=paid_on
    )
    if problems:
        raise validation_error(*problems)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is corrected.")})
    before = snapshot(payment)
    payment.status = status
    payment.invoice_number, payment.invoiced_on, payment.paid_on = invoice_number.strip(), invoiced_on, paid_on
    changes = diff(before, snapshot(payment))
    if not changes:
        raise ValidationError(_("Nothing was changed: the payment already has these details."))
    payment.full_clean()
    payment.save()
    bump_version(payment, changes)
    audit_record(
        actor=actor,
        action="payment.corrected",
        summary=gettext_noop("Payment due %(due)s corrected: %(reason)s"),
        summary_params={"due": payment.due_on.isoformat(), "reason": reason.strip()},
        obj=payment,
        agreement=payment.agreement,
        changes=changes,
    )
    return payment


def _check_within_agreement(agreement: Agreement, *, period_start: dt.date, period_end: dt.date) -> None:
    """An actual cost lies within the agreement's period (its end included, as the agreement states it)."""
    start, end = agreement.start_date, agreement.end_date
    if start is None and end is None:
        return
    message = _("The period must lie within the agreement's period (%(start)s–%(end)s).") % {
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
    }
    errors: dict[str, str] = {}
    if start is not None and period_start < start:
        errors["period_start"] = message
    if end is not None and period_end > end:
        errors["period_end"] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def actual_cost_record(
    *, actor, line: BudgetLine, period_start: dt.date, period_end: dt.date, amount: Decimal, comment: str = ""
) -> ActualCost:
    require_perm(actor, "finance.record_cost", line.agreement)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period cannot be before its start.")})
    if amount < 0:
        raise ValidationError({"amount": _("An actual cost cannot be negative.")})
    try:
        period_rules.Period(period_start, period_end)
        amount = to_money(amount)
    except DomainError as exc:
        raise validation_error(
            exc, fields={"period.year_out_of_range": "period_start", "money.out_of_range": "amount"}
        ) from exc
    _check_within_agreement(line.agreement, period_start=period_start, period_end=period_end)
    cost, created = ActualCost.objects.update_or_create(
        budget_line=line,
        period_start=period_start,
        period_end=period_end,
        defaults={"agreement": line.agreement, "amount": amount, "comment": comment, "recorded_by": actor},
    )
    audit_record(
        actor=actor,
        action="finance.actual_cost_recorded",
        summary=gettext_noop("Actual cost recorded: %(line)s %(start)s – %(end)s"),
        summary_params={"line": str(line), "start": period_start.isoformat(), "end": period_end.isoformat()},
        obj=cost,
        agreement=line.agreement,
        changes={"amount": [None, str(cost.amount)]},
    )
    return cost


def _check_claim_dates(claim: RepaymentClaim) -> None:
    errors: dict[str, list[str]] = _dates_in_range(
        claimed_on=claim.claimed_on, due_on=claim.due_on, settled_on=claim.settled_on
    )
    if not errors and claim.claimed_on is not None:
        if claim.due_on is not None and claim.due_on < claim.claimed_on:
            errors["due_on"] = [_("The date to repay by cannot be before the date of the claim.")]
        if claim.settled_on is not None and claim.settled_on < claim.claimed_on:
            errors["settled_on"] = [_("A claim cannot be settled before the date of the claim.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def repayment_claim_save(
    *,
    actor,
    agreement: Agreement,
    data: dict,
    claim: RepaymentClaim | None = None,
    expected_version: int | None = None,
) -> RepaymentClaim:
    require_perm(actor, "finance.change_finance", agreement)
    obj = claim or RepaymentClaim(agreement=agreement)
    if obj.pk:
        obj = lock_current(obj, expected_version)
    before = snapshot(obj) if obj.pk else {}
    for key in ("amount", "reason", "claimed_on", "due_on", "status", "settled_on"):
        if key in data:
            setattr(obj, key, data[key])
    if obj.status != RepaymentClaim.Status.CLAIMED and obj.settled_on is None:
        raise ValidationError({"settled_on": _("Give the date the claim was settled.")})
    _check_claim_dates(obj)
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj))
    if before:
        bump_version(obj, changes)
    audit_record(
        actor=actor,
        action="finance.repayment_claim_saved",
        summary=gettext_noop("Repayment claim: %(amount)s"),
        summary_params={"amount": money_param(obj.amount)},
        obj=obj,
        agreement=agreement,
        changes=changes,
    )
    return obj


def index_value_recorded(*, actor: Any, series: IndexSeries, value: IndexValue, before: dict[str, Any]) -> None:
    """After an index value was saved (by the form or ``load_index``): its version moves on and it is audited.

    ``before`` is the value's snapshot before the change ({} for a new value). Runs in the caller's
    transaction; the plans on the series are the caller's to regenerate (at once, or after commit in bulk).
    """
    changes = diff(before, snapshot(value))
    if before:
        bump_version(value, changes)
    audit_record(
        actor=actor,
        action="finance.index_value_saved",
        summary=gettext_noop("Index value saved: %(series)s, %(month)s %(year)s: %(percent)s"),
        summary_params={
            "series": str(series),
            "month": month_param(value.reference_month),
            "year": value.year,
            "percent": percent_param(value.percent),
        },
        obj=value,
        changes=changes,
    )


@transaction.atomic
def index_value_save(
    *, actor, series: IndexSeries, data: dict, value: IndexValue | None = None, expected_version: int | None = None
) -> IndexValue:
    """Enter or correct an index value, at once; the plans on the series follow after the commit.

    When what the plans are computed from changed (the year, the percentage, forecast or published), a
    :class:`~apps.finance.models.PlanRecalculation` is created in this transaction and the task recalculates
    the plans of the agreements the change reaches once it has committed (:mod:`apps.finance.recalculation`).
    The returned value's ``recalculation`` is that row, or None when no plan can change with it.
    """
    require_perm(actor, "finance.change_index", series)
    # Writes to one series one after the other: its agreements' plans are regenerated from all its values.
    series = IndexSeries.objects.select_for_update().get(pk=series.pk)
    obj = value or IndexValue(series=series)
    if obj.pk:
        obj = lock_current(obj, expected_version)
    before = snapshot(obj) if obj.pk else {}
    inputs_before = recalculation.plan_inputs(obj) if obj.pk else None
    for key in ("year", "reference_month", "percent", "is_forecast", "is_example", "source", "published_on"):
        if key in data:
            setattr(obj, key, data[key])
    errors = _dates_in_range(published_on=obj.published_on)
    if not (isinstance(obj.reference_month, int) and 1 <= obj.reference_month <= 12):
        errors["reference_month"] = [_("Months are numbers from 1 to 12.")]
    if isinstance(obj.percent, Decimal) and not IndexValue.PERCENT_MIN < obj.percent < IndexValue.PERCENT_MAX:
        # Narrower than the rules' computing bounds: said in their words, on the field.
        refusal = DomainError("index.percent_out_of_range", min=IndexValue.PERCENT_MIN, max=IndexValue.PERCENT_MAX)
        errors["percent"] = [describe(refusal)]
    if errors:
        raise ValidationError(errors)
    try:
        index_rules.IndexValue(year=obj.year, percent=obj.percent, is_forecast=obj.is_forecast)
    except DomainError as exc:
        raise validation_error(exc) from exc
    obj.full_clean()
    _saved(obj, field="year", message=_("The series already has a value for this month and year."))
    index_value_recorded(actor=actor, series=series, value=obj, before=before)
    obj.recalculation = None
    if inputs_before != recalculation.plan_inputs(obj):
        # The plans follow in bulk after the commit (a task), never in this request: see apps.finance.recalculation.
        years = [obj.year] if inputs_before is None else [obj.year, inputs_before[0]]
        obj.recalculation = recalculation.plan_recalculation_queue(
            actor=actor, series=series, year=min(years), trigger=PlanRecalculation.Trigger.SAVED, value=obj
        )
    return obj


def _imported_series(actor, name: str) -> IndexSeries | None:
    """The series a document names: one ``actor`` reads (national or their tenant's) with that code, else a
    new national series without values; None when the code is another tenant's series (not theirs to use)."""
    code = name[:20]
    found = visible_index_series(actor).filter(code__iexact=code).first()
    if found is not None:
        return found
    if IndexSeries.objects.filter(code__iexact=code).exists():
        return None
    return IndexSeries.objects.create(code=code, name=name)


@transaction.atomic
def payment_plan_follow_agreement(*, actor, agreement: Agreement) -> dict[str, int]:
    """Bring the plan in line with the agreement after the agreement itself changed (e.g. its period).

    Called by apps.finance.receivers inside the agreement's writing transaction. No permission check of
    its own: the agreement write was allowed, and the plan follows from it.
    """
    return _regenerate(actor=actor, agreement=agreement)


_FREQUENCIES = {choice for choice, _label in FinanceTerms.Frequency.choices}


@transaction.atomic
def finance_apply_draft(
    *,
    actor,
    agreement: Agreement,
    annual_amount: Decimal | None,
    total_amount: Decimal | None,
    indexation: dict | None,
    payment_schedule: dict | None,
    budget_lines: list[dict],
) -> None:
    """Money from an imported document: terms, index rule, payment rule and budget lines by section."""
    require_perm(actor, "finance.change_finance", agreement)
    public = agreement.parties.filter(role="public", status="accepted").select_related("organisation").first()
    data: dict = {"default_source": public.organisation.name if public else _("Main funder")}
    if annual_amount is not None:
        data.update(basis=FinanceTerms.Basis.ANNUAL, annual_amount=to_money(annual_amount))
    elif total_amount is not None:
        data.update(basis=FinanceTerms.Basis.TOTAL, total_amount=to_money(total_amount))
    else:
        data = {}
    if data:
        if indexation and indexation.get("index"):
            series = _imported_series(actor, str(indexation["index"]))
            if series is not None:
                data.update(index_series=series, index_reference_month=int(indexation.get("reference_month") or 10))
        if payment_schedule and payment_schedule.get("frequency") in _FREQUENCIES:
            in_advance = payment_schedule.get("in_advance")
            data.update(
                payment_frequency=payment_schedule["frequency"],
                payment_in_advance=True if in_advance is None else bool(in_advance),
                payment_months=[int(m) for m in payment_schedule.get("months") or []],
            )
        finance_terms_save(actor=actor, agreement=agreement, data=data)
    sections = {i.label.lower(): i for i in Intervention.objects.filter(agreement=agreement) if i.label}
    # Imported again into the same agreement: a line with the same label and intervention is matched (its
    # amount updated when it differs), not duplicated.
    existing = {
        (" ".join(b.label.casefold().split()), b.intervention_id): b
        for b in BudgetLine.objects.filter(agreement=agreement)
    }
    for item in budget_lines:
        if item.get("year"):
            continue  # per-year tables are shown in the draft; the budget holds amounts per full year
        section = (item.get("section") or "").lower()
        label, amount, intervention = str(item["label"])[:300], to_money(item["amount"]), sections.get(section)
        line = existing.get((" ".join(label.casefold().split()), intervention.pk if intervention else None))
        if line is not None and line.annual_amount == amount:
            continue
        budget_line_save(
            actor=actor,
            agreement=agreement,
            line=line,
            data={"label": label, "annual_amount": amount, "intervention": intervention},
        )
