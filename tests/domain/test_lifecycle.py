# SPDX-License-Identifier: EUPL-1.2
import ast
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.lifecycle import (
    ADVANCING,
    FINAL,
    TRANSITIONS,
    AgreementFacts,
    Status,
    TransitionError,
    check_transition,
)

statuses = st.sampled_from(list(Status))
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))


@st.composite
def facts(draw, complete: bool | None = None):
    start = draw(dates)
    end = start + dt.timedelta(days=draw(st.integers(0, 3000)))
    full = draw(st.booleans()) if complete is None else complete
    return AgreementFacts(
        start=start if full or draw(st.booleans()) else None,
        end=end if full or draw(st.booleans()) else None,
        public_parties=1 if full else draw(st.integers(0, 2)),
        nonprofit_parties=1 if full else draw(st.integers(0, 2)),
        has_decision=True if full else draw(st.booleans()),
        today=draw(dates),
    )


@given(statuses, statuses, facts())
def test_a_transition_outside_the_graph_is_always_refused(current, target, f):
    if target not in TRANSITIONS[current]:
        with pytest.raises(TransitionError) as exc:
            check_transition(current, target, f)
        assert exc.value.code in {
            "lifecycle.final_status",
            "lifecycle.already_in_status",
            "lifecycle.transition_not_allowed",
        }


@given(st.sampled_from(sorted(FINAL)), statuses, facts())
def test_final_statuses_never_change(current, target, f):
    with pytest.raises(TransitionError):
        check_transition(current, target, f)


@given(facts(complete=True))
def test_a_complete_draft_can_be_decided(f):
    check_transition(Status.DRAFT, Status.DECIDED, f)


@given(facts())
def test_deciding_needs_period_parties_and_decision(f):
    complete = f.start and f.end and f.public_parties and f.nonprofit_parties and f.has_decision
    if complete:
        check_transition(Status.DRAFT, Status.DECIDED, f)
    else:
        with pytest.raises(TransitionError) as exc:
            check_transition(Status.DRAFT, Status.DECIDED, f)
        assert exc.value.code == "lifecycle.decision_incomplete"
        expected = [
            name
            for name, lacking in (
                ("period", not (f.start and f.end)),
                ("public_party", not f.public_parties),
                ("nonprofit_party", not f.nonprofit_parties),
                ("decision", not f.has_decision),
            )
            if lacking
        ]
        assert exc.value.params["missing"] == expected


@given(facts(complete=True))
def test_active_only_from_the_start_date(f):
    if f.today < f.start:
        with pytest.raises(TransitionError) as exc:
            check_transition(Status.SIGNED, Status.ACTIVE, f)
        assert (exc.value.code, exc.value.params) == ("lifecycle.active_before_start", {"start": f.start})
    else:
        check_transition(Status.SIGNED, Status.ACTIVE, f)


@given(facts(complete=True))
def test_ended_only_after_the_end_date_otherwise_notice_or_rescission(f):
    if f.today <= f.end:
        with pytest.raises(TransitionError) as exc:
            check_transition(Status.ACTIVE, Status.ENDED, f)
        assert (exc.value.code, exc.value.params) == ("lifecycle.ended_before_end", {"end": f.end})
        check_transition(Status.ACTIVE, Status.TERMINATED, f)
        check_transition(Status.ACTIVE, Status.RESCINDED, f)
    else:
        check_transition(Status.ACTIVE, Status.ENDED, f)


names = st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=3).map(tuple)


@given(facts(complete=True), names, names, st.booleans())
def test_no_step_towards_binding_while_an_invited_party_has_not_accepted(f, pending, declined, both):
    """Deciding, signing and activating wait for every invited party; a declined one must be removed first.
    Ending the agreement early (notice, rescission) is never held up by an invitation."""
    waiting = dataclasses.replace(f, pending_parties=pending, declined_parties=declined if both else ())
    for current, target in [
        (Status.DRAFT, Status.DECIDED),
        (Status.DECIDED, Status.SIGNED),
        (Status.SIGNED, Status.ACTIVE),
    ]:
        assert target in ADVANCING
        with pytest.raises(TransitionError) as exc:
            check_transition(current, target, waiting)
        assert (exc.value.code, exc.value.params) == ("lifecycle.invitation_pending", {"parties": list(pending)})
    refused = dataclasses.replace(f, declined_parties=declined)
    with pytest.raises(TransitionError) as exc:
        check_transition(Status.DECIDED, Status.SIGNED, refused)
    assert (exc.value.code, exc.value.params) == ("lifecycle.invitation_declined", {"parties": list(declined)})
    for current in (Status.SIGNED, Status.ACTIVE):
        check_transition(current, Status.TERMINATED, waiting)
        check_transition(current, Status.RESCINDED, refused)
    check_transition(Status.DECIDED, Status.DRAFT, waiting)


def test_every_status_is_reachable_from_draft():
    seen, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(Status)


def test_a_refusal_outside_the_graph_names_the_allowed_targets():
    f = AgreementFacts(
        start=None, end=None, public_parties=0, nonprofit_parties=0, has_decision=False, today=dt.date(2025, 1, 1)
    )
    with pytest.raises(TransitionError) as exc:
        check_transition(Status.DRAFT, Status.ACTIVE, f)
    assert exc.value.code == "lifecycle.transition_not_allowed"
    assert exc.value.params == {"current": "draft", "target": "active", "allowed": ["decided"]}


def test_an_unknown_status_is_a_transition_error_not_a_bare_value_error():
    f = AgreementFacts(
        start=None, end=None, public_parties=0, nonprofit_parties=0, has_decision=False, today=dt.date(2025, 1, 1)
    )
    with pytest.raises(TransitionError) as exc:
        check_transition(Status.DRAFT, "archived", f)
    assert (exc.value.code, exc.value.params) == ("lifecycle.unknown_status", {"status": "archived"})


def test_lifecycle_holds_no_words():
    """No Swedish (or any) sentence in a string literal: the words are chosen at the edge."""
    tree = ast.parse((Path(__file__).resolve().parents[2] / "domain" / "lifecycle.py").read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]
    assert literals and not [text for text in literals if " " in text or re.search(r"[åäöÅÄÖ]", text)]
