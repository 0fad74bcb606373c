"""A legal-assistance request from draft to executed, with the reply's evidence attached, each step audited and
logged in the ledger; routing and content checked on send; the request visible only to its audience."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.models import AuditEvent
from ipec.accounts.policy import Actor
from ipec.assistance import services
from ipec.assistance.schemas import OffenceIn, RequestIn
from ipec.cases import services as cases
from ipec.cases.schemas import CaseIn, MarkingIn, ParticipantIn
from ipec.kernel.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ipec.ledger.models import QueuedEntry
from tests.integration.conftest import World

pytestmark = pytest.mark.backend
Make = Callable[[Actor | None], accounts.Context]


def _draft(world: World, ctx: Make, executing: str = "prosecutor_es", **over: object) -> tuple[str, str]:
    fr = ctx(world.actors["prosecutor_fr"])
    case = cases.open_case(fr, CaseIn(title="Counterfeit perfume network", marking=MarkingIn(
        tlp="AMBER", **over.pop("marking", {})), participants=[  # type: ignore[arg-type]
        ParticipantIn(organisation_id=world.orgs["police_fr"])]))
    fields: dict[str, object] = {
        "case_id": case.id, "executing_org_id": world.orgs[executing], "instrument": "eio",
        "legal_basis": "Directive 2014/41/EU (EIO)",
        "offences": [OffenceIn(offence="Counterfeiting of trade marks", qualification="Art. L716-9 CPI")],
        "facts": "Containers of fake perfume shipped from Valencia to Le Havre in 2026.",
        "measures": ["search_and_seizure", "banking_information"], **over}
    data = RequestIn(**fields)  # type: ignore[arg-type]
    req = services.create_request(fr, data)
    return case.id, req.id


def test_draft_to_executed_with_reply_evidence(world: World, ctx: Make, clock: object, tmp_path: Path) -> None:
    _, rid = _draft(world, ctx)
    fr, es = ctx(world.actors["prosecutor_fr"]), ctx(world.actors["prosecutor_es"])
    with pytest.raises(NotFound):
        services.get_request(es, rid)  # a draft is not yet the executing side's business
    sent = services.act(fr, rid, "send")
    assert (sent.state, sent.sent_on, sent.recognise_by) == ("sent", dt.date(2026, 11, 27), dt.date(2026, 12, 27))
    with pytest.raises(PermissionDenied, match="executing authority"):
        services.act(fr, rid, "acknowledge")
    clock.advance(dt.timedelta(days=10))  # type: ignore[attr-defined]
    ack = services.act(es, rid, "acknowledge", "recognised")
    assert ack.execute_by == dt.date(2026, 12, 7) + dt.timedelta(days=90)
    services.act(es, rid, "start")
    services.act(es, rid, "reply_partial", "bank records obtained", blob_dir=tmp_path,
                 attachment=("bank.csv", b"iban,amount\nES00,1000\n", "text/csv"))
    done = services.act(es, rid, "reply_final", "search done; 3 000 bottles seized", blob_dir=tmp_path,
                        attachment=("search-report.pdf", b"%PDF-1.4 search report", "application/pdf"))
    assert done.state == "executed" and done.closed_on == dt.date(2026, 12, 7)
    assert [r.filename for r in done.replies] == ["bank.csv", "search-report.pdf"]
    _reply, data = services.reply_file(fr, tmp_path, rid, done.replies[1].id)
    assert data == b"%PDF-1.4 search report"
    assert [e.move for e in done.events] == ["send", "acknowledge", "start", "reply_partial", "reply_final"]
    audited = fr.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == rid)
                                 .order_by(AuditEvent.id)).all()
    assert audited == ["create", "send", "acknowledge", "start", "reply_partial", "reply_final"]
    logged = {q.id: json.loads(q.data) for q in fr.session.scalars(select(QueuedEntry))}
    for event in done.events:
        entry = logged[event.ledger_queue_id]
        assert (entry["type"], entry["request_id"], entry["to"]) == (f"assistance.{event.move}", rid, event.to_state)
    assert logged[done.events[-1].ledger_queue_id]["reply_sha256"] == done.replies[1].sha256
    clock_view = services.clock(done, dt.date(2026, 12, 7))
    assert clock_view["days_since_sent"] == 10 and clock_view["overdue"] == []


def test_send_refuses_the_wrong_authority_and_incomplete_content(world: World, ctx: Make) -> None:
    _, rid = _draft(world, ctx, executing="police_fr")
    fr = ctx(world.actors["prosecutor_fr"])
    with pytest.raises(ValidationFailed) as caught:
        services.act(fr, rid, "send")
    assert any(p.field == "executing_org_id" and "prosecutor" in p.reason for p in caught.value.problems)
    _, rid2 = _draft(world, ctx, facts="short", urgency="urgent")
    with pytest.raises(ValidationFailed) as caught2:
        services.act(fr, rid2, "send")
    assert {p.field for p in caught2.value.problems} == {"facts", "urgency_reason"}
    assert services.get_request(fr, rid2).state == "draft"


def test_eio_cannot_go_outside_the_eu(world: World, ctx: Make) -> None:
    us = accounts.add_organisation(ctx(Actor("system", "system", "coordinator", None, "admin")), "DOJ US",
                                   "prosecutor", "US")
    world.orgs["prosecutor_us"] = us.id
    _, rid = _draft(world, ctx, executing="prosecutor_us")
    with pytest.raises(ValidationFailed, match="instrument"):
        services.act(ctx(world.actors["prosecutor_fr"]), rid, "send")


def test_h2_case_needs_permission_to_go_to_an_outside_authority(world: World, ctx: Make) -> None:
    case_id, _rid = _draft(world, ctx, marking={"handling": "H2"})
    analyst = ctx(world.actors["analyst_fr"])  # police_fr: partner, not the owner
    req2 = services.create_request(analyst, RequestIn(
        case_id=case_id, executing_org_id=world.orgs["prosecutor_es"], legal_basis="Directive 2014/41/EU (EIO)",
        offences=[OffenceIn(offence="Counterfeiting", qualification="Art. L716-9 CPI")],
        facts="Containers of fake perfume shipped from Valencia.", measures=["hear_witness"]))
    with pytest.raises(PermissionDenied, match="H2"):
        services.act(analyst, req2.id, "send")
    cases.grant_permission(ctx(world.actors["prosecutor_fr"]), case_id, world.orgs["police_fr"], "share_onward")
    assert services.act(analyst, req2.id, "send").state == "sent"


def test_final_requests_take_no_more_moves(world: World, ctx: Make) -> None:
    _, rid = _draft(world, ctx)
    fr = ctx(world.actors["prosecutor_fr"])
    services.act(fr, rid, "withdraw", "no longer needed")
    with pytest.raises(InvalidTransition, match="withdrawn"):
        services.act(fr, rid, "send")


def test_outsiders_never_see_a_request(world: World, ctx: Make) -> None:
    _, rid = _draft(world, ctx)
    services.act(ctx(world.actors["prosecutor_fr"]), rid, "send")
    for user, sees in [("prosecutor_fr", True), ("analyst_fr", True), ("prosecutor_es", True),
                       ("officer_de", False), ("admin", False), ("holder_a", False), ("viewer", False)]:
        c = ctx(world.actors[user])
        assert ([r.id for r in services.visible_requests(c)] == [rid]) is sees, user
        if not sees:
            with pytest.raises(NotFound):
                services.get_request(c, rid)
