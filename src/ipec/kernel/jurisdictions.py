"""Jurisdictions: ISO 3166-1 alpha-2 countries (pycountry) and regions (EU, Benelux, ...) kept as data.

A right protected in a region is protected in each member; `covers()` is the one place that rule lives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    is_region: bool
    members: frozenset[str]


@cache
def _regions() -> dict[str, Jurisdiction]:
    raw = json.loads(resources.files("ipec.kernel").joinpath("data/regions.json").read_text("utf-8"))
    return {
        code: Jurisdiction(code, item["name"], True, frozenset(item["members"]))
        for code, item in raw.items()
        if not code.startswith("_")
    }


@cache
def _countries() -> dict[str, Jurisdiction]:
    return {
        c.alpha_2: Jurisdiction(c.alpha_2, getattr(c, "common_name", None) or c.name, False, frozenset({c.alpha_2}))
        for c in pycountry.countries
    }


def lookup(code: str) -> Jurisdiction | None:
    """The jurisdiction for a code (case-insensitive), or None when the code is unknown."""
    key = code.strip().upper()
    return _regions().get(key) or _countries().get(key)


def is_valid(code: str) -> bool:
    return lookup(code) is not None


def is_country(code: str) -> bool:
    return code.strip().upper() in _countries()


def regions() -> list[Jurisdiction]:
    return sorted(_regions().values(), key=lambda j: j.code)


def countries() -> list[Jurisdiction]:
    return sorted(_countries().values(), key=lambda j: j.name)


def expand(codes: list[str] | tuple[str, ...] | frozenset[str] | set[str]) -> frozenset[str]:
    """Every country covered by the given codes (regions expanded to their members)."""
    out: set[str] = set()
    for code in codes:
        j = lookup(code)
        if j is not None:
            out |= j.members
    return frozenset(out)


def covers(protected: list[str] | tuple[str, ...] | frozenset[str] | set[str], country: str) -> str | None:
    """The protected code that covers `country`, or None. Prefers a national right over a regional one."""
    target = country.strip().upper()
    if target in {c.upper() for c in protected}:
        return target
    for code in protected:
        j = lookup(code)
        if j is not None and j.is_region and target in j.members:
            return j.code
    return None


def name(code: str) -> str:
    j = lookup(code)
    return j.name if j else code
