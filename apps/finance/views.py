# SPDX-License-Identifier: EUPL-1.2
"""Money pages. Thin: forms validate, services write, selectors read within the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.agreements.models import Agreement
from apps.agreements.selectors import public_bodies_in_register
from apps.audit.concurrency import changes_since
from apps.audit.display import HistoryEntry
from apps.core.forms import add_validation_error
from apps.core.versioning import Versioned, VersionedFormMixin
from domain.money import format_sek

from . import charts, exports, recalculation, selectors, services
from .forms import (
    ActualCostForm,
    BudgetLineForm,
    FinanceTermsForm,
    FundingSourceForm,
    IndexValueForm,
    PaymentCorrectionForm,
    PaymentRecordForm,
    PortfolioForm,
    RepaymentClaimForm,
)
from .models import BudgetLine, FundingSource, IndexSeries, Payment, PlanRecalculation


def _agreement(request, pk: int, perm: str = "finance.view_finance") -> Agreement:
    return selectors.access_finance(request.user, pk, perm=perm)


def _conflict(form, exc: ValidationError, obj) -> list[HistoryEntry] | None:
    """What someone else saved since the form was read, when the service refused the save as stale."""
    if obj is None or not isinstance(form, VersionedFormMixin) or not form.refused_as_stale(exc):
        return None
    return changes_since(obj, form.read_version)


def _form_page(request, agreement, form, title: str, save, *, anchor: str, delete_url: str = "", obj=None):
    """``obj`` is the row being edited (by default the model form's instance)."""
    conflict: list[HistoryEntry] | None = None
    edited = obj if obj is not None else getattr(form, "instance", None)
    if request.method == "POST" and isinstance(form, VersionedFormMixin) and isinstance(edited, Versioned):
        read_at = form.refuse_if_moved_on(edited.version) if edited.pk is not None else None
        if read_at is not None:
            conflict = changes_since(edited, read_at)
    if conflict is None and request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(f"{agreement_finance_url(agreement)}#{anchor}")
        except ValidationError as exc:
            add_validation_error(form, exc)
            conflict = _conflict(form, exc, edited)
    return render(
        request,
        "finance/form.html",
        {
            "nav": "agreements",
            "agreement": agreement,
            "form": form,
            "title": title,
            "anchor": anchor,
            "forms_with_errors": [form] if form.errors else [],
            "delete_url": delete_url,
            "conflict": conflict,
        },
        status=409 if conflict is not None else 400 if request.method == "POST" else 200,
    )


def agreement_finance_url(agreement) -> str:
    return reverse("finance:agreement", kwargs={"pk": agreement.pk})


@login_required
def agreement_finance(request, pk: int):
    agreement = _agreement(request, pk)
    data = selectors.agreement_finance(agreement)
    user = request.user
    return render(
        request,
        "finance/agreement.html",
        {
            "nav": "agreements",
            "agreement": agreement,
            "f": data,
            "can_change": user.has_perm("finance.change_finance", agreement),
            "can_pay": user.has_perm("finance.record_payment", agreement),
            "can_correct": user.has_perm("finance.correct_payment", agreement),
            "can_cost": user.has_perm("finance.record_cost", agreement),
        },
    )


@login_required
def terms_edit(request, pk: int):
    agreement = _agreement(request, pk, "finance.change_finance")
    instance = selectors.finance_terms(agreement)
    initial = None
    if instance is None:
        public = agreement.parties.filter(role="public", status="accepted").select_related("organisation").first()
        initial = {"default_source": public.organisation.name if public else "", "basis": "annual"}
    choices = selectors.index_series_choices(request.user, current_id=instance.index_series_id if instance else None)
    form = FinanceTermsForm(request.POST or None, instance=instance, initial=initial, index_series=choices)

    def save(data):
        services.finance_terms_save(
            actor=request.user, agreement=agreement, data=data, expected_version=form.read_version
        )

    return _form_page(request, agreement, form, _("Money terms"), save, anchor="terms")


@login_required
def funding_source_form(request, pk: int, source_id: int | None = None):
    agreement = _agreement(request, pk, "finance.change_finance")
    source = selectors.access_funding_source(request.user, source_id, agreement=agreement) if source_id else None
    form = FundingSourceForm(request.POST or None, instance=source)

    def save(data):
        services.funding_source_save(
            actor=request.user, agreement=agreement, data=data, source=source, expected_version=form.read_version
        )

    delete_url = reverse("finance:row_delete", args=[agreement.pk, "finansiar", source.pk]) if source else ""
    return _form_page(request, agreement, form, _("Funding source"), save, anchor="funding", delete_url=delete_url)


@login_required
def budget_line_form(request, pk: int, line_id: int | None = None):
    agreement = _agreement(request, pk, "finance.change_finance")
    line = selectors.access_budget_line(request.user, line_id, agreement=agreement) if line_id else None
    form = BudgetLineForm(request.POST or None, instance=line, agreement=agreement)

    def save(data):
        services.budget_line_save(
            actor=request.user, agreement=agreement, data=data, line=line, expected_version=form.read_version
        )

    delete_url = reverse("finance:row_delete", args=[agreement.pk, "budget", line.pk]) if line else ""
    return _form_page(request, agreement, form, _("Budget line"), save, anchor="budget", delete_url=delete_url)


@login_required
def repayment_claim_form(request, pk: int, claim_id: int | None = None):
    agreement = _agreement(request, pk, "finance.change_finance")
    claim = selectors.access_repayment_claim(request.user, claim_id, agreement=agreement) if claim_id else None
    form = RepaymentClaimForm(
        request.POST or None, instance=claim, initial=None if claim else {"claimed_on": timezone.localdate()}
    )

    def save(data):
        services.repayment_claim_save(
            actor=request.user, agreement=agreement, data=data, claim=claim, expected_version=form.read_version
        )

    return _form_page(request, agreement, form, _("Repayment claim"), save, anchor="claims")


@login_required
@require_POST
def row_delete(request, pk: int, kind: str, row_id: int):
    agreement = _agreement(request, pk, "finance.change_finance")
    obj: FundingSource | BudgetLine
    if kind == "finansiar":
        obj = selectors.access_funding_source(request.user, row_id, agreement=agreement)
    elif kind == "budget":
        obj = selectors.access_budget_line(request.user, row_id, agreement=agreement)
    else:
        raise Http404
    try:
        services.finance_row_delete(actor=request.user, obj=obj)
        messages.success(request, _("Removed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(agreement_finance_url(agreement))


@login_required
@require_POST
def plan_regenerate(request, pk: int):
    agreement = _agreement(request, pk, "finance.record_payment")
    try:
        counts = services.payment_plan_regenerate(actor=request.user, agreement=agreement)
        messages.success(
            request,
            _("The payment plan is up to date (%(add)s added, %(update)s changed, %(remove)s removed).")
            % {k: counts.get(k, 0) for k in ("add", "update", "remove")},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{agreement_finance_url(agreement)}#payments")


def _payment_title(text: str, payment: Payment) -> str:
    return text % {"due": payment.due_on.isoformat(), "amount": format_sek(payment.amount)}


@login_required
def payment_record(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    agreement = _agreement(request, pk, "finance.record_payment")
    payment = selectors.access_payment(request.user, payment_id, agreement=agreement)
    if payment.status == Payment.Status.PAID:
        messages.error(request, _("This payment is already paid. A controller can correct it."))
        return redirect(f"{agreement_finance_url(agreement)}#payments")
    form = PaymentRecordForm(
        request.POST or None,
        payment=payment,
        version=payment.version,
        initial={
            "status": "paid" if payment.status == "invoiced" else "invoiced",
            "invoice_number": payment.invoice_number,
            "invoiced_on": payment.invoiced_on or timezone.localdate(),
        },
    )

    def save(data: dict) -> None:
        services.payment_record(
            actor=request.user,
            payment=payment,
            status=data["status"],
            invoice_number=data.get("invoice_number", ""),
            invoiced_on=data.get("invoiced_on"),
            paid_on=data["paid_on"],
            note=data["note"],
            expected_version=form.read_version,
        )

    title = _payment_title(_("Record payment due %(due)s, %(amount)s"), payment)
    return _form_page(request, agreement, form, title, save, anchor="payments", obj=payment)


@login_required
def payment_correct(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    agreement = _agreement(request, pk, "finance.correct_payment")
    payment = selectors.access_payment(request.user, payment_id, agreement=agreement)
    if payment.status not in (Payment.Status.INVOICED, Payment.Status.PAID):
        messages.error(request, _("Only an invoiced or paid payment can be corrected; record this one instead."))
        return redirect(f"{agreement_finance_url(agreement)}#payments")
    form = PaymentCorrectionForm(
        request.POST or None,
        version=payment.version,
        initial={
            "status": payment.status,
            "invoice_number": payment.invoice_number,
            "invoiced_on": payment.invoiced_on,
            "paid_on": payment.paid_on,
        },
    )

    def save(data: dict) -> None:
        services.payment_correct(
            actor=request.user,
            payment=payment,
            status=data["status"],
            invoice_number=data["invoice_number"],
            invoiced_on=data["invoiced_on"],
            paid_on=data["paid_on"],
            reason=data["reason"],
            expected_version=form.read_version,
        )

    title = _payment_title(_("Correct payment due %(due)s, %(amount)s"), payment)
    return _form_page(request, agreement, form, title, save, anchor="payments", obj=payment)


@login_required
def actual_cost_form(request, pk: int):
    agreement = _agreement(request, pk, "finance.record_cost")
    year = timezone.localdate().year
    form = ActualCostForm(
        request.POST or None,
        agreement=agreement,
        initial={"period_start": dt.date(year, 1, 1), "period_end": dt.date(year, 3, 31)},
    )

    def save(data):
        services.actual_cost_record(
            actor=request.user,
            line=data["budget_line"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            amount=data["amount"],
            comment=data["comment"],
        )

    return _form_page(request, agreement, form, _("Record actual cost"), save, anchor="costs")


# Index series and the portfolio ---------------------------------------------------------------------------


@login_required
def index_list(request):
    if not request.user.has_perm("finance.view_index_list"):
        raise PermissionDenied
    rows = selectors.index_series(request.user)
    return render(
        request,
        "finance/index_list.html",
        {
            "nav": "finance",
            "rows": rows,
            "statuses": {
                row.series.pk: recalculation_context(request, row.series, row.recalculation)
                for row in rows
                if row.recalculation is not None
            },
            "today": timezone.localdate(),
        },
    )


@login_required
def index_value_form(request, series_id: int, value_id: int | None = None):
    series = selectors.access_index_series(request.user, series_id, perm="finance.change_index")
    value = selectors.access_index_value(request.user, value_id, series=series) if value_id else None
    form = IndexValueForm(request.POST or None, instance=value)
    conflict: list[HistoryEntry] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.index_value_save(
                actor=request.user,
                series=series,
                data=form.cleaned_data,
                value=value,
                expected_version=form.read_version,
            )
            messages.success(request, _saved_message(saved.recalculation))
            return redirect(f"{reverse('finance:index')}#series-{series.pk}")
        except ValidationError as exc:
            add_validation_error(form, exc)
            conflict = _conflict(form, exc, value)
    return render(
        request,
        "finance/index_form.html",
        {
            "nav": "finance",
            "series": series,
            "form": form,
            "forms_with_errors": [form] if form.errors else [],
            "conflict": conflict,
        },
        status=409 if conflict is not None else 400 if request.method == "POST" else 200,
    )


def _saved_message(queued: PlanRecalculation | None) -> str:
    if queued is None:
        return _("The index value was saved. No payment plan changes with it.")
    queued.refresh_from_db(fields=["status"])  # the quick start's task runner has done it already
    if queued.status == PlanRecalculation.Status.DONE:
        return _("The index value was saved and the payment plans on the series were recalculated.")
    return _(
        "The index value was saved. The payment plans on the series are being recalculated: "
        "the page shows how far it has come."
    )


def _htmx(request: HttpRequest) -> bool:
    """Asked by htmx (django-htmx sets ``request.htmx``)?"""
    return bool(getattr(request, "htmx", False))


def _recalculation(request: HttpRequest, series_id: int, recalculation_id: int, *, perm: str = "finance.view_index"):
    if not request.user.has_perm("finance.view_index_list"):
        raise PermissionDenied
    series = selectors.access_index_series(request.user, series_id, perm=perm)
    return series, selectors.access_plan_recalculation(request.user, recalculation_id, series=series)


def _recalculation_phase(found: PlanRecalculation) -> str:
    """What the status region says, in one word: the region is sent again only when it changes (every tenth
    of the way while running, so that a screen reader is not told every batch)."""
    if not found.is_active:
        return found.status
    tenth = found.agreements_done * 10 // found.agreements_total if found.agreements_total else 0
    slow = "-slow" if recalculation.stalled(found, after=recalculation.SLOW_AFTER) else ""
    return f"{found.status}-{tenth}{slow}"


def recalculation_context(request: HttpRequest, series: IndexSeries, found: PlanRecalculation) -> dict[str, Any]:
    """What the status region of a recalculation shows (``finance/_recalculation_status.html``)."""
    can_change = request.user.has_perm("finance.change_index", series)
    return {
        "series": series,
        "recalculation": found,
        "phase": _recalculation_phase(found),
        "slow": recalculation.stalled(found, after=recalculation.SLOW_AFTER),
        "can_retry": can_change and recalculation.may_retry(found),
        "reason": recalculation.refusal_text(found.error_code, found.error_params) if found.error_code else "",
        "today": timezone.localdate(),
    }


@login_required
def recalculation_detail(request: HttpRequest, series_id: int, recalculation_id: int) -> HttpResponse:
    """A recalculation of the plans on a series: what started it, how far it is, which plans it could not
    carry (those of agreements the user sees, with the reason; the others counted)."""
    series, found = _recalculation(request, series_id, recalculation_id)
    refusals = selectors.recalculation_refusals(request.user, found, page=request.GET.get("page") or 1)
    context = recalculation_context(request, series, found)
    context.update(
        {
            "nav": "finance",
            "refusals": refusals,
            "page_obj": refusals.page,
            "refused": [(r, recalculation.refusal_text(r.code, r.params)) for r in refusals.page.object_list],
        }
    )
    return render(request, "finance/recalculation.html", context)


@login_required
def recalculation_status(request: HttpRequest, series_id: int, recalculation_id: int) -> HttpResponse:
    """The status region, asked for every two seconds while the recalculation runs: 204 while nothing
    changed; without htmx, the recalculation's page."""
    series, found = _recalculation(request, series_id, recalculation_id)
    if not _htmx(request):
        return redirect("finance:recalculation", series.pk, found.pk)
    context = recalculation_context(request, series, found)
    if request.GET.get("phase") == context["phase"]:
        return HttpResponse(status=204)  # nothing new to say: the region stays as it is (no repeated announcement)
    return render(request, "finance/_recalculation_status.html", context)


@login_required
@require_POST
def recalculation_retry(request: HttpRequest, series_id: int, recalculation_id: int) -> HttpResponse:
    """A keeper of the series starts a stopped recalculation again."""
    series, found = _recalculation(request, series_id, recalculation_id, perm="finance.change_index")
    try:
        recalculation.plan_recalculation_retry(actor=request.user, recalculation=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The recalculation of the payment plans was started again."))
    return redirect(f"{reverse('finance:index')}#series-{series.pk}")


def _portfolio_query(request: HttpRequest) -> QueryDict:
    """The portfolio's parameters: what the request gives, the page's defaults for the rest.

    The first visit carries none, and a download link may carry only ``format``: both get the years the
    page shows by default, so the download is always the table on the screen.
    """
    this_year = timezone.localdate().year
    query = request.GET.copy()
    query.pop("format", None)
    query.setdefault("first_year", str(this_year - 1))
    query.setdefault("last_year", str(this_year + 2))
    return query


def _xlsx_url(cleaned: dict) -> str:
    params = {"first_year": cleaned["first_year"], "last_year": cleaned["last_year"]}
    if cleaned.get("public_body"):
        params["public_body"] = cleaned["public_body"]
    return f"{reverse('finance:portfolio')}?{urlencode({**params, 'format': 'xlsx'})}"


@login_required
def portfolio(request: HttpRequest) -> HttpResponse | FileResponse:
    if not request.user.has_perm("finance.view_portfolio"):
        raise PermissionDenied
    form = PortfolioForm(_portfolio_query(request), public_bodies=public_bodies_in_register(request.user))
    data, xlsx_url = None, ""
    if form.is_valid():
        # The page from the shared cache (per scope, years, pages and language); the download computed now.
        read = selectors.portfolio if request.GET.get("format") == "xlsx" else selectors.cached_portfolio
        data = read(
            request.user,
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
            public_body=form.cleaned_data.get("public_body"),
            partner_page=request.GET.get("partner_page"),
            source_page=request.GET.get("source_page"),
            other_label=str(_("Other partners")),
        )
        if request.GET.get("format") == "xlsx":
            return exports.portfolio_response(data)
        xlsx_url = _xlsx_url(form.cleaned_data)
    chart = ""
    if data and data.has_amounts:
        chart = charts.svg_img(
            charts.stacked_bars_svg(data.years, data.chart, other=str(_("Other partners"))),
            alt=_(
                "Bar chart of the committed amounts per year of the largest partners and of the other partners "
                "together, after index uplift. The figures of every partner are in the table below."
            ),
        )
    return render(
        request,
        "finance/portfolio.html",
        {
            "nav": "finance",
            "form": form,
            "p": data,
            "chart": chart,
            "xlsx_url": xlsx_url,
            "forms_with_errors": [form] if form.errors else [],
        },
        status=200 if form.is_valid() else 400,
    )
