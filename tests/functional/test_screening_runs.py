"""Screening against the node: the rights basis (applications for action in force), runs kept on the node,
and the way from a hit to a detention."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ipec.customs.models import Application
from ipec.db.session import make_engine
from ipec.rights.models import Right
from tests.conftest import Node


def recorded_right(node: Node, country: str) -> Right:
    """A right under a granted application for action asking action in `country`, protected there."""
    with Session(make_engine(node.settings.database_url)) as s:
        for app in s.query(Application).filter(Application.status == "granted").order_by(Application.reference):
            if country not in app.countries:
                continue
            for pk in app.right_ids:
                right = s.get(Right, pk)
                if right is not None and any(c.nice_class == 25 for c in right.classes):
                    s.expunge(right)
                    return right
    raise AssertionError("the demo has no recorded clothing right")


def declaration(right: Right, destination: str = "FR") -> dict[str, object]:
    return {"declaration_id": "MAN-1", "description": f"mens jacket {right.mark} style", "hs_code": "620193",
            "origin": "CN", "destination": destination, "consignor": "Ningbo Export Co",
            "consignee": "Paul Martin", "quantity": 12, "value": 240, "currency": "EUR"}


def test_api_run_is_kept_and_readable_by_its_organisation_only(node: Node) -> None:
    right = recorded_right(node, "FR")
    node.login("officer.fr")
    r = node.client.post("/api/v1/screening", json={"declarations": [declaration(right)]})  # type: ignore[attr-defined]
    assert r.status_code == 200, r.text
    body = r.json()
    assert [h["right_id"] for h in body["hits"]] == [right.right_id]
    kept = node.client.get(f"/api/v1/screening/runs/{body['run_id']}").json()  # type: ignore[attr-defined]
    assert kept["rights_basis"] == "recorded" and kept["hit_count"] == 1
    assert kept["hits"][0]["matched"].upper() == right.mark
    node.logout()
    node.login("officer.de")
    assert node.client.get(f"/api/v1/screening/runs/{body['run_id']}").status_code == 404  # type: ignore[attr-defined]


def test_a_right_is_screened_only_where_its_application_asks_for_action(node: Node) -> None:
    right = recorded_right(node, "FR")
    with Session(make_engine(node.settings.database_url)) as s:
        asked = {c for a in s.query(Application).filter(Application.status == "granted")
                 if right.id in a.right_ids for c in a.countries}
    elsewhere = next(c for c in ("SE", "FI", "AT", "PT", "GR", "IE") if c not in asked)
    node.login("officer.fr")
    r = node.client.post("/api/v1/screening", json={"declarations": [declaration(right, elsewhere)]})  # type: ignore[attr-defined]
    assert r.json()["hits"] == []


def test_the_page_offers_to_detain_from_a_hit(node: Node) -> None:
    right = recorded_right(node, "FR")
    node.login("officer.fr")
    header = "declaration_id,description,hs_code,origin,destination,consignor,consignee,quantity,value,currency\n"
    d = declaration(right)
    row = ",".join(str(d[k]) for k in header.strip().split(",")) + "\n"
    page = node.client.post("/screening?lang=en", files={"file": ("m.csv", header + row, "text/csv")})  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert "/customs/detentions-new?declaration_id=MAN-1" in page.text and f"right_id={right.right_id}" in page.text
    assert "Kept on this node as run" in page.text
    assert "rights under an application for action" in page.text  # the officer is told what was screened against
    again = node.client.get("/screening?lang=en").text  # type: ignore[attr-defined]
    assert "Recent runs of my organisation" in again
    detain = node.client.get(f"/customs/detentions-new?declaration_id=MAN-1&right_id={right.right_id}"  # type: ignore[attr-defined]
                             f"&description=jacket&hs_code=620193&origin=CN").text
    with Session(make_engine(node.settings.database_url)) as s:
        covering = [a.id for a in s.query(Application).filter(Application.status == "granted")
                    if right.id in a.right_ids and "FR" in a.countries]
    assert any(f'<option value="{pk}" selected>' in detain for pk in covering)
    assert f'value="MAN-1:{right.right_id}"' in detain
