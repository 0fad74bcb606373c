"""The rights register through /api/v1: search modes, filters, cursor pagination, writes, import, errors."""

from __future__ import annotations

from tests.conftest import Node


def search(node: Node, **params: object) -> dict:  # type: ignore[type-arg]
    r = node.client.get("/api/v1/rights", params=params)  # type: ignore[attr-defined]
    assert r.status_code == 200, r.text
    return r.json()


def test_health_and_openapi_are_published(node: Node) -> None:
    health = node.client.get("/api/v1/health").json()  # type: ignore[attr-defined]
    assert health == {"status": "ok", "version": "0.1.0", "database": "sqlite", "database_ok": True}
    spec = node.client.get("/api/v1/openapi.json").json()  # type: ignore[attr-defined]
    assert "/api/v1/rights" in spec["paths"] and "/api/v1/rights/{right_pk}" in spec["paths"]


def test_search_exact_prefix_and_fuzzy(node: Node) -> None:
    node.login("officer.fr")
    exact = search(node, q="kronberg", mode="exact")
    assert exact["total"] == 5 and {i["mark"] for i in exact["items"]} == {"KRONBERG"}
    prefix = search(node, q="KRONB", mode="prefix")
    assert {i["mark"] for i in prefix["items"]} == {"KRONBERG", "KRONBERG CHRONOMAT"}
    assert prefix["total"] == 10
    # A typo: "KRONBREG" (transposition) finds KRONBERG, and says it was a fuzzy match.
    fuzzy = search(node, q="kronbreg")
    assert {i["mark"] for i in fuzzy["items"]} == {"KRONBERG"}
    assert all(i["match"].startswith("fuzzy (1 typo") for i in fuzzy["items"])
    # Accents and case do not matter.
    assert search(node, q="lumière d'aurelia", mode="exact")["total"] == 5


def test_filters_by_class_jurisdiction_holder_and_kind(node: Node) -> None:
    node.login("officer.fr")
    by_class = search(node, nice_class=34, limit=500)
    assert by_class["total"] == 30 and all(any(c["nice_class"] == 34 for c in i["classes"]) for i in by_class["items"])
    # France is covered by EU trade marks: a French officer finds the EU registrations.
    in_fr = search(node, q="MEDIVEX", mode="exact", jurisdiction="FR")
    assert [j["code"] for i in in_fr["items"] for j in i["jurisdictions"]] == ["EU"]
    in_ae = search(node, q="MEDIVEX", mode="exact", jurisdiction="AE")
    assert in_ae["total"] == 1 and in_ae["items"][0]["madrid_ir_number"]
    holders = node.client.get("/api/v1/organisations", params={"kind": "rights_holder"}).json()  # type: ignore[attr-defined]
    nordlys = next(o for o in holders if o["name"] == "Nordlys Outdoor AS")
    by_holder = search(node, holder=nordlys["id"], limit=500)
    assert by_holder["total"] == 30 and {i["owner_name"] for i in by_holder["items"]} == {"Nordlys Outdoor AS"}
    bad = node.client.get("/api/v1/rights", params={"jurisdiction": "XX"})  # type: ignore[attr-defined]
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "jurisdiction"


def test_cursor_pagination_walks_every_right_once(node: Node) -> None:
    node.login("viewer")
    seen: list[str] = []
    cursor = None
    while True:
        page = search(node, limit=100, **({"cursor": cursor} if cursor else {}))
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 330


def test_a_holder_registers_and_changes_its_own_right(node: Node) -> None:
    node.login("holder.nordlys")
    body = {"right_id": "EUTM-NEW-1", "kind": "trademark", "mark": "Polarnatt", "office": "EUIPO",
            "classes": [{"nice_class": 25, "goods_terms": "jackets"}], "jurisdictions": ["EU"],
            "authorized_parties": ["Nordlys Europe BV"]}
    r = node.client.post("/api/v1/rights", json=body)  # type: ignore[attr-defined]
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["owner_name"] == "Nordlys Outdoor AS" and created["classes"][0]["heading"].startswith("Clothing")
    r = node.client.patch(f"/api/v1/rights/{created['id']}", json={"classes": [{"nice_class": 25}, {"nice_class": 18}]})  # type: ignore[attr-defined]
    assert r.status_code == 200 and [c["nice_class"] for c in r.json()["classes"]] == [18, 25]
    dup = node.client.post("/api/v1/rights", json=body)  # type: ignore[attr-defined]
    assert dup.status_code == 422 and dup.json()["errors"][0]["field"] == "right_id"


def test_bad_input_names_the_field(node: Node) -> None:
    node.login("holder.nordlys")
    r = node.client.post("/api/v1/rights", json={"right_id": "X", "kind": "trademark", "mark": "X",  # type: ignore[attr-defined]
                                                 "classes": [{"nice_class": 50}], "jurisdictions": ["ZZ"]})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in r.json()["errors"]}
    assert "classes.0.nice_class" in fields


def test_import_through_the_api_reports_counts_and_refuses_bad_files(node: Node) -> None:
    node.login("admin")
    csv_text = ("right_id,kind,mark,nice_classes,jurisdictions,owner,authorized_parties\n"
                "NEW-1,trademark,ZEPHYRA,25,FR;DE,Zephyra SAS,\n")
    r = node.client.post("/api/v1/rights/import", files={"file": ("r.csv", csv_text, "text/csv")})  # type: ignore[attr-defined]
    assert r.status_code == 200 and r.json()["created"] == 1 and r.json()["organisations_created"] == ["Zephyra SAS"]
    bad = csv_text + "NEW-2,trademark,ZEPHYRA,99,FR,Zephyra SAS,\n"
    r = node.client.post("/api/v1/rights/import", files={"file": ("r.csv", bad, "text/csv")})  # type: ignore[attr-defined]
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "nice_classes", "reason": "'99' is not a Nice class (1 to 45)", "line": 3}]


def test_figurative_mark_image_is_stored_by_its_hash(node: Node) -> None:
    import hashlib

    node.login("holder.aurelia")
    right = search(node, q="AURELIA", mode="exact")["items"][0]
    png = b"\x89PNG\r\n\x1a\n" + b"fake-image-bytes" * 10
    r = node.client.put(f"/api/v1/rights/{right['id']}/image", files={"file": ("logo.png", png, "image/png")})  # type: ignore[attr-defined]
    assert r.status_code == 200, r.text
    assert r.json()["image_sha256"] == hashlib.sha256(png).hexdigest() and r.json()["mark_type"] == "figurative"
    got = node.client.get(f"/api/v1/rights/{right['id']}/image")  # type: ignore[attr-defined]
    assert got.content == png and got.headers["content-type"] == "image/png"


def test_a_rights_ledger_receipt_verifies_offline_with_only_the_public_key(node: Node, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from ipec.ledger import services as ledger
    from ipec.ledger.cli import app as ledger_cli

    node.login("holder.medivex")
    right = search(node, q="CARDIOLYN", mode="exact")["items"][0]
    node.client.patch(f"/api/v1/rights/{right['id']}", json={"notes": "renewal filed"})  # type: ignore[attr-defined]
    app_state = node.client.app.state  # type: ignore[attr-defined]
    ledger.integrate_pending(app_state.session_factory, app_state.settings, app_state.clock)
    r = node.client.get(f"/rights/{right['id']}/receipt")  # type: ignore[attr-defined]
    assert r.status_code == 200 and r.json()["format"] == "ipec-ledger-receipt/v1"
    receipt = tmp_path / "receipt.json"
    receipt.write_bytes(r.content)
    key = tmp_path / "node.pub"
    key.write_text(node.client.get("/.well-known/ipec/ledger-key").text)  # type: ignore[attr-defined]
    result = CliRunner().invoke(ledger_cli, ["verify", str(receipt), "--key", str(key)])
    assert result.exit_code == 0, result.output
    assert '"type":"right.changed"' in result.output and "CARDIOLYN" in result.output
