"""JSON routes of the rights register under /api/v1/rights."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile, status
from fastapi.responses import Response

from ipec.files import services as files
from ipec.kernel import jurisdictions
from ipec.kernel.errors import Problem, ValidationFailed
from ipec.rights import nice, services
from ipec.rights.models import PartyRole
from ipec.rights.schemas import (
    ClassOut,
    ImportReportOut,
    JurisdictionOut,
    RightIn,
    RightOut,
    RightPage,
    RightPatch,
)
from ipec.web.deps import Ctx

router = APIRouter(prefix="/api/v1/rights", tags=["rights"])


def right_out(view: services.RightView) -> RightOut:
    r = view.right
    out = RightOut(
        id=r.id, right_id=r.right_id, kind=r.kind, mark=r.mark, mark_type=r.mark_type,
        image_sha256=r.image_sha256, number=r.number, office=r.office, filing_date=r.filing_date,
        registration_date=r.registration_date, expiry_date=r.expiry_date, status=r.status,
        madrid_ir_number=r.madrid_ir_number, owner_id=r.owner_id, owner_name=r.owner.name,
        classes=[ClassOut(nice_class=c.nice_class, heading=nice.heading(c.nice_class), goods_terms=c.goods_terms)
                 for c in r.classes],
        jurisdictions=[JurisdictionOut(code=j.code, name=jurisdictions.name(j.code), via_madrid=j.via_madrid)
                       for j in r.jurisdictions],
        restricted_visible=view.restricted_visible, match=view.match,
    )
    if view.restricted_visible:
        out.licensees = [p.name for p in r.parties if p.role == PartyRole.LICENSEE]
        out.authorized_parties = [p.name for p in r.parties if p.role == PartyRole.AUTHORIZED]
        out.notes = r.notes
    return out


@router.get("", response_model=RightPage)
def search_rights(
    ctx: Ctx,
    q: Annotated[str | None, Query(description="Mark text")] = None,
    mode: Annotated[str, Query(description="auto, exact, prefix or fuzzy")] = "auto",
    nice_class: int | None = None,
    jurisdiction: Annotated[str | None, Query(description="Country or region the right must cover")] = None,
    holder: Annotated[str | None, Query(description="Holder organisation id")] = None,
    kind: str | None = None,
    status_: Annotated[str | None, Query(alias="status")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> RightPage:
    page = services.search(ctx, services.SearchQuery(q, mode, nice_class, jurisdiction, holder, kind, status_,
                                                     cursor, limit))
    return RightPage(items=[right_out(v) for v in page.items], next_cursor=page.next_cursor, total=page.total)


@router.post("", response_model=RightOut, status_code=status.HTTP_201_CREATED)
def register_right(body: RightIn, ctx: Ctx) -> RightOut:
    right = services.register(ctx, body)
    return right_out(services.RightView(right, True))


@router.post("/import", response_model=ImportReportOut)
async def import_rights(ctx: Ctx, file: Annotated[UploadFile, File()], skip_invalid: bool = False) -> ImportReportOut:
    raw = await file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem("file", f"is not UTF-8 text (byte {exc.start})")]) from exc
    report = services.import_csv(ctx, text, skip_invalid=skip_invalid)
    return ImportReportOut(
        created=report.created, updated=report.updated, unchanged=report.unchanged, rejected=len(report.rejects),
        organisations_created=report.organisations_created,
        rejects=[{"line": r.line, "column": r.column, "reason": r.reason} for r in report.rejects],
    )


@router.get("/{right_pk}", response_model=RightOut)
def get_right(right_pk: str, ctx: Ctx) -> RightOut:
    return right_out(services.get(ctx, right_pk))


@router.patch("/{right_pk}", response_model=RightOut)
def update_right(right_pk: str, body: RightPatch, ctx: Ctx) -> RightOut:
    services.update(ctx, right_pk, body)
    return right_out(services.get(ctx, right_pk))


@router.put("/{right_pk}/image", response_model=RightOut)
async def put_image(right_pk: str, request: Request, ctx: Ctx, file: Annotated[UploadFile, File()]) -> RightOut:
    data = await file.read()
    blob_dir = request.app.state.settings.blob_dir
    services.attach_image(ctx, right_pk, blob_dir, data, file.content_type or "application/octet-stream")
    return right_out(services.get(ctx, right_pk))


@router.get("/{right_pk}/image")
def get_image(right_pk: str, request: Request, ctx: Ctx) -> Response:
    view = services.get(ctx, right_pk)
    if not view.right.image_sha256:
        raise ValidationFailed([Problem("image", "this right has no image")])
    blob, data = files.read(ctx.session, request.app.state.settings.blob_dir, view.right.image_sha256)
    return Response(data, media_type=blob.media_type, headers={"ETag": f'"{blob.sha256}"'})
