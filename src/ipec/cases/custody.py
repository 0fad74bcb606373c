"""Chain of custody, pure: what an evidence item and each custody step hash to, and which steps may follow which.

An item hashes to SHA-256 of the RFC 8785 JSON of its identity and file facts; step 1 references that hash, and each
later step references the hash of the step before it. Changing any field of any step therefore changes its hash and
breaks the link from the next step, and the ledger entry logged for each step (which holds the step hash) no longer
matches. The custodian's name is personal data: it is not hashed here but committed to (salted) in the ledger entry.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ipec.ledger.entries import canonical_json

ACTIONS = ("collected", "transferred", "examined", "returned", "destroyed")

# What may follow what: nothing follows destruction; the first step is always a collection.
FOLLOWS: dict[str | None, frozenset[str]] = {
    None: frozenset({"collected"}),
    "collected": frozenset({"transferred", "examined", "returned", "destroyed"}),
    "transferred": frozenset({"transferred", "examined", "returned", "destroyed"}),
    "examined": frozenset({"transferred", "examined", "returned", "destroyed"}),
    "returned": frozenset({"transferred", "examined", "destroyed"}),
    "destroyed": frozenset(),
}

ITEM_FIELDS = ("evidence_id", "case_id", "reference", "filename", "sha256", "size", "media_type")
STEP_FIELDS = ("evidence_id", "seq", "action", "at", "by_user_id", "by_org_id", "to_org_id", "place", "reason",
               "previous_hash")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def item_facts(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in ITEM_FIELDS}


def item_hash(item: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(item_facts(item)))


def step_facts(step: dict[str, Any]) -> dict[str, Any]:
    return {k: step[k] for k in STEP_FIELDS}


def step_hash(step: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(step_facts(step)))


def may_follow(previous: str | None, action: str) -> bool:
    return action in FOLLOWS.get(previous, frozenset())


def chain_problem(item: dict[str, Any], steps: list[dict[str, Any]]) -> str | None:
    """The first thing wrong with a chain (as stored or as exported), or None when it holds together."""
    expected_previous = item_hash(item)
    previous_action: str | None = None
    for i, step in enumerate(steps, start=1):
        missing = [k for k in (*STEP_FIELDS, "step_hash") if k not in step]
        if missing:
            return f"step {i} lacks {', '.join(missing)}"
        if step["seq"] != i:
            return f"step {i} is numbered {step['seq']}"
        if step["previous_hash"] != expected_previous:
            return (f"step {i} references {str(step['previous_hash'])[:16]}…, not the previous hash "
                    f"{expected_previous[:16]}…")
        if step_hash(step) != step["step_hash"]:
            return f"step {i} ({step['action']}) does not hash to its recorded step hash"
        if not may_follow(previous_action, step["action"]):
            return f"step {i}: {step['action']} may not follow {previous_action or 'the start'}"
        expected_previous = step["step_hash"]
        previous_action = step["action"]
    return None
