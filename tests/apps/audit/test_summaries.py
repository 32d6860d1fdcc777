# SPDX-License-Identifier: EUPL-1.2
"""Audit summaries: stored as the untranslated message and its parameters, worded in the viewer's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from apps.accounts.models import Membership
from apps.agreements.models import Agreement, Intervention
from apps.audit.display import history_rows, summary_text
from apps.audit.models import AuditEvent
from apps.audit.services import (
    SummaryError,
    audit_record,
    choice_param,
    kind_param,
    money_param,
    month_param,
    percent_param,
)
from apps.audit.summaries import render_summary

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def agreement(make_agreement) -> Agreement:
    return make_agreement()


def record(agreement: Agreement, summary: Any, params: Any = None) -> AuditEvent:
    return audit_record(
        actor=None, action="test", summary=summary, summary_params=params, obj=agreement, agreement=agreement
    )


def in_language(language: str, event: AuditEvent) -> str:
    with translation.override(language):
        return summary_text(event)


def test_the_message_and_its_parameters_are_stored_and_the_text_in_swedish(agreement) -> None:
    with translation.override("en"):  # whoever writes, the stored text is in the default language
        event = record(agreement, gettext_noop("Intervention added: %s"), ["Del 1 – Kulturtolkar"])
    event.refresh_from_db()
    assert event.summary_msgid == "Intervention added: %s"
    assert event.summary_params == ["Del 1 – Kulturtolkar"]
    assert event.summary == "Insats tillagd: Del 1 – Kulturtolkar"
    assert in_language("en", event) == "Intervention added: Del 1 – Kulturtolkar"
    assert in_language("sv", event) == "Insats tillagd: Del 1 – Kulturtolkar"


def test_words_of_the_product_in_the_parameters_are_worded_when_shown(agreement) -> None:
    agreement.status = Agreement.Status.DECIDED
    event = record(
        agreement,
        gettext_noop("Status changed from %(old)s to %(new)s"),
        {
            "old": {"type": "choice", "model": "agreements.agreement", "field": "status", "value": "draft"},
            "new": choice_param(agreement, "status"),
        },
    )
    assert event.summary_params["new"] == {
        "type": "choice",
        "model": "agreements.agreement",
        "field": "status",
        "value": "decided",
    }
    assert in_language("sv", event) == "Status ändrad från Utkast till Beslutad"
    assert in_language("en", event) == "Status changed from Draft to Decided"

    removed = record(
        agreement, gettext_noop("%(kind)s removed: %(label)s"), {"kind": kind_param(Intervention), "label": "Del 1"}
    )
    assert (in_language("sv", removed), in_language("en", removed)) == (
        "Insats borttagen: Del 1",
        "Intervention removed: Del 1",
    )


@pytest.mark.parametrize(
    ("param", "swedish", "english"),
    [
        (money_param(Decimal("750000.00")), f"750{NBSP}000{NBSP}kr", f"750{NBSP}000{NBSP}kr"),
        (percent_param(Decimal("2.500")), f"2,5{NBSP}%", f"2.5{NBSP}%"),
        (month_param(10), "oktober", "October"),
        ({"type": "kind", "model": "finance.fundingsource"}, "Finansiär", "Funding source"),
        (
            {"type": "choice", "model": "finance.payment", "field": "status", "value": "paid", "lower": True},
            "betald",
            "paid",
        ),
        (
            {"type": "choice", "model": "accounts.membership", "field": "role", "value": "case_officer"},
            "Handläggare",
            "Case officer",
        ),
        ({"model": "agreements.intervention", "id": 7, "name": "Del 1"}, "Del 1", "Del 1"),  # a reference
        ("Föreningen Alfa", "Föreningen Alfa", "Föreningen Alfa"),  # a name, as it is
    ],
)
def test_each_kind_of_parameter(param: Any, swedish: str, english: str) -> None:
    for language, expected in (("sv", swedish), ("en", english)):
        with translation.override(language):
            assert render_summary("Funding source saved: %s", [param], strict=True) == (
                gettext("Funding source saved: %s") % expected
            )


def test_a_membership_summary_names_the_role_in_the_viewers_language(users, orgs) -> None:
    membership = Membership.objects.get(user=users["officer_north"])
    event = audit_record(
        actor=None,
        action="test",
        obj=membership,
        organisation=orgs["north"],
        summary=gettext_noop("%(user)s was given the role %(role)s for %(organisation)s"),
        summary_params={"user": "Nora", "role": choice_param(membership, "role"), "organisation": "Norr"},
    )
    assert in_language("sv", event) == "Nora fick rollen Handläggare för Norr"
    assert in_language("en", event) == "Nora was given the role Case officer for Norr"


@pytest.mark.parametrize(
    ("summary", "params"),
    [
        (None, None),  # replaced below by a summary translated before it was passed (Swedish active)
        ("Insats tillagd: Del 1", None),  # translated and interpolated
        ("Intervention added: Del 1", None),  # interpolated before it was passed
        (gettext_lazy("Agreement changed"), None),  # lazy: would be frozen in the language of str()
        ("Something no catalogue translates", None),  # a message without a Swedish translation
        ("Intervention added: %s", None),  # a placeholder without its parameter
        ("Intervention added: %s", ["Del 1", "Del 2"]),  # a parameter too many
        ("Organisation %(name)s changed", {"title": "Alfa"}),  # a parameter of another name
        ("Organisation %(name)s changed", {"name": "Alfa", "extra": "x"}),  # a parameter without a placeholder
        ("Organisation %(name)s changed", ["Alfa"]),  # a list for named placeholders
        ("Agreement changed", "not parameters"),
        (
            "Payment due %(due)s: %(status)s",
            {
                "due": "2025-07-01",
                "status": {"type": "choice", "model": "finance.payment", "field": "status", "value": "lost"},
            },
        ),
        ("Payment due %(due)s: %(status)s", {"due": "2025-07-01", "status": {"type": "colour", "value": "red"}}),
        ("%(kind)s removed: %(label)s", {"kind": {"type": "kind", "model": "agreements.nothing"}, "label": "x"}),
        ("Repayment claim: %(amount)s", {"amount": {"type": "money", "value": "a lot"}}),
        (
            "Index value saved: %(series)s, %(month)s %(year)s: %(percent)s",
            {"series": "PKV", "month": month_param(13), "year": 2025, "percent": percent_param(Decimal("2.5"))},
        ),
    ],
)
def test_audit_record_refuses_a_translated_summary_or_parameters_that_do_not_fit(agreement, summary, params) -> None:
    if summary is None:
        summary = gettext("Agreement changed")  # what a call site with `_(...)` passes
        assert summary == "Överenskommelsen ändrades"
    before = AuditEvent.objects.count()
    with pytest.raises(SummaryError):
        record(agreement, summary, params)
    assert AuditEvent.objects.count() == before


def test_an_event_written_before_the_message_was_kept_shows_its_stored_text(agreement) -> None:
    old = AuditEvent.objects.create(
        action="agreement.updated",
        summary="Överenskommelsen ändrades",
        object_type="agreements.agreement",
        object_id=str(agreement.pk),
        agreement=agreement,
    )
    assert in_language("en", old) == "Överenskommelsen ändrades"
    assert [entry.summary for entry in history_rows([old])] == ["Överenskommelsen ändrades"]


@pytest.mark.parametrize(
    ("msgid", "params"),
    [
        ("Organisation %(name)s changed", {}),
        ("Organisation %(name)s changed", ["Alfa"]),
        ("Intervention added: %s", {"name": "x"}),
        ("Intervention added: %s", "x"),
        ("Payment due %(due)s: %(status)s", {"due": "x", "status": {"type": "choice", "model": 5}}),
        (
            "Payment due %(due)s: %(status)s",
            {"due": "x", "status": {"type": "choice", "model": "finance.payment", "field": "nothing", "value": "paid"}},
        ),
        ("Repayment claim: %(amount)s", {"amount": {"type": "money", "value": "NaN-ish"}}),
        ("Repayment claim: %(amount)s", {"amount": {"type": "money", "value": "1E+99999"}}),
        ("Repayment claim: %(amount)s", {"amount": {"type": None}}),
    ],
)
def test_a_stored_message_that_does_not_fit_its_parameters_falls_back_to_the_stored_text(
    agreement, msgid: str, params: Any
) -> None:
    event = AuditEvent.objects.create(
        action="test",
        summary="Sparad text",
        summary_msgid=msgid,
        summary_params=params,
        object_type="agreements.agreement",
        object_id=str(agreement.pk),
        agreement=agreement,
    )
    assert render_summary(msgid, params) is None
    assert in_language("en", event) == "Sparad text"
    assert history_rows([event])[0].summary == "Sparad text"


def test_an_unknown_choice_code_in_a_stored_event_reads_as_stored(agreement) -> None:
    params = {
        "due": "2025-07-01",
        "status": {"type": "choice", "model": "finance.payment", "field": "status", "value": "archived"},
    }
    event = AuditEvent.objects.create(
        action="test",
        summary="Sparad text",
        summary_msgid="Payment due %(due)s: %(status)s",
        summary_params=params,
        object_type="agreements.agreement",
        object_id=str(agreement.pk),
        agreement=agreement,
    )
    assert in_language("en", event) == "Payment due 2025-07-01: archived"


def test_an_admin_edit_is_summarised_in_the_viewers_language(rf, users, agreement) -> None:
    from django.contrib import admin as django_admin

    from apps.audit.admin import AuditedAdmin, AuditEventAdmin

    part = Intervention.objects.create(agreement=agreement, label="Del 1", title="Kulturtolkar")
    part.title = "Kulturtolkar i Angered"
    request = rf.post("/admin/")
    request.user = users["officer_north"]
    AuditedAdmin(Intervention, django_admin.site).save_model(request, part, form=None, change=True)
    event = AuditEvent.objects.get(action="intervention.admin_saved")
    assert event.summary == "Insats ”Del 1 – Kulturtolkar i Angered” sparades i administrationen"
    assert event.summary_params["kind"] == {"type": "kind", "model": "agreements.intervention"}
    assert event.changes == {"title": ["Kulturtolkar", "Kulturtolkar i Angered"]}
    shown = AuditEventAdmin(AuditEvent, django_admin.site)
    with translation.override("en"):
        assert shown.summary_shown(event) == "Intervention “Del 1 – Kulturtolkar i Angered” saved in the admin"
