"""The agreement lifecycle: statuses and the transitions allowed between them.

    draft → decided → signed → active → ended
    signed/active → terminated (notice, uppsägning) or rescinded (hävning)
    decided → draft (reopened before signing)

A transition is checked against the facts of the agreement; a refused transition raises
:class:`TransitionError` whose message says why, in Swedish, ready to show to the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    DECIDED = "decided"
    SIGNED = "signed"
    ACTIVE = "active"
    ENDED = "ended"
    TERMINATED = "terminated"
    RESCINDED = "rescinded"


LABELS_SV = {
    Status.DRAFT: "Utkast",
    Status.DECIDED: "Beslutad",
    Status.SIGNED: "Undertecknad",
    Status.ACTIVE: "Pågående",
    Status.ENDED: "Avslutad",
    Status.TERMINATED: "Uppsagd",
    Status.RESCINDED: "Hävd",
}

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


class TransitionError(ValueError):
    pass


@dataclass(frozen=True)
class AgreementFacts:
    """What a transition needs to know about the agreement, gathered by the caller."""

    start: dt.date | None
    end: dt.date | None
    public_parties: int
    nonprofit_parties: int
    has_decision: bool
    today: dt.date


def allowed_targets(current: Status) -> frozenset[Status]:
    return TRANSITIONS[Status(current)]


def check_transition(current: Status | str, target: Status | str, facts: AgreementFacts) -> None:
    """Raise :class:`TransitionError` unless ``current`` → ``target`` is allowed for these facts."""
    current, target = Status(current), Status(target)
    if current == target:
        raise TransitionError(f"Överenskommelsen har redan status {LABELS_SV[target].lower()}.")
    if current in FINAL:
        raise TransitionError(
            f"Överenskommelsen är {LABELS_SV[current].lower()} och kan inte längre byta status."
        )
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(LABELS_SV[s].lower() for s in sorted(TRANSITIONS[current]))
        raise TransitionError(
            f"En överenskommelse med status {LABELS_SV[current].lower()} kan inte bli "
            f"{LABELS_SV[target].lower()}; tillåtet är: {allowed}."
        )
    if target == Status.DECIDED:
        missing = []
        if facts.start is None or facts.end is None:
            missing.append("avtalsperiod")
        if facts.public_parties < 1:
            missing.append("offentlig part")
        if facts.nonprofit_parties < 1:
            missing.append("idéburen part")
        if not facts.has_decision:
            missing.append("beslut (nämnd och datum)")
        if missing:
            raise TransitionError("Innan överenskommelsen kan markeras som beslutad saknas: " + ", ".join(missing) + ".")
    if target == Status.ACTIVE and facts.start is not None and facts.today < facts.start:
        raise TransitionError(
            f"Överenskommelsen kan inte bli pågående före startdatum {facts.start.isoformat()}."
        )
    if target == Status.ENDED and facts.end is not None and facts.today <= facts.end:
        raise TransitionError(
            f"Överenskommelsen löper till och med {facts.end.isoformat()}. "
            "Använd uppsägning eller hävning för att avsluta den i förtid."
        )
