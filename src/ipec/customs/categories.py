"""A first guess at the EU report's product category from an HS code (data/hs_categories.json)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _table() -> dict[str, dict[str, str]]:
    raw: dict[str, dict[str, str]] = json.loads(
        resources.files("ipec.customs").joinpath("data/hs_categories.json").read_text("utf-8"))
    return raw


def category_for_hs(hs_code: str) -> str:
    code = "".join(ch for ch in hs_code if ch.isdigit())
    table = _table()
    return table["headings"].get(code[:4]) or table["chapters"].get(code[:2]) or "other"
