"""Reads of import drafts, always scoped: a case officer sees the drafts of their public bodies and below."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import Role
from apps.organisations.scope import public_bodies_for, staff_organisation_ids
from apps.organisations.models import Organisation

from . import matching
from .models import ImportDraft


def visible_drafts(user) -> QuerySet[ImportDraft]:
    """Every import draft the user may see; partners and other staff see none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ImportDraft.objects.none()
    qs = ImportDraft.objects.select_related("public_body", "uploaded_by", "agreement")
    if user.is_superuser:
        return qs
    return qs.filter(public_body_id__in=staff_organisation_ids(user, roles={Role.CASE_OFFICER}))


def get_draft(user, pk: int) -> ImportDraft:
    """One visible draft, or ImportDraft.DoesNotExist (the view answers 404, never 403)."""
    return visible_drafts(user).get(pk=pk)


def drafts_by_status(user, status: str, limit: int | None = None) -> list[ImportDraft]:
    qs = visible_drafts(user).filter(status=status)
    return list(qs[:limit] if limit else qs)


def upload_public_bodies(user) -> QuerySet[Organisation]:
    """The public bodies the user may import agreements for."""
    return public_bodies_for(user, roles={Role.CASE_OFFICER}).order_by("name")


def register_entries() -> list[tuple[int, str, str]]:
    """(id, name, org_number) of every organisation, for proposing party matches."""
    return list(Organisation.objects.order_by("name").values_list("id", "name", "org_number"))


def party_candidates(name: str, org_number: str | None, register=None) -> list[matching.Candidate]:
    """Organisations in the register that may be the party named ``name`` (with ``org_number``), best first."""
    return matching.rank_organisations(name, org_number, register if register is not None else register_entries())
