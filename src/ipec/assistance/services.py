"""The only writers of legal-assistance requests and replies, and their handling-filtered reads.

A request is built from a case the issuing authority works on. Its marking follows the case's (TLP, handling code,
personal data) and its audience is named: the executing authority (once the request is sent) and the case's
participants. Sending it to an authority outside the case is onward sharing, so the case's marking must allow it
(`policy.may_share_onward`, with the owner's recorded permission for H2). Before sending, the request must be
complete and routed to a competent authority (data/routing.json). Every move is audited and logged in the ledger.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from ipec.accounts import policy
from ipec.accounts.models import Organisation
from ipec.accounts.services import Context, audit_denied, audit_read, audit_write
from ipec.assistance import routing, transitions
from ipec.assistance.models import Reply, Request, RequestEvent
from ipec.assistance.schemas import RequestIn
from ipec.cases import evidence as case_evidence
from ipec.cases import services as cases
from ipec.cases.models import Case, Participant
from ipec.config import Settings
from ipec.files import services as files
from ipec.kernel import handling
from ipec.kernel.errors import InvalidTransition, NotFound, PermissionDenied, Problem, ValidationFailed
from ipec.kernel.ids import new_id
from ipec.ledger import services as ledger

URGENCY = ("normal", "urgent")


def _deny(ctx: Context, action: str, object_id: str | None, decision: policy.Decision) -> None:
    if not decision:
        audit_denied(ctx, action, "assistance_request", object_id, decision.reason)
        raise PermissionDenied(decision.reason)


def marking(ctx: Context, req: Request) -> handling.Marking:
    case = ctx.session.get(Case, req.case_id)
    assert case is not None
    m = cases.case_marking(case)
    recipients = set(m.recipients) | {req.issuing_org_id}
    if req.state != "draft":  # the executing side learns of a request when it is sent
        recipients.add(req.executing_org_id)
    return handling.Marking(
        owner=req.issuing_org_id, owner_jurisdiction=req.issuing.jurisdiction, tlp=m.tlp, handling=m.handling,
        handling_note=m.handling_note, source_reliability=m.source_reliability,
        information_reliability=m.information_reliability, audience="named_organisations",
        recipients=frozenset(recipients), purpose="mutual legal assistance in criminal matters",
        legal_basis=req.legal_basis or m.legal_basis, personal_data=m.personal_data,
    )


def sees(ctx: Context, req: Request) -> bool:
    return bool(policy.may_see_case_record(ctx.actor, marking(ctx, req)))


def side_of(ctx: Context, req: Request) -> str | None:
    org = ctx.actor.organisation_id if ctx.actor else None
    if org == req.issuing_org_id:
        return transitions.ISSUING
    if org == req.executing_org_id:
        return transitions.EXECUTING
    return None


def get_request(ctx: Context, request_id: str) -> Request:
    req = ctx.session.get(Request, request_id) or ctx.session.scalar(
        select(Request).where(Request.reference == request_id))
    if req is None:
        raise NotFound(f"no legal-assistance request {request_id}")
    decision = policy.may_see_case_record(ctx.actor, marking(ctx, req))
    if not decision:
        audit_denied(ctx, "read", "assistance_request", req.id, decision.reason)
        raise NotFound(f"no legal-assistance request {request_id}")
    if cases.is_restricted(marking(ctx, req)):
        audit_read(ctx, "assistance_request", req.id, decision.reason)
    return req


def visible_requests(ctx: Context, case_id: str | None = None) -> list[Request]:
    query = select(Request).order_by(Request.created_at.desc())
    if ctx.actor is None:
        return []
    if not policy.is_node_operator(ctx.actor):
        mine = select(Participant.case_id).where(Participant.organisation_id == ctx.actor.organisation_id)
        query = query.where(or_(Request.issuing_org_id == ctx.actor.organisation_id,
                                Request.executing_org_id == ctx.actor.organisation_id, Request.case_id.in_(mine)))
    if case_id:
        query = query.where(Request.case_id == case_id)
    return [r for r in ctx.session.scalars(query) if sees(ctx, r)]


def clock(req: Request, today: dt.date) -> dict[str, Any]:
    """What both sides see: days since sending, days left to recognise and to execute, and what is overdue."""
    out: dict[str, Any] = {"days_since_sent": (today - req.sent_on).days if req.sent_on else None,
                           "recognise_left": None, "execute_left": None, "overdue": []}
    open_ = req.state not in transitions.FINAL
    if req.recognise_by and req.recognised_on is None:
        out["recognise_left"] = (req.recognise_by - today).days
        if open_ and today > req.recognise_by:
            out["overdue"].append("recognition")
    if req.execute_by:
        out["execute_left"] = (req.execute_by - today).days
        if open_ and today > req.execute_by:
            out["overdue"].append("execution")
    if req.wanted_by and open_ and today > req.wanted_by:
        out["overdue"].append("wanted_by")
    return out


def _next_reference(ctx: Context) -> str:
    year = ctx.clock.today().year
    count = ctx.session.scalar(select(func.count()).select_from(Request).where(
        Request.reference.like(f"MLA-{year}-%")))
    return f"MLA-{year}-{(count or 0) + 1:04d}"


def _field_problems(data: RequestIn) -> list[Problem]:
    problems = []
    if data.instrument not in routing.instruments():
        problems.append(Problem("instrument", f"one of {', '.join(routing.instruments())}"))
    unknown = [m for m in data.measures if m not in routing.measures()]
    if unknown:
        problems.append(Problem("measures", f"unknown {', '.join(unknown)}; one of {', '.join(routing.measures())}"))
    if data.urgency not in URGENCY:
        problems.append(Problem("urgency", "normal or urgent"))
    return problems


def create_request(ctx: Context, data: RequestIn) -> Request:
    """A draft built from a case the actor's organisation works on."""
    case = cases.get_case(ctx, data.case_id, audit=False)
    role = cases.participant_role(case, ctx.actor.organisation_id if ctx.actor else None)
    _deny(ctx, "create", None, policy.may_work_case(ctx.actor, cases.case_marking(case), role))
    problems = _field_problems(data)
    executing = ctx.session.get(Organisation, data.executing_org_id)
    if executing is None:
        problems.append(Problem("executing_org_id", f"no organisation {data.executing_org_id}"))
    if ctx.actor is None or ctx.session.get(Organisation, ctx.actor.organisation_id) is None:
        problems.append(Problem("issuing", "a request is issued by an authority; act as one of its users"))
    if problems:
        raise ValidationFailed(problems)
    assert ctx.actor is not None
    now = ctx.clock.now()
    req = Request(
        id=new_id(), reference=_next_reference(ctx), case_id=case.id, issuing_org_id=ctx.actor.organisation_id,
        executing_org_id=data.executing_org_id, instrument=data.instrument, legal_basis=data.legal_basis.strip(),
        offences=[o.model_dump() for o in data.offences], facts=data.facts.strip(), measures=list(data.measures),
        urgency=data.urgency, urgency_reason=data.urgency_reason, wanted_by=data.wanted_by, state="draft",
        created_at=now, updated_at=now,
    )
    ctx.session.add(req)
    ctx.session.flush()
    cases.timeline_event(ctx, case, "assistance", f"legal-assistance request {req.reference} drafted")
    audit_write(ctx, "create", "assistance_request", req.id, {"case": case.id})
    ctx.session.commit()
    ctx.session.refresh(req)
    return req


def attach_package(ctx: Context, settings: Settings, session_factory: sessionmaker[Session], request_id: str
                   ) -> Request:
    """Attach the case's evidence package (files, custody chain, ledger receipts) to a draft."""
    req = get_request(ctx, request_id)
    _deny(ctx, "attach", req.id, policy.may_act_on_request(ctx.actor, req.issuing_org_id, transitions.ISSUING))
    if req.state != "draft":
        raise InvalidTransition(f"{req.reference} is {req.state}: a package is attached to a draft")
    data = case_evidence.export_package(ctx, settings, session_factory, req.case_id)
    blob = files.store(ctx.session, settings.blob_dir, ctx.clock, data, "application/zip")
    req = get_request(ctx, request_id)
    req.package_sha256 = blob.sha256
    req.updated_at = ctx.clock.now()
    audit_write(ctx, "attach", "assistance_request", req.id, {"package_sha256": blob.sha256})
    ctx.session.commit()
    return req


def send_problems(ctx: Context, req: Request) -> list[Problem]:
    """Everything that would make the request fail abroad: incomplete content, wrong authority, wrong instrument."""
    problems = []
    if not req.legal_basis:
        problems.append(Problem("legal_basis", "name the treaty or convention"))
    if not req.offences or any(not o.get("offence") or not o.get("qualification") for o in req.offences):
        problems.append(Problem("offences", "at least one offence, each with its legal qualification"))
    if len(req.facts) < 20:
        problems.append(Problem("facts", "describe the facts (at least 20 characters)"))
    if not req.measures:
        problems.append(Problem("measures", "ask for at least one measure"))
    if req.urgency == "urgent" and not (req.urgency_reason or "").strip():
        problems.append(Problem("urgency_reason", "say why the request is urgent"))
    if req.wanted_by and req.wanted_by <= ctx.clock.today():
        problems.append(Problem("wanted_by", "is not in the future"))
    problems += routing.instrument_problems(req.instrument, req.issuing.jurisdiction, req.executing.jurisdiction)
    problems += routing.routing_problems(req.executing.jurisdiction, req.executing.kind, req.measures)
    return problems


def _attach_reply(ctx: Context, req: Request, kind: str, note: str | None, blob_dir: Path | None,
                  attachment: tuple[str, bytes, str] | None) -> Reply:
    if not (note or "").strip():
        raise ValidationFailed([Problem("note", "a reply or refusal says what was done or why not")])
    reply = Reply(id=new_id(), request_id=req.id, kind=kind, text=(note or "").strip(),
                  by_org_id=ctx.actor.organisation_id if ctx.actor else "", at=ctx.clock.now())
    if attachment is not None:
        if blob_dir is None:
            raise ValidationFailed([Problem("file", "no file store configured")])
        filename, data, media_type = attachment
        if not filename or "/" in filename:
            raise ValidationFailed([Problem("filename", "a plain file name")])
        blob = files.store(ctx.session, blob_dir, ctx.clock, data, media_type)
        reply.filename, reply.sha256, reply.size, reply.media_type = filename, blob.sha256, blob.size, media_type
    elif kind == "reply_final" and not req.replies:
        raise ValidationFailed([Problem("file", "the final reply carries the evidence gathered")])
    req.replies.append(reply)
    return reply


def act(ctx: Context, request_id: str, move: str, note: str | None = None, *, blob_dir: Path | None = None,
        attachment: tuple[str, bytes, str] | None = None) -> Request:
    """Make one move. `attachment` (filename, bytes, media type) is the evidence sent with a reply."""
    req = get_request(ctx, request_id)
    new_state, side = transitions.move(req.state, move)
    side_org = req.issuing_org_id if side == transitions.ISSUING else req.executing_org_id
    _deny(ctx, move, req.id, policy.may_act_on_request(ctx.actor, side_org, side))
    case = ctx.session.get(Case, req.case_id)
    assert case is not None
    today = ctx.clock.today()
    if move == "send":
        problems = send_problems(ctx, req)
        if problems:
            raise ValidationFailed(problems)
        if not cases.participant_role(case, req.executing_org_id):
            _deny(ctx, "share", req.id, policy.may_share_onward(
                ctx.actor, cases.case_marking(case), cases.permitted(ctx, case, "share_onward")))
        req.sent_on = today
        req.recognise_by = routing.recognise_by(req.instrument, today)
        req.execute_by = routing.execute_by(req.instrument, req.recognise_by or today)
    elif move == "acknowledge":
        req.recognised_on = today
        req.execute_by = routing.execute_by(req.instrument, today) or req.execute_by
    reply = None
    if move in transitions.REPLIES:
        reply = _attach_reply(ctx, req, move, note, blob_dir, attachment)
    if new_state in transitions.FINAL:
        req.closed_on = today
    from_state = req.state
    req.state = new_state
    req.updated_at = ctx.clock.now()
    record: dict[str, Any] = {
        "request_id": req.id, "reference": req.reference, "case_id": req.case_id, "move": move,
        "from": from_state, "to": new_state, "issuing": req.issuing_org_id, "executing": req.executing_org_id,
        "instrument": req.instrument, "measures": req.measures, "at": ctx.clock.now().isoformat(),
    }
    if move == "send":
        record["package_sha256"] = req.package_sha256
    if reply is not None and reply.sha256:
        record["reply_sha256"] = reply.sha256
    appended = ledger.append(ctx.session, f"assistance.{move}", record)
    ctx.session.add(RequestEvent(request_id=req.id, at=ctx.clock.now(), move=move, from_state=from_state,
                                 to_state=new_state, by_org_id=ctx.actor.organisation_id if ctx.actor else "",
                                 note=note, ledger_queue_id=appended.queue_id))
    cases.timeline_event(ctx, case, "assistance", f"{req.reference}: {move.replace('_', ' ')} → {new_state}")
    audit_write(ctx, move, "assistance_request", req.id, {"from": from_state, "to": new_state})
    ctx.session.commit()
    ctx.session.refresh(req)
    return req


def reply_file(ctx: Context, blob_dir: Path, request_id: str, reply_id: str) -> tuple[Reply, bytes]:
    req = get_request(ctx, request_id)
    reply = next((r for r in req.replies if r.id == reply_id), None)
    if reply is None or reply.sha256 is None:
        raise NotFound(f"no attachment on reply {reply_id}")
    _, data = files.read(ctx.session, blob_dir, reply.sha256)
    return reply, data


def package_file(ctx: Context, blob_dir: Path, request_id: str) -> tuple[Request, bytes]:
    req = get_request(ctx, request_id)
    if req.package_sha256 is None:
        raise NotFound(f"{req.reference} has no evidence package attached")
    _, data = files.read(ctx.session, blob_dir, req.package_sha256)
    return req, data
