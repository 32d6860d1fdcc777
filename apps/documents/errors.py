# SPDX-License-Identifier: EUPL-1.2
"""Words for the importer's codes: why a document could not be read, and what a draft's reader should check.

The pure importer (:mod:`domain.importer`) raises ``ImportFailure(code, **params)`` and records warnings as
``{"code": ..., "params": ...}`` in the draft. Their messages are registered here with
:func:`apps.core.errors.register` when the app is ready. :func:`warning_text` says one stored warning in
the active language (so the review page is Swedish or English for whoever reads it), and
:func:`contract_draft` turns a draft into the ``import_agreement --json`` contract, whose ``warnings`` are
sentences (shared/import/CONTRACT.md), keeping the codes beside them in ``warning_details``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.errors import Message, describe, register
from domain.errors import DomainError
from domain.money import format_sek


def _kr(value: Any) -> str:
    return format_sek(Decimal(int(value)))


def _count(value: Any) -> str:
    return number_format(int(value), force_grouping=True)


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items)


# Failures: the document cannot be imported ------------------------------------------------------------


def _file_too_large(params: Mapping[str, Any]) -> str:
    return gettext("The file %(name)s is too large (%(size)s); the largest allowed size is %(limit)s.") % {
        "name": params["name"],
        "size": filesizeformat(params["size_bytes"]),
        "limit": filesizeformat(params["max_bytes"]),
    }


def _unsupported_format(params: Mapping[str, Any]) -> str:
    if not params.get("suffix"):
        return gettext("The file %(name)s has no file extension. Use .txt, .pdf or .docx.") % {"name": params["name"]}
    return gettext("The file format (%(suffix)s) of %(name)s is not supported. Use .txt, .pdf or .docx.") % {
        "name": params["name"],
        "suffix": params["suffix"],
    }


def _too_much_text(params: Mapping[str, Any]) -> str:
    return gettext("The document %(name)s contains too much text (over %(max)s characters) to be imported.") % {
        "name": params["name"],
        "max": _count(params["max_chars"]),
    }


def _text_too_long(params: Mapping[str, Any]) -> str:
    return gettext("The text is too long (over %(max)s characters) to be imported.") % {
        "max": _count(params["max_chars"])
    }


FAILURES: dict[str, Message] = {
    "importer.file_missing": _("The file %(name)s does not exist."),
    "importer.is_directory": _("%(name)s is a folder, not a file."),
    "importer.not_a_folder": _("%(name)s is not a folder."),
    "importer.unreadable": _("The file %(name)s could not be read."),
    "importer.empty_file": _("The file %(name)s is empty."),
    "importer.file_too_large": _file_too_large,
    "importer.legacy_doc": _("The file %(name)s is in the older Word format .doc; save it as .docx and try again."),
    "importer.unsupported_format": _unsupported_format,
    "importer.too_much_text": _too_much_text,
    "importer.text_too_long": _text_too_long,
    "importer.no_text": _("The file %(name)s contains no text."),
    "importer.undecodable": _("The text file %(name)s could not be decoded."),
    "importer.binary_text": _("The file %(name)s is not a text file (it contains binary data)."),
    "importer.txt_not_text": _("The file %(name)s is not a text file despite the extension .txt."),
    "importer.invalid_pdf": _("The file %(name)s is not a valid PDF file."),
    "importer.pdf_unreadable": _(
        "The PDF file %(name)s could not be opened; it seems to be damaged or password-protected."
    ),
    "importer.pdf_no_text_layer": _(
        "The PDF file %(name)s has no text layer (it is probably scanned) and cannot be read."
    ),
    "importer.pdf_too_many_pages": _(
        "The PDF file %(name)s has more than %(max_pages)s pages. Import the agreement itself, without appendices "
        "of that size."
    ),
    "importer.too_slow": _(
        "Reading the file %(name)s took longer than %(seconds)s seconds and was stopped. The file may be damaged "
        "or unusually heavy (large pictures, for example): save it again as PDF or Word and try again."
    ),
    "importer.too_much_memory": _(
        "The file %(name)s needs more memory to read than is allowed (%(megabytes)s MB) and was stopped. The "
        "file may be damaged or unusually heavy: save it again as PDF or Word and try again."
    ),
    "importer.invalid_docx": _("The file %(name)s is not a valid Word file (.docx)."),
    "importer.docx_unopenable": _("The Word file %(name)s could not be opened; it seems to be damaged."),
    "importer.docx_too_large": _("The Word file %(name)s is too large unpacked to be imported."),
    "importer.docx_unreadable": _("The Word file %(name)s could not be read; it seems to be damaged."),
    "importer.not_an_agreement": _(
        "The file %(name)s does not seem to contain an agreement on an idea-based public "
        "partnership (IOP) or a decision report on one."
    ),
    "importer.internal_error": _("The file %(name)s could not be imported because of an internal error (%(error)s)."),
}


# Warnings: what the reader of a draft should check --------------------------------------------------------


def _table_total_mismatch(params: Mapping[str, Any]) -> str:
    values = {
        "section": params.get("section"),
        "year": params.get("year"),
        "summed": _kr(params["summed"]),
        "total": _kr(params["total"]),
    }
    if values["section"] and values["year"]:
        text = gettext(
            "The budget lines for %(section)s (%(year)s) add up to %(summed)s, but the table's total is "
            "%(total)s; check the lines."
        )
    elif values["section"]:
        text = gettext(
            "The budget lines for %(section)s add up to %(summed)s, but the table's total is %(total)s; "
            "check the lines."
        )
    elif values["year"]:
        text = gettext(
            "The budget lines (%(year)s) add up to %(summed)s, but the table's total is %(total)s; check the lines."
        )
    else:
        text = gettext("The budget lines add up to %(summed)s, but the table's total is %(total)s; check the lines.")
    return text % values


def _several_periods(params: Mapping[str, Any]) -> str:
    return gettext(
        "The document mentions several periods (%(others)s); the period %(start)s–%(end)s was chosen. "
        "Check the agreement period."
    ) % {"others": _listed(f"{a}–{b}" for a, b in params["others"]), "start": params["start"], "end": params["end"]}


def _several_annual_amounts(params: Mapping[str, Any]) -> str:
    return gettext("Several amounts per year are mentioned (%(others)s); the annual amount %(chosen)s was chosen.") % {
        "others": _listed(_kr(v) for v in params["others"]),
        "chosen": _kr(params["chosen"]),
    }


def _several_case_numbers(params: Mapping[str, Any]) -> str:
    return gettext("The document mentions several case numbers (%(numbers)s); check which one applies.") % {
        "numbers": _listed([params["chosen"], *params["others"]])
    }


def _org_number_check_digit(params: Mapping[str, Any]) -> str:
    if params.get("name"):
        return gettext(
            "The organisation number %(number)s (%(name)s) has a wrong check digit and was left out; check the number."
        ) % {"number": params["number"], "name": params["name"]}
    return gettext("The organisation number %(number)s has a wrong check digit and was left out; check the number.") % {
        "number": params["number"]
    }


def _org_number_conflict(params: Mapping[str, Any]) -> str:
    return gettext("%(name)s is given with different organisation numbers (%(numbers)s).") % {
        "name": params["name"],
        "numbers": _listed(params["numbers"]),
    }


def _amounts(message: Promise, *keys: str) -> Callable[[Mapping[str, Any]], str]:
    """A message whose parameters ``keys`` are whole kronor, shown as "600 000 kr"."""

    def say(params: Mapping[str, Any]) -> str:
        return str(message) % {key: _kr(params[key]) for key in keys}

    return say


WARNINGS: dict[str, Message] = {
    "importer.warning.no_text": _("The document contains no text."),
    "importer.warning.no_period": _("No agreement period was found in the document."),
    "importer.warning.period_incomplete": _("The agreement period is not fully stated; check the start and end dates."),
    "importer.warning.period_uncertain": _(
        "The agreement period is uncertain: the pair of dates does not stand in a passage about the agreement's term."
    ),
    "importer.warning.several_periods": _several_periods,
    "importer.warning.automatic_extension": _(
        "The agreement seems to be extended automatically; check the terms for extension."
    ),
    "importer.warning.several_annual_amounts": _several_annual_amounts,
    "importer.warning.index_unknown": _("Indexation is mentioned, but which index applies could not be determined."),
    "importer.warning.index_month_unknown": _(
        "Indexation by %(index)s is mentioned, but not which month's value is used."
    ),
    "importer.warning.separate_invoicing": _("Part of the amount is invoiced separately; check the payment plan."),
    "importer.warning.several_case_numbers": _several_case_numbers,
    "importer.warning.org_number_check_digit": _org_number_check_digit,
    "importer.warning.org_number_conflict": _org_number_conflict,
    "importer.warning.no_public_party": _("No public party (committee or department) could be identified."),
    "importer.warning.no_nonprofit_party": _("No non-profit party could be identified."),
    "importer.warning.org_number_missing": _("The organisation number is missing for %(name)s."),
    "importer.warning.table_total_mismatch": _table_total_mismatch,
    "importer.warning.lines_vs_annual_amount": _amounts(
        _("The budget lines add up to %(summed)s, but the annual amount is given as %(annual)s."), "summed", "annual"
    ),
    "importer.warning.lines_vs_total_amount": _amounts(
        _("The budget lines add up to %(summed)s, but the total frame is given as %(total)s."), "summed", "total"
    ),
    "importer.warning.years_vs_total_amount": _amounts(
        _("The amounts per year add up to %(summed)s, but the total frame is given as %(total)s."), "summed", "total"
    ),
    "importer.warning.year_above_annual_amount": _(
        "An annual amount in the table is larger than the base amount per year; check the amounts."
    ),
    "importer.warning.period_end_before_start": _("The agreement period ends before it starts."),
    "importer.warning.no_indexation": _(
        "No indexation was found for an agreement over several years; check whether the amount should be indexed."
    ),
    "importer.warning.goals_without_indicators": _(
        "The goals have no indicators in the document; add how goal attainment is to be measured."
    ),
}

register(FAILURES)
register(WARNINGS)


def warning_text(warning: object) -> str:
    """One warning of a draft in the active language. A plain string (a draft stored before warnings had
    codes) is shown as it was stored; an unknown code is shown as the code rather than break the page."""
    if isinstance(warning, str):
        return warning
    if isinstance(warning, Mapping) and isinstance(warning.get("code"), str):
        stored = warning.get("params")
        params: Mapping[str, Any] = stored if isinstance(stored, Mapping) else {}
        try:
            return describe(DomainError(warning["code"], **params))
        except (LookupError, KeyError, TypeError, ValueError):
            return str(warning["code"])
    return str(warning)


def warning_texts(warnings: Iterable[object] | None) -> list[str]:
    return [warning_text(w) for w in warnings or []]


def contract_draft(draft: Mapping[str, Any]) -> dict[str, Any]:
    """The draft as ``import_agreement --json`` prints it: ``warnings`` as sentences in the active language,
    with ``warning_details`` (code, params, message) beside them for programs."""
    result = dict(draft)
    warnings = list(draft.get("warnings") or [])
    texts = warning_texts(warnings)
    result["warnings"] = texts
    result["warning_details"] = [
        {"code": w.get("code"), "params": dict(w.get("params") or {}), "message": text}
        if isinstance(w, Mapping)
        else {"code": None, "params": {}, "message": text}
        for w, text in zip(warnings, texts, strict=True)
    ]
    return result


def failure_text(code: str, params: Mapping[str, Any]) -> str:
    """Why a stored file could not be read, in the active language (like :func:`warning_text`)."""
    return warning_text({"code": code, "params": dict(params)})
