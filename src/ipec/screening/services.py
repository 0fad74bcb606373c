"""Screening against the node's register: who may screen, and screening declarations given as records.

The engine is pure (engine.py); this module adds the node: the rights come from the register
(`ipec.rights.services.screening_rights`), the caller must be an authority, and a batch with a bad record is
refused whole, naming each record and field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.policy import AUTHORITIES, Action, Actor, Decision, Resource, allow, deny, register
from ipec.kernel import jurisdictions
from ipec.kernel.errors import NotFound, Problem, ValidationFailed
from ipec.kernel.ids import new_id
from ipec.rights import services as rights
from ipec.screening import csvio
from ipec.screening.engine import DEFAULT_THRESHOLD, Hit, Screener
from ipec.screening.models import ScreeningHit, ScreeningRun
from ipec.screening.rules import Declaration, Right, make_right


def _may_screen(actor: Actor, resource: Resource) -> Decision:
    if actor.org_kind in AUTHORITIES:
        return allow("authorities screen declarations against recorded rights")
    return deny("only enforcement authorities screen declarations")


register("screening", Action.CREATE, _may_screen)


def rights_from_records(records: Sequence[Mapping[str, object]]) -> list[Right]:
    """Rights from rows shaped like RIGHTS.csv rows (what `screening_rights` returns)."""
    out = []
    for r in records:
        classes = r["nice_classes"]
        codes = r["jurisdictions"]
        parties = r.get("authorized_parties") or []
        assert isinstance(classes, list) and isinstance(codes, list) and isinstance(parties, list)
        out.append(
            make_right(str(r["right_id"]), str(r["kind"]), str(r["mark"]), [int(c) for c in classes],
                       [str(c) for c in codes], str(r.get("owner") or ""), [str(p) for p in parties])
        )
    return out


def parse_records(records: Sequence[Mapping[str, object]]) -> tuple[list[Declaration], list[Problem]]:
    """Declarations from JSON objects; problems name the record (1-based, as `line`) and the field."""
    declarations: list[Declaration] = []
    problems: list[Problem] = []
    for number, record in enumerate(records, start=1):
        row = {k: "" if record.get(k) is None else str(record.get(k)).strip() for k in csvio.DECLARATION_COLUMNS}
        parsed = csvio.parse_declaration(row, number)
        if isinstance(parsed, Declaration):
            declarations.append(parsed)
        else:
            problems.extend(parsed)
    return declarations, problems


@dataclass(frozen=True)
class RightsBasis:
    """What a screening runs against, and why: rights under an application for action in force (what customs
    act on) once there are any, else every registered right (ex officio screening)."""

    kind: str  # "recorded" | "register"
    records: list[dict[str, object]]


def _recorded(records: list[dict[str, object]], apps: Sequence[Any]) -> list[dict[str, object]]:
    """The rights of the applications in force, protected only where action was asked, with the authorised
    manufacturers and distributors of the product guide added to the authorised parties."""
    by_pk = {str(r["id"]): r for r in records}
    out: dict[str, dict[str, object]] = {}
    for app in apps:
        guide = app.product_guide or {}
        extra = [str(p) for key in ("authorised_manufacturers", "authorised_distributors")
                 for p in guide.get(key, []) or []]
        for pk in app.right_ids:
            record = by_pk.get(pk)
            if record is None:
                continue
            protected = [str(c) for c in record["jurisdictions"]]  # type: ignore[attr-defined]
            asked = [c for c in app.countries if jurisdictions.covers(protected, c)]
            merged = out.setdefault(pk, {**record, "jurisdictions": [], "authorized_parties":
                                         list(record["authorized_parties"])})  # type: ignore[call-overload]
            for c in asked:
                if c not in merged["jurisdictions"]:  # type: ignore[operator]
                    merged["jurisdictions"].append(c)  # type: ignore[attr-defined]
            for party in extra:
                if party not in merged["authorized_parties"]:  # type: ignore[operator]
                    merged["authorized_parties"].append(party)  # type: ignore[attr-defined]
    return [r for r in out.values() if r["jurisdictions"]]


def rights_basis(ctx: accounts.Context) -> RightsBasis:
    from ipec.customs import services as customs

    records = rights.screening_rights(ctx.session)
    apps = customs.applications_in_force(ctx)
    if apps:
        return RightsBasis("recorded", _recorded(records, apps))
    return RightsBasis("register", records)


def register_screener(ctx: accounts.Context, threshold: float = DEFAULT_THRESHOLD) -> Screener:
    """A screener over the node's rights basis (built per call: the register changes under us)."""
    return Screener(rights_from_records(rights_basis(ctx).records), threshold=threshold)


def screen_records(
    ctx: accounts.Context, records: Sequence[Mapping[str, object]], threshold: float = DEFAULT_THRESHOLD
) -> tuple[ScreeningRun, list[Hit]]:
    """Screen JSON declarations against the node's rights and keep the run; a bad record refuses the batch."""
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    declarations, problems = parse_records(records)
    if problems:
        raise ValidationFailed(problems)
    return screen_and_record(ctx, "api", declarations, threshold)


def read_upload(
    ctx: accounts.Context, data: bytes, skip_invalid: bool = False
) -> tuple[list[Declaration], list[Problem]]:
    """The declarations of an uploaded DECLARATIONS.csv, and the problems of the rows refused.

    Bad rows refuse the file (ValidationFailed) unless `skip_invalid`; a missing column always does."""
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem("file", f"not UTF-8 text (byte {exc.start})")]) from exc
    try:
        declarations, rejected = csvio.read_declarations_text(text, "upload.csv")
    except csvio.HeaderError as exc:
        raise ValidationFailed([exc.problem]) from exc
    problems = [p for r in rejected for p in r.problems]
    if problems and not skip_invalid:
        raise ValidationFailed(problems)
    return declarations, problems


def screen_csv(
    ctx: accounts.Context, data: bytes, threshold: float = DEFAULT_THRESHOLD, skip_invalid: bool = False
) -> tuple[ScreeningRun, list[Declaration], list[Hit], list[Problem]]:
    """An uploaded DECLARATIONS.csv screened against the node's rights and kept as a run."""
    declarations, problems = read_upload(ctx, data, skip_invalid)
    rejected = len({p.line for p in problems})
    run, hits = screen_and_record(ctx, "api", declarations, threshold, rejected)
    return run, declarations, hits, problems


# --- runs kept on the node ------------------------------------------------------------------------------------


def record_run(ctx: accounts.Context, source: str, threshold: float, declarations: Sequence[Declaration],
               hits: Sequence[Hit], rejected: int, basis: RightsBasis) -> ScreeningRun:
    """Keep a run against the register and its hits, for the officer to come back to and detain from."""
    assert ctx.actor is not None
    by_id = {d.declaration_id: d for d in declarations}
    run = ScreeningRun(id=new_id(), started_at=ctx.clock.now(), user_id=ctx.actor.user_id,
                       organisation_id=ctx.actor.organisation_id, source=source, threshold=threshold,
                       rights_basis=basis.kind, rights=len(basis.records), declarations=len(declarations),
                       rejected=rejected, hit_count=len(hits))
    for h in hits:
        d = by_id[h.declaration_id]
        run.hits.append(ScreeningHit(
            declaration_id=h.declaration_id, right_id=h.right_id, mark=h.mark, score=h.score, reasons=list(h.reasons),
            description=d.description, matched_start=h.start, matched_end=h.end, hs_code=d.hs_code,
            origin=d.origin, destination=d.destination, consignee=d.consignee,
            quantity="" if d.quantity is None else f"{d.quantity:g}", value="" if d.value is None else f"{d.value:g}",
            currency=d.currency))
    ctx.session.add(run)
    accounts.audit_write(ctx, "screening.run", "screening_run", run.id,
                         {"source": source, "declarations": len(declarations), "hits": len(hits)})
    ctx.session.commit()
    return run


def screen_and_record(ctx: accounts.Context, source: str, declarations: Sequence[Declaration],
                      threshold: float = DEFAULT_THRESHOLD, rejected: int = 0,
                      basis: RightsBasis | None = None) -> tuple[ScreeningRun, list[Hit]]:
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    basis = basis or rights_basis(ctx)
    hits = Screener(rights_from_records(basis.records), threshold=threshold).screen_many(declarations)
    return record_run(ctx, source, threshold, declarations, hits, rejected, basis), hits


def recent_runs(ctx: accounts.Context, limit: int = 20) -> list[ScreeningRun]:
    """Runs of the caller's organisation (an administrator sees all): hits name consignees, so they stay with
    the authority that screened."""
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    assert ctx.actor is not None
    q = select(ScreeningRun).order_by(ScreeningRun.started_at.desc()).limit(limit)
    if ctx.actor.role != "admin":
        q = q.where(ScreeningRun.organisation_id == ctx.actor.organisation_id)
    return list(ctx.session.scalars(q))


def get_run(ctx: accounts.Context, run_id: str) -> ScreeningRun:
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    assert ctx.actor is not None
    run = ctx.session.get(ScreeningRun, run_id)
    if run is None or (run.organisation_id != ctx.actor.organisation_id and ctx.actor.role != "admin"):
        raise NotFound(f"no screening run {run_id}")
    return run
