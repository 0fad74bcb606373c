"""Legal-assistance request states, pure: which move takes a request from which state to which, and which side
(the issuing or the executing authority) makes it.

    draft ─send→ sent ─acknowledge→ acknowledged ─start→ in_execution ─reply_partial→ partly_executed
                                                                     └─reply_final→ executed ←reply_final─┘
    sent / acknowledged / in_execution / partly_executed ─refuse→ refused      (executing side)
    draft / sent / acknowledged / in_execution / partly_executed ─withdraw→ withdrawn   (issuing side)
"""

from __future__ import annotations

from ipec.kernel.errors import InvalidTransition

STATES = ("draft", "sent", "acknowledged", "in_execution", "partly_executed", "executed", "refused", "withdrawn")
FINAL = frozenset({"executed", "refused", "withdrawn"})
ISSUING, EXECUTING = "issuing", "executing"

MOVES: dict[tuple[str, str], tuple[str, str]] = {
    ("draft", "send"): ("sent", ISSUING),
    ("sent", "acknowledge"): ("acknowledged", EXECUTING),
    ("acknowledged", "start"): ("in_execution", EXECUTING),
    ("in_execution", "reply_partial"): ("partly_executed", EXECUTING),
    ("partly_executed", "reply_partial"): ("partly_executed", EXECUTING),
    ("in_execution", "reply_final"): ("executed", EXECUTING),
    ("partly_executed", "reply_final"): ("executed", EXECUTING),
    ("sent", "refuse"): ("refused", EXECUTING),
    ("acknowledged", "refuse"): ("refused", EXECUTING),
    ("in_execution", "refuse"): ("refused", EXECUTING),
    ("partly_executed", "refuse"): ("refused", EXECUTING),
    ("draft", "withdraw"): ("withdrawn", ISSUING),
    ("sent", "withdraw"): ("withdrawn", ISSUING),
    ("acknowledged", "withdraw"): ("withdrawn", ISSUING),
    ("in_execution", "withdraw"): ("withdrawn", ISSUING),
    ("partly_executed", "withdraw"): ("withdrawn", ISSUING),
}
MOVE_NAMES = ("send", "acknowledge", "start", "reply_partial", "reply_final", "refuse", "withdraw")
REPLIES = frozenset({"reply_partial", "reply_final", "refuse"})


def move(state: str, name: str) -> tuple[str, str]:
    """(new state, side allowed to make the move); InvalidTransition names the state and the move."""
    if name not in MOVE_NAMES:
        raise InvalidTransition(f"unknown move {name!r}; one of {', '.join(MOVE_NAMES)}")
    found = MOVES.get((state, name))
    if found is None:
        raise InvalidTransition(f"a request that is {state.replace('_', ' ')} cannot take the move {name!r}")
    return found


def moves_for(state: str, side: str) -> list[str]:
    return [m for (s, m), (_, who) in MOVES.items() if s == state and who == side]
