"""The dashboard's figures, counted from the records the signed-in user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ipec.accounts import services as accounts
from ipec.accounts.models import AuditEvent, Organisation
from ipec.accounts.policy import Action, OrgKind, Resource
from ipec.rights.models import Right, RightStatus


@dataclass(frozen=True)
class Tile:
    """One figure on the dashboard. `label` is an untranslated message id; `tone` is "", "warn" or "bad"."""

    number: int
    label: str
    href: str | None = None
    tone: str = ""


@dataclass
class Summary:
    rights: int
    registered_rights: int
    holders: int
    organisations: int
    countries: int
    own_rights: int | None
    recent_rights: list[Right] = field(default_factory=list)
    recent_denials: int | None = None
    can_admin: bool = False
    tiles: list[Tile] = field(default_factory=list)


def summary(ctx: accounts.Context) -> Summary:
    s = ctx.session
    rights = s.scalar(select(func.count()).select_from(Right)) or 0
    registered = s.scalar(select(func.count()).select_from(Right).where(Right.status == RightStatus.REGISTERED)) or 0
    holders = s.scalar(select(func.count()).select_from(Organisation)
                       .where(Organisation.kind == OrgKind.RIGHTS_HOLDER)) or 0
    orgs = s.scalar(select(func.count()).select_from(Organisation)) or 0
    countries = s.scalar(select(func.count(func.distinct(Organisation.jurisdiction)))
                         .where(Organisation.kind != OrgKind.RIGHTS_HOLDER)) or 0
    own = None
    if ctx.actor is not None and ctx.actor.org_kind == OrgKind.RIGHTS_HOLDER:
        own = s.scalar(select(func.count()).select_from(Right).where(Right.owner_id == ctx.actor.organisation_id))
    recent = list(s.scalars(select(Right).order_by(Right.updated_at.desc(), Right.id).limit(8)))
    can_admin = accounts.can(ctx, Action.READ, Resource("audit"))
    denials = None
    if can_admin:
        denials = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.outcome == "denied")) or 0
    return Summary(rights, registered, holders, orgs, countries, own, recent, denials, can_admin)
