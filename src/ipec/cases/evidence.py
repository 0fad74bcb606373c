"""Evidence and its chain of custody (writers and readers), and the export of a case's evidence package.

Each item's file goes into the content-addressed store; the item and every custody step are appended to the ledger
(`evidence.item`, `custody.event`), the custodian's name only as personal data (committed to, never logged). The
package (see `package.py`) carries the files, the manifest, the chain and ledger receipts against one signed
checkpoint, so a court or an executing authority can check it with nothing but the log's public key.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ipec.accounts import policy
from ipec.accounts.models import Organisation, User
from ipec.accounts.services import Context, audit_read, audit_write
from ipec.cases import custody, package
from ipec.cases.models import Case, CustodyStep, Evidence
from ipec.cases.schemas import CustodyIn
from ipec.cases.services import (
    _deny,
    _next_reference,
    _workable,
    case_marking,
    get_case,
    is_restricted,
    permitted,
    timeline_event,
)
from ipec.config import Settings
from ipec.files import services as files
from ipec.kernel.errors import InvalidTransition, NotFound, Problem, ValidationFailed
from ipec.kernel.ids import new_id
from ipec.ledger import keys
from ipec.ledger import services as ledger

MAX_TEXT = 2000


def item_record(ev: Evidence) -> dict[str, Any]:
    return {"evidence_id": ev.id, "case_id": ev.case_id, "reference": ev.reference, "filename": ev.filename,
            "sha256": ev.sha256, "size": ev.size, "media_type": ev.media_type}


def step_record(step: CustodyStep) -> dict[str, Any]:
    return {"evidence_id": step.evidence_id, "seq": step.seq, "action": step.action, "at": step.at.isoformat(),
            "by_user_id": step.by_user_id, "by_org_id": step.by_org_id, "to_org_id": step.to_org_id,
            "place": step.place, "reason": step.reason, "previous_hash": step.previous_hash,
            "step_hash": step.step_hash}


def _custodian_name(ctx: Context) -> str:
    assert ctx.actor is not None
    user = ctx.session.get(User, ctx.actor.user_id)
    return user.display_name if user else "node operator"


def _check_step(data: CustodyIn) -> list[Problem]:
    problems = []
    if data.action not in custody.ACTIONS:
        problems.append(Problem("action", f"one of {', '.join(custody.ACTIONS)}"))
    if not data.place.strip() or len(data.place) > 300:
        problems.append(Problem("place", "where it happened, 1 to 300 characters"))
    if not data.reason.strip() or len(data.reason) > MAX_TEXT:
        problems.append(Problem("reason", f"why it happened, 1 to {MAX_TEXT} characters"))
    if data.action == "transferred" and not data.to_org_id:
        problems.append(Problem("to_org_id", "a transfer names the receiving organisation"))
    return problems


def _append_step(ctx: Context, ev: Evidence, data: CustodyIn, at: dt.datetime) -> CustodyStep:
    assert ctx.actor is not None
    previous = ev.steps[-1] if ev.steps else None
    if not custody.may_follow(previous.action if previous else None, data.action):
        raise InvalidTransition(f"custody: {data.action} may not follow {previous.action if previous else 'the start'}"
                                f" for {ev.reference}")
    if data.to_org_id and ctx.session.get(Organisation, data.to_org_id) is None:
        raise ValidationFailed([Problem("to_org_id", f"no organisation {data.to_org_id}")])
    step = CustodyStep(
        id=new_id(), evidence_id=ev.id, seq=len(ev.steps) + 1, action=data.action, at=at,
        by_user_id=ctx.actor.user_id, by_name=_custodian_name(ctx), by_org_id=ctx.actor.organisation_id,
        to_org_id=data.to_org_id if data.action == "transferred" else None, place=data.place.strip(),
        reason=data.reason.strip(),
        previous_hash=previous.step_hash if previous else custody.item_hash(item_record(ev)),
        step_hash="", ledger_queue_id=0,
    )
    step.step_hash = custody.step_hash(step_record(step))
    appended = ledger.append(ctx.session, "custody.event", {
        "evidence_id": ev.id, "seq": step.seq, "action": step.action, "at": step.at.isoformat(),
        "by_org_id": step.by_org_id, "to_org_id": step.to_org_id, "previous_hash": step.previous_hash,
        "step_hash": step.step_hash,
    }, personal={"by_name": step.by_name})
    step.ledger_queue_id = appended.queue_id
    ev.steps.append(step)
    if data.action == "transferred" and data.to_org_id:
        ev.custodian_org_id = data.to_org_id
    elif data.action in ("returned", "destroyed"):
        ev.state = data.action
    return step


def add_evidence(ctx: Context, blob_dir: Path, case_id: str, *, title: str, filename: str, data: bytes,
                 media_type: str, place: str, reason: str, description: str = "",
                 collected_at: dt.datetime | None = None) -> Evidence:
    """Store the file, create the item and its first custody step ('collected'), both logged."""
    case = _workable(ctx, case_id)
    problems = []
    if not title.strip():
        problems.append(Problem("title", "is required"))
    if not filename.strip() or "/" in filename or "\\" in filename or len(filename) > 200:
        problems.append(Problem("filename", "a plain file name, 1 to 200 characters"))
    if not media_type or "/" not in media_type:
        problems.append(Problem("media_type", "a media type such as image/jpeg"))
    at = collected_at or ctx.clock.now()
    if at > ctx.clock.now():
        problems.append(Problem("collected_at", "is in the future"))
    problems += _check_step(CustodyIn(action="collected", place=place, reason=reason))
    if problems:
        raise ValidationFailed(problems)
    blob = files.store(ctx.session, blob_dir, ctx.clock, data, media_type)
    ev = Evidence(id=new_id(), case_id=case.id, reference=_next_reference(ctx, Evidence, "EV"), title=title.strip(),
                  description=description, filename=filename.strip(), sha256=blob.sha256, size=blob.size,
                  media_type=media_type, custodian_org_id=ctx.actor.organisation_id if ctx.actor else "",
                  state="held", ledger_queue_id=0, created_at=ctx.clock.now())
    ev.steps = []
    ctx.session.add(ev)
    ctx.session.flush()
    appended = ledger.append(ctx.session, "evidence.item", {**item_record(ev), "item_hash": custody.item_hash(
        item_record(ev))})
    ev.ledger_queue_id = appended.queue_id
    _append_step(ctx, ev, CustodyIn(action="collected", place=place, reason=reason), at)
    timeline_event(ctx, case, "evidence", f"evidence {ev.reference} collected: {ev.title}")
    audit_write(ctx, "create", "evidence", ev.id, {"case": case.id, "sha256": ev.sha256})
    ctx.session.commit()
    return ev


def get_evidence(ctx: Context, evidence_id: str) -> tuple[Case, Evidence]:
    ev = ctx.session.get(Evidence, evidence_id) or ctx.session.scalar(
        select(Evidence).where(Evidence.reference == evidence_id))
    if ev is None:
        raise NotFound(f"no evidence {evidence_id}")
    try:
        case = get_case(ctx, ev.case_id)
    except NotFound:
        raise NotFound(f"no evidence {evidence_id}") from None
    return case, ev


def record_custody(ctx: Context, evidence_id: str, data: CustodyIn) -> CustodyStep:
    _, ev = get_evidence(ctx, evidence_id)
    _workable(ctx, ev.case_id)
    problems = _check_step(data)
    if data.action == "collected":
        problems.append(Problem("action", "an item is collected once, when it is added"))
    if problems:
        raise ValidationFailed(problems)
    case = ctx.session.get(Case, ev.case_id)
    assert case is not None
    step = _append_step(ctx, ev, data, ctx.clock.now())
    timeline_event(ctx, case, "custody", f"evidence {ev.reference} {data.action} at {step.place}")
    audit_write(ctx, data.action, "evidence", ev.id, {"seq": step.seq})
    ctx.session.commit()
    return step


def evidence_file(ctx: Context, blob_dir: Path, evidence_id: str) -> tuple[Evidence, bytes]:
    case, ev = get_evidence(ctx, evidence_id)
    if is_restricted(case_marking(case)):
        audit_read(ctx, "evidence", ev.id, "evidence file downloaded")
    _, data = files.read(ctx.session, blob_dir, ev.sha256)
    return ev, data


# --- export ------------------------------------------------------------------------------------------------------


def _opening(session: Session, commitment: str | None) -> tuple[str | None, str | None]:
    """Salt and name behind a step's personal-data commitment; (None, None) once erased."""
    if commitment is None:
        return None, None
    opened = ledger.opening(session, commitment)
    if opened is None:
        return None, None
    salt, data = opened
    return salt.hex(), data.get("by_name")


def _indexed(session: Session, queue_id: int, what: str) -> int:
    index = ledger.index_of(session, queue_id)
    if index is None:
        raise NotFound(f"{what} is not yet in the ledger; integrate pending entries first")
    return index


def export_package(ctx: Context, settings: Settings, session_factory: sessionmaker[Session], case_id: str) -> bytes:
    """Write a case's evidence package (zip bytes). Integrates the ledger first so every entry has a receipt."""
    ctx.session.commit()  # end any open transaction: SQLite's write lock would block the sequencer below
    ledger.integrate_pending(session_factory, settings, ctx.clock)
    case = get_case(ctx, case_id)
    m = case_marking(case)
    court = policy.may_use_in_court(ctx.actor, m, permitted(ctx, case, "court_use"))
    if policy.is_node_operator(ctx.actor):
        court = policy.Decision(m.handling != "H1", "H1: court use needs the owner's permission"
                                if m.handling == "H1" else "the marking allows use in court")
    items = list(ctx.session.scalars(select(Evidence).where(Evidence.case_id == case.id).order_by(
        Evidence.reference)))
    if not items:
        raise ValidationFailed([Problem("case", f"case {case.reference} holds no evidence")])
    _deny(ctx, "export", "case", case.id, policy.may_see_case_record(ctx.actor, m))
    signer = keys.load_signer(settings)
    assert signer is not None  # integrate_pending created it
    origin = keys.origin(settings)
    s = ctx.session
    file_rows, contents, steps, indices = [], {}, [], []
    for ev in items:
        _, data = files.read(s, settings.blob_dir, ev.sha256)
        path = f"files/{ev.reference}-{ev.filename}"
        index = _indexed(s, ev.ledger_queue_id, f"evidence {ev.reference}")
        indices.append(index)
        file_rows.append({"path": path, **item_record(ev), "item_hash": custody.item_hash(item_record(ev)),
                          "ledger_index": index})
        contents[path] = data
        for step in ev.steps:
            step_index = _indexed(s, step.ledger_queue_id, f"custody step {step.seq} of {ev.reference}")
            indices.append(step_index)
            entry = ledger.get_entry(s, step_index)
            salt, name = _opening(s, json.loads(entry.data).get("personal_commitment"))
            steps.append({**step_record(step), "by_name": name, "personal_salt": salt, "ledger_index": step_index})
    custody_bytes = package.jsonl(steps)
    header = {
        "case_id": case.id, "case_reference": case.reference, "case_title": case.title,
        "exported_at": ctx.clock.now().isoformat(), "exported_by": ctx.actor.organisation_id if ctx.actor else None,
        "origin": origin, "log_key": signer.vkey,
        "marking": {"owner": m.owner, "tlp": m.tlp, "handling": m.handling, "handling_note": m.handling_note,
                    "audience": m.audience, "purpose": m.purpose, "legal_basis": m.legal_basis,
                    "personal_data": m.personal_data},
        "court_use": {"allowed": court.allowed, "reason": court.reason},
    }
    manifest = package.jsonl(package.manifest_rows(header, file_rows, custody_bytes, len(steps)))
    appended = ledger.append(s, "evidence.package", package.package_entry(case.id, manifest))
    audit_write(ctx, "export", "evidence_package", case.id, {"files": len(items), "steps": len(steps)})
    if is_restricted(m):
        audit_read(ctx, "case", case.id, "evidence package exported")
    s.commit()
    ledger.integrate_pending(session_factory, settings, ctx.clock)
    package_index = _indexed(s, appended.queue_id, "the package entry")
    size = ledger.latest_checkpoint(s).size
    receipts = {package.receipt_path(i): ledger.receipt(s, i, origin, size) for i in indices}
    receipts[package.PACKAGE_RECEIPT] = ledger.receipt(s, package_index, origin, size)
    return package.write_zip(manifest, custody_bytes, contents, receipts)
