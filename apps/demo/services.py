# SPDX-License-Identifier: EUPL-1.2
"""Loading the demo data: the seeded agreements, their organisations and the demo users of both municipalities
(Göteborg and Mölndal, two tenants). Idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext_noop

from apps.accounts.models import Membership, User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Goal, Intervention, Party
from apps.audit.services import audit_record, choice_param
from apps.finance import services as finance_services
from apps.finance.models import FinanceTerms, IndexSeries, IndexValue
from apps.organisations.models import Organisation

from . import data

DEFAULT_PASSWORD = "partnerskap-demo"
# The demo user who keeps the national index series (a platform role, not a municipality's controller).
INDEX_KEEPER = "plattform"


def _organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for name, number, kind, parent in data.ORGANISATIONS:
        org, _created = Organisation.objects.update_or_create(
            name=name, org_number=number, defaults={"kind": kind, "parent": orgs.get(parent) if parent else None}
        )
        orgs[name] = org
    return orgs


def _users(orgs: dict[str, Organisation], password: str) -> dict[str, User]:
    users = {}
    for username, first, last, memberships in data.USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_active": True, "email": f"{username}@example.org"},
        )
        user.set_password(password)
        user.save()
        for org_name, role in memberships:
            Membership.objects.get_or_create(user=user, organisation=orgs[org_name], role=role)
        users[username] = user
    keeper = Permission.objects.get(content_type__app_label="finance", codename="keep_national_index")
    users[INDEX_KEEPER].user_permissions.add(keeper)
    return users


def _agreement(spec: dict, orgs: dict[str, Organisation], actor: User) -> tuple[Agreement, bool]:
    existing = Agreement.objects.filter(title=spec["title"]).first()
    if existing:
        return existing, False
    fields = {k: spec[k] for k in agreement_services.AGREEMENT_FIELDS if k in spec}
    parties = [
        agreement_services.PartyInput(
            role=role, organisation=orgs[name], signatory_name=signatory, signatory_title=title
        )
        for name, role, signatory, title in spec["parties"]
    ]
    decision = agreement_services.DecisionInput(**spec["decision"]) if spec["decision"] else None
    agreement = agreement_services.agreement_create(actor=actor, data=fields, parties=parties, decision=decision)
    interventions: dict[str, Intervention] = {}
    for item in spec["interventions"]:
        interventions[item["key"]] = agreement_services.intervention_save(
            actor=actor,
            agreement=agreement,
            data={
                "kind": item["kind"],
                "label": item["label"],
                "title": item["title"],
                "description": item.get("description", ""),
                "parent": interventions.get(item.get("parent")),
            },
        )
    goals: dict[str, Goal] = {}
    for item in spec["goals"]:
        goal = agreement_services.goal_save(
            actor=actor,
            agreement=agreement,
            data={
                "text": item["text"],
                "intervention": interventions.get(item.get("intervention")),
                "parent": goals.get(item.get("parent")),
            },
        )
        if item.get("key"):
            goals[item["key"]] = goal
        for ind in item.get("indicators", []):
            agreement_services.indicator_save(
                actor=actor,
                goal=goal,
                data=agreement_services.IndicatorInput(
                    name=ind["name"],
                    kind=ind.get("kind", "count"),
                    dimensions=ind.get("dimensions", []),
                    collected_by=[orgs[n] for n in ind.get("collected_by", [])],
                    follow_ups_per_year=ind.get("follow_ups_per_year", 2),
                ),
            )
    if spec["status"] != agreement.status:
        Agreement.objects.filter(pk=agreement.pk).update(status=spec["status"])
        agreement.refresh_from_db()
        audit_record(
            actor=actor,
            action="agreement.status_imported",
            summary=gettext_noop("Status set to %(status)s as stated in the document (demo data)"),
            summary_params={"status": choice_param(agreement, "status", lower=True)},
            obj=agreement,
            agreement=agreement,
        )
    return agreement, True


def _index(keeper: User) -> IndexSeries:
    series, _created = IndexSeries.objects.get_or_create(
        code="PKV", defaults={"name": "Prisindex för kommunal verksamhet (SKR)"}
    )
    for year, percent in data.PKV_EXAMPLES:
        if not IndexValue.objects.filter(series=series, year=year, reference_month=10).exists():
            finance_services.index_value_save(
                actor=keeper,
                series=series,
                data={
                    "year": year,
                    "reference_month": 10,
                    "percent": Decimal(percent),
                    "is_example": True,
                    "source": "Exempelvärde i demodata – inte publicerat av SKR",
                },
            )
    return series


def _finance(agreement: Agreement, spec: dict, actor: User, pkv: IndexSeries) -> None:
    if FinanceTerms.objects.filter(agreement=agreement).exists():
        return
    terms = {
        k: spec[k] for k in ("basis", "default_source", "payment_frequency", "payment_in_advance", "payment_months")
    }
    terms["annual_amount"] = Decimal(spec["annual_amount"]) if spec.get("annual_amount") else None
    terms["total_amount"] = Decimal(spec["total_amount"]) if spec.get("total_amount") else None
    if spec.get("index"):
        terms.update(index_series=pkv, index_reference_month=spec["index_reference_month"])
    for source in spec["sources"]:
        finance_services.funding_source_save(
            actor=actor,
            agreement=agreement,
            data={
                "name": source["name"],
                "annual_amount": Decimal(source["annual_amount"]),
                "share_percent": None,
                "invoiced_separately": source["invoiced_separately"],
                "co_financing": source["co_financing"],
            },
        )
    finance_services.finance_terms_save(actor=actor, agreement=agreement, data=terms)
    interventions = list(agreement.interventions.all())
    for section, label, category, staffing, amount in spec["lines"]:
        match = next((i for i in interventions if section and (i.label == section or section in i.title.lower())), None)
        finance_services.budget_line_save(
            actor=actor,
            agreement=agreement,
            data={
                "label": label,
                "category": category,
                "staffing_note": staffing,
                "annual_amount": Decimal(amount),
                "intervention": match,
            },
        )


@transaction.atomic
def demo_load(*, password: str = DEFAULT_PASSWORD) -> dict:
    if not getattr(settings, "PARTNERSKAP_ALLOW_DEMO_DATA", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    orgs = _organisations()
    users = _users(orgs, password)
    created = 0
    pkv = _index(users[INDEX_KEEPER])
    for spec in data.AGREEMENTS:
        # Registered by a case officer of the agreement's own municipality (Mölndal's by Mölndal's).
        officer = users[str(spec.get("registered_by", data.DEFAULT_OFFICER))]
        agreement, was_created = _agreement(spec, orgs, officer)
        created += was_created
        if spec["title"] in data.FINANCE:
            _finance(agreement, data.FINANCE[spec["title"]], officer, pkv)
    return {
        "users": list(users),
        "agreements_created": created,
        "agreements": Agreement.objects.filter(parties__role=Party.Role.NON_PROFIT).distinct().count(),
    }
