"""Seizure statistics in the dimensions of the EU annual report, read from the non-nominal seizure view.

Read-only: this module selects and counts, it never writes (no services, no commits). It counts only what the
signed-in user may see: enforcement authorities and administrators see every seizure of the node (the seizure
view carries no personal data and is what is shared beyond the seizing agency); a rights holder sees the
seizures of goods detained under its own applications; anyone else sees nothing, and gets empty figures rather
than an error, so a chart never tells by its shape what it hides.

A "procedure" is one seizure (one detention whose goods were kept: destroyed, before a court, or abandoned);
"articles" is the number of items. Retail values are summed per currency, never across currencies.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from ipec.accounts import services as accounts
from ipec.accounts.policy import AUTHORITIES, OrgKind, Role
from ipec.customs.models import Detention, Seizure
from ipec.kernel import jurisdictions
from ipec.kernel.errors import Problem, ValidationFailed

# The EU report's breakdowns, in the order the report presents them, plus the reporting country.
DIMENSIONS: tuple[str, ...] = (
    "product_category",
    "provenance",
    "transport_mode",
    "traffic",
    "ipr_type",
    "outcome",
    "procedure",
    "country",
)
UNKNOWN = "unknown"  # a seizure with no provenance or no outcome yet is counted, under this key


@dataclass(frozen=True)
class Period:
    """Which seizures to count: seized from `start` to `end` inclusive, in `jurisdiction` (country or region)."""

    start: dt.date | None = None
    end: dt.date | None = None
    jurisdiction: str | None = None

    def countries(self) -> frozenset[str] | None:
        if not self.jurisdiction:
            return None
        return jurisdictions.expand([self.jurisdiction])


def period(start: str | None, end: str | None, jurisdiction: str | None) -> Period:
    """Parse filters as users type them. Raises ValidationFailed naming each bad field."""
    problems: list[Problem] = []
    days: list[dt.date | None] = []
    for name, value in (("start", start), ("end", end)):
        if not value:
            days.append(None)
            continue
        try:
            days.append(dt.date.fromisoformat(value))
        except ValueError:
            problems.append(Problem(name, f"{value!r} is not a date (YYYY-MM-DD)"))
            days.append(None)
    code = (jurisdiction or "").strip().upper() or None
    if code is not None and not jurisdictions.is_valid(code):
        problems.append(Problem("jurisdiction", f"unknown country or region {jurisdiction!r}"))
    if days[0] and days[1] and days[0] > days[1]:
        problems.append(Problem("end", "is before start"))
    if problems:
        raise ValidationFailed(problems)
    return Period(days[0], days[1], code)


@dataclass(frozen=True)
class Row:
    """One cell of a breakdown: seizures whose `dimension` is `value`, in one currency."""

    dimension: str
    value: str
    currency: str
    procedures: int
    articles: int
    retail_value_cents: int


@dataclass
class Statistics:
    period: Period
    procedures: int = 0
    articles: int = 0
    retail_value_cents: dict[str, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def breakdown(self, dimension: str) -> list[Row]:
        return [r for r in self.rows if r.dimension == dimension]


def visible(ctx: accounts.Context) -> Select[Seizure]:
    """The seizures the signed-in user may count (see the module docstring for the rule)."""
    q = select(Seizure)
    a = ctx.actor
    if a is None:
        return q.where(Seizure.id.is_(None))
    if a.role == Role.ADMIN or a.org_kind in AUTHORITIES:
        return q
    if a.org_kind == OrgKind.RIGHTS_HOLDER:
        own = select(Detention.id).where(Detention.holder_id == a.organisation_id)
        return q.where(Seizure.detention_id.in_(own))
    return q.where(Seizure.id.is_(None))


def _filtered(ctx: accounts.Context, p: Period) -> Select[Seizure]:
    q = visible(ctx)
    if p.start is not None:
        q = q.where(Seizure.seized_on >= p.start)
    if p.end is not None:
        q = q.where(Seizure.seized_on <= p.end)
    countries = p.countries()
    if countries is not None:
        q = q.where(Seizure.country.in_(sorted(countries)))
    return q


def statistics(ctx: accounts.Context, p: Period) -> Statistics:
    """Totals and every breakdown of the seizures in `p` that the user may see (one grouped query each)."""
    base = _filtered(ctx, p).subquery()
    out = Statistics(p)
    totals = ctx.session.execute(
        select(base.c.currency, func.count(), func.sum(base.c.quantity), func.sum(base.c.retail_value_cents))
        .group_by(base.c.currency)
        .order_by(base.c.currency)
    )
    for currency, n, articles, value in totals:
        out.procedures += int(n)
        out.articles += int(articles or 0)
        out.retail_value_cents[currency] = int(value or 0)
    for dim in DIMENSIONS:
        col = base.c[dim]
        grouped = ctx.session.execute(
            select(col, base.c.currency, func.count(), func.sum(base.c.quantity), func.sum(base.c.retail_value_cents))
            .group_by(col, base.c.currency)
        )
        rows = [
            Row(dim, value or UNKNOWN, currency, int(n), int(articles or 0), int(retail or 0))
            for value, currency, n, articles, retail in grouped
        ]
        # Largest first, as the report lists them; ties by name so the order is stable.
        out.rows += sorted(rows, key=lambda r: (-r.procedures, -r.articles, r.value, r.currency))
    return out


def seizures(ctx: accounts.Context, p: Period, limit: int = 500) -> list[Seizure]:
    """The non-nominal seizure records behind the figures, newest first."""
    q = _filtered(ctx, p).order_by(Seizure.seized_on.desc(), Seizure.goods_id).limit(limit)
    return list(ctx.session.scalars(q))


CSV_COLUMNS = ("dimension", "value", "currency", "procedures", "articles", "retail_value")


def to_csv(stats: Statistics) -> str:
    """Every breakdown as one table; retail value in currency units with two decimals."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for currency, cents in sorted(stats.retail_value_cents.items()):
        n = sum(r.procedures for r in stats.breakdown("country") if r.currency == currency)
        a = sum(r.articles for r in stats.breakdown("country") if r.currency == currency)
        w.writerow(("total", "all", currency, n, a, f"{cents / 100:.2f}"))
    for r in stats.rows:
        w.writerow((r.dimension, r.value, r.currency, r.procedures, r.articles, f"{r.retail_value_cents / 100:.2f}"))
    return buf.getvalue()
