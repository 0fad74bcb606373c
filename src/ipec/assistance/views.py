"""Pages of mutual legal assistance: the list, drafting from a case, a request with its clock and moves, and the
print-friendly request and reply (EN/FR/ES through ?lang=)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipec.accounts import services as accounts
from ipec.assistance import routing, services, transitions
from ipec.assistance.schemas import OffenceIn, RequestIn
from ipec.cases import services as cases
from ipec.web.deps import Ctx
from ipec.web.i18n import N_
from ipec.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = [("/assistance", N_("Legal assistance"))]

LABELS = [N_("draft"), N_("sent"), N_("acknowledged"), N_("in_execution"), N_("partly_executed"), N_("executed"),
          N_("refused"), N_("withdrawn"), N_("send"), N_("acknowledge"), N_("start"), N_("reply_partial"),
          N_("reply_final"), N_("refuse"), N_("withdraw"), N_("gather_evidence"), N_("search_and_seizure"),
          N_("freeze_assets"), N_("hear_witness"), N_("banking_information"), N_("normal"), N_("urgent")]


@router.get("/assistance", response_class=HTMLResponse)
def requests_page(request: Request, ctx: Ctx) -> Response:
    rows = services.visible_requests(ctx)
    today = ctx.clock.today()
    return render(request, "assistance/list.html", {"rows": rows, "clocks": {r.id: services.clock(r, today)
                                                                            for r in rows}})


@router.get("/assistance/new", response_class=HTMLResponse)
def new_page(request: Request, ctx: Ctx, case_id: str) -> Response:
    case = cases.get_case(ctx, case_id)
    return render(request, "assistance/new.html", {
        "case": case, "instruments": routing.instruments(), "measures": routing.measures(),
        "authorities": [o for o in accounts.list_organisations(ctx) if o.kind in ("prosecutor", "court", "police")],
    })


@router.post("/assistance")
def create(ctx: Ctx, case_id: Annotated[str, Form()], executing_org_id: Annotated[str, Form()],
           instrument: Annotated[str, Form()], legal_basis: Annotated[str, Form()] = "",
           offence: Annotated[str, Form()] = "", qualification: Annotated[str, Form()] = "",
           facts: Annotated[str, Form()] = "", measures: Annotated[list[str] | None, Form()] = None,
           urgency: Annotated[str, Form()] = "normal", urgency_reason: Annotated[str, Form()] = "",
           wanted_by: Annotated[str, Form()] = "") -> Response:
    req = services.create_request(ctx, RequestIn(
        case_id=case_id, executing_org_id=executing_org_id, instrument=instrument, legal_basis=legal_basis,
        offences=[OffenceIn(offence=offence, qualification=qualification)] if offence else [], facts=facts,
        measures=measures or [], urgency=urgency, urgency_reason=urgency_reason or None,
        wanted_by=dt.date.fromisoformat(wanted_by) if wanted_by else None))
    return RedirectResponse(f"/assistance/{req.id}", status_code=303)


@router.get("/assistance/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: str, ctx: Ctx) -> Response:
    req = services.get_request(ctx, request_id)
    side = services.side_of(ctx, req)
    return render(request, "assistance/detail.html", {
        "r": req, "side": side, "moves": transitions.moves_for(req.state, side) if side else [],
        "clock": services.clock(req, ctx.clock.today()), "instrument": routing.instruments()[req.instrument],
        "orgs": {o.id: o.name for o in accounts.list_organisations(ctx)},
        "problems": services.send_problems(ctx, req) if req.state == "draft" else [],
    })


@router.get("/assistance/{request_id}/print", response_class=HTMLResponse)
def print_page(request: Request, request_id: str, ctx: Ctx) -> Response:
    req = services.get_request(ctx, request_id)
    return render(request, "assistance/print.html", {
        "r": req, "clock": services.clock(req, ctx.clock.today()), "instrument": routing.instruments()[req.instrument],
        "orgs": {o.id: o.name for o in accounts.list_organisations(ctx)},
    })


@router.post("/assistance/{request_id}/package")
def attach(request: Request, request_id: str, ctx: Ctx) -> Response:
    state = request.app.state
    services.attach_package(ctx, state.settings, state.session_factory, request_id)
    return RedirectResponse(f"/assistance/{request_id}", status_code=303)


@router.post("/assistance/{request_id}/moves")
async def move(request: Request, request_id: str, ctx: Ctx, move: Annotated[str, Form()],
               note: Annotated[str, Form()] = "", file: Annotated[UploadFile | None, File()] = None) -> Response:
    attachment = None
    if file is not None and file.filename:
        attachment = (file.filename.rsplit("/", 1)[-1], await file.read(),
                      file.content_type or "application/octet-stream")
    services.act(ctx, request_id, move, note or None, blob_dir=request.app.state.settings.blob_dir,
                 attachment=attachment)
    return RedirectResponse(f"/assistance/{request_id}", status_code=303)


@router.get("/assistance/{request_id}/package.zip")
def package(request: Request, request_id: str, ctx: Ctx) -> Response:
    req, data = services.package_file(ctx, request.app.state.settings.blob_dir, request_id)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{req.reference}-evidence.zip"'})


@router.get("/assistance/{request_id}/replies/{reply_id}/file")
def reply_download(request: Request, request_id: str, reply_id: str, ctx: Ctx) -> Response:
    reply, data = services.reply_file(ctx, request.app.state.settings.blob_dir, request_id, reply_id)
    return Response(data, media_type=reply.media_type or "application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{reply.filename}"'})
