"""JSON routes of screening (thin: parse, call services, shape the answer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field

from ipec.screening import services
from ipec.screening.engine import DEFAULT_THRESHOLD, Hit
from ipec.web.deps import Ctx

router = APIRouter(prefix="/api/v1", tags=["screening"])


class ScreeningIn(BaseModel):
    declarations: list[dict[str, Any]] = Field(
        description="Declarations with the DECLARATIONS.csv columns as keys", min_length=1, max_length=100_000
    )
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)


class HitOut(BaseModel):
    declaration_id: str
    right_id: str
    score: float
    reasons: list[str]
    mark: str
    matched: str = Field(description="The description's text that named the mark")
    start: int = Field(description="Offset of `matched` in the description")
    end: int


class RejectOut(BaseModel):
    line: int
    column: str
    reason: str


class ScreeningOut(BaseModel):
    run_id: str = Field(description="The run as kept on the node (GET /api/v1/screening/runs/{run_id})")
    screened: int
    hits: list[HitOut]
    rejected: list[RejectOut] = []


def hit_out(hit: Hit) -> HitOut:
    return HitOut(
        declaration_id=hit.declaration_id, right_id=hit.right_id, score=hit.score, reasons=list(hit.reasons),
        mark=hit.mark, matched=hit.matched, start=hit.start, end=hit.end,
    )


@router.post("/screening", response_model=ScreeningOut)
def screen(body: ScreeningIn, ctx: Ctx) -> ScreeningOut:
    """Screen declarations against the node's register. A bad declaration refuses the batch (422), naming
    its position (`line`, 1-based) and field."""
    run, hits = services.screen_records(ctx, body.declarations, body.threshold)
    return ScreeningOut(run_id=run.id, screened=len(body.declarations), hits=[hit_out(h) for h in hits])


@router.post("/screening/file", response_model=ScreeningOut)
async def screen_file(
    ctx: Ctx,
    file: Annotated[UploadFile, File(description="DECLARATIONS.csv")],
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
    skip_invalid: Annotated[bool, Query(description="Screen the valid rows and list the refused ones")] = False,
) -> ScreeningOut:
    """Screen an uploaded DECLARATIONS.csv. Bad rows refuse the file (422) unless `skip_invalid`."""
    run, declarations, hits, problems = services.screen_csv(ctx, await file.read(), threshold, skip_invalid)
    return ScreeningOut(
        run_id=run.id, screened=len(declarations), hits=[hit_out(h) for h in hits],
        rejected=[RejectOut(line=p.line or 0, column=p.field, reason=p.reason) for p in problems],
    )



class RunOut(BaseModel):
    id: str
    started_at: str
    source: str
    rights_basis: str = Field(description="recorded: rights under an application for action in force; "
                                          "register: every registered right")
    rights: int
    declarations: int
    rejected: int
    hit_count: int
    hits: list[HitOut]


@router.get("/screening/runs/{run_id}", response_model=RunOut)
def get_run(run_id: str, ctx: Ctx) -> RunOut:
    """A kept run with its hits (only for the organisation that screened)."""
    run = services.get_run(ctx, run_id)
    return RunOut(
        id=run.id, started_at=run.started_at.isoformat(), source=run.source, rights_basis=run.rights_basis,
        rights=run.rights, declarations=run.declarations, rejected=run.rejected, hit_count=run.hit_count,
        hits=[HitOut(declaration_id=h.declaration_id, right_id=h.right_id, score=h.score, reasons=h.reasons,
                     mark=h.mark, matched=h.description[h.matched_start:h.matched_end], start=h.matched_start,
                     end=h.matched_end) for h in run.hits],
    )
