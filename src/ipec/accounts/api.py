"""JSON routes for organisations, users, API tokens and the audit trail."""

from __future__ import annotations

from fastapi import APIRouter, status

from ipec.accounts import services
from ipec.accounts.models import ApiToken, Organisation, User
from ipec.accounts.schemas import (
    AuditOut,
    Me,
    OrganisationIn,
    OrganisationOut,
    TokenCreated,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
)
from ipec.kernel.errors import NotFound
from ipec.web.deps import Ctx

router = APIRouter(prefix="/api/v1", tags=["accounts"])


def org_out(o: Organisation) -> OrganisationOut:
    return OrganisationOut(id=o.id, name=o.name, kind=o.kind, jurisdiction=o.jurisdiction, email=o.email)


def user_out(u: User) -> UserOut:
    return UserOut(id=u.id, username=u.username, display_name=u.display_name, organisation_id=u.organisation_id,
                   organisation_name=u.organisation.name, role=u.role, active=u.active)


def token_out(t: ApiToken) -> TokenOut:
    return TokenOut(id=t.id, name=t.name, prefix=t.prefix, created_at=t.created_at,
                    last_used_at=t.last_used_at, revoked_at=t.revoked_at)


@router.get("/me", response_model=Me)
def me(ctx: Ctx) -> Me:
    assert ctx.actor is not None
    user = ctx.session.get(User, ctx.actor.user_id)
    if user is None:
        raise NotFound("user gone")
    return Me(user=user_out(user), organisation=org_out(user.organisation))


@router.get("/organisations", response_model=list[OrganisationOut])
def list_organisations(ctx: Ctx, kind: str | None = None) -> list[OrganisationOut]:
    return [org_out(o) for o in services.list_organisations(ctx, kind)]


@router.post("/organisations", response_model=OrganisationOut, status_code=status.HTTP_201_CREATED)
def create_organisation(body: OrganisationIn, ctx: Ctx) -> OrganisationOut:
    org = services.create_organisation(ctx, body.name, body.kind, body.jurisdiction, body.email)
    return org_out(org)


@router.get("/organisations/{org_id}", response_model=OrganisationOut)
def get_organisation(org_id: str, ctx: Ctx) -> OrganisationOut:
    return org_out(services.get_organisation(ctx, org_id))


@router.get("/users", response_model=list[UserOut])
def list_users(ctx: Ctx, organisation_id: str | None = None) -> list[UserOut]:
    return [user_out(u) for u in services.list_users(ctx, organisation_id)]


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def create_user(body: UserIn, ctx: Ctx) -> UserOut:
    user = services.create_user(ctx, body.username, body.display_name, body.organisation_id, body.role,
                                body.password, body.email, body.locale)
    return user_out(user)


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(ctx: Ctx) -> list[TokenOut]:
    return [token_out(t) for t in services.list_tokens(ctx)]


@router.post("/tokens", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(body: TokenIn, ctx: Ctx) -> TokenCreated:
    issued = services.create_token(ctx, body.name)
    return TokenCreated(**token_out(issued.token).model_dump(), token=issued.secret)


@router.delete("/tokens/{token_id}", response_model=TokenOut)
def revoke_token(token_id: str, ctx: Ctx) -> TokenOut:
    return token_out(services.revoke_token(ctx, token_id))


@router.get("/audit", response_model=list[AuditOut])
def audit(ctx: Ctx, limit: int = 100, outcome: str | None = None) -> list[AuditOut]:
    return [AuditOut.model_validate(e, from_attributes=True)
            for e in services.recent_audit(ctx, min(max(limit, 1), 1000), outcome)]
