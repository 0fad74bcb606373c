"""The structured vocabulary of notices (types, INTERPOL colours, EU product categories, HS chapters) and its
labels in English, French and Spanish. The lists are data (data/vocabulary.json); country names come from Babel
(CLDR), so a notice's structured parts read in the reader's language while its free text stays as written.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale

from ipec.kernel import jurisdictions

LANGUAGES = ("en", "fr", "es")


@cache
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files("ipec.notices").joinpath("data/vocabulary.json").read_text("utf-8"))
    return loaded


def _lang(locale: str) -> str:
    return locale if locale in LANGUAGES else "en"


def notice_types() -> list[str]:
    return list(data()["notice_types"])


def categories() -> list[str]:
    return list(data()["product_categories"])


def type_label(code: str, locale: str = "en") -> str:
    item = data()["notice_types"].get(code)
    return str(item["label"][_lang(locale)]) if item else code


def colour(code: str) -> str | None:
    item = data()["notice_types"].get(code)
    return item["colour"] if item else None


def colour_label(code: str, locale: str = "en") -> str | None:
    c = colour(code)
    return str(data()["colours"][c][_lang(locale)]) if c else None


def category_label(code: str, locale: str = "en") -> str:
    item = data()["product_categories"].get(code)
    return str(item[_lang(locale)]) if item else code


def is_hs_chapter(n: int) -> bool:
    spec = data()["hs_chapters"]
    return int(spec["min"]) <= n <= int(spec["max"]) and n not in spec["reserved"]


@cache
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(_lang(locale)).territories)


def country_label(code: str, locale: str = "en") -> str:
    """A country or region (EU) named in the reader's language; the code itself when CLDR does not know it."""
    return _territories(locale).get(code.upper()) or jurisdictions.name(code) or code


def default_validity_days() -> int:
    return int(data()["default_validity_days"])


def max_validity_days() -> int:
    return int(data()["max_validity_days"])
