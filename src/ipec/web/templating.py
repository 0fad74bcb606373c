"""Jinja2 pages: every template gets the user's language (`_`), the signed-in user and the language list."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ipec.kernel import jurisdictions
from ipec.web import i18n
from ipec.web.deps import LANG_COOKIE, current_user


def page_locale(request: Request) -> str:
    user = current_user(request)
    return i18n.negotiate(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        user.locale if user is not None else None,
        request.headers.get("accept-language"),
    )


def _context(request: Request) -> dict[str, Any]:
    locale = page_locale(request)
    tr = i18n.translations(locale)
    return {
        "_": tr.gettext,
        "ngettext": tr.ngettext,
        "locale": locale,
        "locales": i18n.LOCALES,
        "user": current_user(request),
        "country_name": jurisdictions.name,
        "path": request.url.path,
        "nav": getattr(request.app.state, "nav", []),
    }


def make_templates() -> Jinja2Templates:
    directory = str(resources.files("ipec.web").joinpath("templates"))
    templates = Jinja2Templates(directory=directory, context_processors=[_context])
    templates.env.autoescape = True
    return templates


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           templates: Jinja2Templates | None = None) -> HTMLResponse:
    """Render a page; a language chosen with ?lang= is remembered in a cookie for the next requests (htmx ones
    included). `templates` lets a feature put its own template folder in front of the node's."""
    templates = templates or request.app.state.templates
    assert templates is not None
    response = templates.TemplateResponse(request, name, context or {}, status_code=status_code)
    chosen = request.query_params.get("lang")
    if chosen in i18n.LOCALES:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax")
    return response
