"""Who may import agreement documents and review the drafts.

Only case officers do: a draft belongs to the public body it was uploaded for, and is seen and handled
by the case officers of that body and of the bodies above it. Partners never see import drafts.
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
def is_pending(user, draft) -> bool:
    return draft is not None and draft.status == "pending"


rules.add_perm("documents.add_importdraft", is_superuser | is_case_officer)
rules.add_perm("documents.view_importdraft", is_superuser | is_case_officer_over)
rules.add_perm("documents.change_importdraft", (is_superuser | is_case_officer_over) & is_pending)
