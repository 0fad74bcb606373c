"""Who may read or change what. Pure: an Actor, an Action and a Resource go in, a Decision comes out.

The rules are a table keyed by (resource type, action); each rule is a small predicate with a reason, so a
refusal can be explained to the user and written to the audit trail.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass


class OrgKind(enum.StrEnum):
    CUSTOMS = "customs"
    POLICE = "police"
    PROSECUTOR = "prosecutor"
    COURT = "court"
    IP_OFFICE = "ip_office"
    RIGHTS_HOLDER = "rights_holder"
    COORDINATOR = "coordinator"


AUTHORITIES = frozenset(
    {OrgKind.CUSTOMS, OrgKind.POLICE, OrgKind.PROSECUTOR, OrgKind.COURT, OrgKind.IP_OFFICE, OrgKind.COORDINATOR}
)


class Role(enum.StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    ANALYST = "analyst"
    HOLDER = "holder"
    VIEWER = "viewer"


class Action(enum.StrEnum):
    READ = "read"
    READ_RESTRICTED = "read_restricted"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Actor:
    user_id: str
    organisation_id: str
    org_kind: str
    jurisdiction: str | None
    role: str


@dataclass(frozen=True)
class Resource:
    """What the action touches. `owner` is the owning organisation; `jurisdiction` the country whose
    authorities keep the record (a right's office country or region, a detention's customs territory)."""

    type: str
    owner: str | None = None
    jurisdiction: str | None = None
    subject: str | None = None  # the user a user/token record belongs to


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


Rule = Callable[[Actor, Resource], Decision]


def allow(reason: str) -> Decision:
    return Decision(True, reason)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def _is_admin(a: Actor) -> bool:
    return a.role == Role.ADMIN


def _same_country(a: Actor, r: Resource) -> bool:
    return a.jurisdiction is not None and r.jurisdiction is not None and a.jurisdiction == r.jurisdiction


def _anyone(a: Actor, r: Resource) -> Decision:
    return allow("every signed-in user may read the public register")


def _admin_only(a: Actor, r: Resource) -> Decision:
    return allow("node administrator") if _is_admin(a) else deny("only a node administrator may do this")


def _right_restricted_read(a: Actor, r: Resource) -> Decision:
    if _is_admin(a):
        return allow("node administrator")
    if r.owner == a.organisation_id:
        return allow("the holder's own right")
    if a.org_kind in AUTHORITIES and a.role in (Role.OFFICER, Role.ANALYST):
        return allow("enforcement authority")
    if a.org_kind == OrgKind.RIGHTS_HOLDER:
        return deny("restricted data of another rights holder")
    return deny("restricted data is for the holder and enforcement authorities")


def _right_write(a: Actor, r: Resource) -> Decision:
    if _is_admin(a):
        return allow("node administrator")
    if a.role == Role.HOLDER and a.org_kind == OrgKind.RIGHTS_HOLDER:
        if r.owner == a.organisation_id:
            return allow("the holder's own right")
        return deny("a holder may only register and change its own rights")
    if a.role == Role.OFFICER and a.org_kind == OrgKind.IP_OFFICE:
        if _same_country(a, r):
            return allow("IP office of the right's jurisdiction")
        return deny("an IP office may only change rights of its own jurisdiction")
    return deny("only the holder, the competent IP office or an administrator may change a right")


def _own_token(a: Actor, r: Resource) -> Decision:
    if r.subject == a.user_id:
        return allow("the user's own token")
    if _is_admin(a):
        return allow("node administrator")
    return deny("a token belongs to its user")


def _audit_read(a: Actor, r: Resource) -> Decision:
    if _is_admin(a):
        return allow("node administrator")
    if a.role == Role.ANALYST and a.org_kind == OrgKind.COORDINATOR:
        return allow("coordinating analyst")
    return deny("the audit trail is for administrators")


def _jurisdiction_record_write(a: Actor, r: Resource) -> Decision:
    """Records kept by a country's authorities (detentions, seizures, ...): that country's officers only."""
    if _is_admin(a):
        return allow("node administrator")
    if a.role != Role.OFFICER or a.org_kind not in AUTHORITIES:
        return deny("only an officer of an enforcement authority may change this record")
    if not _same_country(a, r):
        return deny(f"an officer of {a.jurisdiction or '?'} may not change a record of {r.jurisdiction or '?'}")
    return allow("officer of the record's jurisdiction")


RULES: dict[tuple[str, Action], Rule] = {
    ("right", Action.READ): _anyone,
    ("right", Action.READ_RESTRICTED): _right_restricted_read,
    ("right", Action.CREATE): _right_write,
    ("right", Action.UPDATE): _right_write,
    ("right", Action.DELETE): _admin_only,
    ("organisation", Action.READ): _anyone,
    ("organisation", Action.CREATE): _admin_only,
    ("organisation", Action.UPDATE): _admin_only,
    ("user", Action.READ): _anyone,
    ("user", Action.CREATE): _admin_only,
    ("user", Action.UPDATE): _admin_only,
    ("token", Action.READ): _own_token,
    ("token", Action.CREATE): _own_token,
    ("token", Action.DELETE): _own_token,
    ("audit", Action.READ): _audit_read,
    ("jurisdiction_record", Action.CREATE): _jurisdiction_record_write,
    ("jurisdiction_record", Action.UPDATE): _jurisdiction_record_write,
}


def decide(actor: Actor | None, action: Action, resource: Resource) -> Decision:
    if actor is None:
        return deny("not signed in")
    if actor.role == Role.VIEWER and action != Action.READ:
        return deny("a viewer may only read")
    rule = RULES.get((resource.type, action))
    if rule is None:
        # Deny by default: a new record type gets no access until a rule says so.
        return deny(f"no rule lets anyone {action} a {resource.type}")
    return rule(actor, resource)


def register(resource_type: str, action: Action, rule: Rule) -> None:
    """Let a feature add the rules for its own record types (called at import of its services)."""
    RULES[(resource_type, action)] = rule
