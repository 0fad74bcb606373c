"""An officer opens a detention from the page, prefilled from a screening hit."""

from __future__ import annotations

import re

from tests.conftest import Node


def test_an_officer_detains_goods_from_a_screening_hit(node: Node) -> None:
    node.login("officer.fr")
    form = node.client.get("/customs/detentions-new", params={  # type: ignore[attr-defined]
        "declaration_id": "D-77", "right_id": "EUTM-X", "description": "sneakers STR1DEWELL", "hs_code": "640411",
        "origin": "cn", "quantity": "40", "value": "800", "currency": "EUR", "consignee": "Jean Dupont"})
    assert form.status_code == 200
    page = form.text
    assert 'value="D-77:EUTM-X"' in page
    assert re.search(r'<option value="shoes" selected>', page)  # HS 64 proposes the "shoes" category
    created = node.client.post("/customs/detentions-new", data={  # type: ignore[attr-defined]
        "screening_hit_id": "D-77:EUTM-X", "description": "sneakers STR1DEWELL", "quantity": "40",
        "product_category": "shoes", "ipr_type": "trademark", "transport_mode": "express_courier",
        "traffic": "freight", "provenance": "CN", "retail_value": "800", "currency": "EUR",
        "declarant_name": "Jean Dupont", "application_id": ""}, follow_redirects=False)
    assert created.status_code == 303, created.text
    detail = node.client.get(created.headers["location"]).text  # type: ignore[attr-defined]
    assert "sneakers STR1DEWELL" in detail


def test_bad_goods_are_explained_and_nothing_is_detained(node: Node) -> None:
    node.login("officer.fr")
    before = node.client.get("/api/v1/customs/detentions").json()  # type: ignore[attr-defined]
    r = node.client.post("/customs/detentions-new", data={  # type: ignore[attr-defined]
        "description": "", "quantity": "many", "product_category": "shoes", "ipr_type": "trademark",
        "transport_mode": "postal", "traffic": "freight"})
    assert r.status_code == 422 and "quantity: &#39;many&#39; is not a number" in r.text
    after = node.client.get("/api/v1/customs/detentions").json()  # type: ignore[attr-defined]
    assert len(after) == len(before)


def test_only_customs_officers_may_detain(node: Node) -> None:
    node.login("holder.aurelia")
    r = node.client.post("/customs/detentions-new", data={  # type: ignore[attr-defined]
        "description": "bags", "quantity": "2", "product_category": "personal_accessories", "ipr_type": "trademark",
        "transport_mode": "postal", "traffic": "freight"})
    assert r.status_code == 403
