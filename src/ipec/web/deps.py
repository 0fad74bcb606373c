"""Request-scoped dependencies: one unit of work per request and the acting user (session cookie or token)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ipec.accounts import services as accounts
from ipec.accounts.models import User
from ipec.kernel.errors import AuthenticationRequired

SESSION_COOKIE = "ipec_session"
LANG_COOKIE = "ipec_lang"


@dataclass(frozen=True)
class OrganisationView:
    id: str
    name: str
    kind: str
    jurisdiction: str | None


@dataclass(frozen=True)
class SignedInUser:
    """What pages show of the signed-in user: a plain copy, still readable after the request's transaction
    has been rolled back (an error page is rendered after the unit of work ends)."""

    id: str
    username: str
    display_name: str
    role: str
    locale: str
    organisation: OrganisationView

    @property
    def organisation_id(self) -> str:
        return self.organisation.id

    @classmethod
    def of(cls, user: User) -> SignedInUser:
        org = user.organisation
        return cls(user.id, user.username, user.display_name, user.role, user.locale,
                   OrganisationView(org.id, org.name, org.kind, org.jurisdiction))


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
            request.state.user = SignedInUser.of(user)
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


def current_user(request: Request) -> SignedInUser | None:
    return getattr(request.state, "user", None)
