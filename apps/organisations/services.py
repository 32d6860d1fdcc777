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

FIELDS = ("name", "org_number", "kind", "parent", "kammarkollegiet_registered_on")


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


@transaction.atomic
def organisation_create(*, actor, data: dict) -> Organisation:
    require_perm(actor, "organisations.add_organisation")
    org = Organisation(**_normalised(data))
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
    before = snapshot(org)
    for key, value in _normalised(data).items():
        setattr(org, key, value)
    _check_parent(org)
    org.full_clean()
    org.save()
    changes = diff(before, snapshot(org))
    bump_version(org, changes)
    if changes:
        audit_record(
            actor=actor,
            action="organisation.updated",
            summary=gettext_noop("Organisation %(name)s changed"),
            summary_params={"name": org.name},
            obj=org,
            organisation=org,
            changes=changes,
        )
    return org


def organisation_find_or_create(*, actor, name: str, org_number: str, kind: str) -> Organisation:
    """The organisation with this number and name, or a new one (used when a party is entered inline)."""
    number = orgnr.normalize(org_number) if org_number else ""
    existing = Organisation.objects.filter(org_number=number, name__iexact=name.strip()).first()
    if existing is None and number:
        same_number = Organisation.objects.filter(org_number=number)
        if kind != Organisation.Kind.PUBLIC_BODY and same_number.count() == 1:
            existing = same_number.first()
    return existing or organisation_create(actor=actor, data={"name": name, "org_number": number, "kind": kind})
