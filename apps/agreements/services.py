# SPDX-License-Identifier: EUPL-1.2
"""Writes of agreements: keyword-only functions, one transaction each, each writing an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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
from apps.core.versioning import GONE, STALE, bump_version, lock_current
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


def _check_parties(
    actor, parties: Sequence[_ResolvedParty], *, existing: Mapping[int, Party] | None = None
) -> frozenset[int]:
    """Refuse parties that cannot make an IOP; the organisations (among ``parties``) to invite.

    ``existing`` are the agreement's parties now, by organisation: they keep their status. A new party that
    is a public body of another tenant than the actor's is invited: it joins only when that tenant's case
    officers accept. The actor needs one public party of their own, accepted (as every new one of their own
    tenant is).
    """
    existing = existing or {}
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
    invited = frozenset(
        p.organisation.pk
        for p in parties
        if p.organisation.pk not in existing and not within_tenants(actor, p.organisation)
    )
    if not actor.is_superuser:
        own = staff_organisation_ids(actor, roles={Role.CASE_OFFICER})

        def accepted(p: _ResolvedParty) -> bool:
            stored = existing.get(p.organisation.pk)
            return stored.is_accepted if stored is not None else p.organisation.pk not in invited

        if not any(p.role == Party.Role.PUBLIC and p.organisation.pk in own and accepted(p) for p in parties):
            raise ValidationError({"parties": [_("One of the public parties must be a body you work for.")]})
    return invited


def _party_reference(p: Party) -> dict:
    """A party as the audit trail keeps it: organisation, and role, signatory and (unless accepted) the
    party's status, labelled when shown."""
    details = ("role", "signatory_name", "signatory_title") + (() if p.is_accepted else ("status",))
    return reference(p, name=str(p.organisation), details=details)


def _party_references(agreement: Agreement) -> list[dict]:
    refs = [_party_reference(p) for p in agreement.parties.select_related("organisation")]
    return sorted(refs, key=lambda ref: (ref["name"], ref["id"]))


def _replace_parties(actor, agreement: Agreement, parties: Sequence[_ResolvedParty], invited: frozenset[int]) -> dict:
    """Store ``parties`` as the agreement's parties; ``invited`` (organisation ids) are added as invitations.

    A removed invitation that was not answered is withdrawn, and an invitation whose role changes moves on
    its version (an answer given to what it said before is refused), each audited.
    """
    before = _party_references(agreement)
    keep = {p.organisation.pk for p in parties}
    removed = list(agreement.parties.exclude(organisation_id__in=keep).select_related("organisation"))
    stored = {p.organisation_id: p for p in agreement.parties.all()}
    for party in removed:
        if party.status == Party.Status.INVITED:
            audit_record(
                actor=actor,
                action="party.invitation_withdrawn",
                summary=gettext_noop("Invitation to %(name)s withdrawn"),
                summary_params={"name": party.organisation.name},
                obj=party,
                agreement=agreement,
                changes={"status": [party.status, None]},
            )
    agreement.parties.filter(pk__in=[p.pk for p in removed]).delete()
    now = timezone.now()
    for position, p in enumerate(parties):
        current = stored.get(p.organisation.pk)
        fields = {
            "role": p.role,
            "signatory_name": p.signatory_name,
            "signatory_title": p.signatory_title,
            "position": position,
        }
        if current is None:
            party = Party(agreement=agreement, organisation=p.organisation, **fields)
            if p.organisation.pk in invited:
                party.status, party.invited_by, party.invited_at = Party.Status.INVITED, actor, now
            party.save()
            if party.status == Party.Status.INVITED:
                audit_record(
                    actor=actor,
                    action="party.invited",
                    summary=gettext_noop("%(name)s invited to be a party (%(role)s)"),
                    summary_params={"name": p.organisation.name, "role": choice_param(party, "role", lower=True)},
                    obj=party,
                    agreement=agreement,
                    changes={"status": [None, party.status], "role": [None, party.role]},
                )
            continue
        changed = {k: [getattr(current, k), v] for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            continue
        Party.objects.filter(pk=current.pk).update(**fields)
        if current.status == Party.Status.INVITED and "role" in changed:
            bump_version(current, changed)
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
    invited = _check_parties(actor, resolved)
    agreement = Agreement(
        created_by=actor,
        shared_with_partners=shared_with_partners,
        **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS},
    )
    agreement.full_clean()
    agreement.save()
    _save_decision(agreement, decision)
    audit_record(
        actor=actor,
        action="agreement.created",
        summary=gettext_noop("Agreement registered"),
        obj=agreement,
        agreement=agreement,
        changes={k: [None, v] for k, v in snapshot(agreement).items() if v not in ("", None)},
    )
    _replace_parties(actor, agreement, resolved, invited)  # after the registration, so the history reads in order
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
        existing = {p.organisation_id: p for p in agreement.parties.all()}
        invited = _check_parties(actor, resolved, existing=existing)
        changes.update(_replace_parties(actor, agreement, resolved, invited))
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


# Invitations: a public body of another tenant answers for itself -----------------------------------------

ANSWERED = "answered"


def _answered_error(party: Party) -> ValidationError:
    when = timezone.localtime(party.answered_at).date().isoformat() if party.answered_at else ""
    by = str(party.answered_by) if party.answered_by else _("someone")
    if party.status == Party.Status.ACCEPTED:
        message = _("This invitation has already been accepted (by %(by)s, %(date)s).")
    else:
        message = _("This invitation has already been declined (by %(by)s, %(date)s).")
    return ValidationError(message % {"by": by, "date": when}, code=ANSWERED)


def _lock_invitation(party: Party, expected_version: int | None) -> tuple[Agreement, Party]:
    """The agreement and the invitation as stored, both locked (in the order agreement_update locks them),
    or a refusal in words: withdrawn meanwhile, answered already, or changed since the page was read."""
    agreement = Agreement.objects.select_for_update().get(pk=party.agreement_id)
    current = (
        Party.objects.select_for_update(of=("self",))
        .select_related("organisation", "answered_by")
        .filter(pk=party.pk)
        .first()
    )
    if current is None:
        raise ValidationError(
            _("The invitation was withdrawn by the party that sent it: there is nothing to answer."), code=GONE
        )
    if current.status != Party.Status.INVITED:
        raise _answered_error(current)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            _("The invitation was changed after you opened the page. Check it and answer again."),
            code=STALE,
            params={"version": current.version},
        )
    return agreement, current


def _answer(*, actor, party: Party, status: str, reason: str, expected_version: int | None) -> Party:
    require_perm(actor, "agreements.answer_invitation", party)
    agreement, party = _lock_invitation(party, expected_version)
    if agreement.status in lifecycle.FINAL:
        raise ValidationError(_("The agreement has ended: the invitation can no longer be answered."))
    before_parties = _party_references(agreement)
    before = snapshot(party, ["status", "answered_by", "answered_at", "decline_reason"])
    party.status, party.answered_by, party.answered_at = status, actor, timezone.now()
    party.decline_reason = reason.strip() if status == Party.Status.DECLINED else ""
    party.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
    changes = diff(before, snapshot(party, ["status", "answered_by", "answered_at", "decline_reason"]))
    bump_version(party, changes)
    agreement_changes: dict = {"parties": [before_parties, _party_references(agreement)]}
    bump_version(agreement, agreement_changes)  # an edit form read before the answer is refused, then shows it
    if party.decline_reason:
        agreement_changes["note"] = [None, party.decline_reason]
    accepted = status == Party.Status.ACCEPTED
    audit_record(
        actor=actor,
        action="party.invitation_accepted" if accepted else "party.invitation_declined",
        summary=gettext_noop("%(name)s accepted the invitation to be a party")
        if accepted
        else gettext_noop("%(name)s declined the invitation to be a party"),
        summary_params={"name": party.organisation.name},
        obj=agreement,
        agreement=agreement,
        changes=agreement_changes,
    )
    if accepted:
        agreement_changed.send(sender=Agreement, agreement=agreement, actor=actor, changes=agreement_changes)
    return party


@transaction.atomic
def party_invitation_accept(*, actor, party: Party, expected_version: int | None = None) -> Party:
    """Accept the invitation ``party`` for its body: it becomes a party, and its staff see the agreement as the
    staff of any public party do. Refused in words when withdrawn, answered already or changed meanwhile."""
    return _answer(actor=actor, party=party, status=Party.Status.ACCEPTED, reason="", expected_version=expected_version)


@transaction.atomic
def party_invitation_decline(*, actor, party: Party, reason: str = "", expected_version: int | None = None) -> Party:
    """Decline the invitation ``party`` (with an optional reason, shown to the inviting side): it stays on the
    agreement as declined, granting nothing, until the inviting side removes it."""
    return _answer(
        actor=actor, party=party, status=Party.Status.DECLINED, reason=reason, expected_version=expected_version
    )


def agreement_facts(agreement: Agreement, today=None) -> lifecycle.AgreementFacts:
    parties = list(agreement.parties.select_related("organisation"))
    accepted = [p.role for p in parties if p.is_accepted]

    def named(status: str) -> tuple[str, ...]:
        return tuple(p.organisation.name for p in parties if p.status == status)

    return lifecycle.AgreementFacts(
        start=agreement.start_date,
        end=agreement.end_date,
        public_parties=accepted.count(Party.Role.PUBLIC),
        nonprofit_parties=accepted.count(Party.Role.NON_PROFIT),
        has_decision=agreement.decisions.exists(),
        today=today or timezone.localdate(),
        pending_parties=named(Party.Status.INVITED),
        declined_parties=named(Party.Status.DECLINED),
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
    parties = list(
        agreement.parties.filter(organisation__in=data.collected_by, status=Party.Status.ACCEPTED).select_related(
            "organisation"
        )
    )
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
