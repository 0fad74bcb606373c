"""The screening page: upload, progress, hits with the matched text highlighted (TestClient and Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from ipec.db.session import make_engine
from ipec.rights.services import screening_rights
from tests.conftest import LiveNode, sign_in

HEADER = "declaration_id,description,hs_code,origin,destination,consignor,consignee,quantity,value,currency\n"


def clothing_mark(database_url: str) -> tuple[str, str]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        rights = screening_rights(session)
    engine.dispose()
    for r in rights:
        mark = str(r["mark"])
        if mark.isalpha() and len(mark) >= 5 and {"EU", "FR"} & set(r["jurisdictions"]) and 25 in r["nice_classes"]:
            return str(r["right_id"]), mark
    raise AssertionError("the demo has no clothing mark protected in France")


def upload(mark: str) -> str:
    disguised = mark.upper().replace("O", "0", 1).replace("E", "3", 1).replace("A", "4", 1).replace("I", "1", 1)
    return (HEADER + f"D1,mens trousers {disguised} type,620342,CN,FR,Shenzhen Export,Jean Dupont,1,10,EUR\n"
            "D2,cotton socks,620342,CN,FR,Shenzhen Export,Jean Dupont,1,10,EUR\n")


def test_page_screens_an_upload_and_highlights_the_match(node: object) -> None:
    right_id, mark = clothing_mark(node.settings.database_url)  # type: ignore[attr-defined]
    node.login("officer.fr")  # type: ignore[attr-defined]
    client = node.client  # type: ignore[attr-defined]
    assert "Border screening" in client.get("/screening?lang=en").text
    text = upload(mark)
    files = {"file": ("d.csv", text.encode(), "text/csv")}
    r = client.post("/screening?lang=en", files=files, headers={"HX-Request": "true"})
    assert r.status_code == 200
    disguised = text.split("mens trousers ")[1].split(" type")[0]
    assert f"<mark>{disguised}</mark>" in r.text
    assert right_id in r.text
    assert '<strong id="hit-count">1</strong>' in r.text


def test_page_shows_why_a_file_is_refused(node: object) -> None:
    node.login("officer.fr")  # type: ignore[attr-defined]
    bad = HEADER + "D1,socks,6203,CN,FR,A,B,1,10,EUR\n"
    r = node.client.post("/screening?lang=en", files={"file": ("d.csv", bad.encode(), "text/csv")},  # type: ignore[attr-defined]
                         headers={"HX-Request": "true"})
    assert "File refused" in r.text
    assert "line 2, column hs_code: &#39;6203&#39; is not an HS code of 6 to 10 digits" in r.text


@pytest.mark.browser
def test_officer_uploads_in_chromium_and_reviews_hits(page, live_node: LiveNode, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    right_id, mark = clothing_mark(live_node.settings.database_url)
    path = tmp_path / "declarations.csv"
    path.write_text(upload(mark), encoding="utf-8")
    sign_in(page, live_node.url, "officer.fr")
    page.goto(f"{live_node.url}/screening")
    page.set_input_files("input[name=file]", str(path))
    page.click("#screen-form button[type=submit]")
    page.wait_for_selector("table.hits mark")
    assert page.locator("#hit-count").inner_text() == "1"
    disguised = upload(mark).split("mens trousers ")[1].split(" type")[0]
    assert page.locator("table.hits mark").first.inner_text() == disguised
    assert right_id in page.locator("table.hits").inner_text()
    assert page.locator("#upload-progress").get_attribute("value") == "100"


def test_a_long_upload_is_screened_in_the_background_with_progress(node: object) -> None:
    import re
    import threading

    right_id, mark = clothing_mark(node.settings.database_url)  # type: ignore[attr-defined]
    node.login("officer.fr")  # type: ignore[attr-defined]
    client = node.client  # type: ignore[attr-defined]
    rows = [f"C{n},cotton socks {n},611595,CN,FR,Shenzhen Export,Jean Dupont,1,10,EUR" for n in range(3000)]
    rows[2500] = f"C2500,{mark.lower()} hoodie,611020,CN,FR,Shenzhen Export,Jean Dupont,1,10,EUR"
    files = {"file": ("d.csv", (HEADER + "\n".join(rows) + "\n").encode(), "text/csv")}
    r = client.post("/screening?lang=en", files=files, headers={"HX-Request": "true"})
    assert r.status_code == 200
    found = re.search(r'hx-get="(/screening/runs/([0-9a-f]+))"', r.text)
    assert found is not None, r.text
    assert 'max="3000"' in r.text
    for thread in threading.enumerate():
        if thread.name == f"screening-{found.group(2)}":
            thread.join(timeout=60)
    done = client.get(found.group(1) + "?lang=en", headers={"HX-Request": "true"})
    assert '<strong id="screened-count">3000</strong>' in done.text
    assert f"<mark>{mark.lower()}</mark>" in done.text and right_id in done.text
    node.login("officer.de")  # type: ignore[attr-defined]
    assert client.get(found.group(1), headers={"HX-Request": "true"}).status_code == 404  # not their run


@pytest.mark.browser
def test_long_upload_progress_in_chromium(page, live_node: LiveNode, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    right_id, mark = clothing_mark(live_node.settings.database_url)
    rows = [f"C{n},cotton socks {n},611595,CN,FR,Shenzhen Export,Jean Dupont,1,10,EUR" for n in range(2500)]
    rows[2400] = f"C2400,{mark.lower()} hoodie,611020,CN,FR,Shenzhen Export,Jean Dupont,1,10,EUR"
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    sign_in(page, live_node.url, "officer.fr")
    page.goto(f"{live_node.url}/screening")
    page.set_input_files("input[name=file]", str(path))
    page.click("#screen-form button[type=submit]")
    page.wait_for_selector("table.hits mark", timeout=60_000)
    assert page.locator("#screened-count").inner_text() == "2500"
    assert page.locator("table.hits mark").first.inner_text() == mark.lower()
    assert right_id in page.locator("table.hits").inner_text()
