# SPDX-License-Identifier: EUPL-1.2
"""Reads of import drafts, always scoped: a case officer sees the drafts of their public bodies and below."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KT

from apps.accounts.models import Membership, Role, User
from apps.agreements.models import Agreement
from apps.agreements.selectors import visible_agreements
from apps.core.access import one_or_404, require
from apps.core.cache import cached, scope_digest
from apps.organisations.models import Organisation
from apps.organisations.scope import public_bodies_for, staff_organisation_ids

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


# What the import list never shows: the extracted text and the draft are the large columns of a draft (the
# title found is read out of the draft by the database), and the agreement's long texts.
LIST_DEFERRED = (
    "text",
    "draft",
    "agreement__purpose",
    "agreement__background",
    "agreement__target_group",
    "agreement__values",
)


def draft_counts(user: Any) -> dict[str, int]:
    """How many drafts of each status the user sees: one query."""
    rows = visible_drafts(user).order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def draft_list(user: Any, statuses: Iterable[str]) -> QuerySet[ImportDraft]:
    """The drafts of ``statuses`` the user sees, newest first, for a section of the import list (paged by the
    page): without the large columns, with the title found as ``found_title``."""
    return (
        visible_drafts(user)
        .filter(status__in=list(statuses))
        .defer(*LIST_DEFERRED)
        .annotate(found_title=KT("draft__title"))
        .order_by("-created_at", "-id")
    )


def upload_public_bodies(user) -> QuerySet[Organisation]:
    """The public bodies the user may import agreements for."""
    return public_bodies_for(user, roles={Role.CASE_OFFICER}).order_by("name")


def register_entries() -> list[tuple[int, str, str]]:
    """(id, name, org_number) of every organisation, for proposing party matches."""
    return list(Organisation.objects.order_by("name").values_list("id", "name", "org_number"))


def party_candidates(name: str, org_number: str | None, register=None) -> list[matching.Candidate]:
    """Organisations in the register that may be the party named ``name`` (with ``org_number``), best first."""
    return matching.rank_organisations(name, org_number, register if register is not None else register_entries())


def party_candidates_in_register(
    name: str, org_number: str | None, register: list[tuple[int, str, str]]
) -> list[matching.Candidate]:
    """:func:`party_candidates` among ``register`` (:func:`register_entries`, every organisation), kept in the
    shared cache until an organisation next changes: comparing a name with a national register's thousands of
    organisations is most of the review page's time, and it is the same for everyone (the register is not
    scoped, and neither are the proposals)."""
    digest = scope_digest(name, org_number or "")
    return cached(
        "documents.party_candidates.1", scope=digest, compute=lambda: party_candidates(name, org_number, register)
    )


def agreements_with_case_number(user, case_number: str | None) -> list[Agreement]:
    """The agreements the user can see that carry ``case_number`` (case and spacing ignored).

    Scoped at the source: an agreement with the same number in another tenant or body is never found.
    """
    number = " ".join((case_number or "").split())
    if not number:
        return []
    return list(visible_agreements(user).filter(case_number__iexact=number).order_by("-created_at", "-id")[:10])


def case_officer_choices(user) -> QuerySet[User]:
    """The case officers the user may name on an agreement: those of the bodies the user is case officer for."""
    scope = staff_organisation_ids(user, roles={Role.CASE_OFFICER})
    officers = Membership.objects.filter(role=Role.CASE_OFFICER, organisation_id__in=scope).values("user_id")
    return User.objects.filter(pk__in=officers, is_active=True).order_by("first_name", "last_name", "username")


def agreement_documents(agreement: Agreement) -> list[ImportDraft]:
    """The original documents an agreement was created or updated from, oldest first."""
    return list(
        ImportDraft.objects.filter(agreement=agreement, status=ImportDraft.Status.ACCEPTED)
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )


def get_agreement_document(user, pk: int) -> ImportDraft:
    """One original document of an agreement the user can see, or ImportDraft.DoesNotExist (404)."""
    return ImportDraft.objects.select_related("agreement").get(
        pk=pk, status=ImportDraft.Status.ACCEPTED, agreement__in=visible_agreements(user)
    )


# The access layer (apps.core.access): the only way a page or command gets a draft or a document by its id.

# Permissions that the scoped lookups already prove.
SEEN_PERMS = frozenset({"documents.view_importdraft", "documents.view_document"})


def access_import_draft(user: Any, pk: object, *, perm: str | None) -> ImportDraft:
    """The import draft ``pk`` if ``user`` sees it (Http404 otherwise: missing and not visible alike) and
    holds ``perm`` on it (403 otherwise, e.g. changing a draft that was already handled)."""
    draft = one_or_404(visible_drafts(user), pk)
    require(user, perm, draft, seen=SEEN_PERMS)
    return draft


def access_agreement_document(user: Any, pk: object, *, perm: str | None) -> ImportDraft:
    """An original document of an agreement ``user`` sees (Http404 otherwise), holding ``perm`` on it."""
    document = one_or_404(
        ImportDraft.objects.select_related("agreement").filter(
            status=ImportDraft.Status.ACCEPTED, agreement__in=visible_agreements(user)
        ),
        pk,
    )
    require(user, perm, document, seen=SEEN_PERMS)
    return document
