# SPDX-License-Identifier: EUPL-1.2
"""Writes of agreements: keyword-only functions, one transaction each, each writing an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import Role
from apps.audit.services import audit_record, choice_param, diff, kind_param, reference, snapshot
from apps.core.errors import describe
from apps.core.services import require_perm
from apps.core.versioning import bump_version, lock_current
from apps.organisations.models import Organisation
from apps.organisations.scope import staff_organisation_ids, within_tenants
from apps.organisations.services import organisation_find_or_create
from domain import lifecycle

from .models import Agreement, Decision, Goal, Indicator, Intervention, Party
from .signals import agreement_changed

AGREEMENT_FIELDS = (
    "title",
    "case_number",
    "case_officer",
    "case_officer_name",
    "purpose",
    "background",
    "target_group",
    "target_area",
    "values",
    "start_date",
    "end_date",
    "extension_max_months",
    "notice_period_months",
    "renewal_decision_months_before_end",
    "ends_automatically",
)


@dataclass(frozen=True)
class PartyInput:
    """A party: an organisation from the register, or a new one to register in the same transaction."""

    role: str
    organisation: Organisation | None = None
    new_name: str = ""
    new_org_number: str = ""
    new_kind: str = Organisation.Kind.NON_PROFIT
    signatory_name: str = ""
    signatory_title: str = ""


def party_organisation(*, actor, party: PartyInput) -> Organisation:
    """The party's organisation: the one chosen from the register, or found/registered from the new one."""
    return party.organisation or organisation_find_or_create(
        actor=actor, name=party.new_name, org_number=party.new_org_number, kind=party.new_kind
    )


@dataclass(frozen=True)
class _ResolvedParty:
    """A party whose organisation is in the register (chosen, found or registered)."""

    role: str
    organisation: Organisation
    signatory_name: str = ""
    signatory_title: str = ""


def _resolve_parties(actor, parties: Sequence[PartyInput]) -> list[_ResolvedParty]:
    resolved = []
    for p in parties:
        org = party_organisation(actor=actor, party=p)
        resolved.append(
            _ResolvedParty(
                role=p.role, organisation=org, signatory_name=p.signatory_name, signatory_title=p.signatory_title
            )
        )
    return resolved


@dataclass(frozen=True)
class DecisionInput:
    body: str
    decided_on: dt.date | None
    paragraph: str = ""
    fsg_informed_on: dt.date | None = None


@dataclass
class IndicatorInput:
    name: str
    kind: str = Indicator.Kind.COUNT
    dimensions: list[str] = field(default_factory=list)
    collected_by: list[Organisation] = field(default_factory=list)
    follow_ups_per_year: int = 2
    baseline: Decimal | None = None
    target: Decimal | None = None


def _check_parties(actor, parties: Sequence[_ResolvedParty], *, existing: frozenset[int] = frozenset()) -> None:
    errors = []
    roles = [p.role for p in parties]
    if Party.Role.PUBLIC not in roles:
        errors.append(_("Add at least one public party (the committee or department)."))
    if Party.Role.NON_PROFIT not in roles:
        errors.append(_("Add at least one non-profit party: an IOP is made with a non-profit organisation."))
    orgs = [p.organisation.pk for p in parties]
    if len(orgs) != len(set(orgs)):
        errors.append(_("The same organisation is listed twice."))
    if errors:
        raise ValidationError({"parties": errors})
    if not actor.is_superuser:
        own = staff_organisation_ids(actor, roles={Role.CASE_OFFICER})
        if not any(p.role == Party.Role.PUBLIC and p.organisation.pk in own for p in parties):
            raise ValidationError({"parties": [_("One of the public parties must be a body you work for.")]})
        # A public body of another tenant joins only when that tenant accepts (not yet possible): none is
        # added here. Parties the agreement already has (``existing``) stay as they are.
        foreign = [
            p.organisation
            for p in parties
            if p.organisation.pk not in existing and not within_tenants(actor, p.organisation)
        ]
        if foreign:
            raise ValidationError(
                {
                    "parties": [
                        _(
                            "%(name)s belongs to another municipality or region. It can become a party only "
                            "when that organisation accepts, which is not yet possible in Partnerskap."
                        )
                        % {"name": org.name}
                        for org in foreign
                    ]
                }
            )


def _party_references(agreement: Agreement) -> list[dict]:
    """The parties as the audit trail keeps them: organisation, and role and signatory labelled when shown."""
    refs = [
        reference(p, name=str(p.organisation), details=("role", "signatory_name", "signatory_title"))
        for p in agreement.parties.select_related("organisation")
    ]
    return sorted(refs, key=lambda ref: (ref["name"], ref["id"]))


def _replace_parties(agreement: Agreement, parties: Sequence[_ResolvedParty]) -> dict:
    before = _party_references(agreement)
    keep = {p.organisation.pk for p in parties}
    agreement.parties.exclude(organisation_id__in=keep).delete()
    for position, p in enumerate(parties):
        Party.objects.update_or_create(
            agreement=agreement,
            organisation=p.organisation,
            defaults={
                "role": p.role,
                "signatory_name": p.signatory_name,
                "signatory_title": p.signatory_title,
                "position": position,
            },
        )
    after = _party_references(agreement)
    return {"parties": [before, after]} if before != after else {}


def _save_decision(agreement: Agreement, decision: DecisionInput | None) -> dict:
    if decision is None:
        return {}
    current = agreement.decisions.order_by("decided_on", "id").first()
    before = str(current) if current else None
    obj = current or Decision(agreement=agreement)
    obj.body, obj.decided_on, obj.paragraph = decision.body, decision.decided_on, decision.paragraph
    obj.fsg_informed_on = decision.fsg_informed_on
    obj.full_clean()
    obj.save()
    return {"decisions": [before, str(obj)]} if before != str(obj) else {}


@transaction.atomic
def agreement_create(
    *,
    actor,
    data: dict,
    parties: Sequence[PartyInput],
    decision: DecisionInput | None = None,
    shared_with_partners: bool = True,
) -> Agreement:
    """Register an agreement. ``shared_with_partners=False`` keeps it from the partners' staff until shown."""
    require_perm(actor, "agreements.add_agreement")
    resolved = _resolve_parties(actor, parties)
    _check_parties(actor, resolved)
    agreement = Agreement(
        created_by=actor,
        shared_with_partners=shared_with_partners,
        **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS},
    )
    agreement.full_clean()
    agreement.save()
    _replace_parties(agreement, resolved)
    _save_decision(agreement, decision)
    audit_record(
        actor=actor,
        action="agreement.created",
        summary=gettext_noop("Agreement registered"),
        obj=agreement,
        agreement=agreement,
        changes={k: [None, v] for k, v in snapshot(agreement).items() if v not in ("", None)},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor,
    agreement: Agreement,
    data: dict,
    parties: Sequence[PartyInput] | None = None,
    decision: DecisionInput | None = None,
    expected_version: int | None = None,
) -> Agreement:
    """Change the agreement, its parties and decision; refused (code "stale") when it moved on since
    ``expected_version`` was read: the parties are part of the agreement's version."""
    require_perm(actor, "agreements.change_agreement", agreement)
    agreement = lock_current(agreement, expected_version)
    if agreement.status in lifecycle.FINAL:
        raise ValidationError(_("An agreement that has ended can no longer be changed."))
    before = snapshot(agreement)
    for key, value in data.items():
        if key in AGREEMENT_FIELDS:
            setattr(agreement, key, value)
    agreement.full_clean()
    agreement.save()
    changes = diff(before, snapshot(agreement))
    if parties is not None:
        resolved = _resolve_parties(actor, parties)
        _check_parties(actor, resolved, existing=frozenset(agreement.parties.values_list("organisation_id", flat=True)))
        changes.update(_replace_parties(agreement, resolved))
    changes.update(_save_decision(agreement, decision))
    bump_version(agreement, changes)
    if changes:
        audit_record(
            actor=actor,
            action="agreement.updated",
            summary=gettext_noop("Agreement changed"),
            obj=agreement,
            agreement=agreement,
            changes=changes,
        )
        agreement_changed.send(sender=Agreement, agreement=agreement, actor=actor, changes=changes)
    return agreement


@transaction.atomic
def agreement_share_with_partners(*, actor, agreement: Agreement) -> Agreement:
    """Show a hidden agreement (an imported one) to the staff of its non-profit parties. Idempotent."""
    require_perm(actor, "agreements.change_agreement", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.shared_with_partners:
        return agreement
    agreement.shared_with_partners = True
    agreement.save(update_fields=["shared_with_partners", "updated_at"])
    audit_record(
        actor=actor,
        action="agreement.shared_with_partners",
        summary=gettext_noop("Agreement shown to the partners"),
        obj=agreement,
        agreement=agreement,
        changes={"shared_with_partners": [False, True]},
    )
    return agreement


def agreement_facts(agreement: Agreement, today=None) -> lifecycle.AgreementFacts:
    roles = list(agreement.parties.values_list("role", flat=True))
    return lifecycle.AgreementFacts(
        start=agreement.start_date,
        end=agreement.end_date,
        public_parties=roles.count(Party.Role.PUBLIC),
        nonprofit_parties=roles.count(Party.Role.NON_PROFIT),
        has_decision=agreement.decisions.exists(),
        today=today or timezone.localdate(),
    )


@transaction.atomic
def agreement_transition(*, actor, agreement: Agreement, target: str, note: str = "", today=None) -> Agreement:
    """Move the agreement to ``target`` status, or raise ValidationError saying why not."""
    require_perm(actor, "agreements.transition_agreement", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    try:
        lifecycle.check_transition(agreement.status, target, agreement_facts(agreement, today))
    except lifecycle.TransitionError as exc:
        raise ValidationError(describe(exc), code=exc.code) from exc
    old_status = agreement.status
    old_label = choice_param(agreement, "status")
    agreement.status = target
    agreement.save(update_fields=["status", "updated_at"])
    new_label = choice_param(agreement, "status")
    audit_record(
        actor=actor,
        action="agreement.status_changed",
        summary=gettext_noop("Status changed from %(old)s to %(new)s"),
        summary_params={"old": old_label, "new": new_label},
        obj=agreement,
        agreement=agreement,
        changes={"status": [old_status, target], **({"note": [None, note]} if note else {})},
    )
    return agreement


# Interventions, goals and indicators -------------------------------------------------------------------


def _child_write(actor, agreement: Agreement) -> None:
    require_perm(actor, "agreements.change_agreement", agreement)
    if agreement.status in lifecycle.FINAL:
        raise ValidationError(_("An agreement that has ended can no longer be changed."))


@transaction.atomic
def intervention_save(
    *,
    actor,
    agreement: Agreement,
    data: dict,
    intervention: Intervention | None = None,
    expected_version: int | None = None,
) -> Intervention:
    _child_write(actor, agreement)
    obj = intervention or Intervention(agreement=agreement, position=agreement.interventions.count())
    if obj.agreement_id != agreement.pk:
        raise PermissionDenied
    if obj.pk:
        obj = lock_current(obj, expected_version)
    before = snapshot(obj) if obj.pk else {}
    for key in ("kind", "label", "title", "description", "parent"):
        if key in data:
            setattr(obj, key, data[key])
    if obj.parent is not None and obj.parent.agreement_id != agreement.pk:
        raise ValidationError({"parent": _("Choose an intervention of this agreement.")})
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj))
    if before:
        bump_version(obj, changes)
    audit_record(
        actor=actor,
        action="intervention.saved" if before else "intervention.created",
        summary=gettext_noop("Intervention changed: %s") if before else gettext_noop("Intervention added: %s"),
        summary_params=[str(obj)],
        obj=obj,
        agreement=agreement,
        changes=changes,
    )
    return obj


@transaction.atomic
def goal_save(
    *, actor, agreement: Agreement, data: dict, goal: Goal | None = None, expected_version: int | None = None
) -> Goal:
    _child_write(actor, agreement)
    obj = goal or Goal(agreement=agreement, position=agreement.goals.count())
    if obj.agreement_id != agreement.pk:
        raise PermissionDenied
    if obj.pk:
        obj = lock_current(obj, expected_version)
    before = snapshot(obj) if obj.pk else {}
    for key in ("text", "intervention", "parent"):
        if key in data:
            setattr(obj, key, data[key])
    if obj.intervention is not None and obj.intervention.agreement_id != agreement.pk:
        raise ValidationError({"intervention": _("Choose an intervention of this agreement.")})
    if obj.parent is not None and (obj.parent.agreement_id != agreement.pk or obj.parent_id == obj.pk):
        raise ValidationError({"parent": _("Choose another goal of this agreement.")})
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj))
    if before:
        bump_version(obj, changes)
    audit_record(
        actor=actor,
        action="goal.saved" if before else "goal.created",
        summary=gettext_noop("Goal changed: %s") if before else gettext_noop("Goal added: %s"),
        summary_params=[str(obj)],
        obj=obj,
        agreement=agreement,
        changes=changes,
    )
    return obj


def _collector_references(indicator: Indicator) -> list[dict]:
    refs = [
        reference(p, name=str(p.organisation), details=("role",))
        for p in indicator.collected_by.select_related("organisation")
    ]
    return sorted(refs, key=lambda ref: (ref["name"], ref["id"]))


@transaction.atomic
def indicator_save(
    *,
    actor,
    goal: Goal,
    data: IndicatorInput,
    indicator: Indicator | None = None,
    expected_version: int | None = None,
) -> Indicator:
    agreement = goal.agreement
    _child_write(actor, agreement)
    obj = indicator or Indicator(goal=goal, position=goal.indicators.count())
    if obj.goal.agreement_id != agreement.pk:
        raise PermissionDenied
    if obj.pk:
        obj = lock_current(obj, expected_version)
    before = snapshot(obj) if obj.pk else {}
    before_collectors = _collector_references(obj) if obj.pk else []
    obj.goal = goal
    obj.name, obj.kind, obj.dimensions = data.name, data.kind, list(data.dimensions)
    obj.follow_ups_per_year, obj.baseline, obj.target = data.follow_ups_per_year, data.baseline, data.target
    obj.full_clean()
    obj.save()
    parties = list(agreement.parties.filter(organisation__in=data.collected_by).select_related("organisation"))
    if len(parties) != len(set(data.collected_by)):
        raise ValidationError({"collected_by": _("The party collecting the data must be a party to the agreement.")})
    obj.collected_by.set(parties)
    changes = diff(before, snapshot(obj))
    after_collectors = _collector_references(obj)
    if before_collectors != after_collectors:
        changes["collected_by"] = [before_collectors, after_collectors]
    if before:
        bump_version(obj, changes)
    audit_record(
        actor=actor,
        action="indicator.saved" if before else "indicator.created",
        summary=gettext_noop("Indicator changed: %s") if before else gettext_noop("Indicator added: %s"),
        summary_params=[str(obj)],
        obj=obj,
        agreement=agreement,
        changes=changes,
    )
    return obj


@transaction.atomic
def agreement_child_delete(*, actor, obj: Intervention | Goal | Indicator) -> None:
    # What is removed and recorded is the row as stored now, not the caller's copy read earlier.
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    agreement = obj.goal.agreement if isinstance(obj, Indicator) else obj.agreement
    _child_write(actor, agreement)
    label = str(obj)
    audit_record(
        actor=actor,
        action=f"{obj._meta.model_name}.deleted",
        summary=gettext_noop("%(kind)s removed: %(label)s"),
        summary_params={"kind": kind_param(obj), "label": label},
        obj=obj,
        agreement=agreement,
        changes={k: [v, None] for k, v in snapshot(obj).items()},
    )
    obj.delete()
