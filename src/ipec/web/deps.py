"""Request-scoped dependencies: one unit of work per request and the acting user (session cookie or token)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from ipec.accounts import services as accounts
from ipec.accounts.models import User
from ipec.kernel.errors import AuthenticationRequired

SESSION_COOKIE = "ipec_session"
LANG_COOKIE = "ipec_lang"


def _resolve_user(request: Request, ctx: accounts.Context) -> User | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return accounts.user_for_token(ctx, header[7:].strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return accounts.user_for_session(ctx.session, cookie, ctx.clock.now())
    return None


def get_context(request: Request) -> Iterator[accounts.Context]:
    state = request.app.state
    ctx = accounts.Context(session=state.session_factory(), clock=state.clock,
                           ip=request.client.host if request.client else None)
    failed = False
    try:
        user = _resolve_user(request, ctx)
        if user is not None:
            ctx.actor = accounts.actor_of(user)
            request.state.user = user
        yield ctx
    except BaseException:
        failed = True
        raise
    finally:
        try:
            ctx.finish(failed=failed)
        finally:
            ctx.session.close()


def require_user(request: Request, ctx: Annotated[accounts.Context, Depends(get_context)]) -> accounts.Context:
    if ctx.actor is None:
        raise AuthenticationRequired("sign in, or send an API token as 'Authorization: Bearer …'")
    return ctx


Ctx = Annotated[accounts.Context, Depends(require_user)]
OptionalCtx = Annotated[accounts.Context, Depends(get_context)]


def current_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)
