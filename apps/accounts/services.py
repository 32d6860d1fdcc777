# SPDX-License-Identifier: EUPL-1.2
"""Writes to users' memberships (a role over an organisation), each with its audit event.

May import: audit, core, domain. The admin's membership inline goes through these services too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.audit.services import audit_record, choice_param

from .models import Membership, Role, User
from .selectors import forget_user_cache


@transaction.atomic
def membership_add(*, actor: User | None, user: User, organisation: Model, role: str) -> Membership:
    """Give ``user`` the ``role`` over ``organisation``. Adding a role the user already holds is refused."""
    if role not in Role.values:
        raise ValidationError(_("Choose a role from the list."), code="invalid_role")
    if Membership.objects.filter(user=user, organisation_id=organisation.pk, role=role).exists():
        raise ValidationError(
            _("%(user)s already has that role for %(organisation)s.") % {"user": user, "organisation": organisation},
            code="duplicate_role",
        )
    membership = Membership.objects.create(user=user, organisation_id=organisation.pk, role=role)
    forget_user_cache(user, actor)  # the scope cached for this request no longer holds
    audit_record(
        actor=actor,
        action="membership.added",
        obj=membership,
        organisation=organisation,
        summary=gettext_noop("%(user)s was given the role %(role)s for %(organisation)s"),
        summary_params={"user": str(user), "role": choice_param(membership, "role"), "organisation": str(organisation)},
        changes={"user": [None, str(user)], "role": [None, role]},
    )
    return membership


@transaction.atomic
def membership_change_role(*, actor: User | None, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Choose a role from the list."), code="invalid_role")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old = membership.role
    if old == role:
        return membership
    if Membership.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
    ).exists():
        raise ValidationError(
            _("%(user)s already has that role for %(organisation)s.")
            % {"user": membership.user, "organisation": membership.organisation},
            code="duplicate_role",
        )
    membership.role = role
    membership.save(update_fields=["role"])
    forget_user_cache(membership.user, actor)
    audit_record(
        actor=actor,
        action="membership.changed",
        obj=membership,
        organisation=membership.organisation,
        summary=gettext_noop("%(user)s's role for %(organisation)s was changed to %(role)s"),
        summary_params={
            "user": str(membership.user),
            "role": choice_param(membership, "role"),
            "organisation": str(membership.organisation),
        },
        changes={"role": [old, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    organisation = membership.organisation
    audit_record(
        actor=actor,
        action="membership.removed",
        obj=membership,
        organisation=organisation,
        summary=gettext_noop("%(user)s no longer has the role %(role)s for %(organisation)s"),
        summary_params={
            "user": str(membership.user),
            "role": choice_param(membership, "role"),
            "organisation": str(organisation),
        },
        changes={"user": [str(membership.user), None], "role": [membership.role, None]},
    )
    membership.delete()
    forget_user_cache(membership.user, actor)


@transaction.atomic
def login_succeeded_record(*, user: User, address: str) -> None:
    """Write a successful login to the audit trail (who and from which address)."""
    audit_record(
        actor=user,
        action="login.succeeded",
        obj=user,
        summary=gettext_noop("%(user)s logged in from address %(address)s"),
        summary_params={"user": user.get_username(), "address": address},
    )


@transaction.atomic
def login_failed_record(*, username: str, address: str, paused: bool) -> None:
    """Write a failed login to the audit trail: the name typed and the address, never the password.

    ``paused``: the attempt was refused (or was the last one allowed) because logging in is paused for this
    account or address after too many failures.
    """
    username = username[: User._meta.get_field("username").max_length or 150]
    user = User.objects.filter(username=username).first()
    audit_record(
        actor=None,
        action="login.paused" if paused else "login.failed",
        obj=user if user is not None else User(username=username),
        summary=(
            gettext_noop(
                "Failed login as %(user)s from address %(address)s; logging in is paused after too many failed attempts"
            )
            if paused
            else gettext_noop("Failed login as %(user)s from address %(address)s")
        ),
        summary_params={"user": username, "address": address},
    )
