# SPDX-License-Identifier: EUPL-1.2
"""The shape every area's ``access_<thing>(user, pk, *, perm)`` shares (modelled on Zulip's
``access_stream_by_id``: one lookup, one error for "missing" and "not allowed").

An area's access function looks the object up in a queryset already scoped to what the user may see
(``one_or_404``), then checks the permission for the action (``require``). Something the user cannot see
answers 404 whether it exists or not, so a guessed id tells nothing. An object the user sees, when only the
action is refused (e.g. a partner opening the edit page of an agreement they read), answers 403, as the
pages always did; a refused *view* permission is a 404 too.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def one_or_404[M: Model](queryset: QuerySet[M], pk: object) -> M:
    """The object ``pk`` of ``queryset`` (scoped to the user at its source), or Http404.

    A ``pk`` that is not a number (a command's argument, later an API path) is missing too, never a 500.
    """
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require(user: Any, perm: str | None, obj: Model, *, seen: Collection[str] = ()) -> None:
    """Refuse ``perm`` on ``obj`` unless ``user`` holds it.

    ``perm`` None, or one of ``seen`` (the permissions the scoped lookup already proved, such as
    "agreements.view_agreement"), asks nothing more. A refused view permission (``<app>.view_<thing>``)
    is Http404, like a missing object; a refused action on an object the user sees is PermissionDenied.
    """
    if perm is None or perm in seen:
        return
    if user is not None and user.has_perm(perm, obj):
        return
    if perm.partition(".")[2].startswith("view_"):
        raise Http404
    raise PermissionDenied
