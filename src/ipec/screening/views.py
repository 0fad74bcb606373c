"""HTML pages of screening: an officer uploads a declarations file, watches it go up and get screened, and
reviews the hits with the text that named the mark highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader

from ipec.kernel.errors import NotFound, Problem, ValidationFailed
from ipec.screening import services
from ipec.screening.engine import DEFAULT_THRESHOLD, Hit
from ipec.screening.rules import Declaration
from ipec.screening.runs import Runs
from ipec.web.deps import Ctx
from ipec.web.i18n import N_
from ipec.web.templating import make_templates

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
    return _templates().TemplateResponse(request, name, context, status_code=status_code)


@router.get("/screening", response_class=HTMLResponse)
def screening_page(request: Request, ctx: Ctx) -> Response:
    return _render(request, "screening/screen.html", {"threshold": DEFAULT_THRESHOLD})


# Uploads up to this many declarations are screened within the request; longer ones in the background, with
# the page polling the run's progress.
SYNC_LIMIT = 2_000


def _runs(request: Request) -> Runs:
    state = request.app.state
    runs: Runs | None = getattr(state, "screening_runs", None)
    if runs is None:
        runs = state.screening_runs = Runs()
    return runs


def _results(request: Request, declarations: Sequence[Declaration], hits: Sequence[Hit], problems: list[Problem],
             threshold: float) -> Response:
    by_id = {d.declaration_id: d for d in declarations}
    rows = []
    for hit in hits:
        text = by_id[hit.declaration_id].description
        rows.append({"hit": hit, "before": text[: hit.start], "matched": text[hit.start : hit.end],
                     "after": text[hit.end :], "declaration": by_id[hit.declaration_id]})
    context = {"rows": rows, "hits": hits, "screened": len(declarations), "problems": problems, "refused": [],
               "threshold": threshold}
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
    screener = services.register_screener(ctx, threshold)
    if len(declarations) <= SYNC_LIMIT or not request.headers.get("hx-request"):
        return _results(request, declarations, screener.screen_many(declarations), problems, threshold)
    assert ctx.actor is not None
    run = _runs(request).start(ctx.actor.user_id, screener, declarations, problems)
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
    return _results(request, run.declarations, run.hits, run.problems, DEFAULT_THRESHOLD)
