"""The only writers of organisations, users, sessions, tokens and the audit trail.

A `Context` carries what every service call needs: the session (one transaction per request or batch), the
acting user, the clock and the caller's address. `authorize()` asks the policy and, on a refusal, records the
denial so that it survives the rollback of the refused request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipec.accounts.models import ApiToken, AuditEvent, LoginSession, Organisation, User
from ipec.accounts.policy import Action, Actor, OrgKind, Resource, Role, decide
from ipec.config import Settings
from ipec.db.session import make_engine, make_session_factory
from ipec.kernel import jurisdictions
from ipec.kernel.clock import Clock, SystemClock
from ipec.kernel.errors import (
    AuthenticationRequired,
    Conflict,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from ipec.kernel.ids import new_id, new_secret

_hasher = PasswordHasher()
TOKEN_PREFIX = "ipec_"
MIN_PASSWORD_LENGTH = 10


@dataclass
class Context:
    session: Session
    clock: Clock
    actor: Actor | None = None
    ip: str | None = None
    # Audit events that must outlive this transaction (denials, reads): written by `finish()`.
    deferred_audit: list[AuditEvent] = field(default_factory=list)

    def finish(self, *, failed: bool) -> None:
        """End the unit of work: roll back on failure, then persist deferred audit events on their own."""
        if failed:
            self.session.rollback()
        else:
            self.session.commit()  # small bookkeeping such as a token's last use
        if self.deferred_audit:
            self.session.add_all(self.deferred_audit)
            self.deferred_audit = []
            self.session.commit()


SYSTEM_ACTOR = Actor("system", "system", OrgKind.COORDINATOR, None, Role.ADMIN)


@contextmanager
def system_context(settings: Settings) -> Iterator[Context]:
    """A unit of work run by the node operator at the shell: acts with the node's own authority, audited as
    'system'. Rolled back on error; deferred audit events are kept either way."""
    engine = make_engine(settings.database_url)
    ctx = Context(session=make_session_factory(engine)(), clock=SystemClock(), ip="cli", actor=SYSTEM_ACTOR)
    failed = False
    try:
        yield ctx
    except BaseException:
        failed = True
        raise
    finally:
        ctx.finish(failed=failed)
        ctx.session.close()
        engine.dispose()


def actor_of(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        organisation_id=user.organisation_id,
        org_kind=user.organisation.kind,
        jurisdiction=user.organisation.jurisdiction,
        role=user.role,
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- audit -------------------------------------------------------------------------------------------------


def _event(ctx: Context, action: str, object_type: str, object_id: str | None, outcome: str,
           reason: str | None = None, detail: dict[str, Any] | None = None) -> AuditEvent:
    return AuditEvent(
        at=ctx.clock.now(),
        user_id=ctx.actor.user_id if ctx.actor else None,
        organisation_id=ctx.actor.organisation_id if ctx.actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        reason=reason,
        ip=ctx.ip,
        detail=detail,
    )


def audit_write(ctx: Context, action: str, object_type: str, object_id: str | None,
                detail: dict[str, Any] | None = None) -> None:
    """Record a write in the same transaction as the write: both commit or neither does."""
    ctx.session.add(_event(ctx, action, object_type, object_id, "allowed", detail=detail))


def audit_read(ctx: Context, object_type: str, object_id: str | None, reason: str) -> None:
    """Record a read of restricted data; kept even when the request writes nothing."""
    ctx.deferred_audit.append(_event(ctx, "read_restricted", object_type, object_id, "allowed", reason))


def audit_denied(ctx: Context, action: str, object_type: str, object_id: str | None, reason: str) -> None:
    """Record a refusal decided outside the policy table (kept even though the request rolls back)."""
    ctx.deferred_audit.append(_event(ctx, action, object_type, object_id, "denied", reason))


def authorize(ctx: Context, action: Action, resource: Resource, object_id: str | None = None) -> None:
    decision = decide(ctx.actor, action, resource)
    if decision.allowed:
        return
    ctx.deferred_audit.append(_event(ctx, str(action), resource.type, object_id, "denied", decision.reason))
    if ctx.actor is None:
        raise AuthenticationRequired("sign in first")
    raise PermissionDenied(decision.reason)


def can(ctx: Context, action: Action, resource: Resource) -> bool:
    """Ask the policy without recording anything (to decide what to show, not to refuse)."""
    return decide(ctx.actor, action, resource).allowed


def recent_audit(ctx: Context, limit: int = 100, outcome: str | None = None) -> list[AuditEvent]:
    authorize(ctx, Action.READ, Resource("audit"))
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if outcome:
        q = q.where(AuditEvent.outcome == outcome)
    return list(ctx.session.scalars(q))


# --- organisations and users ---------------------------------------------------------------------------


def _check_org_fields(name: str, kind: str, jurisdiction: str | None) -> list[Problem]:
    problems = []
    if not name.strip():
        problems.append(Problem("name", "is required"))
    if kind not in {k.value for k in OrgKind}:
        problems.append(Problem("kind", f"unknown organisation kind {kind!r}; one of {', '.join(OrgKind)}"))
    if jurisdiction and not jurisdictions.is_valid(jurisdiction):
        problems.append(Problem("jurisdiction", f"unknown ISO 3166 code or region {jurisdiction!r}"))
    if not jurisdiction and kind != OrgKind.RIGHTS_HOLDER:
        problems.append(Problem("jurisdiction", "is required for an authority"))
    return problems


def create_organisation(ctx: Context, name: str, kind: str, jurisdiction: str | None,
                        email: str | None = None) -> Organisation:
    authorize(ctx, Action.CREATE, Resource("organisation"))
    org = add_organisation(ctx, name, kind, jurisdiction, email)
    ctx.session.commit()
    return org


def add_organisation(ctx: Context, name: str, kind: str, jurisdiction: str | None,
                     email: str | None = None) -> Organisation:
    """Add an organisation inside the caller's batch (imports, demo, bootstrap): no policy check, no commit."""
    jurisdiction = jurisdiction.strip().upper() if jurisdiction else None
    problems = _check_org_fields(name, kind, jurisdiction)
    if problems:
        raise ValidationFailed(problems)
    if ctx.session.scalar(select(Organisation.id).where(Organisation.name == name.strip())):
        raise Conflict(f"an organisation named {name.strip()!r} already exists")
    org = Organisation(id=new_id(), name=name.strip(), kind=kind, jurisdiction=jurisdiction, email=email,
                       created_at=ctx.clock.now())
    ctx.session.add(org)
    ctx.session.flush()
    audit_write(ctx, "organisation.create", "organisation", org.id, {"name": org.name, "kind": kind})
    return org


def get_organisation(ctx: Context, org_id: str) -> Organisation:
    authorize(ctx, Action.READ, Resource("organisation"))
    org = ctx.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(f"no organisation {org_id}")
    return org


def organisation_by_name(session: Session, name: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.name == name.strip()))


def list_organisations(ctx: Context, kind: str | None = None) -> list[Organisation]:
    authorize(ctx, Action.READ, Resource("organisation"))
    q = select(Organisation).order_by(Organisation.name)
    if kind:
        q = q.where(Organisation.kind == kind)
    return list(ctx.session.scalars(q))


def create_user(ctx: Context, username: str, display_name: str, organisation_id: str, role: str,
                password: str, email: str | None = None, locale: str = "en") -> User:
    authorize(ctx, Action.CREATE, Resource("user"))
    user = add_user(ctx, username, display_name, organisation_id, role, password, email, locale)
    ctx.session.commit()
    return user


def add_user(ctx: Context, username: str, display_name: str, organisation_id: str, role: str,
             password: str, email: str | None = None, locale: str = "en") -> User:
    """Add a user inside the caller's batch (demo, bootstrap): no policy check, no commit."""
    problems = []
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        problems.append(Problem("username", "letters, digits, '.', '-' and '_' only"))
    if role not in {r.value for r in Role}:
        problems.append(Problem("role", f"unknown role {role!r}; one of {', '.join(Role)}"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem("password", f"must be at least {MIN_PASSWORD_LENGTH} characters"))
    org = ctx.session.get(Organisation, organisation_id)
    if org is None:
        problems.append(Problem("organisation_id", "no such organisation"))
    elif role == Role.HOLDER and org.kind != OrgKind.RIGHTS_HOLDER:
        problems.append(Problem("role", "the holder role is for members of a rights-holder organisation"))
    if problems:
        raise ValidationFailed(problems)
    if ctx.session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"the username {username!r} is taken")
    user = User(id=new_id(), username=username, display_name=display_name.strip() or username,
                email=email, organisation_id=organisation_id, role=role,
                password_hash=_hasher.hash(password), locale=locale, active=True, created_at=ctx.clock.now())
    ctx.session.add(user)
    ctx.session.flush()
    audit_write(ctx, "user.create", "user", user.id, {"username": username, "role": role})
    return user


def list_users(ctx: Context, organisation_id: str | None = None) -> list[User]:
    authorize(ctx, Action.READ, Resource("user"))
    q = select(User).order_by(User.username)
    if organisation_id:
        q = q.where(User.organisation_id == organisation_id)
    return list(ctx.session.scalars(q))


def set_user_active(ctx: Context, user_id: str, active: bool) -> User:
    authorize(ctx, Action.UPDATE, Resource("user"), user_id)
    user = ctx.session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    user.active = active
    if not active:
        ctx.session.query(LoginSession).filter(LoginSession.user_id == user_id).delete()
    audit_write(ctx, "user.activate" if active else "user.deactivate", "user", user_id)
    ctx.session.commit()
    return user


def set_locale(ctx: Context, locale: str) -> None:
    if ctx.actor is None:
        return
    user = ctx.session.get(User, ctx.actor.user_id)
    if user is not None and user.locale != locale:
        user.locale = locale
        ctx.session.commit()


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


# --- passwords and sessions ----------------------------------------------------------------------------


def authenticate(ctx: Context, username: str, password: str) -> User:
    user = ctx.session.scalar(select(User).where(User.username == username.strip().lower()))
    ok = False
    if user is not None and user.active:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        # Spend the same time on unknown users so response times do not reveal which usernames exist.
        _hasher.hash(password)
    if not ok or user is None:
        ctx.deferred_audit.append(_event(ctx, "login", "user", username[:80], "denied", "bad credentials"))
        raise AuthenticationRequired("unknown username or wrong password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def start_session(ctx: Context, user: User, hours: int) -> str:
    secret = new_secret()
    now = ctx.clock.now()
    ctx.session.add(LoginSession(id_hash=_sha256(secret), user_id=user.id, created_at=now,
                                 expires_at=now + dt.timedelta(hours=hours), ip=ctx.ip))
    ctx.actor = actor_of(user)
    audit_write(ctx, "login", "user", user.id)
    ctx.session.commit()
    return secret


def end_session(ctx: Context, secret: str) -> None:
    ctx.session.query(LoginSession).filter(LoginSession.id_hash == _sha256(secret)).delete()
    audit_write(ctx, "logout", "user", ctx.actor.user_id if ctx.actor else None)
    ctx.session.commit()


def user_for_session(session: Session, secret: str, now: dt.datetime) -> User | None:
    row = session.get(LoginSession, _sha256(secret))
    if row is None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


# --- API tokens ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user once; never stored


def create_token(ctx: Context, name: str) -> IssuedToken:
    if ctx.actor is None:
        raise AuthenticationRequired("sign in first")
    authorize(ctx, Action.CREATE, Resource("token", subject=ctx.actor.user_id))
    if not name.strip():
        raise ValidationFailed([Problem("name", "is required")])
    secret = TOKEN_PREFIX + new_secret()
    token = ApiToken(id=new_id(), user_id=ctx.actor.user_id, name=name.strip()[:120], prefix=secret[:12],
                     token_hash=_sha256(secret), created_at=ctx.clock.now())
    ctx.session.add(token)
    ctx.session.flush()
    audit_write(ctx, "token.create", "token", token.id, {"name": token.name})
    ctx.session.commit()
    return IssuedToken(token, secret)


def list_tokens(ctx: Context) -> list[ApiToken]:
    if ctx.actor is None:
        raise AuthenticationRequired("sign in first")
    q = select(ApiToken).where(ApiToken.user_id == ctx.actor.user_id).order_by(ApiToken.created_at.desc())
    return list(ctx.session.scalars(q))


def revoke_token(ctx: Context, token_id: str) -> ApiToken:
    token = ctx.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    authorize(ctx, Action.DELETE, Resource("token", subject=token.user_id), token_id)
    if token.revoked_at is None:
        token.revoked_at = ctx.clock.now()
        audit_write(ctx, "token.revoke", "token", token_id)
        ctx.session.commit()
    return token


def user_for_token(ctx: Context, secret: str) -> User:
    """Resolve a bearer token; a revoked or unknown token is refused and the refusal audited."""
    token = ctx.session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha256(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        reason = "revoked token" if token is not None and token.revoked_at else "unknown token"
        ctx.deferred_audit.append(
            _event(ctx, "token.use", "token", token.id if token else secret[:12], "denied", reason)
        )
        raise AuthenticationRequired(f"{reason}: the API token is not valid")
    token.last_used_at = ctx.clock.now()
    return token.user
