"""Notices over HTTP on a demo node: issue, read, acknowledge, labels in three languages, export, counts,
subscriptions, the live stream, and refusals that name the field and reason."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.conftest import Node

MO = {
    "type": "modus_operandi", "title": "Handbags inside hollow furniture", "language": "en",
    "body": "Handbags packed inside hollow table legs, declared as flat-pack furniture.",
    "product_categories": ["clothing_accessories"], "hs_chapters": [42, 94], "jurisdictions": ["FR"],
    "route": {"origin": "CN", "transit": ["TR"], "destination": "FR"},
}


def _org_id(node: Node, name: str) -> str:
    orgs = node.client.get("/api/v1/organisations").json()  # type: ignore[attr-defined]
    items = orgs["items"] if isinstance(orgs, dict) else orgs
    return str(next(o["id"] for o in items if o["name"] == name))


def _issue(node: Node, **marking: Any) -> dict[str, Any]:
    node.login("officer.fr")
    r = node.client.post("/api/v1/notices", json={**MO, "marking": marking})  # type: ignore[attr-defined]
    assert r.status_code == 201, r.text
    node.logout()
    return dict(r.json())


def test_issue_and_read_with_labels_in_the_readers_language(node: Node) -> None:
    n = _issue(node, tlp="AMBER", audience="all_participants")
    node.login("analyst.es")
    r = node.client.get(f"/api/v1/notices/{n['id']}", params={"lang": "es"})  # type: ignore[attr-defined]
    body = r.json()
    assert body["type"] == {"code": "modus_operandi", "label": "Modus operandi"}
    assert body["colour"]["code"] == "purple"
    assert body["product_categories"][0]["label"] == "Ropa y accesorios"
    assert [c["label"] for c in [body["route"]["origin"], *body["route"]["transit"], body["route"]["destination"]]] \
        == ["China", "Turquía", "Francia"]
    assert body["body"] == MO["body"]  # free text stays as written
    assert body["read_at"] is not None and body["acknowledged_at"] is None
    fr = node.client.get(f"/api/v1/notices/{n['id']}", params={"lang": "fr"}).json()  # type: ignore[attr-defined]
    assert fr["type"]["label"] == "Mode opératoire" and fr["route"]["destination"]["label"] == "France"
    ack = node.client.post(f"/api/v1/notices/{n['id']}/acknowledge").json()  # type: ignore[attr-defined]
    assert ack["acknowledged_at"] is not None
    node.logout()
    node.login("officer.fr")
    readers = node.client.get(f"/api/v1/notices/{n['id']}/readers").json()  # type: ignore[attr-defined]
    assert [(x["user"], x["acknowledged_at"] is not None) for x in readers] == [("Javier López", True)]


def test_a_user_outside_the_audience_finds_no_trace(node: Node) -> None:
    bka = _org_id_via_login(node, "Bundeskriminalamt – IP crime (DE)")
    n = _issue(node, tlp="AMBER", audience="named_organisations", recipients=[bka])
    for username, may in (("analyst.de", True), ("analyst.es", False), ("holder.aurelia", False), ("viewer", False)):
        node.login(username)
        c = node.client
        listed = [i["id"] for i in c.get("/api/v1/notices", params={"limit": 500}).json()["items"]]  # type: ignore[attr-defined]
        assert (n["id"] in listed) is may, username
        found = c.get("/api/v1/notices", params={"q": "hollow furniture"}).json()  # type: ignore[attr-defined]
        assert found["total"] == (1 if may else 0), username
        assert (c.get(f"/api/v1/notices/{n['id']}").status_code == 200) is may  # type: ignore[attr-defined]
        exported = c.get("/api/v1/notices/export", params={"format": "csv"}).text  # type: ignore[attr-defined]
        assert (n["reference"] in exported) is may, username
        stats = c.get("/api/v1/notices/stats").json()  # type: ignore[attr-defined]
        assert ("clothing_accessories" in stats["by_category"] and stats["by_category"]["clothing_accessories"] >= 1
                ) or not may
        node.logout()


def _org_id_via_login(node: Node, name: str) -> str:
    node.login("admin")
    try:
        return _org_id(node, name)
    finally:
        node.logout()


def test_counts_only_count_what_the_reader_may_see(node: Node) -> None:
    node.login("analyst.es")
    before = node.client.get("/api/v1/notices/unread-count").json()  # type: ignore[attr-defined]
    node.logout()
    _issue(node, tlp="AMBER", audience="own_organisation")
    _issue(node, tlp="AMBER", audience="all_participants")
    node.login("analyst.es")
    after = node.client.get("/api/v1/notices/unread-count").json()  # type: ignore[attr-defined]
    assert after == {"unread": before["unread"] + 1, "total": before["total"] + 1}


def test_export_carries_the_marking(node: Node) -> None:
    n = _issue(node, tlp="GREEN", handling="H2", audience="all_participants", source_reliability="B",
               information_reliability=2)
    node.login("officer.de")
    text = node.client.get("/api/v1/notices/export").text  # type: ignore[attr-defined]
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == n["id"])
    assert (row["tlp"], row["handling"], row["source_reliability"], row["information_reliability"]) == \
        ("GREEN", "H2", "B", "2")
    assert row["route"] == "CN > TR > FR"


def test_bad_input_names_the_field_and_reason(node: Node) -> None:
    node.login("officer.fr")
    bad = {**MO, "type": "rumour", "hs_chapters": [77], "route": {"origin": "XX"}, "right_ids": ["NOPE-1"],
           "marking": {"tlp": "PINK", "audience": "group", "handling": "H3"}}
    r = node.client.post("/api/v1/notices", json=bad)  # type: ignore[attr-defined]
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"type", "hs_chapters", "route.origin", "right_ids", "marking.tlp", "marking.recipients",
            "marking.group_name", "marking.handling_note"} <= fields


def test_only_authorities_issue_notices(node: Node) -> None:
    for username in ("holder.aurelia", "viewer"):
        node.login(username)
        r = node.client.post("/api/v1/notices", json={**MO, "marking": {}})  # type: ignore[attr-defined]
        assert r.status_code == 403, username
        node.logout()


def test_subscriptions_belong_to_their_user(node: Node) -> None:
    node.login("analyst.es")
    r = node.client.post("/api/v1/notices/subscriptions", json={  # type: ignore[attr-defined]
        "name": "Bags", "product_categories": ["clothing_accessories"],
        "webhook_url": "https://hooks.example/ipec"})
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["webhook_secret"]
    empty = node.client.post("/api/v1/notices/subscriptions", json={"name": "Everything"})  # type: ignore[attr-defined]
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "criteria"
    node.logout()
    node.login("analyst.de")
    assert node.client.delete(f"/api/v1/notices/subscriptions/{sub['id']}").status_code == 403  # type: ignore[attr-defined]
    node.logout()
    node.login("analyst.es")
    assert node.client.delete(f"/api/v1/notices/subscriptions/{sub['id']}").status_code == 204  # type: ignore[attr-defined]


def test_live_stream_pushes_only_visible_notices(node: Node) -> None:
    node.login("analyst.de")
    page = node.client.get("/notices")  # type: ignore[attr-defined]
    assert 'sse-connect="/notices/stream?after=' in page.text
    after = page.text.split('sse-connect="/notices/stream?after=')[1].split("&")[0]
    node.logout()
    hidden = _issue(node, tlp="AMBER", audience="own_organisation")
    shown = _issue(node, tlp="AMBER", audience="all_participants")
    node.login("analyst.de")
    events: list[str] = []
    with node.client.stream("GET", f"/notices/stream?after={after}&lang=fr") as r:  # type: ignore[attr-defined]
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            events.append(line)
            if line.startswith("event: unread"):
                break
    text = "\n".join(events)
    assert shown["id"] in text and hidden["id"] not in text
    assert "Mode opératoire" in text  # structured parts in the reader's language
