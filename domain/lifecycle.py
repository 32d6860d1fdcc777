# SPDX-License-Identifier: EUPL-1.2
"""The agreement lifecycle: statuses and the transitions allowed between them.
May import: the standard library and other domain modules; never Django or an app.

    draft → decided → signed → active → ended
    signed/active → terminated (notice, uppsägning) or rescinded (hävning)
    decided → draft (reopened before signing)

A transition is checked against the facts of the agreement; a refused transition raises
:class:`TransitionError`, a :class:`~domain.errors.DomainError` whose code and parameters say why. The
words (and the statuses' labels) are chosen at the edge, in the user's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import DomainError


class Status(StrEnum):
    DRAFT = "draft"
    DECIDED = "decided"
    SIGNED = "signed"
    ACTIVE = "active"
    ENDED = "ended"
    TERMINATED = "terminated"
    RESCINDED = "rescinded"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.DECIDED}),
    Status.DECIDED: frozenset({Status.SIGNED, Status.DRAFT}),
    Status.SIGNED: frozenset({Status.ACTIVE, Status.TERMINATED, Status.RESCINDED}),
    Status.ACTIVE: frozenset({Status.ENDED, Status.TERMINATED, Status.RESCINDED}),
    Status.ENDED: frozenset(),
    Status.TERMINATED: frozenset(),
    Status.RESCINDED: frozenset(),
}
FINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
# Statuses in which an agreement binds the parties (it counts in the portfolio and the clock runs).
BINDING = frozenset({Status.SIGNED, Status.ACTIVE})
# Before signing, an agreement's text may still be replaced (e.g. from a newer imported document); once
# signed, it changes only by an amendment approved by every party.
REPLACEABLE = frozenset({Status.DRAFT, Status.DECIDED})
# Statuses that take the agreement forward towards binding the parties: every party must have accepted
# first (a public body of another municipality or region joins only when its staff accept the invitation).
ADVANCING = frozenset({Status.DECIDED, Status.SIGNED, Status.ACTIVE})


# What deciding an agreement needs, in the order a refusal lists what is missing.
MISSING_PERIOD = "period"
MISSING_PUBLIC_PARTY = "public_party"
MISSING_NONPROFIT_PARTY = "nonprofit_party"
MISSING_DECISION = "decision"


class TransitionError(DomainError):
    """A refused status change. Codes (parameters):

    - ``lifecycle.unknown_status`` (status): not one of :class:`Status`
    - ``lifecycle.already_in_status`` (status)
    - ``lifecycle.final_status`` (status): an ended, terminated or rescinded agreement stays so
    - ``lifecycle.transition_not_allowed`` (current, target, allowed: list of statuses)
    - ``lifecycle.decision_incomplete`` (missing: list of ``MISSING_*``)
    - ``lifecycle.active_before_start`` (start: date)
    - ``lifecycle.ended_before_end`` (end: date): use notice or rescission to end it early
    - ``lifecycle.invitation_pending`` (parties: list of names): invited parties have not answered yet
    - ``lifecycle.invitation_declined`` (parties: list of names): remove the parties that declined first
    """


@dataclass(frozen=True)
class AgreementFacts:
    """What a transition needs to know about the agreement, gathered by the caller."""

    start: dt.date | None
    end: dt.date | None
    public_parties: int
    nonprofit_parties: int
    has_decision: bool
    today: dt.date
    # Parties invited (a public body of another tenant) that have not answered, and those that declined.
    pending_parties: tuple[str, ...] = ()
    declined_parties: tuple[str, ...] = ()


def allowed_targets(current: Status) -> frozenset[Status]:
    return TRANSITIONS[Status(current)]


def _status(value: Status | str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise TransitionError("lifecycle.unknown_status", status=str(value)) from None


def check_transition(current: Status | str, target: Status | str, facts: AgreementFacts) -> None:
    """Raise :class:`TransitionError` unless ``current`` → ``target`` is allowed for these facts."""
    current, target = _status(current), _status(target)
    if current == target:
        raise TransitionError("lifecycle.already_in_status", status=target.value)
    if current in FINAL:
        raise TransitionError("lifecycle.final_status", status=current.value)
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            "lifecycle.transition_not_allowed",
            current=current.value,
            target=target.value,
            allowed=[s.value for s in Status if s in TRANSITIONS[current]],
        )
    if target in ADVANCING and facts.pending_parties:
        raise TransitionError("lifecycle.invitation_pending", parties=list(facts.pending_parties))
    if target in ADVANCING and facts.declined_parties:
        raise TransitionError("lifecycle.invitation_declined", parties=list(facts.declined_parties))
    if target == Status.DECIDED:
        missing = []
        if facts.start is None or facts.end is None:
            missing.append(MISSING_PERIOD)
        if facts.public_parties < 1:
            missing.append(MISSING_PUBLIC_PARTY)
        if facts.nonprofit_parties < 1:
            missing.append(MISSING_NONPROFIT_PARTY)
        if not facts.has_decision:
            missing.append(MISSING_DECISION)
        if missing:
            raise TransitionError("lifecycle.decision_incomplete", missing=missing)
    if target == Status.ACTIVE and facts.start is not None and facts.today < facts.start:
        raise TransitionError("lifecycle.active_before_start", start=facts.start)
    if target == Status.ENDED and facts.end is not None and facts.today <= facts.end:
        raise TransitionError("lifecycle.ended_before_end", end=facts.end)
