"""Task states, pure: which move takes a task from which state to which, and whose move it is.

A task is an 'action required' from a requesting agency to an assigned one. The assigned agency accepts or declines
it and reports it done; the requesting agency may cancel it while it is still pending.
"""

from __future__ import annotations

from ipec.kernel.errors import InvalidTransition

# (state, move) -> (new state, side that may make the move)
TASK_MOVES: dict[tuple[str, str], tuple[str, str]] = {
    ("open", "accept"): ("accepted", "assigned"),
    ("open", "decline"): ("declined", "assigned"),
    ("open", "complete"): ("done", "assigned"),
    ("accepted", "complete"): ("done", "assigned"),
    ("accepted", "decline"): ("declined", "assigned"),
    ("open", "cancel"): ("cancelled", "requesting"),
    ("accepted", "cancel"): ("cancelled", "requesting"),
}
TASK_STATES = ("open", "accepted", "done", "declined", "cancelled")
TASK_MOVE_NAMES = ("accept", "decline", "complete", "cancel")
PENDING = frozenset({"open", "accepted"})


def task_move(state: str, move: str) -> tuple[str, str]:
    if move not in TASK_MOVE_NAMES:
        raise InvalidTransition(f"unknown task move {move!r}; one of {', '.join(TASK_MOVE_NAMES)}")
    found = TASK_MOVES.get((state, move))
    if found is None:
        raise InvalidTransition(f"task: the move {move!r} is not possible from the state {state!r}")
    return found


def moves_from(state: str) -> list[str]:
    return [move for (s, move) in TASK_MOVES if s == state]
