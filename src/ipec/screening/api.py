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
    hits = services.screen_records(ctx, body.declarations, body.threshold)
    return ScreeningOut(screened=len(body.declarations), hits=[hit_out(h) for h in hits])


@router.post("/screening/file", response_model=ScreeningOut)
async def screen_file(
    ctx: Ctx,
    file: Annotated[UploadFile, File(description="DECLARATIONS.csv")],
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
    skip_invalid: Annotated[bool, Query(description="Screen the valid rows and list the refused ones")] = False,
) -> ScreeningOut:
    """Screen an uploaded DECLARATIONS.csv. Bad rows refuse the file (422) unless `skip_invalid`."""
    declarations, hits, problems = services.screen_csv(ctx, await file.read(), threshold, skip_invalid)
    return ScreeningOut(
        screened=len(declarations), hits=[hit_out(h) for h in hits],
        rejected=[RejectOut(line=p.line or 0, column=p.field, reason=p.reason) for p in problems],
    )

