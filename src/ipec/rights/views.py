"""Pages of the rights register: search with filters (live through htmx) and a right's detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipec.accounts import services as accounts
from ipec.kernel import jurisdictions
from ipec.rights import nice, services
from ipec.rights.models import PartyRole, RightKind, RightStatus
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
