# SPDX-License-Identifier: EUPL-1.2
"""Logins and failed logins into the audit trail, and membership writes into the scope cache. Connected in
AccountsConfig.ready(), after axes' own receivers (``axes`` comes before ``apps.accounts`` in
INSTALLED_APPS), so a failure knows whether it locked.

May import: Django, audit, core, axes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest

from apps.core.cache import ACCESS, changed

from . import services
from .models import Membership, User
from .selectors import scope_changed


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or "-")


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    # A login is a person signing in at a page (the login form, the admin's). A login without an HTTP
    # request behind it (the test client's force_login builds a bare HttpRequest with no method) is not
    # one, and is not written.
    if request is None or request.method is None:
        return
    services.login_succeeded_record(user=user, address=_address(request))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # ``credentials`` come cleansed by Django (the password is a row of stars); only the username is kept.
    services.login_failed_record(
        username=str(credentials.get(User.USERNAME_FIELD) or ""),
        address=_address(request),
        paused=bool(getattr(request, "axes_locked_out", False)),
    )


def on_membership_written(sender: type[Membership], **kwargs: Any) -> None:
    """A membership saved or deleted (by a service, the admin or a fixture) changes someone's scope: in this
    process at once, and on every server once it commits (the values cached per user, apps.core.cache)."""
    scope_changed()
    changed(ACCESS)


def on_user_written(sender: type[User], update_fields: Any = None, **kwargs: Any) -> None:
    """A user saved (superuser, active, staff) or deleted: what they may see may have changed. A sign-in saves
    only ``last_login``, which changes nothing of it."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    changed(ACCESS)


def on_rights_written(sender: Any, action: str = "", **kwargs: Any) -> None:
    """A user's permissions or groups, or a group's permissions, added, removed or cleared."""
    if action.startswith("post_"):
        changed(ACCESS)


# (signal, receiver, dispatch_uid, sender): checked in a fresh interpreter by tests/apps/finance/test_receivers.py.
RECEIVERS = (
    (post_save, on_membership_written, "accounts.membership_saved", Membership),
    (post_delete, on_membership_written, "accounts.membership_deleted", Membership),
    (post_save, on_user_written, "accounts.user_saved", User),
    (post_delete, on_user_written, "accounts.user_deleted", User),
    (m2m_changed, on_rights_written, "accounts.user_permissions_changed", User.user_permissions.through),
    (m2m_changed, on_rights_written, "accounts.user_groups_changed", User.groups.through),
    (m2m_changed, on_rights_written, "accounts.group_permissions_changed", Group.permissions.through),
)


def connect() -> None:
    for signal, receiver, uid, sender in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.audit_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.audit_login_failed")
