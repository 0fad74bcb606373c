"""Which subscriptions a notice matches. Pure: plain values in, a yes or no out.

A subscription names criteria of up to five kinds (types, jurisdictions, product categories, rights, HS
chapters). A notice matches when, for every kind the subscription names, the notice shares at least one value.
Jurisdictions compare as countries: a subscription to the EU matches a notice about France, and a notice's route
countries (origin, transit, destination) count as places it concerns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ipec.kernel import jurisdictions as places


@dataclass(frozen=True)
class Criteria:
    notice_types: frozenset[str] = frozenset()
    jurisdictions: frozenset[str] = frozenset()
    product_categories: frozenset[str] = frozenset()
    right_ids: frozenset[str] = frozenset()
    hs_chapters: frozenset[int] = frozenset()

    def is_empty(self) -> bool:
        return not (self.notice_types or self.jurisdictions or self.product_categories or self.right_ids
                    or self.hs_chapters)


@dataclass(frozen=True)
class Facets:
    """The structured parts of a notice that criteria look at."""

    notice_type: str
    countries: frozenset[str]  # jurisdictions and route, regions expanded to their member countries
    product_categories: frozenset[str]
    right_ids: frozenset[str]
    hs_chapters: frozenset[int]


def countries_of(codes: Iterable[str | None]) -> frozenset[str]:
    return places.expand({c for c in codes if c})


def matches(c: Criteria, f: Facets) -> bool:
    if c.is_empty():
        return False  # an empty subscription would be a firehose; the services refuse to store one
    if c.notice_types and f.notice_type not in c.notice_types:
        return False
    if c.jurisdictions and not (countries_of(c.jurisdictions) & f.countries):
        return False
    if c.product_categories and not (c.product_categories & f.product_categories):
        return False
    if c.right_ids and not (c.right_ids & f.right_ids):
        return False
    return not (c.hs_chapters and not (c.hs_chapters & f.hs_chapters))
