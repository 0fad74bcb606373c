"""Notice pages over HTTP on the demo node: what each reader's list shows, the issue form's refusals, the
subscriptions page, and structured parts in the reader's language."""

from __future__ import annotations

from tests.conftest import Node

RED_TITLE = "Courier network moving luxury bags through Paris and Frankfurt"
NATIONAL_ES = "Seller reopening web shops under new names after takedowns"
GREEN_ALL = "Falsified oncology medicines offered to pharmacies"


def test_each_reader_sees_only_the_demo_notices_meant_for_them(node: Node) -> None:
    expectations = {
        "analyst.de": {RED_TITLE: True, NATIONAL_ES: False, GREEN_ALL: True},
        "analyst.es": {RED_TITLE: False, NATIONAL_ES: True, GREEN_ALL: True},
        "holder.aurelia": {RED_TITLE: False, NATIONAL_ES: False, GREEN_ALL: True},
        "viewer": {RED_TITLE: False, NATIONAL_ES: False, GREEN_ALL: True},
    }
    for username, titles in expectations.items():
        node.login(username)
        html = node.client.get("/notices", params={"lang": "en"}).text  # type: ignore[attr-defined]
        for title, shown in titles.items():
            assert (title in html) is shown, f"{username}: {title}"
        node.logout()


def test_structured_parts_follow_the_page_language_and_text_stays_as_written(node: Node) -> None:
    node.login("analyst.fr")
    html = node.client.get("/notices", params={"lang": "fr"}).text  # type: ignore[attr-defined]
    assert "Menace imminente" in html and "Médicaments" in html
    assert GREEN_ALL in html  # the title is free text: not translated


def test_the_issue_form_names_each_refused_field(node: Node) -> None:
    node.login("officer.fr")
    form = node.client.get("/notices/new").text  # type: ignore[attr-defined]
    assert 'name="audience"' in form
    r = node.client.post("/notices/new", data={  # type: ignore[attr-defined]
        "type": "modus_operandi", "title": "", "body": "x", "origin": "ZZ", "tlp": "RED",
        "audience": "all_participants", "hs_chapters": "64"})
    assert r.status_code == 422
    for field in ("title", "route.origin", "jurisdictions", "marking.audience"):
        assert f"<strong>{field}</strong>" in r.text, field


def test_a_holder_is_not_offered_the_issue_form(node: Node) -> None:
    node.login("holder.aurelia")
    assert "/notices/new" not in node.client.get("/notices").text  # type: ignore[attr-defined]
    r = node.client.post("/notices/new", data={"type": "warning", "title": "t", "body": "b",  # type: ignore[attr-defined]
                                               "jurisdictions": "FR"})
    assert r.status_code == 403


def test_subscribing_from_the_page(node: Node) -> None:
    node.login("analyst.es")
    r = node.client.post("/notices/subscriptions", data={  # type: ignore[attr-defined]
        "name": "Tabaco y medicamentos", "product_categories": ["tobacco", "medicines"], "jurisdictions": ["EU"]},
        follow_redirects=True)
    assert r.status_code == 200
    assert "Tabaco y medicamentos" in r.text
    refused = node.client.post("/notices/subscriptions", data={"name": "Todo"})  # type: ignore[attr-defined]
    assert refused.status_code == 422 and "<strong>criteria</strong>" in refused.text
