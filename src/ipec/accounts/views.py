"""Pages: sign in and out, the dashboard, organisation and user administration, API tokens, audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipec.accounts import services
from ipec.accounts.policy import Action, OrgKind, Resource, Role
from ipec.kernel import jurisdictions
from ipec.kernel.errors import AuthenticationRequired, DomainError
from ipec.reports.dashboard import summary
from ipec.web.deps import SESSION_COOKIE, Ctx, OptionalCtx
from ipec.web.templating import page_locale, render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only local paths: a crafted ?next= must not send a freshly signed-in user to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, ctx: OptionalCtx, next: str | None = None) -> Response:
    if ctx.actor is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, ctx: OptionalCtx, username: Annotated[str, Form()], password: Annotated[str, Form()],
          next: Annotated[str, Form()] = "/") -> Response:
    try:
        user = services.authenticate(ctx, username, password)
    except AuthenticationRequired:
        return render(request, "login.html", {"next": _safe_next(next), "error": "bad-credentials",
                                              "username": username}, status_code=401)
    secret = services.start_session(ctx, user, request.app.state.settings.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax",
                        secure=request.app.state.settings.cookie_secure,
                        max_age=request.app.state.settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, ctx: OptionalCtx) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        services.end_session(ctx, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/language/{code}")
def set_language(code: str, request: Request, ctx: OptionalCtx, back: str = "/") -> Response:
    """Remember the chosen language (cookie, and the user's profile when signed in) and go back."""
    response = RedirectResponse(_safe_next(back), status_code=303)
    if code in ("en", "fr", "es"):
        response.set_cookie("ipec_lang", code, max_age=365 * 24 * 3600, samesite="lax")
        services.set_locale(ctx, code)
    return response


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, ctx: Ctx) -> Response:
    figures = summary(ctx)
    # Features add their own figures (overdue detentions, unread notices, ...) through `dashboard_tiles(ctx)`
    # in their views module; each counts only what this user may see.
    for provider in request.app.state.dashboard_providers:
        figures.tiles.extend(provider(ctx))
    return render(request, "dashboard.html", {"summary": figures, "locale": page_locale(request)})


@router.get("/admin/organisations", response_class=HTMLResponse)
def organisations_page(request: Request, ctx: Ctx) -> Response:
    return render(request, "admin/organisations.html", _org_page_context(ctx))


def _org_page_context(ctx: services.Context, error: str | None = None,
                      form: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "organisations": services.list_organisations(ctx),
        "kinds": list(OrgKind),
        "countries": jurisdictions.countries(),
        "regions": jurisdictions.regions(),
        "can_create": services.can(ctx, Action.CREATE, Resource("organisation")),
        "error": error,
        "form": form or {},
    }


@router.post("/admin/organisations", response_class=HTMLResponse)
def create_organisation(request: Request, ctx: Ctx, name: Annotated[str, Form()], kind: Annotated[str, Form()],
                        jurisdiction: Annotated[str, Form()] = "", email: Annotated[str, Form()] = "") -> Response:
    try:
        services.create_organisation(ctx, name, kind, jurisdiction or None, email or None)
    except DomainError as exc:
        ctx.session.rollback()
        form = {"name": name, "kind": kind, "jurisdiction": jurisdiction, "email": email}
        return render(request, "admin/organisations.html", _org_page_context(ctx, exc.message, form), 422)
    return RedirectResponse("/admin/organisations", status_code=303)


def _user_page_context(ctx: services.Context, error: str | None = None,
                       form: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "users": services.list_users(ctx),
        "organisations": services.list_organisations(ctx),
        "roles": list(Role),
        "can_create": services.can(ctx, Action.CREATE, Resource("user")),
        "error": error,
        "form": form or {},
    }


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, ctx: Ctx) -> Response:
    return render(request, "admin/users.html", _user_page_context(ctx))


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(request: Request, ctx: Ctx, username: Annotated[str, Form()], organisation_id: Annotated[str, Form()],
                role: Annotated[str, Form()], password: Annotated[str, Form()],
                display_name: Annotated[str, Form()] = "", email: Annotated[str, Form()] = "") -> Response:
    try:
        services.create_user(ctx, username, display_name, organisation_id, role, password, email or None)
    except DomainError as exc:
        ctx.session.rollback()
        form = {"username": username, "organisation_id": organisation_id, "role": role,
                "display_name": display_name, "email": email}
        return render(request, "admin/users.html", _user_page_context(ctx, exc.message, form), 422)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/active")
def toggle_user(user_id: str, ctx: Ctx, active: Annotated[str, Form()]) -> Response:
    services.set_user_active(ctx, user_id, active == "1")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/account/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, ctx: Ctx) -> Response:
    return render(request, "account/tokens.html", {"tokens": services.list_tokens(ctx), "new_secret": None})


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(request: Request, ctx: Ctx, name: Annotated[str, Form()]) -> Response:
    issued = services.create_token(ctx, name)
    return render(request, "account/tokens.html", {"tokens": services.list_tokens(ctx), "new_secret": issued.secret,
                                                   "new_name": issued.token.name})


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, ctx: Ctx) -> Response:
    services.revoke_token(ctx, token_id)
    return RedirectResponse("/account/tokens", status_code=303)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, ctx: Ctx, outcome: str | None = None) -> Response:
    return render(request, "admin/audit.html", {"events": services.recent_audit(ctx, 200, outcome or None),
                                                "outcome": outcome or ""})
