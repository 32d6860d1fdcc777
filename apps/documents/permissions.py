# SPDX-License-Identifier: EUPL-1.2
"""Who may import agreement documents and review the drafts.

Only case officers do: a draft belongs to the public body it was uploaded for, and is seen and handled
by the case officers of that body and of the bodies above it. Partners never see import drafts; once a
draft became (or updated) an agreement, its original document is seen by everyone who sees the agreement.
"""

from __future__ import annotations

import rules

from apps.accounts.models import Role
from apps.accounts.permissions import is_case_officer, is_superuser
from apps.organisations.scope import staff_organisation_ids


@rules.predicate
def is_case_officer_over(user, draft) -> bool:
    if draft is None or not getattr(user, "is_authenticated", False):
        return False
    return draft.public_body_id in staff_organisation_ids(user, roles={Role.CASE_OFFICER})


@rules.predicate
def is_open(user, draft) -> bool:
    """Being read or awaiting review: it can still be rejected (and, once read, confirmed)."""
    return draft is not None and draft.status in ("reading", "pending")


@rules.predicate
def may_view_its_agreement(user, draft) -> bool:
    """An agreement's original document is for everyone who may see the agreement (partners too)."""
    if draft is None or draft.agreement_id is None or draft.status != "accepted":
        return False
    return bool(user.has_perm("agreements.view_agreement", draft.agreement))


rules.add_perm("documents.add_importdraft", is_superuser | is_case_officer)
rules.add_perm("documents.view_importdraft", is_superuser | is_case_officer_over)
rules.add_perm("documents.change_importdraft", (is_superuser | is_case_officer_over) & is_open)
rules.add_perm("documents.view_document", may_view_its_agreement)
