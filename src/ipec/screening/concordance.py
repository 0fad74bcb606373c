"""HS -> Nice concordance: which Nice classes the goods of an HS code fall in.

`data/hs_nice.csv` maps every HS chapter (01-97; 77 is reserved in the HS and holds no goods) to Nice classes,
with headings (4 digits) or subheadings (6 digits) where a chapter splits across classes. The most specific
prefix of a declared code wins. Sources and method: data/README.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Concordance:
    prefix: str
    classes: frozenset[int]
    description: str


@cache
def table() -> dict[str, Concordance]:
    text = resources.files("ipec.screening").joinpath("data", "hs_nice.csv").read_text("utf-8")
    out: dict[str, Concordance] = {}
    for row in csv.DictReader(text.splitlines()):
        classes = frozenset(int(c) for c in row["nice_classes"].split(";") if c.strip())
        out[row["hs"]] = Concordance(row["hs"], classes, row["description"])
    return out


@cache
def lookup(hs_code: str) -> Concordance | None:
    """The most specific concordance row for an HS code (6-10 digits), or None for an unknown chapter."""
    digits = hs_code.strip().replace(".", "").replace(" ", "")
    rows = table()
    for length in (6, 4, 2):
        row = rows.get(digits[:length])
        if row is not None:
            return row
    return None


def classes_for(hs_code: str) -> frozenset[int]:
    row = lookup(hs_code)
    return row.classes if row is not None else frozenset()
