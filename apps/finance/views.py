# SPDX-License-Identifier: EUPL-1.2
"""Money pages. Thin: forms validate, services write, selectors read within the user's scope."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.agreements.models import Agreement
from apps.agreements.selectors import get_agreement, public_bodies_in_register
from apps.core.forms import add_validation_error
from domain.money import format_sek

from . import charts, exports, selectors, services
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
from .models import BudgetLine, FinanceTerms, FundingSource, IndexSeries, IndexValue, Payment, RepaymentClaim


def _agreement(request, pk: int, perm: str = "finance.view_finance") -> Agreement:
    try:
        agreement = get_agreement(request.user, pk)
    except Agreement.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


def _form_page(request, agreement, form, title: str, save, *, anchor: str, delete_url: str = ""):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(f"{agreement_finance_url(agreement)}#{anchor}")
        except ValidationError as exc:
            add_validation_error(form, exc)
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
        },
        status=400 if request.method == "POST" else 200,
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
    instance = FinanceTerms.objects.filter(agreement=agreement).first()
    initial = None
    if instance is None:
        public = agreement.parties.filter(role="public").select_related("organisation").first()
        initial = {"default_source": public.organisation.name if public else "", "basis": "annual"}
    form = FinanceTermsForm(request.POST or None, instance=instance, initial=initial)

    def save(data):
        services.finance_terms_save(actor=request.user, agreement=agreement, data=data)

    return _form_page(request, agreement, form, _("Money terms"), save, anchor="terms")


@login_required
def funding_source_form(request, pk: int, source_id: int | None = None):
    agreement = _agreement(request, pk, "finance.change_finance")
    source = get_object_or_404(FundingSource, pk=source_id, agreement=agreement) if source_id else None
    form = FundingSourceForm(request.POST or None, instance=source)

    def save(data):
        services.funding_source_save(actor=request.user, agreement=agreement, data=data, source=source)

    delete_url = reverse("finance:row_delete", args=[agreement.pk, "finansiar", source.pk]) if source else ""
    return _form_page(request, agreement, form, _("Funding source"), save, anchor="funding", delete_url=delete_url)


@login_required
def budget_line_form(request, pk: int, line_id: int | None = None):
    agreement = _agreement(request, pk, "finance.change_finance")
    line = get_object_or_404(BudgetLine, pk=line_id, agreement=agreement) if line_id else None
    form = BudgetLineForm(request.POST or None, instance=line, agreement=agreement)

    def save(data):
        services.budget_line_save(actor=request.user, agreement=agreement, data=data, line=line)

    delete_url = reverse("finance:row_delete", args=[agreement.pk, "budget", line.pk]) if line else ""
    return _form_page(request, agreement, form, _("Budget line"), save, anchor="budget", delete_url=delete_url)


@login_required
def repayment_claim_form(request, pk: int, claim_id: int | None = None):
    agreement = _agreement(request, pk, "finance.change_finance")
    claim = get_object_or_404(RepaymentClaim, pk=claim_id, agreement=agreement) if claim_id else None
    form = RepaymentClaimForm(
        request.POST or None, instance=claim, initial=None if claim else {"claimed_on": timezone.localdate()}
    )

    def save(data):
        services.repayment_claim_save(actor=request.user, agreement=agreement, data=data, claim=claim)

    return _form_page(request, agreement, form, _("Repayment claim"), save, anchor="claims")


@login_required
@require_POST
def row_delete(request, pk: int, kind: str, row_id: int):
    agreement = _agreement(request, pk, "finance.change_finance")
    obj: FundingSource | BudgetLine
    if kind == "finansiar":
        obj = get_object_or_404(FundingSource, pk=row_id, agreement=agreement)
    elif kind == "budget":
        obj = get_object_or_404(BudgetLine, pk=row_id, agreement=agreement)
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
    payment = get_object_or_404(Payment, pk=payment_id, agreement=agreement)
    if payment.status == Payment.Status.PAID:
        messages.error(request, _("This payment is already paid. A controller can correct it."))
        return redirect(f"{agreement_finance_url(agreement)}#payments")
    form = PaymentRecordForm(
        request.POST or None,
        payment=payment,
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
        )

    title = _payment_title(_("Record payment due %(due)s, %(amount)s"), payment)
    return _form_page(request, agreement, form, title, save, anchor="payments")


@login_required
def payment_correct(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    agreement = _agreement(request, pk, "finance.correct_payment")
    payment = get_object_or_404(Payment, pk=payment_id, agreement=agreement)
    if payment.status not in (Payment.Status.INVOICED, Payment.Status.PAID):
        messages.error(request, _("Only an invoiced or paid payment can be corrected; record this one instead."))
        return redirect(f"{agreement_finance_url(agreement)}#payments")
    form = PaymentCorrectionForm(
        request.POST or None,
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
        )

    title = _payment_title(_("Correct payment due %(due)s, %(amount)s"), payment)
    return _form_page(request, agreement, form, title, save, anchor="payments")


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
    if not request.user.has_perm("finance.view_portfolio"):
        raise PermissionDenied
    return render(
        request,
        "finance/index_list.html",
        {
            "nav": "finance",
            "series": selectors.index_series(),
            "can_change": request.user.has_perm("finance.change_index"),
        },
    )


@login_required
def index_value_form(request, series_id: int, value_id: int | None = None):
    if not request.user.has_perm("finance.change_index"):
        raise PermissionDenied
    series = get_object_or_404(IndexSeries, pk=series_id)
    value = get_object_or_404(IndexValue, pk=value_id, series=series) if value_id else None
    form = IndexValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        try:
            services.index_value_save(actor=request.user, series=series, data=form.cleaned_data, value=value)
            messages.success(request, _("The index value was saved and the payment plans were updated."))
            return redirect("finance:index")
        except ValidationError as exc:
            add_validation_error(form, exc)
    return render(
        request,
        "finance/index_form.html",
        {"nav": "finance", "series": series, "form": form, "forms_with_errors": [form] if form.errors else []},
        status=400 if request.method == "POST" else 200,
    )


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
def portfolio(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("finance.view_portfolio"):
        raise PermissionDenied
    form = PortfolioForm(_portfolio_query(request), public_bodies=public_bodies_in_register(request.user))
    data, xlsx_url = None, ""
    if form.is_valid():
        data = selectors.portfolio(
            request.user,
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
            public_body=form.cleaned_data.get("public_body"),
        )
        if request.GET.get("format") == "xlsx":
            return exports.portfolio_response(data)
        xlsx_url = _xlsx_url(form.cleaned_data)
    chart = ""
    if data and data.commitments:
        chart = charts.svg_img(
            charts.stacked_bars_svg(data.years, data.by_partner),
            alt=_(
                "Bar chart of the committed amounts per year and partner, after index uplift. "
                "The same figures are in the table below."
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
