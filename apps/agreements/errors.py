# SPDX-License-Identifier: EUPL-1.2
"""Words for the agreement lifecycle's error codes (``domain.lifecycle.TransitionError``).

Registered with :func:`apps.core.errors.register` when the app is ready; shown with
:func:`apps.core.errors.describe` in the active language. Statuses are named by the agreement's own
(translated) status labels, so a refusal reads "utkast" on the Swedish page and "draft" on the English one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.errors import register
from domain import lifecycle

from .models import Agreement


def status_label(value: object) -> str:
    """An agreement status as a word inside a sentence ("utkast", "pågående"); an unknown value as given."""
    try:
        return str(Agreement.Status(str(value)).label).lower()
    except ValueError:
        return str(value)


def _date(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _missing_label(item: str) -> str:
    labels = {
        lifecycle.MISSING_PERIOD: gettext("agreement period"),
        lifecycle.MISSING_PUBLIC_PARTY: gettext("public party"),
        lifecycle.MISSING_NONPROFIT_PARTY: gettext("non-profit party"),
        lifecycle.MISSING_DECISION: gettext("decision (committee and date)"),
    }
    return labels.get(item, item)


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items)


def _already_in_status(params: Mapping[str, Any]) -> str:
    return gettext("The agreement already has the status %(status)s.") % {"status": status_label(params["status"])}


def _final_status(params: Mapping[str, Any]) -> str:
    return gettext("The agreement is %(status)s and can no longer change status.") % {
        "status": status_label(params["status"])
    }


def _transition_not_allowed(params: Mapping[str, Any]) -> str:
    return gettext("An agreement with the status %(current)s cannot become %(target)s; allowed: %(allowed)s.") % {
        "current": status_label(params["current"]),
        "target": status_label(params["target"]),
        "allowed": _listed(status_label(s) for s in params["allowed"]),
    }


def _decision_incomplete(params: Mapping[str, Any]) -> str:
    return gettext("Before the agreement can be marked as decided, it needs: %(missing)s.") % {
        "missing": _listed(_missing_label(item) for item in params["missing"])
    }


def _active_before_start(params: Mapping[str, Any]) -> str:
    return gettext("The agreement cannot become active before its start date %(start)s.") % {
        "start": _date(params["start"])
    }


def _ended_before_end(params: Mapping[str, Any]) -> str:
    return gettext("The agreement runs until %(end)s. Use notice or rescission to end it early.") % {
        "end": _date(params["end"])
    }


def _invitation_pending(params: Mapping[str, Any]) -> str:
    return gettext(
        "Waiting for an answer from %(parties)s: the agreement can go further only when every invited party "
        "has accepted."
    ) % {"parties": _listed(str(p) for p in params["parties"])}


def _invitation_declined(params: Mapping[str, Any]) -> str:
    return gettext(
        "%(parties)s declined the invitation to be a party. Remove the party under Edit before the agreement "
        "can go further."
    ) % {"parties": _listed(str(p) for p in params["parties"])}


register(
    {
        "lifecycle.unknown_status": _("“%(status)s” is not a status an agreement can have."),
        "lifecycle.already_in_status": _already_in_status,
        "lifecycle.final_status": _final_status,
        "lifecycle.transition_not_allowed": _transition_not_allowed,
        "lifecycle.decision_incomplete": _decision_incomplete,
        "lifecycle.active_before_start": _active_before_start,
        "lifecycle.ended_before_end": _ended_before_end,
        "lifecycle.invitation_pending": _invitation_pending,
        "lifecycle.invitation_declined": _invitation_declined,
    }
)
