# SPDX-License-Identifier: EUPL-1.2
"""Words for the error codes of the money rules (domain.money, periods, indexation, payments).

Holds: the registration of their translated messages with :func:`apps.core.errors.register`, and
:func:`validation_error`, which turns a :class:`~domain.errors.DomainError` into a Django
``ValidationError`` on the form field it concerns. May import: domain, apps.core, this app's models.
Registered when the app is ready (``FinanceConfig.ready``), so every page, command and API gets them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.errors import describe, register
from domain.errors import DomainError
from domain.money import format_sek

from .models import Payment


def _status(value: str) -> str:
    return str(Payment.Status(value).label).lower()


def _money_out_of_range(params: Mapping[str, Any]) -> str:
    return gettext("An amount can be at most %(max)s.") % {"max": format_sek(params["max"])}


def _transition_not_allowed(params: Mapping[str, Any]) -> str:
    return gettext("A payment cannot go from %(old)s to %(new)s.") % {
        "old": _status(params["old"]),
        "new": _status(params["new"]),
    }


def _not_recorded(params: Mapping[str, Any]) -> str:
    return gettext("Only an invoiced or paid payment can be corrected; this one is %(status)s.") % {
        "status": _status(params["status"])
    }


def _funding_exceeds(params: Mapping[str, Any]) -> str:
    values = {
        "funding": format_sek(params["funding"]),
        "amount": format_sek(params["amount"]),
        "year": params.get("year"),
    }
    if values["year"] is None:
        return gettext("The funding sources add up to %(funding)s, more than the year's amount %(amount)s.") % values
    return (
        gettext("In %(year)s the funding sources add up to %(funding)s, more than the year's amount %(amount)s.")
        % values
    )


register(
    {
        "money.not_an_amount": _("“%(text)s” is not an amount in kronor."),
        "money.out_of_range": _money_out_of_range,
        "period.end_before_start": _("The end date (%(end)s) cannot be before the start date (%(start)s)."),
        "period.year_out_of_range": _(
            "The year %(year)s is outside the years the system handles (%(min_year)s–%(max_year)s)."
        ),
        "period.too_long": _(
            "The period %(start)s – %(end)s is longer than %(max_years)s years, the longest period "
            "amounts are computed for."
        ),
        "period.negative_amount": _("The amount cannot be negative."),
        "index.percent_out_of_range": _("The index value must be more than %(min)s %% and less than %(max)s %%."),
        "index.percent_too_precise": _("The index value can have at most %(decimals)s decimals."),
        "index.reference_month_out_of_range": _("The reference month must be a month from 1 to 12."),
        "index.duplicate_value": _("There are two index values of the same kind for %(year)s."),
        "payment.transition_not_allowed": _transition_not_allowed,
        "payment.invoice_number_required": _("Give the invoice number."),
        "payment.invoice_date_required": _("Give the invoice date."),
        "payment.paid_date_required": _("Give the date the payment was made."),
        "payment.paid_before_invoiced": _(
            "The payment date (%(paid_on)s) cannot be before the invoice date (%(invoiced_on)s)."
        ),
        "payment.not_recorded": _not_recorded,
        "payment.negative_year_amount": _("The amount for %(year)s cannot be negative."),
        "funding.negative_amount": _("A funding source's amount cannot be negative."),
        "funding.share_out_of_range": _("The share must be between 0 and 100 %."),
        "funding.duplicate_name": _(
            "There are two funders named “%(name)s” (the main funder included); give each its own name."
        ),
        "funding.exceeds_year_amount": _funding_exceeds,
    }
)

# A table of index values read from a file (apps.finance.imports, domain.index_table).
register(
    {
        "index_file.unsupported": _(
            "The file format (%(suffix)s) of %(name)s is not supported. Use .csv, .xlsx, .xls or .ods."
        ),
        "index_file.missing": _("The file %(name)s does not exist."),
        "index_file.unreadable": _("The file %(name)s could not be read: it is damaged or not a table in its format."),
        "index_file.too_large": _(
            "The file %(name)s is larger than %(max_mb)s MB; a table of index values is much smaller."
        ),
        "index_table.no_years": _(
            "No years were found in the file: the table needs a column or row of years (such as 2025) "
            "beside the percentages."
        ),
        "index_table.no_values": _("The file has years but no percentages beside them."),
        "index_table.ambiguous": _(
            "The file has %(count)s columns or rows of percentages beside the years; keep only the one to "
            "load, or head it with the series code."
        ),
        "index_table.duplicate_year": _("The year %(year)s appears twice in the file."),
        "index_table.not_a_percent": _("The value for %(year)s, “%(text)s”, is not a percentage."),
    }
)

# Why a bulk recalculation of the payment plans left a plan as it was, or stopped (apps.finance.recalculation).
register(
    {
        "payment_plan.not_computable": _(
            "The payment plan could not be computed from the agreement's money terms; check them and save them again."
        ),
        "payment_plan.not_saved": _("The new payment plan could not be saved; the plan is as it was."),
        "recalculation.failed": _(
            "The recalculation stopped because of an error on the server. The plans recalculated before it are "
            "kept and the others are as they were; start it again, and tell your administrator if it stops again."
        ),
    }
)

# The form field each code concerns, where there is one; the others are shown for the whole form.
FIELDS = {
    "payment.invoice_number_required": "invoice_number",
    "payment.invoice_date_required": "invoiced_on",
    "payment.paid_date_required": "paid_on",
    "payment.paid_before_invoiced": "paid_on",
    "period.year_out_of_range": "year",
    "index.percent_out_of_range": "percent",
    "index.percent_too_precise": "percent",
    "index.reference_month_out_of_range": "reference_month",
    "funding.negative_amount": "annual_amount",
    "funding.share_out_of_range": "share_percent",
}


def validation_error(*errors: DomainError, fields: Mapping[str, str] | None = None) -> ValidationError:
    """One ValidationError with each refusal's message in the active language, on its field where known.

    ``fields`` replaces :data:`FIELDS` for a form whose fields are named otherwise (``{}``: all on the form).
    """
    mapping = FIELDS if fields is None else fields
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(mapping.get(error.code, "__all__"), []).append(describe(error))
    if list(by_field) == ["__all__"]:
        return ValidationError(by_field["__all__"])
    return ValidationError(by_field)


# A DomainError kept in a row (a refused recalculation, an agreement whose amounts cannot be computed): its code
# and its parameters as JSON, given back as the values the words were written for.


def encode_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON: an amount and a date keep their type (``{"decimal": "12.50"}``)."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return {"decimal": str(value)}
        if isinstance(value, dt.date):
            return {"date": value.isoformat()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return {str(key): plain(value) for key, value in params.items()}


def decode_params(params: Mapping[str, Any]) -> dict[str, Any]:
    def value_of(value: Any) -> Any:
        if isinstance(value, Mapping) and len(value) == 1:
            if "decimal" in value:
                return Decimal(value["decimal"])
            if "date" in value:
                return dt.date.fromisoformat(value["date"])
        if isinstance(value, list):
            return [value_of(v) for v in value]
        return value

    return {str(key): value_of(value) for key, value in (params or {}).items()}


def stored_error_text(code: str, params: Mapping[str, Any]) -> str:
    """A stored error's words in the active language (its code when no words are registered for it)."""
    try:
        return describe(DomainError(code, **decode_params(params)))
    except (LookupError, KeyError, TypeError, ValueError):
        return code
