"""The one place domain errors become HTTP answers: problem+json (RFC 9457) for the API, pages for browsers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ipec.kernel import errors

STATUS: dict[type[errors.DomainError], int] = {
    errors.NotFound: 404,
    errors.AuthenticationRequired: 401,
    errors.PermissionDenied: 403,
    errors.ValidationFailed: 422,
    errors.Conflict: 409,
    errors.InvalidTransition: 409,
}

TYPE_BASE = "https://ipec.dev/problems/"


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.DomainError)
    async def _domain(request: Request, exc: errors.DomainError) -> Response:
        status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
        if status == 401 and _wants_html(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        extra: dict[str, Any] = {}
        if isinstance(exc, errors.ValidationFailed):
            extra["errors"] = [
                {"field": p.field, "reason": p.reason, **({"line": p.line} if p.line is not None else {})}
                for p in exc.problems
            ]
        if _wants_html(request):
            templates: Any = request.app.state.templates
            response: Response = templates.TemplateResponse(
                request, "error.html", {"status": status, "message": exc.message}, status_code=status
            )
            return response
        return problem(status, exc.kind, exc.__class__.__name__, exc.message, **extra)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> Response:
        items = [
            {"field": ".".join(str(p) for p in err["loc"] if p not in ("body", "query", "path")),
             "reason": err["msg"]}
            for err in exc.errors()
        ]
        detail = "; ".join(f"{i['field']}: {i['reason']}" for i in items)
        return problem(422, "validation-failed", "ValidationFailed", detail, errors=items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            templates: Any = request.app.state.templates
            response: Response = templates.TemplateResponse(
                request, "error.html", {"status": exc.status_code, "message": str(exc.detail)},
                status_code=exc.status_code,
            )
            return response
        kind = "not-found" if exc.status_code == 404 else "http-error"
        return problem(exc.status_code, kind, "HTTPError", str(exc.detail))
