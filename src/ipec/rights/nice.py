"""Nice Classification: the 45 class headings, kept as data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

GOODS = range(1, 35)
SERVICES = range(35, 46)


@cache
def headings() -> dict[int, str]:
    raw = json.loads(resources.files("ipec.rights").joinpath("data/nice_classes.json").read_text("utf-8"))
    return {int(k): v for k, v in raw.items() if not k.startswith("_")}


def is_valid(number: int) -> bool:
    return number in headings()


def heading(number: int) -> str:
    return headings().get(number, "")
