"""Customs through the real HTTP path on the demo node: the holder answers a notice within its clock, the officer
sees the detention move on, restricted product data stays with the chosen authorities, and the statistics match
the records they come from (recomputed here independently, from detentions and their steps)."""

from __future__ import annotations

import collections
import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipec.accounts.models import Organisation
from ipec.customs import profiles
from ipec.customs.models import Application, Detention
from ipec.db.session import make_engine
from tests.conftest import Node


def api(node: Node) -> Any:
    return node.client


def rows(node: Node, model: Any) -> list[Any]:
    engine = make_engine(node.settings.database_url)
    try:
        with Session(engine) as s:
            found = list(s.scalars(select(model)))
            for r in found:
                if isinstance(r, Detention):
                    _ = r.steps  # load before the session closes
            s.expunge_all()
            return found
    finally:
        engine.dispose()


def notified_fr_detention(node: Node) -> dict[str, Any]:
    node.login("holder.aurelia")
    found = [d for d in api(node).get("/api/v1/customs/detentions").json()
             if d["country"] == "FR" and d["state"] == "notified"]
    assert found, "the demo has a notified French detention for Aurelia"
    return found[0]  # type: ignore[no-any-return]


def test_holder_answers_within_its_clock_and_the_officer_sees_the_detention_move_on(node: Node) -> None:
    d = notified_fr_detention(node)
    detail = api(node).get(f"/api/v1/customs/detentions/{d['id']}").json()
    assert detail["party"] == "holder"
    # Opened on Mon 23 Nov 2026, notified on the 24th: 10 French working days end on Tue 8 Dec.
    assert detail["deadlines"]["holder_response_due"] == "2026-12-08"
    assert detail["days_left"]["holder_response_due"] == 7
    assert "declarant_name" not in detail or detail["declarant_name"] is None
    assert set(detail["moves"]) == {"holder_confirms", "holder_starts_proceedings", "holder_lets_go"}

    r = api(node).post(f"/api/v1/customs/detentions/{d['id']}/moves", json={"move": "holder_confirms"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "notified"
    assert r.json()["steps"][-1]["name"] == "holder_confirms"

    again = api(node).post(f"/api/v1/customs/detentions/{d['id']}/moves", json={"move": "holder_confirms"})
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")

    node.logout()
    node.login("officer.fr")
    seen = api(node).get(f"/api/v1/customs/detentions/{d['id']}").json()
    assert seen["party"] == "customs" and seen["declarant_name"]
    assert "declarant_agrees" in seen["moves"]
    done = api(node).post(f"/api/v1/customs/detentions/{d['id']}/moves", json={"move": "declarant_agrees"}).json()
    assert (done["state"], done["outcome"]) == ("destroyed", "destroyed_with_agreement")
    seizures = api(node).get("/api/v1/customs/seizures", params={"start": "2026-11-27"}).json()
    assert d["goods_id"] in {s["goods_id"] for s in seizures}
    assert all("declarant" not in k for s in seizures for k in s)


def test_a_holder_is_not_shown_a_small_consignment_before_the_declarant_objects(node: Node) -> None:
    small = next(d for d in rows(node, Detention) if d.state == "small_consignment_notified")
    node.login("holder.voltaris")
    assert small.id not in {d["id"] for d in api(node).get("/api/v1/customs/detentions").json()}
    assert api(node).get(f"/api/v1/customs/detentions/{small.id}").status_code == 403


def test_another_countrys_officer_cannot_act_and_overdue_items_are_listed(node: Node) -> None:
    node.login("officer.de")
    d = next(x for x in rows(node, Detention) if x.country == "FR" and not x.closed)
    assert api(node).post(f"/api/v1/customs/detentions/{d.id}/moves", json={"move": "release"}).status_code == 403
    node.logout()
    node.login("officer.fr")
    overdue = api(node).get("/api/v1/customs/detentions", params={"overdue": "true"}).json()
    assert [o["overdue"] for o in overdue] == [{"notification_due": "2026-11-24"}]


def test_restricted_product_guide_is_only_for_the_chosen_authorities(node: Node) -> None:
    # Aurelia's application asks for action in FR, DE, NL and ES but shows its guide to FR and DE customs only.
    aurelia = next(a for a in rows(node, Application) if a.restricted and a.country == "FR" and a.status == "granted")
    assert "NL" in aurelia.countries
    node.login("officer.nl")
    r = api(node).get(f"/api/v1/customs/applications/{aurelia.id}/product-guide")
    assert r.status_code == 403
    node.logout()
    node.login("officer.fr")
    guide = api(node).get(f"/api/v1/customs/applications/{aurelia.id}/product-guide")
    assert guide.status_code == 200 and guide.json()["counterfeit_clues"]


def test_bad_input_names_the_field(node: Node) -> None:
    node.login("officer.fr")
    r = api(node).get("/api/v1/customs/statistics", params={"start": "2026-13-01", "jurisdiction": "XX"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"start", "jurisdiction"}
    bad = api(node).post("/api/v1/customs/detentions", json={"goods": {
        "description": "bags", "quantity": 0, "product_category": "bags", "ipr_type": "trademark",
        "transport_mode": "sea", "traffic": "freight"}})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"goods.quantity", "goods.product_category"}


# --- statistics, recomputed independently --------------------------------------------------------------------


def recompute(node: Node, start: str, end: str, countries: set[str] | None, holder_id: str | None = None
              ) -> dict[tuple[str, str], tuple[int, int, int]]:
    """From detentions and their step history: goods count once they have reached a state the profile marks as
    a seizure, dated by the first step into such a state."""
    out: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for d in rows(node, Detention):
        prof = profiles.load(d.profile)
        kept = [s for s in d.steps if prof.states[s.after].seizure]
        if not kept or (holder_id is not None and d.holder_id != holder_id):
            continue
        day = min(s.on for s in kept).isoformat()
        if not (start <= day <= end) or (countries is not None and d.country not in countries):
            continue
        for dim, value in (("product_category", d.product_category), ("provenance", d.provenance),
                           ("transport_mode", d.transport_mode), ("traffic", d.traffic), ("ipr_type", d.ipr_type),
                           ("outcome", d.outcome), ("procedure", d.path), ("country", d.country),
                           ("total", "all")):
            cell = out[(dim, value or "unknown")]
            cell[0] += 1
            cell[1] += d.quantity
            cell[2] += d.retail_value_cents
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def from_api(stats: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int, int]]:
    got = {(r["dimension"], r["value"]): (r["procedures"], r["articles"], r["retail_value_cents"])
           for r in stats["rows"]}
    got[("total", "all")] = (stats["procedures"], stats["articles"], sum(stats["retail_value_cents"].values()))
    return got


def test_statistics_match_the_records(node: Node) -> None:
    node.login("coordinator")
    stats = api(node).get("/api/v1/customs/statistics", params={"start": "2026-01-01", "end": "2026-12-31"}).json()
    expected = recompute(node, "2026-01-01", "2026-12-31", None)
    assert stats["procedures"] > 50
    assert from_api(stats) == expected

    eu = api(node).get("/api/v1/customs/statistics",
                       params={"start": "2026-06-01", "end": "2026-11-27", "jurisdiction": "EU"}).json()
    members = {"FR", "DE", "NL", "ES"}
    assert from_api(eu) == recompute(node, "2026-06-01", "2026-11-27", members)
    assert {r["value"] for r in eu["rows"] if r["dimension"] == "country"} <= members


def test_statistics_count_only_what_the_user_may_see(node: Node) -> None:
    node.login("holder.kronberg")
    holder_id = next(o.id for o in rows(node, Organisation) if o.name == "Kronberg Uhren AG")
    mine = api(node).get("/api/v1/customs/statistics", params={"start": "2025-01-01", "end": "2026-12-31"}).json()
    assert from_api(mine) == recompute(node, "2025-01-01", "2026-12-31", None, holder_id)
    node.logout()
    node.login("coordinator")
    everyone = api(node).get("/api/v1/customs/statistics", params={"start": "2025-01-01", "end": "2026-12-31"}).json()
    assert 0 < mine["procedures"] < everyone["procedures"]


def test_csv_export_has_the_same_figures(node: Node) -> None:
    node.login("coordinator")
    params = {"start": "2026-01-01", "end": "2026-12-31"}
    stats = api(node).get("/api/v1/customs/statistics", params=params).json()
    r = api(node).get("/api/v1/customs/statistics.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    total = next(t for t in table if t["dimension"] == "total")
    assert int(total["procedures"]) == stats["procedures"] and int(total["articles"]) == stats["articles"]
    shoes = [t for t in table if t["dimension"] == "product_category"]
    assert sum(int(t["procedures"]) for t in shoes) == stats["procedures"]
    assert abs(sum(float(t["retail_value"]) for t in shoes) * 100 - sum(stats["retail_value_cents"].values())) < 1
