"""Vega-Lite specs for the customs statistics, filled from `chart_specs/*.json` templates (data as data).

The page embeds the spec as JSON and the vendored vega, vega-lite and vega-embed scripts draw it, so a node
without Internet access still draws its charts. Labels arrive already translated from the page.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from ipec.customs.reports import Row

MEASURES = ("procedures", "articles", "retail_value")


@cache
def _template(name: str) -> dict[str, Any]:
    raw = resources.files("ipec.customs").joinpath(f"chart_specs/{name}.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(raw)
    return spec


def breakdown(rows: list[Row], measure: str, value_labels: dict[str, str], measure_label: str) -> dict[str, Any]:
    """A horizontal bar chart of one breakdown; retail value is split by currency (sums never mix them)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    spec = copy.deepcopy(_template("breakdown"))
    spec["data"]["values"] = [
        {
            "value": value_labels.get(r.value, r.value),
            "currency": r.currency,
            "procedures": r.procedures,
            "articles": r.articles,
            "retail_value": round(r.retail_value_cents / 100, 2),
        }
        for r in rows
    ]
    x = spec["encoding"]["x"]
    x["field"], x["title"] = measure, measure_label
    if measure == "retail_value":
        spec["encoding"]["color"] = {"field": "currency", "type": "nominal", "title": None}
    return spec
