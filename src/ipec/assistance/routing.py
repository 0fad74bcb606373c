"""Routing and deadlines as data, pure: which authority is competent for which measure in which country, which
legal instruments apply between two countries, and the dates they set."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import Any

from ipec.kernel.errors import Problem


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("ipec.assistance").joinpath(f"data/{name}").read_text("utf-8"))
    return data


@cache
def instruments() -> dict[str, dict[str, Any]]:
    return {k: v for k, v in _load("instruments.json").items() if not k.startswith("_")}


@cache
def table() -> dict[str, Any]:
    return _load("routing.json")


def measures() -> list[str]:
    return list(table()["measures"])


def competent(country: str, measure: str) -> list[str]:
    """Organisation kinds competent to execute `measure` in `country`; empty when the table has no route."""
    return list(table()["countries"].get(country, {}).get(measure, []))


def routing_problems(country: str | None, executing_kind: str, measures_asked: list[str]) -> list[Problem]:
    if not country:
        return [Problem("executing_org_id", "the executing authority has no country")]
    if country not in table()["countries"]:
        return [Problem("executing_org_id", f"no routing is known for {country}; ask the central authority")]
    problems = []
    for m in measures_asked:
        kinds = competent(country, m)
        if executing_kind not in kinds:
            problems.append(Problem("executing_org_id", f"{m.replace('_', ' ')} in {country} is for a "
                                    f"{' or '.join(kinds) or 'no listed authority'}, not a {executing_kind}"))
    return problems


def instrument_problems(instrument: str, issuing_country: str | None, executing_country: str | None
                        ) -> list[Problem]:
    spec = instruments().get(instrument)
    if spec is None:
        return [Problem("instrument", f"one of {', '.join(instruments())}")]
    members = spec.get("members")
    if members is not None:
        outside = [c for c in (issuing_country, executing_country) if c not in members]
        if outside:
            return [Problem("instrument", f"{spec['title']} does not apply to {', '.join(str(c) for c in outside)}")]
    return []


def recognise_by(instrument: str, received: dt.date) -> dt.date | None:
    days = instruments()[instrument].get("recognise_days")
    return received + dt.timedelta(days=days) if days else None


def execute_by(instrument: str, recognised: dt.date) -> dt.date | None:
    days = instruments()[instrument].get("execute_days")
    return recognised + dt.timedelta(days=days) if days else None
