# SPDX-License-Identifier: EUPL-1.2
"""The agreement's history: its own events, and the changes of name and organisationsnummer of the shared
organisations (non-profits: one per number, no tenant) that are its parties.

A shared organisation is kept by every municipality that works with it, so each of them sees a change of
its name or number in the history of every agreement it is party to (from the day it became a party), and
on the agreement page while the rename is recent. The change is shown as made by the municipality or region
the person acted for, not by a person another municipality does not know. May import: organisations, audit
and below.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from apps.audit.display import HistoryEntry
from apps.audit.models import AuditEvent
from apps.organisations.models import Organisation

from .models import Agreement, Party

# The audit actions that change an organisation as stored: its service, and the admin site.
IDENTITY_ACTIONS = ("organisation.updated", "organisation.admin_saved")
IDENTITY_FIELDS = ("name", "org_number")
# How long the agreement page says that a party's name changed.
RECENT_RENAME = dt.timedelta(days=365)


def _shared(parties: Iterable[Party]) -> list[Party]:
    return [p for p in parties if p.organisation.kind != Organisation.Kind.PUBLIC_BODY]


def _identity_changes(parties: Iterable[Party], *, fields: Iterable[str] = IDENTITY_FIELDS) -> Q | None:
    """The organisation events that changed one of ``fields`` of a shared party's organisation since it
    became a party; None when the agreement has no shared party."""
    changed = Q()
    for field in fields:
        changed |= Q(changes__has_key=field)
    condition: Q | None = None
    for party in _shared(parties):
        one = Q(
            organisation_id=party.organisation_id,
            agreement__isnull=True,
            action__in=IDENTITY_ACTIONS,
            occurred_at__gte=party.created_at,
        )
        condition = one if condition is None else condition | one
    return None if condition is None else condition & changed


def shared_organisation_changes(agreement: Agreement) -> Q | None:
    """For :func:`apps.audit.selectors.agreement_events`: the shared parties' changes of name and number (one
    query for the parties, whatever the number of events)."""
    return _identity_changes(agreement.parties.select_related("organisation"))


def _values(event: AuditEvent, field: str) -> tuple[Any, Any] | None:
    changes = event.changes if isinstance(event.changes, dict) else {}
    pair = changes.get(field)
    if isinstance(pair, list) and len(pair) == 2 and pair[0] != pair[1]:
        return pair[0] or "–", pair[1] or "–"
    return None


def is_identity_change(event: AuditEvent) -> bool:
    return event.agreement_id is None and event.object_type == "organisations.organisation"


def worded(entry: HistoryEntry) -> HistoryEntry:
    """A shared organisation's change as the agreement's history tells it: "Organisationen bytte namn: A → B",
    by the municipality or region it was made for. Any other entry as it is."""
    event = entry.event
    if not is_identity_change(event):
        return entry
    params = event.summary_params if isinstance(event.summary_params, dict) else {}
    said = []
    name = _values(event, "name")
    if name is not None:
        said.append(gettext("The organisation changed its name: %(old)s → %(new)s") % {"old": name[0], "new": name[1]})
    number = _values(event, "org_number")
    if number is not None:
        current = name[1] if name is not None else str(params.get("name") or params.get("label") or "")
        said.append(
            gettext("%(name)s changed its organisation number: %(old)s → %(new)s")
            % {"name": current, "old": number[0], "new": number[1]}
        )
    by = str(params.get("by") or "")
    if not by:  # the admin site, or a change recorded before the municipality was kept with it
        by = (
            gettext("the platform's administration")
            if event.action.endswith("admin_saved")
            else gettext("the organisation register")
        )
    return dataclasses.replace(entry, summary=" ".join(said) or entry.summary, rows=[], by=by)


def history_entries(entries: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    return [worded(entry) for entry in entries]


@dataclasses.dataclass(frozen=True)
class Rename:
    old_name: str
    changed_on: dt.date


def recent_renames(agreement: Agreement, *, now: dt.datetime | None = None) -> dict[int, Rename]:
    """The shared parties renamed within :data:`RECENT_RENAME` (since they became parties), by organisation:
    the name before the latest rename and its date. One query; the parties come prefetched by the page."""
    now = now or timezone.now()
    parties = list(agreement.parties.all())
    condition = _identity_changes(parties, fields=("name",))
    if condition is None:
        return {}
    found: dict[int, Rename] = {}
    events = AuditEvent.objects.filter(condition, occurred_at__gte=now - RECENT_RENAME).order_by("-occurred_at", "-id")
    for event in events.only("organisation_id", "occurred_at", "changes", "agreement_id", "object_type"):
        pair = _values(event, "name")
        if event.organisation_id is None or event.organisation_id in found or pair is None:
            continue
        found[event.organisation_id] = Rename(
            old_name=str(pair[0]), changed_on=timezone.localtime(event.occurred_at).date()
        )
    return found
