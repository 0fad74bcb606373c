"""Customs pages: the officer's queue with its clocks, the holder's answer to a notice, the analyst's statistics
(server side through TestClient, and in Chromium as people use them)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveNode, Node, sign_in


def client(node: Node) -> Any:
    return node.client


def test_the_officer_queue_shows_clocks_and_overdue_items(node: Node) -> None:
    node.login("officer.fr")
    html = client(node).get("/customs?lang=en").text
    assert 'id="overdue-count">1<' in html
    # The detention whose notification was forgotten is flagged, with the deadline it missed.
    assert 'class="overdue"' in html and "Notification due (2026-11-24)" in html
    assert "Working days left" in html


def test_the_holder_answers_a_notice_from_its_page(node: Node) -> None:
    node.login("holder.aurelia")
    rows = client(node).get("/api/v1/customs/detentions").json()
    d = next(x for x in rows if x["state"] == "notified" and x["country"] == "FR")
    page = client(node).get(f"/customs/detentions/{d['id']}?lang=en").text
    assert "7 working days left" in page
    assert "Confirm infringement and agree to destruction" in page
    assert "@example.net" not in page and "Declarant:" not in page  # the declarant is for customs only
    r = client(node).post(f"/customs/detentions/{d['id']}/moves", data={"move": "holder_confirms"},
                          follow_redirects=False)
    assert r.status_code == 303
    after = client(node).get(r.headers["location"] + "&lang=en").text
    assert "Recorded." in after and "Confirm infringement and agree to destruction →" in after


def test_the_statistics_page_draws_with_vendored_scripts(node: Node) -> None:
    node.login("coordinator")
    html = client(node).get("/customs/statistics?start=2026-01-01&end=2026-12-31&lang=fr").text
    for script in ("vega-5.33.1.min.js", "vega-lite-5.23.0.min.js", "vega-embed-6.29.0.min.js"):
        assert f'src="/static/vendor/{script}"' in html
        assert client(node).get(f"/static/vendor/{script}").status_code == 200
    assert "https://cdn" not in html
    assert html.count('class="customs-chart"') == 8
    assert "/api/v1/customs/statistics.csv?start=2026-01-01&amp;end=2026-12-31" in html
    assert "Statistiques douanières" in html


@pytest.mark.browser
def test_holder_confirms_in_chromium_and_the_officer_sees_it_move_on(page, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "holder.aurelia")
    page.get_by_role("link", name="Customs", exact=True).click()
    page.wait_for_url("**/customs")
    row = page.locator("#queue tbody tr", has_text="wallets")
    assert row.locator("td").nth(3).inner_text().strip() == "7"
    row.locator("a").click()
    goods_id = page.locator("h1").inner_text().removeprefix("Detention ").strip()
    days = page.locator('#clock tr[data-deadline="holder_response_due"] .days-left').inner_text()
    assert days == "7 working days left"
    page.get_by_role("button", name="Confirm infringement and agree to destruction").click()
    page.wait_for_url("**done=holder_confirms")
    assert page.get_by_role("status").inner_text() == "Recorded."
    # Confirming once is enough: the button is gone.
    assert page.get_by_role("button", name="Confirm infringement and agree to destruction").count() == 0
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_node.url, "officer.fr")
    page.goto(f"{live_node.url}/customs?lang=en")
    page.get_by_role("link", name=goods_id).click()
    assert "holder" in page.locator("#steps tbody tr").last.inner_text()
    page.get_by_role("button", name="Record: declarant agrees to destruction").click()
    page.wait_for_url("**done=declarant_agrees")
    assert page.locator("#state").inner_text() == "destroyed"
    assert page.locator("#outcome").inner_text() == "destroyed with agreement"
    page.goto(f"{live_node.url}/customs/statistics?lang=en")
    page.wait_for_selector("#chart-product_category[data-drawn=yes] svg")


def test_the_dashboard_shows_overdue_detentions(node: Node) -> None:
    node.login("officer.fr")
    html = client(node).get("/?lang=en").text
    assert '<a class="tile bad" href="/customs"><span class="num">1</span><span>overdue detentions</span>' in html
    node.logout()
    node.login("analyst.fr")  # police: no detention queue, no customs tiles
    assert "overdue detentions" not in client(node).get("/?lang=en").text
