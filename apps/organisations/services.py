# SPDX-License-Identifier: EUPL-1.2
"""Writes of organisations. Each is one transaction with an audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.audit.services import audit_record, diff, snapshot
from apps.core.errors import describe
from apps.core.services import require_perm
from apps.core.versioning import bump_version, lock_current
from domain import orgnr

from .models import Organisation
from .scope import tenant_ids, within_tenants
from .signals import organisation_changed

FIELDS = ("name", "org_number", "kind", "parent", "kammarkollegiet_registered_on")
# What identifies an organisation to the tenants that have it as a party: a change is shown to each of them.
IDENTITY_FIELDS = frozenset({"name", "org_number"})
# Who acted, for a change made by the platform's administration (no tenant): the product's name, in every
# language.
PLATFORM_NAME = "Partnerskap"


def _normalised(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in FIELDS}
    if data.get("org_number"):
        try:
            data["org_number"] = orgnr.normalize(data["org_number"])
        except orgnr.OrgnrError as exc:
            raise ValidationError({"org_number": ValidationError(describe(exc), code=f"orgnr_{exc.reason}")}) from exc
    data["name"] = (data.get("name") or "").strip()
    return data


def _check_parent(org: Organisation) -> None:
    parent = org.parent if org.parent_id else None
    if parent is not None and org.pk and (parent.pk == org.pk or org.pk in {a.pk for a in parent.ancestors()}):
        raise ValidationError({"parent": _("An organisation cannot belong to itself or to one below it.")})


def _check_tenancy(actor, org: Organisation, stored: Organisation | None) -> None:
    """Staff act only within their own tenants (a tenant is a kommun or region: a top-level public body).

    ``stored`` is the organisation as it was before this change (None when it is being created). A public
    body's parent must be a body of the actor's tenants; a new tenant (a public body that belongs to no
    other) is registered only by a superuser; an organisation that is not a public body (shared by every
    tenant) belongs to no body, so that no tenant draws it into its hierarchy.
    """
    if getattr(actor, "is_superuser", False):
        return
    public = Organisation.Kind.PUBLIC_BODY
    parent_changed = stored is None or stored.parent_id != org.parent_id
    if stored is not None and (stored.kind == public) != (org.kind == public):
        raise ValidationError(
            {"kind": _("Only a platform administrator can change whether an organisation is a public body.")}
        )
    if org.kind != public:
        if org.parent_id is not None and parent_changed:
            raise ValidationError(
                {"parent": _("Only a public body can belong to another body: leave this empty for this organisation.")}
            )
        return
    if org.parent_id is None:
        if parent_changed:
            raise ValidationError(
                {
                    "parent": _(
                        "Choose the body it belongs to. Only a platform administrator can register a new "
                        "municipality or region."
                    )
                }
            )
        return
    parent = org.parent
    if parent_changed and (parent is None or parent.kind != public or not within_tenants(actor, parent)):
        raise ValidationError({"parent": _("A body can only belong to a body of your own municipality or region.")})


@transaction.atomic
def organisation_create(*, actor, data: dict) -> Organisation:
    require_perm(actor, "organisations.add_organisation")
    org = Organisation(**_normalised(data))
    _check_tenancy(actor, org, None)
    org.full_clean()
    org.save()
    audit_record(
        actor=actor,
        action="organisation.created",
        summary=gettext_noop("Organisation %(name)s registered"),
        summary_params={"name": org.name},
        obj=org,
        organisation=org,
        changes={k: [None, v] for k, v in snapshot(org).items()},
    )
    return org


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, data: dict, expected_version: int | None = None
) -> Organisation:
    require_perm(actor, "organisations.change_organisation", organisation)
    org = lock_current(organisation, expected_version)
    # The rule is checked again on the row as stored (locked): the caller's copy may be stale.
    require_perm(actor, "organisations.change_organisation", org)
    stored = Organisation(kind=org.kind, parent_id=org.parent_id)
    before = snapshot(org)
    for key, value in _normalised(data).items():
        setattr(org, key, value)
    _check_parent(org)
    _check_tenancy(actor, org, stored)
    org.full_clean()
    org.save()
    changes = diff(before, snapshot(org))
    bump_version(org, changes)
    if changes and org.kind != Organisation.Kind.PUBLIC_BODY and IDENTITY_FIELDS & set(changes):
        # A shared organisation's new name or number is shown to every tenant that has it as a party (in the
        # history of each of its agreements), as made by the actor's municipality or region, not by a person
        # another tenant does not know.
        audit_record(
            actor=actor,
            action="organisation.updated",
            summary=gettext_noop("Organisation %(name)s changed by %(by)s"),
            summary_params={"name": org.name, "by": acting_for(actor)},
            obj=org,
            organisation=org,
            changes=changes,
        )
    elif changes:
        audit_record(
            actor=actor,
            action="organisation.updated",
            summary=gettext_noop("Organisation %(name)s changed"),
            summary_params={"name": org.name},
            obj=org,
            organisation=org,
            changes=changes,
        )
    if changes:
        organisation_changed.send(sender=Organisation, organisation=org, actor=actor, changes=changes)
    return org


def acting_for(actor) -> str:
    """Whom ``actor`` acts for, as a name others may see: their municipalities or regions (tenants), or the
    platform for a superuser without a tenant."""
    names = sorted(Organisation.objects.filter(pk__in=tenant_ids(actor)).values_list("name", flat=True))
    return ", ".join(names) or PLATFORM_NAME


def organisation_find_or_create(*, actor, name: str, org_number: str, kind: str) -> Organisation:
    """The organisation with this number and name, or a new one (used when a party is entered inline)."""
    number = orgnr.normalize(org_number) if org_number else ""
    existing = Organisation.objects.filter(org_number=number, name__iexact=name.strip()).first()
    if existing is None and number:
        same_number = Organisation.objects.filter(org_number=number)
        if kind != Organisation.Kind.PUBLIC_BODY and same_number.count() == 1:
            existing = same_number.first()
    if existing is not None:
        return existing
    data: dict = {"name": name, "org_number": number, "kind": kind}
    if kind == Organisation.Kind.PUBLIC_BODY and not getattr(actor, "is_superuser", False):
        data["parent"] = _inline_parent(actor, name=name.strip(), org_number=number)
    return organisation_create(actor=actor, data=data)


def _inline_parent(actor, *, name: str, org_number: str) -> Organisation:
    """Where a new public body entered with a party belongs: the actor's municipality or region with the
    same organisation number (a kommun's committees and departments share its number), or their only one
    when no number is given. Anything else must be registered in the organisation register first."""
    tenants = Organisation.objects.filter(pk__in=tenant_ids(actor)).order_by("pk")
    matching = [t for t in tenants if t.org_number == org_number] if org_number else list(tenants)
    if len(matching) != 1:
        raise ValidationError(
            _(
                "%(name)s is a new public body. Register it in the organisation register first, under the "
                "body it belongs to, or give your municipality's or region's organisation number."
            )
            % {"name": name}
        )
    return matching[0]
