"""HTML pages of screening: an officer uploads a declarations file, watches it go up and get screened, and
reviews the hits with the text that named the mark highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader

from ipec.kernel.errors import NotFound, Problem, ValidationFailed
from ipec.screening import services
from ipec.screening.engine import DEFAULT_THRESHOLD, Hit, Screener
from ipec.screening.rules import Declaration
from ipec.screening.runs import Runs
from ipec.web.deps import Ctx
from ipec.web.i18n import N_
from ipec.web.templating import make_templates, render

router = APIRouter(tags=["screening pages"], include_in_schema=False)
NAV = [("/screening", N_("Screening"))]


@cache
def _templates() -> Jinja2Templates:
    """The node's templates, with screening's own folder in front (so the page extends base.html)."""
    templates = make_templates()
    own = FileSystemLoader(str(resources.files("ipec.screening").joinpath("templates")))
    loaders: list[BaseLoader] = [own]
    if templates.env.loader is not None:
        loaders.append(templates.env.loader)
    templates.env.loader = ChoiceLoader(loaders)
    return templates


def _render(request: Request, name: str, context: dict[str, object], status_code: int = 200) -> HTMLResponse:
    return render(request, name, context, status_code, templates=_templates())


@router.get("/screening", response_class=HTMLResponse)
def screening_page(request: Request, ctx: Ctx) -> Response:
    return _render(request, "screening/screen.html", {"threshold": DEFAULT_THRESHOLD,
                                                      "recent": services.recent_runs(ctx)})


# Uploads up to this many declarations are screened within the request; longer ones in the background, with
# the page polling the run's progress.
SYNC_LIMIT = 2_000


def _runs(request: Request) -> Runs:
    state = request.app.state
    runs: Runs | None = getattr(state, "screening_runs", None)
    if runs is None:
        runs = state.screening_runs = Runs()
    return runs


def _rows(hits: Sequence[Hit], by_id: dict[str, Declaration]) -> list[dict[str, object]]:
    rows = []
    for hit in hits:
        d = by_id[hit.declaration_id]
        text = d.description
        rows.append({"hit": hit, "before": text[: hit.start], "matched": text[hit.start : hit.end],
                     "after": text[hit.end :], "declaration": d, "detain": _detain_link(hit.declaration_id,
                     hit.right_id, d.description, d.hs_code, d.origin, d.quantity, d.value, d.currency, d.consignee)})
    return rows


def _detain_link(declaration_id: str, right_id: str, description: str, hs_code: str, origin: str,
                 quantity: object, value: object, currency: str, consignee: str) -> str:
    """The customs form to detain the goods, prefilled from the hit (one identifier from hit to detention)."""
    params = {"declaration_id": declaration_id, "right_id": right_id, "description": description,
              "hs_code": hs_code, "origin": origin, "quantity": "" if quantity is None else f"{quantity:g}"
              if isinstance(quantity, float) else str(quantity), "value": "" if value is None else
              f"{value:g}" if isinstance(value, float) else str(value), "currency": currency, "consignee": consignee}
    return "/customs/detentions-new?" + urlencode(params)


def _results(request: Request, declarations: Sequence[Declaration], hits: Sequence[Hit], problems: list[Problem],
             threshold: float, run_id: str | None = None, basis: services.RightsBasis | None = None) -> Response:
    by_id = {d.declaration_id: d for d in declarations}
    context = {"rows": _rows(hits, by_id), "hits": hits, "screened": len(declarations), "problems": problems,
               "refused": [], "threshold": threshold, "run_id": run_id,
               "basis_kind": basis.kind if basis else None, "rights_count": len(basis.records) if basis else None}
    template = "screening/_results.html" if request.headers.get("hx-request") else "screening/screen.html"
    return _render(request, template, context)


@router.post("/screening", response_class=HTMLResponse)
async def screening_run(
    request: Request,
    ctx: Ctx,
    file: Annotated[UploadFile, File()],
    threshold: Annotated[float, Form(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
    skip_invalid: Annotated[bool, Form()] = False,
) -> Response:
    data = await file.read()
    try:
        declarations, problems = services.read_upload(ctx, data, skip_invalid)
    except ValidationFailed as exc:
        return _render(request, "screening/_results.html", {"refused": exc.problems, "hits": [], "rows": []},
                       status_code=200 if request.headers.get("hx-request") else 422)
    rejected = len({p.line for p in problems})
    if len(declarations) <= SYNC_LIMIT or not request.headers.get("hx-request"):
        basis = services.rights_basis(ctx)
        kept, hits = services.screen_and_record(ctx, "page", declarations, threshold, rejected, basis)
        return _results(request, declarations, hits, problems, threshold, kept.id, basis)
    assert ctx.actor is not None
    basis = services.rights_basis(ctx)
    screener = Screener(services.rights_from_records(basis.records), threshold=threshold)
    run = _runs(request).start(ctx.actor.user_id, screener, declarations, problems)
    run.basis, run.threshold = basis, threshold
    return _render(request, "screening/_progress.html", {"run": run})


@router.get("/screening/runs/{run_id}", response_class=HTMLResponse)
def screening_progress(request: Request, run_id: str, ctx: Ctx) -> Response:
    assert ctx.actor is not None
    run = _runs(request).get(run_id, ctx.actor.user_id)
    if run is None:
        raise NotFound("no such screening run")
    if not run.finished:
        return _render(request, "screening/_progress.html", {"run": run})
    if run.error:
        return _render(request, "screening/_results.html",
                       {"refused": [Problem("run", run.error)], "hits": [], "rows": []})
    if run.kept_id is None:  # keep the run on the node once, when the officer's page first sees it finished
        kept = services.record_run(ctx, "page", run.threshold, run.declarations, run.hits,
                                   len({p.line for p in run.problems}), run.basis)
        run.kept_id = kept.id
    return _results(request, run.declarations, run.hits, run.problems, run.threshold, run.kept_id, run.basis)


@router.get("/screening/kept/{run_id}", response_class=HTMLResponse)
def kept_run(request: Request, run_id: str, ctx: Ctx) -> Response:
    """A run kept on the node, with its hits, highlights and detain links."""
    run = services.get_run(ctx, run_id)
    rows = []
    for h in run.hits:
        text = h.description
        rows.append({"hit": h, "before": text[: h.matched_start], "matched": text[h.matched_start : h.matched_end],
                     "after": text[h.matched_end :], "declaration": h,
                     "detain": _detain_link(h.declaration_id, h.right_id, h.description, h.hs_code, h.origin,
                                            h.quantity, h.value, h.currency, h.consignee)})
    return _render(request, "screening/screen.html", {
        "rows": rows, "hits": run.hits, "screened": run.declarations, "problems": [], "refused": [],
        "threshold": run.threshold, "run_id": run.id, "kept": run, "recent": services.recent_runs(ctx)})
