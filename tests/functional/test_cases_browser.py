"""A case page in Chromium: an officer asks a partner agency to act; another partner sees the case but not a case
outside its audience; the evidence page shows an intact chain of custody."""

from __future__ import annotations

import pytest

from tests.conftest import LiveNode, sign_in

pytestmark = pytest.mark.browser


def test_task_round_trip_on_a_case_page(page, live_node: LiveNode, browser) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "officer.de")
    page.goto(f"{live_node.url}/cases?lang=en")
    page.get_by_role("link", name="CASE-2026-0002").click()
    assert "Fake car parts through Hamburg" in page.locator("h1").inner_text()
    assert "The chain" not in page.content()
    page.get_by_placeholder("What is to be done").fill("Hear the Rotterdam forwarder")
    page.get_by_label("Agency", exact=True).select_option(label="FIOD – IP crime team (NL)")
    page.get_by_role("button", name="Add task").click()
    assert "Hear the Rotterdam forwarder" in page.locator("#tasks").inner_text()

    other = browser.new_page()
    sign_in(other, live_node.url, "officer.nl")  # Douane NL is a partner; FIOD's task is not its own
    other.goto(f"{live_node.url}/cases?lang=en")
    assert "CASE-2026-0002" in other.locator("table.cases").inner_text()
    assert "CASE-2026-0001" not in other.locator("table.cases").inner_text()
    other.close()

    page.goto(f"{live_node.url}/evidence/" + page.locator("#evidence a").first.get_attribute("href").split("/")[-1])
    assert "The chain of custody holds" in page.content()
    assert page.locator(".custody-step").count() == 2
