"""Pages of the rights register: search with filters (live through htmx) and a right's detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from ipec.accounts import services as accounts
from ipec.kernel import jurisdictions
from ipec.kernel.errors import ValidationFailed
from ipec.rights import nice, offices, services
from ipec.rights.models import PartyRole, RightKind, RightStatus
from ipec.rights.schemas import RightIn
from ipec.web.deps import Ctx
from ipec.web.i18n import N_
from ipec.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = [("/rights", N_("Rights"))]


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


@router.get("/rights", response_class=HTMLResponse)
def rights_page(
    request: Request,
    ctx: Ctx,
    q: str = "",
    mode: str = "auto",
    nice_class: Annotated[str | None, Query()] = None,
    jurisdiction: str = "",
    holder: str = "",
    kind: str = "",
    cursor: str | None = None,
) -> Response:
    query = services.SearchQuery(q or None, mode, _int_or_none(nice_class), jurisdiction or None, holder or None,
                                 kind or None, None, cursor, 25)
    page = services.search(ctx, query)
    context = {
        "page": page, "q": q, "mode": mode, "nice_class": _int_or_none(nice_class), "jurisdiction": jurisdiction,
        "holder": holder, "kind": kind, "classes": nice.headings(), "kinds": list(RightKind),
        "holders": accounts.list_organisations(ctx, "rights_holder"),
        "countries": jurisdictions.countries(), "regions": jurisdictions.regions(),
    }
    context["can_register"] = ctx.actor is not None and ctx.actor.role in ("holder", "officer", "admin") and (
        ctx.actor.org_kind in ("rights_holder", "ip_office") or ctx.actor.role == "admin")
    template = "rights/_results.html" if request.headers.get("hx-request") else "rights/list.html"
    return render(request, template, context)


@router.get("/rights/{right_pk}", response_class=HTMLResponse)
def right_page(request: Request, right_pk: str, ctx: Ctx) -> Response:
    view = services.get(ctx, right_pk)
    r = view.right
    return render(request, "rights/detail.html", {
        "view": view, "r": r, "headings": nice.headings(), "statuses": list(RightStatus),
        "licensees": [p.name for p in r.parties if p.role == PartyRole.LICENSEE],
        "authorized": [p.name for p in r.parties if p.role == PartyRole.AUTHORIZED],
    })


@router.get("/rights/{right_pk}/receipt")
def right_receipt(request: Request, right_pk: str, ctx: Ctx) -> Response:
    """The ledger receipt of the right's latest entry: proof that the register recorded it, checkable offline."""
    index = services.ledger_index(ctx, right_pk)
    if index is None:
        return render(request, "error.html", {"status": 409, "message": "The ledger has not sealed this entry yet; "
                                              "try again in a second."}, status_code=409)
    return RedirectResponse(f"/api/v1/ledger/entries/{index}/receipt", status_code=303)


def _split_list(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\n", ";").replace(",", ";").split(";") if p.strip()]


def _form_context(ctx: Ctx, form: dict[str, str], errors: list[str]) -> dict[str, object]:
    return {"form": form, "errors": errors, "kinds": list(RightKind), "offices": sorted(offices.offices()),
            "holders": accounts.list_organisations(ctx, "rights_holder"),
            "is_holder": ctx.actor is not None and ctx.actor.org_kind == "rights_holder"}


@router.get("/rights-new", response_class=HTMLResponse)
def new_right_page(request: Request, ctx: Ctx) -> Response:
    return render(request, "rights/new.html", _form_context(ctx, {"kind": "trademark"}, []))


@router.post("/rights-new", response_class=HTMLResponse)
async def new_right(request: Request, ctx: Ctx) -> Response:
    """Register a right from the form; every problem is shown next to the form, nothing is half-saved."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    classes, problems = services.check_classes(_split_list(form.get("nice_classes", "")), form.get("kind"))
    if problems:
        return render(request, "rights/new.html", _form_context(ctx, form, [str(p) for p in problems]), 422)
    try:
        data = RightIn.model_validate({
            "right_id": form.get("right_id", ""), "kind": form.get("kind", ""), "mark": form.get("mark", ""),
            "office": form.get("office") or None, "number": form.get("number") or None,
            "filing_date": form.get("filing_date") or None,
            "registration_date": form.get("registration_date") or None,
            "expiry_date": form.get("expiry_date") or None,
            "owner_id": form.get("owner_id") or None,
            "classes": [{"nice_class": c} for c in classes],
            "jurisdictions": [c.upper() for c in _split_list(form.get("jurisdictions", ""))],
            "madrid_ir_number": form.get("madrid_ir_number") or None,
            "madrid_designations": [c.upper() for c in _split_list(form.get("madrid_designations", ""))],
            "authorized_parties": _split_list(form.get("authorized_parties", "")),
            "licensees": _split_list(form.get("licensees", "")),
            "notes": form.get("notes") or None,
        })
        right = services.register(ctx, data)
    except ValidationError as exc:
        errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return render(request, "rights/new.html", _form_context(ctx, form, errors), status_code=422)
    except ValidationFailed as exc:
        ctx.session.rollback()
        return render(request, "rights/new.html", _form_context(ctx, form, [str(p) for p in exc.problems]), 422)
    return RedirectResponse(f"/rights/{right.id}", status_code=303)
