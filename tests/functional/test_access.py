"""Access through the real HTTP path: restricted data, other countries' records, tokens — and the audit of
every refusal."""

from __future__ import annotations

from sqlalchemy import select

from ipec.accounts.models import AuditEvent
from ipec.db.session import make_engine
from tests.conftest import Node


def audit_rows(node: Node, **where: str) -> list[AuditEvent]:
    engine = make_engine(node.settings.database_url)
    try:
        from sqlalchemy.orm import Session

        with Session(engine) as s:
            q = select(AuditEvent)
            for k, v in where.items():
                q = q.where(getattr(AuditEvent, k) == v)
            return list(s.scalars(q.order_by(AuditEvent.id)))
    finally:
        engine.dispose()


def first_right(node: Node, q: str, office: str | None = None) -> dict:  # type: ignore[type-arg]
    r = node.client.get("/api/v1/rights", params={"q": q, "mode": "exact"})  # type: ignore[attr-defined]
    assert r.status_code == 200, r.text
    return next(i for i in r.json()["items"] if office is None or i["office"] == office)


def test_a_holder_cannot_read_another_holders_restricted_data(node: Node) -> None:
    node.login("holder.aurelia")
    own = first_right(node, "AURELIA")
    assert own["restricted_visible"] is True
    assert own["authorized_parties"] == ["Aurelia Logistique SAS", "Pelletteria Fiorentina Srl"]

    other = first_right(node, "KRONBERG")
    detail = node.client.get(f"/api/v1/rights/{other['id']}").json()  # type: ignore[attr-defined]
    assert detail["restricted_visible"] is False
    assert detail["authorized_parties"] is None and detail["licensees"] is None and detail["notes"] is None
    page = node.client.get(f"/rights/{other['id']}").text  # type: ignore[attr-defined]
    assert "Kronberg Service Centre" not in page and "Restricted to the holder" in page

    # A customs officer sees the restricted data the holder gave (to check authorised parties at the border).
    node.logout()
    node.login("officer.de")
    seen = node.client.get(f"/api/v1/rights/{other['id']}").json()  # type: ignore[attr-defined]
    assert "Kronberg Service Centre Dubai FZE" in seen["authorized_parties"]
    reads = audit_rows(node, action="read_restricted", object_id=other["id"])
    assert reads and reads[-1].outcome == "allowed"


def test_an_authority_of_one_country_cannot_change_another_countrys_records(node: Node) -> None:
    node.login("ipo.fr")
    eu_right = first_right(node, "STRIDEWELL", "EUIPO")  # the EU's register, not France's
    r = node.client.patch(f"/api/v1/rights/{eu_right['id']}", json={"status": "cancelled"})  # type: ignore[attr-defined]
    assert r.status_code == 403
    problem = r.json()
    assert problem["type"].endswith("/permission-denied")
    assert "own jurisdiction" in problem["detail"]
    denied = audit_rows(node, outcome="denied", object_id=eu_right["id"])
    assert denied and denied[-1].action == "update" and denied[-1].ip

    node.logout()
    node.login("ipo.eu")
    r = node.client.patch(f"/api/v1/rights/{eu_right['id']}", json={"status": "cancelled"})  # type: ignore[attr-defined]
    assert r.status_code == 200 and r.json()["status"] == "cancelled"


def test_a_holder_cannot_change_another_holders_right_and_a_customs_officer_cannot_change_rights(node: Node) -> None:
    node.login("holder.aurelia")
    other = first_right(node, "KRONBERG")
    r = node.client.patch(f"/api/v1/rights/{other['id']}", json={"notes": "mine now"})  # type: ignore[attr-defined]
    assert r.status_code == 403
    node.logout()
    node.login("officer.fr")
    r = node.client.patch(f"/api/v1/rights/{other['id']}", json={"notes": "x"})  # type: ignore[attr-defined]
    assert r.status_code == 403
    assert len(audit_rows(node, outcome="denied", object_id=other["id"])) == 2


def test_a_revoked_token_is_refused_and_the_refusal_audited(node: Node) -> None:
    node.login("officer.nl")
    created = node.client.post("/api/v1/tokens", json={"name": "manifest uploader"})  # type: ignore[attr-defined]
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("ipec_")
    node.logout()

    machine = {"Authorization": f"Bearer {token}"}
    me = node.client.get("/api/v1/me", headers=machine)  # type: ignore[attr-defined]
    assert me.status_code == 200 and me.json()["user"]["username"] == "officer.nl"
    listed = node.client.get("/api/v1/tokens", headers=machine).json()  # type: ignore[attr-defined]
    assert token not in str(listed)  # the secret is never shown again

    revoked = node.client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=machine)  # type: ignore[attr-defined]
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = node.client.get("/api/v1/me", headers=machine)  # type: ignore[attr-defined]
    assert again.status_code == 401
    assert again.json()["detail"].startswith("revoked token")
    denied = audit_rows(node, action="token.use", outcome="denied")
    assert denied and denied[-1].reason == "revoked token"


def test_anonymous_api_calls_get_problem_json(node: Node) -> None:
    r = node.client.get("/api/v1/rights")  # type: ignore[attr-defined]
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/authentication-required")


def test_wrong_password_is_refused_and_audited(node: Node) -> None:
    r = node.client.post("/login", data={"username": "admin", "password": "not-the-password"})  # type: ignore[attr-defined]
    assert r.status_code == 401
    assert audit_rows(node, action="login", outcome="denied")


def test_a_cross_site_form_post_is_refused(node: Node) -> None:
    node.login("admin")
    evil = node.client.post("/admin/organisations", data={"name": "Evil", "kind": "customs", "jurisdiction": "FR"},  # type: ignore[attr-defined]
                            headers={"Origin": "https://attacker.example"}, follow_redirects=False)
    assert evil.status_code == 403 and evil.json()["type"].endswith("/cross-site-request")
    same = node.client.post("/admin/organisations", data={"name": "Douane de Lyon", "kind": "customs",  # type: ignore[attr-defined]
                                                          "jurisdiction": "FR"},
                            headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert same.status_code == 303
