"""Statistics on SQLite and PostgreSQL: every breakdown equals a recomputation from the seizure records, filters by
period and jurisdiction hold, and each user counts only what it may see. Also the node's customs scheduler."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipec.config import Settings
from ipec.customs import reports, services, tasks
from ipec.customs.models import Seizure
from ipec.kernel.clock import FixedClock
from tests.integration.customs.test_customs_services import as_, granted, right_a  # noqa: F401  (fixtures)

pytestmark = pytest.mark.backend

CASES = [  # (category, transport, provenance, quantity, cents, answer)
    ("shoes", "sea", "CN", 400, 4_000_000, "agree"),
    ("shoes", "postal", "HK", 6, 60_000, "agree"),
    ("clothing_accessories", "road", None, 30, 90_000, "court"),
    ("body_care", "air", "TR", 12, 24_000, "abandon"),
    ("shoes", "sea", "CN", 50, 500_000, "lets_go"),  # released: no seizure, not counted
]


def _seize_all(as_: Any, granted: Any) -> None:  # noqa: F811
    for category, transport, provenance, quantity, cents, answer in CASES:
        goods = services.Goods(description=f"{quantity} fakes", quantity=quantity, product_category=category,
                               ipr_type="trademark", transport_mode=transport, traffic="freight",
                               provenance=provenance, retail_value_cents=cents)
        row = services.open_detention(as_("officer_fr"), goods=goods, application_id=granted.id)
        services.act(as_("officer_fr"), row.id, "notify")
        if answer == "agree":
            services.act(as_("holder_a"), row.id, "holder_confirms")
            services.act(as_("officer_fr"), row.id, "declarant_agrees")
        elif answer == "court":
            services.act(as_("holder_a"), row.id, "holder_starts_proceedings")
        elif answer == "abandon":
            services.act(as_("officer_fr"), row.id, "abandon")
        else:
            services.act(as_("holder_a"), row.id, "holder_lets_go")


def _recount(session: Session) -> dict[tuple[str, str], tuple[int, int, int]]:
    out: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for s in session.scalars(select(Seizure)):
        for dim in reports.DIMENSIONS:
            cell = out[(dim, getattr(s, dim) or reports.UNKNOWN)]
            cell[0] += 1
            cell[1] += s.quantity
            cell[2] += s.retail_value_cents
    return {k: (a, b, c) for k, (a, b, c) in out.items()}


def test_breakdowns_equal_a_recount_of_the_records(as_: Any, granted: Any, session: Session) -> None:  # noqa: F811
    _seize_all(as_, granted)
    stats = reports.statistics(as_("analyst_fr"), reports.period("2026-11-01", "2026-11-30", "EU"))
    assert (stats.procedures, stats.articles, stats.retail_value_cents) == (4, 448, {"EUR": 4_174_000})
    assert {(r.dimension, r.value): (r.procedures, r.articles, r.retail_value_cents) for r in stats.rows} == \
        _recount(session)
    # Largest first; ties by articles (the court case has 30, the abandoned goods 12).
    assert [(r.value, r.procedures) for r in stats.breakdown("outcome")] == [
        ("destroyed_with_agreement", 2), ("court_proceedings", 1), ("abandoned", 1)]
    assert ("provenance", "unknown") in {(r.dimension, r.value) for r in stats.rows}


def test_filters_and_who_may_see(as_: Any, granted: Any) -> None:  # noqa: F811
    _seize_all(as_, granted)
    assert reports.statistics(as_("analyst_fr"), reports.period("2026-11-28", None, None)).procedures == 0
    assert reports.statistics(as_("analyst_fr"), reports.period(None, None, "US")).procedures == 0
    assert reports.statistics(as_("holder_a"), reports.period(None, None, None)).procedures == 4
    assert reports.statistics(as_("holder_b"), reports.period(None, None, None)).procedures == 0
    csv_text = reports.to_csv(reports.statistics(as_("admin"), reports.period(None, None, "FR")))
    assert csv_text.splitlines()[:2] == ["dimension,value,currency,procedures,articles,retail_value",
                                         "total,all,EUR,4,448,41740.00"]


def test_scheduler_respects_start_background_and_stops_cleanly(session: Session) -> None:
    settings = Settings(customs_tick_minutes=0.001)
    state = SimpleNamespace(settings=settings, session_factory=None, clock=FixedClock(dt.datetime.now(dt.UTC)),
                            start_background=False)
    asyncio.run(tasks.on_startup(state))
    assert not hasattr(state, "customs_scheduler")

    ticks: list[Any] = []

    async def run() -> None:
        state.start_background = True
        original = tasks.run_once
        tasks.run_once = lambda *a: ticks.append(a) or tasks.Report()  # type: ignore[assignment,func-returns-value]
        try:
            await tasks.on_startup(state)
            while not ticks:
                await asyncio.sleep(0.01)
            await tasks.on_shutdown(state)
        finally:
            tasks.run_once = original  # type: ignore[assignment]

    asyncio.run(asyncio.wait_for(run(), timeout=10))
    assert ticks and state.customs_scheduler is None
