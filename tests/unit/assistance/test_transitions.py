"""Every move from every state: allowed moves go where the table says and belong to one side; others are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from ipec.assistance import routing, transitions
from ipec.kernel.errors import InvalidTransition

EXPECTED = {
    ("draft", "send"): ("sent", "issuing"),
    ("draft", "withdraw"): ("withdrawn", "issuing"),
    ("sent", "acknowledge"): ("acknowledged", "executing"),
    ("sent", "refuse"): ("refused", "executing"),
    ("sent", "withdraw"): ("withdrawn", "issuing"),
    ("acknowledged", "start"): ("in_execution", "executing"),
    ("acknowledged", "refuse"): ("refused", "executing"),
    ("acknowledged", "withdraw"): ("withdrawn", "issuing"),
    ("in_execution", "reply_partial"): ("partly_executed", "executing"),
    ("in_execution", "reply_final"): ("executed", "executing"),
    ("in_execution", "refuse"): ("refused", "executing"),
    ("in_execution", "withdraw"): ("withdrawn", "issuing"),
    ("partly_executed", "reply_partial"): ("partly_executed", "executing"),
    ("partly_executed", "reply_final"): ("executed", "executing"),
    ("partly_executed", "refuse"): ("refused", "executing"),
    ("partly_executed", "withdraw"): ("withdrawn", "issuing"),
}


@pytest.mark.parametrize("state", transitions.STATES)
@pytest.mark.parametrize("move", transitions.MOVE_NAMES)
def test_every_move_from_every_state(state: str, move: str) -> None:
    if (state, move) in EXPECTED:
        assert transitions.move(state, move) == EXPECTED[(state, move)]
    else:
        with pytest.raises(InvalidTransition, match=move):
            transitions.move(state, move)


@pytest.mark.parametrize("state", sorted(transitions.FINAL))
def test_final_states_take_no_move(state: str) -> None:
    assert transitions.moves_for(state, "issuing") == transitions.moves_for(state, "executing") == []


def test_unknown_move_is_named() -> None:
    with pytest.raises(InvalidTransition, match="unknown move 'approve'"):
        transitions.move("sent", "approve")


ROUTES = [
    ("FR", "search_and_seizure", "prosecutor", True),
    ("FR", "freeze_assets", "prosecutor", False),
    ("FR", "freeze_assets", "court", True),
    ("ES", "hear_witness", "police", False),
    ("DE", "gather_evidence", "police", True),
    ("DE", "banking_information", "police", False),
    ("XX", "gather_evidence", "prosecutor", False),
]


@pytest.mark.parametrize(("country", "measure", "kind", "ok"), ROUTES)
def test_routing_table(country: str, measure: str, kind: str, ok: bool) -> None:
    problems = routing.routing_problems(country, kind, [measure])
    assert (problems == []) is ok
    assert all(p.field == "executing_org_id" for p in problems)


def test_eio_deadlines_are_data() -> None:
    sent = dt.date(2026, 11, 2)
    assert routing.recognise_by("eio", sent) == dt.date(2026, 12, 2)
    assert routing.execute_by("eio", dt.date(2026, 12, 2)) == dt.date(2027, 3, 2)
    assert routing.recognise_by("untoc", sent) is None


def test_eio_only_between_member_states() -> None:
    assert routing.instrument_problems("eio", "FR", "ES") == []
    [problem] = routing.instrument_problems("eio", "FR", "US")
    assert problem.field == "instrument" and "US" in problem.reason
    assert routing.instrument_problems("untoc", "FR", "US") == []
