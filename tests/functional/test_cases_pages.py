"""Pages of cases, operations, evidence and legal assistance on the demo node: each user sees only the cases in
their audience, in lists, counts and the operation dashboard; the request prints in EN/FR/ES."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Node


def _refs(html: str) -> set[str]:
    return set(re.findall(r"CASE-\d{4}-\d{4}", html))


@pytest.mark.parametrize(("user", "expected"), [
    ("officer.fr", {"CASE-2026-0001", "CASE-2026-0004"}),
    ("officer.de", {"CASE-2026-0002", "CASE-2026-0004"}),
    ("officer.ae", {"CASE-2026-0005", "CASE-2026-0004"}),
    ("coordinator", {"CASE-2026-0001", "CASE-2026-0002", "CASE-2026-0003", "CASE-2026-0004"}),
])
def test_case_list_shows_only_the_audience(node: Node, user: str, expected: set[str]) -> None:
    node.login(user)
    page = node.client.get("/cases?lang=en")  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert _refs(page.text) == expected
    assert f"{len(expected)} cases" in page.text


def test_hidden_case_is_not_found(node: Node) -> None:
    node.login("officer.de")
    listing = node.client.get("/cases").text  # type: ignore[attr-defined]
    assert "CASE-2026-0001" not in listing
    node.logout()
    node.login("officer.fr")
    case_id = re.search(r'href="/cases/([0-9a-f-]{36})">CASE-2026-0001', node.client.get("/cases").text)  # type: ignore[attr-defined]
    assert case_id
    node.logout()
    node.login("officer.de")
    r = node.client.get(f"/cases/{case_id.group(1)}")  # type: ignore[attr-defined]
    assert r.status_code == 404


def test_operation_dashboard_counts_only_visible_cases(node: Node) -> None:
    node.login("officer.fr")
    ops = node.client.get("/operations").text  # type: ignore[attr-defined]
    op_id = re.search(r'href="/operations/([0-9a-f-]{36})"', ops)
    assert op_id
    fr = node.client.get(f"/operations/{op_id.group(1)}").text  # type: ignore[attr-defined]
    node.logout()
    node.login("coordinator")
    coord = node.client.get(f"/operations/{op_id.group(1)}").text  # type: ignore[attr-defined]
    seized = re.compile(r'id="total-seizures">(\d+)<')
    # officer.fr sees cases 1 and 4: 2+1+1 and 2+1 seizures; the coordinator also cases 2 and 3.
    assert seized.search(fr).group(1) == "7"  # type: ignore[union-attr]
    assert seized.search(coord).group(1) == "28"  # type: ignore[union-attr]
    assert "AE" not in re.findall(r"<th>([A-Z]{2}) ·", fr)


def test_case_page_evidence_custody_and_request_print(node: Node) -> None:
    node.login("prosecutor.fr")
    listing = node.client.get("/cases?lang=en").text  # type: ignore[attr-defined]
    case_id = re.search(r'href="/cases/([0-9a-f-]{36})">CASE-2026-0001', listing).group(1)  # type: ignore[union-attr]
    page = node.client.get(f"/cases/{case_id}").text  # type: ignore[attr-defined]
    assert "Counterfeit luxury handbags" in page and "EV-2026-0001" in page and "MLA-2026-0001" in page
    ev_id = re.search(r'href="/evidence/([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]
    ev = node.client.get(f"/evidence/{ev_id}").text  # type: ignore[attr-defined]
    assert "The chain of custody holds" in ev and "transferred" in ev
    mla = node.client.get("/assistance").text  # type: ignore[attr-defined]
    req_id = re.search(r'href="/assistance/([0-9a-f-]{36})">MLA-2026-0001', mla).group(1)  # type: ignore[union-attr]
    detail = node.client.get(f"/assistance/{req_id}").text  # type: ignore[attr-defined]
    assert "executed" in detail and "search-report.txt" in detail
    en = node.client.get(f"/assistance/{req_id}/print?lang=en").text  # type: ignore[attr-defined]
    fr = node.client.get(f"/assistance/{req_id}/print?lang=fr").text  # type: ignore[attr-defined]
    es = node.client.get(f"/assistance/{req_id}/print?lang=es").text  # type: ignore[attr-defined]
    assert "Request for mutual legal assistance" in en
    assert "Demande d'entraide judiciaire" in fr or "Demande d&#39;entraide judiciaire" in fr
    assert "Solicitud de asistencia judicial" in es


def test_task_flow_through_pages(node: Node) -> None:
    node.login("officer.es")
    page = node.client.get("/cases").text  # type: ignore[attr-defined]
    assert "Action required" in page or "action-required" in page
    assert "Check Valencia consignments" in page


def test_the_api_lists_only_visible_cases_and_counts_only_visible_figures(node: Node) -> None:
    node.login("coordinator")
    everything = node.client.get("/api/v1/cases").json()  # type: ignore[attr-defined]
    node.logout()
    node.login("holder.aurelia")
    holder = node.client.get("/api/v1/cases").json()  # type: ignore[attr-defined]
    assert holder["total"] < everything["total"] and holder["total"] == len(holder["items"])
    node.logout()
    node.login("officer.fr")
    mine = node.client.get("/api/v1/cases").json()  # type: ignore[attr-defined]
    assert mine["total"] == len(mine["items"]) > 0
    case = mine["items"][0]
    assert node.client.get(f"/api/v1/cases/{case['id']}").json()["reference"] == case["reference"]  # type: ignore[attr-defined]
