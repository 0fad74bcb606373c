"""The notices scenario of issue 6 in Chromium: an officer in France issues a modus-operandi notice for the German
police; the subscribed German analyst sees it arrive without reloading and acknowledges it; a Spanish analyst,
outside the audience though subscribed to every modus-operandi notice, never sees it anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.conftest import LiveNode, sign_in

pytestmark = pytest.mark.browser

TITLE = "Perfume hidden in fire extinguishers"


@contextmanager
def person(browser: Any, live_node: LiveNode, username: str) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_node.url, username)
        yield page
    finally:
        context.close()


def test_a_notice_arrives_live_for_its_audience_only(browser: Any, live_node: LiveNode) -> None:
    base = live_node.url
    with person(browser, live_node, "analyst.de") as de, person(browser, live_node, "analyst.es") as es, \
            person(browser, live_node, "officer.fr") as fr:
        for page in (de, es):
            page.goto(f"{base}/notices")
            # A marker that a reload would wipe out: the row must arrive in this very document.
            page.evaluate("window.__sameDocument = true")
            page.wait_for_function("document.querySelector('[sse-connect]') && "
                                   "htmx.find('[sse-connect]')['htmx-internal-data'].sseEventSource?.readyState === 1")
        unread_before = int(de.locator("#unread-count").inner_text())

        fr.goto(f"{base}/notices/new")
        fr.select_option("select[name=type]", "modus_operandi")
        fr.fill("input[name=title]", TITLE)
        fr.fill("textarea[name=body]", "CO2 extinguishers emptied and filled with 50 ml perfume bottles; declared "
                                        "as safety equipment. Weight per unit 30 % below the genuine item.")
        fr.check("input[name=product_categories][value=body_care]")
        fr.select_option("select[name=jurisdictions]", ["FR", "DE"])
        fr.fill("input[name=hs_chapters]", "33, 84")
        fr.fill("input[name=origin]", "CN")
        fr.fill("input[name=destination]", "FR")
        fr.select_option("select[name=tlp]", "AMBER")
        fr.select_option("select[name=audience]", "named_organisations")
        fr.select_option("select[name=recipients]", label="Bundeskriminalamt – IP crime (DE)")
        fr.fill("input[name=purpose]", "Risk profiling")
        fr.locator("form.notice-form button[type=submit]").click()
        fr.wait_for_url(re.compile(r".*/notices/[0-9a-f-]{36}$"))
        notice_url = fr.url

        # The German analyst sees it appear at the top of the list, in the same document, marked unread.
        row = de.locator("#notice-rows tr.notice-row", has_text=TITLE)
        row.wait_for()
        assert de.evaluate("window.__sameDocument") is True
        assert "unread" in (row.get_attribute("class") or "")
        assert "Modus operandi" in row.inner_text() and "subscribed" in row.inner_text()
        de.wait_for_function(f"document.querySelector('#unread-count').innerText === '{unread_before + 1}'")

        row.get_by_role("link", name=TITLE).click()
        de.wait_for_url(notice_url)
        de.get_by_role("button", name="Acknowledge").click()
        assert "You acknowledged this notice" in de.locator("#acknowledgement").inner_text()

        # The issuer sees who acknowledged.
        fr.reload()
        assert "Jonas Schmidt" in fr.locator("#readers").inner_text()

        # The Spanish analyst: nothing arrived live, nothing after a reload, no search hit, no page.
        es.wait_for_timeout(2500)  # more than two passes of the live stream after the German analyst got it
        assert TITLE not in es.locator("#notice-rows").inner_text()
        assert es.evaluate("window.__sameDocument") is True
        es.goto(f"{base}/notices?q=extinguishers&include_expired=1&lang=en")
        assert TITLE not in es.content()
        assert es.locator("#result-count").inner_text().startswith("0 notices")
        # Opening it by its address (with the browser's own session) is refused as if it did not exist.
        notice_id = notice_url.rsplit("/", 1)[1]
        response = es.request.get(f"{base}/api/v1/notices/{notice_id}")
        assert response.status == 404 and TITLE not in response.text()
