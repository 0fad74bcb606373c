"""Handling markings for shared records: TLP 2.0, handling codes H0-H3, reliability grades, audiences.

The codes and their meanings are data (data/handling.json); this module only loads and checks them. Who may see
or pass on a marked record is decided by `ipec.accounts.policy` (see `may_see`, `may_share_onward`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ipec.kernel.errors import Problem


@cache
def codes() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("ipec.kernel").joinpath("data/handling.json").read_text("utf-8"))
    return data


TLP_LEVELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
HANDLING_CODES = ("H0", "H1", "H2", "H3")
AUDIENCES = ("own_organisation", "named_organisations", "group", "national", "all_participants")


@dataclass(frozen=True)
class Marking:
    """How a shareable record may be handled. `owner` is the organisation that shared it; `recipients` are the
    organisations named on it or the members of its group, resolved by the caller."""

    owner: str
    owner_jurisdiction: str | None
    tlp: str = "AMBER"
    handling: str = "H0"
    handling_note: str | None = None
    source_reliability: str = "X"
    information_reliability: int = 4
    audience: str = "all_participants"
    recipients: frozenset[str] = field(default_factory=frozenset)
    purpose: str = ""
    legal_basis: str = ""
    personal_data: bool = False


def tlp_rank(level: str) -> int:
    return int(codes()["tlp"][level]["rank"])


def check(m: Marking) -> list[Problem]:
    """Every way a marking can be malformed, each naming its field."""
    problems = []
    if m.tlp not in TLP_LEVELS:
        problems.append(Problem("tlp", f"one of {', '.join(TLP_LEVELS)}"))
    if m.handling not in HANDLING_CODES:
        problems.append(Problem("handling", f"one of {', '.join(HANDLING_CODES)}"))
    if m.handling == "H3" and not (m.handling_note or "").strip():
        problems.append(Problem("handling_note", "H3 needs the restriction in free text"))
    if m.source_reliability not in codes()["source_reliability"]:
        problems.append(Problem("source_reliability", "A, B, C or X"))
    if str(m.information_reliability) not in codes()["information_reliability"]:
        problems.append(Problem("information_reliability", "1, 2, 3 or 4"))
    if m.audience not in AUDIENCES:
        problems.append(Problem("audience", f"one of {', '.join(AUDIENCES)}"))
    if m.audience in ("named_organisations", "group") and not m.recipients:
        problems.append(Problem("recipients", f"an audience of {m.audience.replace('_', ' ')} needs recipients"))
    if m.tlp == "RED" and m.audience not in ("own_organisation", "named_organisations"):
        problems.append(Problem("audience", "TLP:RED is for named recipients only"))
    if m.personal_data and not m.legal_basis.strip():
        problems.append(Problem("legal_basis", "a record with personal data needs a legal basis for sharing it"))
    return problems
