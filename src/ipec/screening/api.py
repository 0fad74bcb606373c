"""JSON routes of screening (thin: parse, call services, shape the answer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field

from ipec.kernel.errors import Problem, ValidationFailed
from ipec.screening import csvio, services
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


def screen_upload(ctx: Ctx, data: bytes, threshold: float, skip_invalid: bool) -> ScreeningOut:
    """Shared by the API and the page: a DECLARATIONS.csv upload screened against the register."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem("file", f"not UTF-8 text (byte {exc.start})")]) from exc
    declarations, rejected = csvio.read_declarations_text(text, "upload.csv")
    problems = [p for r in rejected for p in r.problems]
    if problems and not skip_invalid:
        raise ValidationFailed(problems)
    hits = services.screen(ctx, declarations, threshold)
    return ScreeningOut(
        screened=len(declarations), hits=[hit_out(h) for h in hits],
        rejected=[RejectOut(line=p.line or 0, column=p.field, reason=p.reason) for p in problems],
    )


@router.post("/screening/file", response_model=ScreeningOut)
async def screen_file(
    ctx: Ctx,
    file: Annotated[UploadFile, File(description="DECLARATIONS.csv")],
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
    skip_invalid: Annotated[bool, Query(description="Screen the valid rows and list the refused ones")] = False,
) -> ScreeningOut:
    """Screen an uploaded DECLARATIONS.csv. Bad rows refuse the file (422) unless `skip_invalid`."""
    return screen_upload(ctx, await file.read(), threshold, skip_invalid)

