"""Pages in Chromium, as people use them."""

from __future__ import annotations

import pytest

from tests.conftest import LiveNode, sign_in

pytestmark = pytest.mark.browser


def test_a_holder_signs_in_searches_the_register_and_opens_a_right(page, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "holder.kronberg")
    assert page.locator("h1").inner_text() == "Dashboard"
    page.get_by_role("link", name="Rights", exact=True).click()
    page.get_by_label("Mark or title").fill("seemeister")
    # Results update as the holder types (htmx), without submitting the form.
    page.wait_for_function("document.querySelector('#result-count').innerText.startsWith('5 rights')")
    assert page.locator("table.list tbody tr").count() == 5
    page.locator("table.list a.mark").first.click()
    assert page.locator("h1").inner_text() == "SEEMEISTER"
    assert "Kronberg Uhren AG" in page.locator("dl").inner_text()
    # The holder's own right: restricted parties are visible to it.
    assert "Kronberg Service Centre Dubai FZE" in page.locator("#restricted").inner_text()


def test_a_typo_still_finds_the_mark(page, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "officer.nl")
    page.goto(f"{live_node.url}/rights?q=BRICKFLOK")
    assert "no exact match" in page.locator("#result-count").inner_text()
    assert page.locator("table.list a.mark").first.inner_text() == "BRICKFOLK"


def test_a_user_switches_the_pages_to_french(page, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "officer.de")
    page.goto(f"{live_node.url}/rights")
    page.select_option("#lang-select", "fr")
    page.wait_for_url("**/rights")
    assert page.locator("h1").inner_text() == "Registre des droits"
    assert page.get_by_role("link", name="Tableau de bord").is_visible()
    # The choice sticks on the next page.
    page.goto(f"{live_node.url}/")
    assert page.locator("h1").inner_text() == "Tableau de bord"
    page.select_option("#lang-select", "es")
    page.wait_for_url(f"{live_node.url}/")
    assert page.locator("h1").inner_text() == "Panel"


def test_pages_work_on_a_phone_sized_screen(browser, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, live_node.url, "holder.aurelia")
        # The menu folds behind a button on a phone.
        assert not page.get_by_role("link", name="Rights", exact=True).is_visible()
        page.locator("label.menu-button").click()
        page.get_by_role("link", name="Rights", exact=True).click()
        page.wait_for_url("**/rights")
        # Nothing is wider than the screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        context.close()


def test_an_administrator_adds_a_user_who_can_then_sign_in(page, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "admin")
    page.goto(f"{live_node.url}/admin/users")
    page.locator("summary").click()
    page.get_by_label("Username").fill("officer.fr2")
    page.get_by_label("Full name").fill("Nadia Roux")
    page.get_by_label("Organisation").select_option(label="Direction générale des douanes (FR)")
    page.get_by_label("Role").select_option("officer")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Add").click()
    assert page.get_by_role("cell", name="Nadia Roux").is_visible()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_node.url, "officer.fr2", "a-long-password-1")
    assert "Nadia Roux" in page.locator("header").inner_text() or page.locator("h1").inner_text() == "Dashboard"


def test_a_holder_registers_a_right_from_the_form_and_bad_input_is_explained(page, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "holder.brickfolk")
    page.goto(f"{live_node.url}/rights")
    page.get_by_role("link", name="Register a right").click()
    page.get_by_label("Identifier").fill("EUTM-019999999")
    page.get_by_label("Mark or title").fill("BLOXOPOLIS")
    page.get_by_label("Office").select_option("EUIPO")
    page.get_by_label("Nice classes").fill("28; 99")
    page.get_by_label("Protected in").fill("EU")
    page.get_by_role("button", name="Register").click()
    assert "99" in page.locator(".error-list").inner_text()  # the bad class is named, nothing saved
    page.get_by_label("Nice classes").fill("28; 9")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/rights/*")
    assert page.locator("h1").inner_text() == "BLOXOPOLIS"
    assert "Brickfolk Toys A/S" in page.locator("dl").inner_text()


def test_an_error_page_for_a_signed_in_user_keeps_the_menu(page, live_node: LiveNode) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_node.url, "officer.nl")
    response = page.goto(f"{live_node.url}/rights/no-such-right")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    assert "Pieter de Vries" in page.locator("header").inner_text()
