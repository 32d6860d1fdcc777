import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.lifecycle import FINAL, TRANSITIONS, AgreementFacts, Status, TransitionError, check_transition

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
        assert str(exc.value)  # the message says why


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
        with pytest.raises(TransitionError, match="saknas"):
            check_transition(Status.DRAFT, Status.DECIDED, f)


@given(facts(complete=True))
def test_active_only_from_the_start_date(f):
    if f.today < f.start:
        with pytest.raises(TransitionError, match="startdatum"):
            check_transition(Status.SIGNED, Status.ACTIVE, f)
    else:
        check_transition(Status.SIGNED, Status.ACTIVE, f)


@given(facts(complete=True))
def test_ended_only_after_the_end_date_otherwise_notice_or_rescission(f):
    if f.today <= f.end:
        with pytest.raises(TransitionError, match="uppsägning"):
            check_transition(Status.ACTIVE, Status.ENDED, f)
        check_transition(Status.ACTIVE, Status.TERMINATED, f)
        check_transition(Status.ACTIVE, Status.RESCINDED, f)
    else:
        check_transition(Status.ACTIVE, Status.ENDED, f)


def test_every_status_is_reachable_from_draft():
    seen, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(Status)
