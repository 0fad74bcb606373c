"""IP offices and the jurisdiction each keeps the register for (data in data/offices.json)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def offices() -> dict[str, dict[str, str | None]]:
    raw = json.loads(resources.files("ipec.rights").joinpath("data/offices.json").read_text("utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def jurisdiction_of(office: str | None) -> str | None:
    if not office:
        return None
    entry = offices().get(office.upper())
    return entry["jurisdiction"] if entry else None


def is_known(office: str) -> bool:
    return office.upper() in offices()
