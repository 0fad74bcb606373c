"""Pages of cases, joint operations (dashboard) and evidence (chain of custody). Every page reads through the
services, which show only what the signed-in user may see; forms post back and redirect (post/redirect/get)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipec.accounts import policy
from ipec.accounts import services as accounts
from ipec.cases import custody, evidence, services
from ipec.cases.models import ParticipantRole
from ipec.cases.schemas import CaseIn, CustodyIn, LinkIn, MarkingIn, NoteIn, ParticipantIn, ResultIn, TaskIn
from ipec.cases.transitions import moves_from
from ipec.kernel import handling
from ipec.web.deps import Ctx
from ipec.web.i18n import N_
from ipec.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = [("/cases", N_("Cases")), ("/operations", N_("Operations"))]

LABELS = [N_("open"), N_("closed"), N_("accepted"), N_("done"), N_("declined"), N_("lead"), N_("partner"),
          N_("observer"), N_("held"), N_("returned"), N_("destroyed"), N_("collected"), N_("transferred"),
          N_("examined"), N_("accept"), N_("decline"), N_("complete"), N_("cancel")]


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _org_names(ctx: accounts.Context) -> dict[str, str]:
    return {o.id: o.name for o in accounts.list_organisations(ctx)}


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request, ctx: Ctx, q: str = "", state: str = "", country: str = "") -> Response:
    rows = [services.case_summary(ctx, c) for c in services.visible_cases(ctx, q=q or None, state=state or None,
                                                                          country=country or None)]
    return render(request, "cases/list.html", {
        "rows": rows, "q": q, "state": state, "country": country, "tasks": services.my_tasks(ctx),
        "operations": services.visible_operations(ctx), "organisations": accounts.list_organisations(ctx),
        "can_open": bool(policy.may_open_case(ctx.actor)), "tlps": handling.TLP_LEVELS,
        "codes": handling.HANDLING_CODES, "audiences": handling.AUDIENCES,
    })


@router.post("/cases")
def open_case(ctx: Ctx, title: Annotated[str, Form()], summary: Annotated[str, Form()] = "",
              operation_id: Annotated[str, Form()] = "", tlp: Annotated[str, Form()] = "AMBER",
              handling_code: Annotated[str, Form()] = "H0", audience: Annotated[str, Form()] = "group",
              partners: Annotated[list[str] | None, Form()] = None) -> Response:
    case = services.open_case(ctx, CaseIn(
        title=title, summary=summary, operation_id=operation_id or None,
        marking=MarkingIn(tlp=tlp, handling=handling_code, audience=audience),
        participants=[ParticipantIn(organisation_id=o) for o in partners or []]))
    return _back(f"/cases/{case.id}")


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str, ctx: Ctx) -> Response:
    from ipec.assistance import services as assistance

    view = services.case_view(ctx, case_id)
    return render(request, "cases/detail.html", {
        "v": view, "c": view.case, "orgs": _org_names(ctx), "organisations": accounts.list_organisations(ctx),
        "moves_from": moves_from, "record_types": services.RECORD_TYPES, "actions": custody.ACTIONS[1:],
        "requests": assistance.visible_requests(ctx, case_id=view.case.id), "roles": list(ParticipantRole)[1:],
        "countries": services.countries_of(view.case), "today": ctx.clock.today(),
    })


@router.post("/cases/{case_id}/notes")
def add_note(case_id: str, ctx: Ctx, text: Annotated[str, Form()]) -> Response:
    services.add_note(ctx, case_id, NoteIn(text=text))
    return _back(f"/cases/{case_id}#notes")


@router.post("/cases/{case_id}/tasks")
def add_task(case_id: str, ctx: Ctx, title: Annotated[str, Form()], assigned_org_id: Annotated[str, Form()],
             details: Annotated[str, Form()] = "", due_on: Annotated[str, Form()] = "") -> Response:
    services.add_task(ctx, case_id, TaskIn(title=title, details=details, assigned_org_id=assigned_org_id,
                                           due_on=dt.date.fromisoformat(due_on) if due_on else None))
    return _back(f"/cases/{case_id}#tasks")


@router.post("/cases/{case_id}/tasks/{task_id}")
def task_move(case_id: str, task_id: str, ctx: Ctx, move: Annotated[str, Form()],
              outcome: Annotated[str, Form()] = "") -> Response:
    services.act_on_task(ctx, task_id, move, outcome or None)
    return _back(f"/cases/{case_id}#tasks")


@router.post("/cases/{case_id}/links")
def add_link(case_id: str, ctx: Ctx, record_type: Annotated[str, Form()], record_id: Annotated[str, Form()],
             note: Annotated[str, Form()] = "") -> Response:
    services.link_record(ctx, case_id, LinkIn(record_type=record_type, record_id=record_id, note=note))
    return _back(f"/cases/{case_id}#links")


@router.post("/cases/{case_id}/participants")
def add_participant(case_id: str, ctx: Ctx, organisation_id: Annotated[str, Form()],
                    role: Annotated[str, Form()] = "partner") -> Response:
    services.add_participant(ctx, case_id, ParticipantIn(organisation_id=organisation_id, role=role))
    return _back(f"/cases/{case_id}")


@router.post("/cases/{case_id}/permissions")
def grant(case_id: str, ctx: Ctx, organisation_id: Annotated[str, Form()], kind: Annotated[str, Form()]) -> Response:
    services.grant_permission(ctx, case_id, organisation_id, kind)
    return _back(f"/cases/{case_id}")


@router.post("/cases/{case_id}/results")
def add_result(case_id: str, ctx: Ctx, country: Annotated[str, Form()], day: Annotated[str, Form()],
               seizures: Annotated[int, Form()] = 0, articles: Annotated[int, Form()] = 0,
               value: Annotated[float, Form()] = 0, arrests: Annotated[int, Form()] = 0) -> Response:
    services.add_result(ctx, case_id, ResultIn(country=country.upper(), day=dt.date.fromisoformat(day),
                                               seizures=seizures, articles=articles, value_cents=round(value * 100),
                                               arrests=arrests))
    return _back(f"/cases/{case_id}#results")


@router.post("/cases/{case_id}/evidence")
async def add_evidence(request: Request, case_id: str, ctx: Ctx, file: Annotated[UploadFile, File()],
                       title: Annotated[str, Form()], place: Annotated[str, Form()],
                       reason: Annotated[str, Form()], description: Annotated[str, Form()] = "") -> Response:
    data = await file.read()
    ev = evidence.add_evidence(ctx, request.app.state.settings.blob_dir, case_id, title=title,
                               filename=(file.filename or "evidence.bin").rsplit("/", 1)[-1], data=data,
                               media_type=file.content_type or "application/octet-stream", place=place,
                               reason=reason, description=description)
    return _back(f"/evidence/{ev.id}")


@router.get("/cases/{case_id}/package.zip")
def package(request: Request, case_id: str, ctx: Ctx) -> Response:
    state = request.app.state
    data = evidence.export_package(ctx, state.settings, state.session_factory, case_id)
    case = services.get_case(ctx, case_id, audit=False)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{case.reference}-evidence.zip"'})


@router.get("/evidence/{evidence_id}", response_class=HTMLResponse)
def evidence_page(request: Request, evidence_id: str, ctx: Ctx) -> Response:
    case, ev = evidence.get_evidence(ctx, evidence_id)
    steps = [evidence.step_record(s) for s in ev.steps]
    problem = custody.chain_problem(evidence.item_record(ev), steps)
    role = services.participant_role(case, ctx.actor.organisation_id if ctx.actor else None)
    return render(request, "cases/evidence.html", {
        "case": case, "ev": ev, "orgs": _org_names(ctx), "chain_problem": problem,
        "item_hash": custody.item_hash(evidence.item_record(ev)), "actions": custody.ACTIONS[1:],
        "next_actions": sorted(custody.FOLLOWS.get(ev.steps[-1].action if ev.steps else None, frozenset())),
        "can_work": bool(policy.may_work_case(ctx.actor, services.case_marking(case), role)),
        "organisations": accounts.list_organisations(ctx),
    })


@router.post("/evidence/{evidence_id}/custody")
def custody_step(evidence_id: str, ctx: Ctx, action: Annotated[str, Form()], place: Annotated[str, Form()],
                 reason: Annotated[str, Form()], to_org_id: Annotated[str, Form()] = "") -> Response:
    evidence.record_custody(ctx, evidence_id, CustodyIn(action=action, place=place, reason=reason,
                                                        to_org_id=to_org_id or None))
    return _back(f"/evidence/{evidence_id}")


@router.get("/evidence/{evidence_id}/file")
def evidence_download(request: Request, evidence_id: str, ctx: Ctx) -> Response:
    ev, data = evidence.evidence_file(ctx, request.app.state.settings.blob_dir, evidence_id)
    return Response(data, media_type=ev.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{ev.filename}"'})


@router.get("/operations", response_class=HTMLResponse)
def operations_page(request: Request, ctx: Ctx) -> Response:
    ops = services.visible_operations(ctx)
    return render(request, "cases/operations.html", {"ops": ops, "boards": {o.id: services.dashboard(ctx, o.id)
                                                                           for o in ops}})


@router.get("/operations/{operation_id}", response_class=HTMLResponse)
def operation_page(request: Request, operation_id: str, ctx: Ctx) -> Response:
    board = services.dashboard(ctx, operation_id)
    return render(request, "cases/operation.html", {
        "b": board, "cases": [services.case_summary(ctx, c) for c in services.visible_cases(
            ctx, operation_id=board.operation.id)],
    })
