"""POST /api/v1/screening and the file upload, against the demo node's register."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ipec.db.session import make_engine
from ipec.rights.services import screening_rights


def a_right(node: object) -> dict[str, object]:
    """A demo right with a one-word mark of 5+ letters, EU or FR protection and a clothing/bag/watch class."""
    engine = make_engine(node.settings.database_url)  # type: ignore[attr-defined]
    with Session(engine) as session:
        rights = screening_rights(session)
    engine.dispose()
    for r in rights:
        mark = str(r["mark"])
        if mark.isalpha() and len(mark) >= 5 and {"EU", "FR"} & set(r["jurisdictions"]) and 25 in r["nice_classes"]:
            return r
    raise AssertionError("the demo has no clothing mark protected in France")


def declaration(ident: str, description: str, **extra: str) -> dict[str, str]:
    return {"declaration_id": ident, "description": description, "hs_code": "620342", "origin": "CN",
            "destination": "FR", "consignor": "Shenzhen Export Co", "consignee": "Jean Dupont", **extra}


def leet(mark: str) -> str:
    return mark.upper().replace("O", "0", 1).replace("E", "3", 1).replace("A", "4", 1).replace("I", "1", 1)


def test_officer_screens_json_declarations(node: object) -> None:
    right = a_right(node)
    node.login("officer.fr")  # type: ignore[attr-defined]
    disguised = leet(str(right["mark"]))
    body = {"declarations": [declaration("D1", f"mens trousers {disguised} style"), declaration("D2", "cotton socks")]}
    r = node.client.post("/api/v1/screening", json=body)  # type: ignore[attr-defined]
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["screened"] == 2
    hit = next(h for h in out["hits"] if h["right_id"] == right["right_id"])
    assert hit["declaration_id"] == "D1"
    assert hit["matched"] == disguised
    assert body["declarations"][0]["description"][hit["start"] : hit["end"]] == disguised
    assert hit["reasons"][1] == "goods HS 620342 → class 25"
    assert all(h["declaration_id"] == "D1" for h in out["hits"])


def test_a_bad_declaration_refuses_the_batch(node: object) -> None:
    node.login("officer.fr")  # type: ignore[attr-defined]
    body = {"declarations": [declaration("D1", "socks"), declaration("D2", "socks", destination="ZZ", hs_code="12")]}
    r = node.client.post("/api/v1/screening", json=body)  # type: ignore[attr-defined]
    assert r.status_code == 422
    text = r.text
    assert "destination" in text and "'ZZ' is not an ISO 3166 alpha-2 country" in text
    assert "hs_code" in text


def test_holder_may_not_screen(node: object) -> None:
    node.login("holder.aurelia")  # type: ignore[attr-defined]
    r = node.client.post("/api/v1/screening", json={"declarations": [declaration("D1", "socks")]})  # type: ignore[attr-defined]
    assert r.status_code == 403


def test_anonymous_may_not_screen(node: object) -> None:
    r = node.client.post("/api/v1/screening", json={"declarations": [declaration("D1", "socks")]})  # type: ignore[attr-defined]
    assert r.status_code == 401


def test_file_upload_with_skip_invalid(node: object) -> None:
    right = a_right(node)
    node.login("officer.fr")  # type: ignore[attr-defined]
    csv_text = (
        "declaration_id,description,hs_code,origin,destination,consignor,consignee,quantity,value,currency\n"
        f"D1,{str(right['mark']).lower()} jacket,620342,CN,FR,Shenzhen Export Co,Jean Dupont,1,10,EUR\n"
        "D2,socks,620342,CN,QQ,A,B,1,10,EUR\n"
    )
    files = {"file": ("declarations.csv", csv_text.encode(), "text/csv")}
    refused = node.client.post("/api/v1/screening/file", files=files)  # type: ignore[attr-defined]
    assert refused.status_code == 422
    r = node.client.post("/api/v1/screening/file?skip_invalid=true", files=files)  # type: ignore[attr-defined]
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["screened"] == 1
    assert right["right_id"] in {h["right_id"] for h in out["hits"]}
    reason = "'QQ' is not an ISO 3166 alpha-2 country"
    assert out["rejected"] == [{"line": 3, "column": "destination", "reason": reason}]
