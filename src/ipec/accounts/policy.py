"""Who may read or change what. Pure: an Actor, an Action and a Resource go in, a Decision comes out.

The rules are a table keyed by (resource type, action); each rule is a small predicate with a reason, so a
refusal can be explained to the user and written to the audit trail.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from ipec.kernel.handling import Marking


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


# --- Handling of shared records (TLP, H-codes, audiences) ---------------------------------------------------
#
# Markings bind everyone, administrators included: running the node does not entitle anyone to read another
# agency's intelligence. A record a user may not see must not appear in any list, count, search, chart, export
# or notification, so every such path asks `may_see` (or filters with it) before it shows anything.

OPEN_TLP = frozenset({"CLEAR", "GREEN"})


def may_see(actor: Actor | None, m: Marking) -> Decision:
    if actor is None:
        return deny("not signed in")
    if actor.organisation_id == m.owner:
        return allow("the owner's own record")
    named = actor.organisation_id in m.recipients
    if m.audience == "own_organisation":
        return deny("restricted to the owning organisation")
    if m.audience in ("named_organisations", "group"):
        return allow("named recipient") if named else deny("not among the record's recipients")
    is_authority = actor.org_kind in AUTHORITIES
    open_record = m.tlp in OPEN_TLP and not m.personal_data
    if actor.role == Role.VIEWER and not open_record:
        return deny("a viewer sees only TLP:CLEAR or GREEN records without personal data")
    if m.audience == "national":
        if is_authority and actor.jurisdiction is not None and actor.jurisdiction == m.owner_jurisdiction:
            return allow("authority of the owner's country")
        return deny(f"shared with authorities of {m.owner_jurisdiction or 'the owner country'} only")
    # all_participants
    if is_authority:
        return allow("enforcement authority on the node")
    if open_record:
        return allow("TLP:CLEAR or GREEN record without personal data")
    return deny("shared with enforcement authorities only")


def may_share_onward(actor: Actor | None, m: Marking, permitted: frozenset[str]) -> Decision:
    """May `actor` pass the record to someone outside its audience? `permitted` holds the organisations the
    owner has given recorded permission to."""
    seen = may_see(actor, m)
    if not seen:
        return seen
    assert actor is not None
    if actor.organisation_id == m.owner:
        return allow("the owner decides")
    if m.tlp == "RED":
        return deny("TLP:RED: no further disclosure")
    if m.tlp == "AMBER+STRICT":
        return deny("TLP:AMBER+STRICT: not beyond the recipient's own organisation")
    if m.handling == "H2" and actor.organisation_id not in permitted:
        return deny("H2: onward sharing needs the owner's permission")
    return allow("the marking allows onward sharing")


def may_use_in_court(actor: Actor | None, m: Marking, permitted: frozenset[str]) -> Decision:
    seen = may_see(actor, m)
    if not seen:
        return seen
    assert actor is not None
    if m.handling == "H1" and actor.organisation_id != m.owner and actor.organisation_id not in permitted:
        return deny("H1: not for use in court without the owner's permission")
    return allow("the marking allows use in court")


# --- notices (appended by the notices feature) ----------------------------------------------------------------
#
# Who may issue a notice, and who may manage a subscription. What a notice's readers see is decided by its
# marking through `may_see` above, like any shared record.


def _notice_issue(a: Actor, r: Resource) -> Decision:
    if a.org_kind not in AUTHORITIES:
        return deny("only an enforcement authority may issue a notice")
    if a.role not in (Role.OFFICER, Role.ANALYST):
        return deny("only an officer or analyst may issue a notice")
    return allow("officer or analyst of an enforcement authority")


def _own_subscription(a: Actor, r: Resource) -> Decision:
    if r.subject == a.user_id:
        return allow("the user's own subscription")
    return deny("a subscription belongs to its user")


register("notice", Action.CREATE, _notice_issue)
register("notice_subscription", Action.READ, _own_subscription)
register("notice_subscription", Action.CREATE, _own_subscription)
register("notice_subscription", Action.DELETE, _own_subscription)


# --- cases, joint operations, evidence, mutual legal assistance (cases / assistance features) ---------------
#
# Who may see a case, an operation or a request is `may_see` on its marking. These rules add who may change them.
# The node operator at the shell (the `system` actor of `ipec ...` commands) acts for the node: it may read and
# export case records to run the node (it holds the database anyway); every such read is audited by the caller.


def is_node_operator(actor: Actor | None) -> bool:
    return actor is not None and actor.user_id == "system" and actor.organisation_id == "system"


def may_see_case_record(actor: Actor | None, m: Marking) -> Decision:
    if is_node_operator(actor):
        return allow("node operator at the shell")
    return may_see(actor, m)


CASE_WORKERS = frozenset({Role.OFFICER, Role.ANALYST})


def may_work_case(actor: Actor | None, m: Marking, participant_role: str | None) -> Decision:
    """Add tasks, notes, links, results and evidence to a case: an officer or analyst of a lead or partner
    organisation (observers read only)."""
    if is_node_operator(actor):
        return allow("node operator at the shell")
    seen = may_see(actor, m)
    if not seen:
        return seen
    assert actor is not None
    if actor.role not in CASE_WORKERS:
        return deny("only officers and analysts work on cases")
    if actor.organisation_id == m.owner or participant_role in ("lead", "partner"):
        return allow("lead or partner of the case")
    return deny("an observer of a case may only read it")


def may_manage_case(actor: Actor | None, m: Marking) -> Decision:
    """Change participants, the marking, permissions or the case's state: the lead organisation only."""
    if is_node_operator(actor):
        return allow("node operator at the shell")
    if actor is None:
        return deny("not signed in")
    if actor.role not in CASE_WORKERS:
        return deny("only officers and analysts manage cases")
    if actor.organisation_id != m.owner:
        return deny("only the lead organisation manages the case")
    return allow("lead organisation")


def may_open_case(actor: Actor | None) -> Decision:
    if is_node_operator(actor):
        return allow("node operator at the shell")
    if actor is None:
        return deny("not signed in")
    if actor.org_kind not in AUTHORITIES or actor.role not in CASE_WORKERS:
        return deny("only officers and analysts of an enforcement authority open cases")
    return allow("officer or analyst of an authority")


def may_act_on_task(actor: Actor | None, assigned_org: str, requested_by_org: str, move: str) -> Decision:
    """The assigned agency accepts, declines and completes a task; the requesting agency cancels it."""
    if is_node_operator(actor):
        return allow("node operator at the shell")
    if actor is None:
        return deny("not signed in")
    if actor.role not in CASE_WORKERS:
        return deny("only officers and analysts act on tasks")
    side = requested_by_org if move == "cancel" else assigned_org
    if actor.organisation_id != side:
        return deny("only the requesting agency may cancel a task" if move == "cancel"
                    else "only the agency the task is assigned to may act on it")
    return allow("the task's agency")


def may_act_on_request(actor: Actor | None, side_org: str, side: str) -> Decision:
    """A legal-assistance move belongs to one side: the issuing or the executing authority."""
    if is_node_operator(actor):
        return allow("node operator at the shell")
    if actor is None:
        return deny("not signed in")
    if actor.role not in CASE_WORKERS:
        return deny("only officers and analysts of the authorities act on legal-assistance requests")
    if actor.organisation_id != side_org:
        return deny(f"only the {side} authority may do this")
    return allow(f"the {side} authority")
