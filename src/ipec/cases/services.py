"""The only writers of cases and operations, and every read of them filtered by the handling policy.

A case is a marked record: its participants are the recipients of its marking (the 'group' audience by default),
so `policy.may_see` decides who sees it, and everything hanging off a case (tasks, links, notes, results, evidence,
dashboard figures) is shown only to whoever may see the case. Lists and counts are computed after that filter, so a
case a user may not see never shows up in a number either. Reads of restricted cases are audited; so is a refusal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select

from ipec.accounts import policy
from ipec.accounts.models import Organisation
from ipec.accounts.services import Context, audit_denied, audit_read, audit_write
from ipec.cases import transitions
from ipec.cases.models import (
    Case,
    Evidence,
    Link,
    MarkingColumns,
    Note,
    Operation,
    Participant,
    ParticipantRole,
    Permission,
    Result,
    Task,
    TimelineEvent,
)
from ipec.cases.schemas import CaseIn, LinkIn, MarkingIn, NoteIn, OperationIn, ParticipantIn, ResultIn, TaskIn
from ipec.kernel import handling, jurisdictions
from ipec.kernel.errors import InvalidTransition, NotFound, PermissionDenied, Problem, ValidationFailed
from ipec.kernel.ids import new_id
from ipec.ledger import services as ledger

RECORD_TYPES = ("screening_hit", "detention", "seizure", "notice", "goods", "case")
PERMISSION_KINDS = ("share_onward", "court_use")
# Markings below AMBER without personal data are not 'restricted': reading them is not audited one by one.
RESTRICTED_TLP = frozenset({"AMBER", "AMBER+STRICT", "RED"})


# --- markings ----------------------------------------------------------------------------------------------------


def _marking(row: MarkingColumns, recipients: frozenset[str]) -> handling.Marking:
    return handling.Marking(
        owner=row.owner_org_id, owner_jurisdiction=row.owner_jurisdiction, tlp=row.tlp, handling=row.handling,
        handling_note=row.handling_note, source_reliability=row.source_reliability,
        information_reliability=row.information_reliability, audience=row.audience, recipients=recipients,
        purpose=row.purpose, legal_basis=row.legal_basis, personal_data=row.personal_data,
    )


def case_marking(case: Case) -> handling.Marking:
    return _marking(case, frozenset(p.organisation_id for p in case.participants))


def operation_marking(ctx: Context, op: Operation) -> handling.Marking:
    """An operation's group: its coordinator and every organisation taking part in one of its cases."""
    members = ctx.session.scalars(
        select(Participant.organisation_id).join(Case, Case.id == Participant.case_id).where(
            Case.operation_id == op.id)
    ).all()
    return _marking(op, frozenset({op.owner_org_id, *members}))


def _set_marking(row: MarkingColumns, m: MarkingIn, owner: Organisation) -> None:
    row.owner_org_id = owner.id
    row.owner_jurisdiction = owner.jurisdiction
    for name in ("tlp", "handling", "handling_note", "source_reliability", "information_reliability", "audience",
                 "purpose", "legal_basis", "personal_data"):
        setattr(row, name, getattr(m, name))


def is_restricted(m: handling.Marking) -> bool:
    return m.tlp in RESTRICTED_TLP or m.personal_data


def _check_marking(m: handling.Marking) -> None:
    problems = [Problem(f"marking.{p.field}", p.reason) for p in handling.check(m)]
    if problems:
        raise ValidationFailed(problems)


def _actor_org(ctx: Context) -> Organisation:
    if ctx.actor is None:
        raise PermissionDenied("sign in first")
    org = ctx.session.get(Organisation, ctx.actor.organisation_id)
    if org is None:
        raise ValidationFailed([Problem("organisation", "the node operator acts for no organisation; use --as USER")])
    return org


def _deny(ctx: Context, action: str, object_type: str, object_id: str | None, decision: policy.Decision) -> None:
    if not decision:
        audit_denied(ctx, action, object_type, object_id, decision.reason)
        raise PermissionDenied(decision.reason)


def timeline_event(ctx: Context, case: Case, kind: str, summary: str) -> None:
    ctx.session.add(TimelineEvent(
        case_id=case.id, at=ctx.clock.now(), kind=kind, summary=summary,
        user_id=ctx.actor.user_id if ctx.actor else None,
        organisation_id=ctx.actor.organisation_id if ctx.actor else None,
    ))
    case.updated_at = ctx.clock.now()


def _next_reference(ctx: Context, model: type[Case] | type[Operation] | type[Evidence], prefix: str) -> str:
    year = ctx.clock.today().year
    count = ctx.session.scalar(
        select(func.count()).select_from(model).where(model.reference.like(f"{prefix}-{year}-%")))
    return f"{prefix}-{year}-{(count or 0) + 1:04d}"


# --- reading cases -----------------------------------------------------------------------------------------------


def participant_role(case: Case, org_id: str | None) -> str | None:
    return next((p.role for p in case.participants if p.organisation_id == org_id), None)


def sees(ctx: Context, case: Case) -> bool:
    return bool(policy.may_see_case_record(ctx.actor, case_marking(case)))


def visible_cases(ctx: Context, *, operation_id: str | None = None, state: str | None = None,
                  q: str | None = None, country: str | None = None) -> list[Case]:
    """Every case the actor may see, newest first. The SQL narrows the candidates; the policy decides."""
    query = select(Case).order_by(Case.created_at.desc(), Case.reference.desc())
    actor = ctx.actor
    if actor is None:
        return []
    if not policy.is_node_operator(actor):
        mine = select(Participant.case_id).where(Participant.organisation_id == actor.organisation_id)
        query = query.where(or_(Case.owner_org_id == actor.organisation_id, Case.id.in_(mine),
                                Case.audience.in_(("national", "all_participants"))))
    if operation_id:
        query = query.where(Case.operation_id == operation_id)
    if state:
        query = query.where(Case.state == state)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Case.title.ilike(like), Case.reference.ilike(like), Case.summary.ilike(like)))
    found = [c for c in ctx.session.scalars(query).unique() if sees(ctx, c)]
    if country:
        found = [c for c in found if country in countries_of(c)]
    restricted = [c.reference for c in found if is_restricted(case_marking(c))]
    if restricted:
        audit_read(ctx, "case", None, f"listed {len(restricted)} restricted case(s): {', '.join(restricted[:20])}")
    return found


def countries_of(case: Case) -> list[str]:
    return sorted({p.organisation.jurisdiction for p in case.participants if p.organisation.jurisdiction})


def get_case(ctx: Context, case_id: str, *, audit: bool = True) -> Case:
    """The case, if the actor may see it. A case the actor may not see is reported as not found (its existence
    is itself information), and the refusal is audited."""
    case = ctx.session.get(Case, case_id)
    if case is None:
        case = ctx.session.scalar(select(Case).where(Case.reference == case_id))
    if case is None:
        raise NotFound(f"no case {case_id}")
    decision = policy.may_see_case_record(ctx.actor, case_marking(case))
    if not decision:
        audit_denied(ctx, "read", "case", case.id, decision.reason)
        raise NotFound(f"no case {case_id}")
    if audit and is_restricted(case_marking(case)):
        audit_read(ctx, "case", case.id, decision.reason)
    return case


def permitted(ctx: Context, case: Case, kind: str) -> frozenset[str]:
    return frozenset(ctx.session.scalars(
        select(Permission.organisation_id).where(Permission.case_id == case.id, Permission.kind == kind)))


@dataclass
class CaseView:
    case: Case
    marking: handling.Marking
    role: str | None
    tasks: list[Task]
    links: list[Link]
    notes: list[Note]
    timeline: list[TimelineEvent]
    results: list[Result]
    evidence: list[Evidence]
    permissions: list[Permission]
    can_work: bool
    can_manage: bool
    court_use: policy.Decision
    share_onward: policy.Decision
    extra: dict[str, Any] = field(default_factory=dict)


def case_view(ctx: Context, case_id: str) -> CaseView:
    case = get_case(ctx, case_id)
    m = case_marking(case)
    org = ctx.actor.organisation_id if ctx.actor else None
    role = participant_role(case, org)
    s = ctx.session
    return CaseView(
        case=case, marking=m, role=role,
        tasks=list(s.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.created_at))),
        links=list(s.scalars(select(Link).where(Link.case_id == case.id).order_by(Link.added_at))),
        notes=list(s.scalars(select(Note).where(Note.case_id == case.id).order_by(Note.created_at))),
        timeline=list(s.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id)
                                .order_by(TimelineEvent.at, TimelineEvent.id))),
        results=list(s.scalars(select(Result).where(Result.case_id == case.id).order_by(Result.day))),
        evidence=list(s.scalars(select(Evidence).where(Evidence.case_id == case.id).order_by(Evidence.reference))),
        permissions=list(s.scalars(select(Permission).where(Permission.case_id == case.id))),
        can_work=bool(policy.may_work_case(ctx.actor, m, role)),
        can_manage=bool(policy.may_manage_case(ctx.actor, m)),
        court_use=policy.may_use_in_court(ctx.actor, m, permitted(ctx, case, "court_use")),
        share_onward=policy.may_share_onward(ctx.actor, m, permitted(ctx, case, "share_onward")),
    )


def open_tasks(ctx: Context, case: Case) -> int:
    return ctx.session.scalar(select(func.count()).select_from(Task).where(
        Task.case_id == case.id, Task.state.in_(transitions.PENDING))) or 0


def my_tasks(ctx: Context) -> list[Task]:
    """Pending tasks assigned to the actor's organisation, in cases it may still see."""
    if ctx.actor is None:
        return []
    rows = ctx.session.scalars(select(Task).where(
        Task.assigned_org_id == ctx.actor.organisation_id, Task.state.in_(transitions.PENDING)
    ).order_by(Task.due_on)).all()
    cases = {t.case_id: ctx.session.get(Case, t.case_id) for t in rows}
    return [t for t in rows if (c := cases[t.case_id]) is not None and sees(ctx, c)]


# --- writing cases -----------------------------------------------------------------------------------------------


def _organisation(ctx: Context, org_id: str, field_name: str) -> Organisation:
    org = ctx.session.get(Organisation, org_id)
    if org is None:
        raise ValidationFailed([Problem(field_name, f"no organisation {org_id}")])
    return org


def open_case(ctx: Context, data: CaseIn) -> Case:
    _deny(ctx, "create", "case", None, policy.may_open_case(ctx.actor))
    owner = _actor_org(ctx)
    problems = []
    if not data.title.strip():
        problems.append(Problem("title", "is required"))
    roles = {p.role for p in data.participants}
    if unknown := roles - {r.value for r in ParticipantRole}:
        problems.append(Problem("participants.role", f"unknown role(s) {', '.join(sorted(unknown))}"))
    if problems:
        raise ValidationFailed(problems)
    now = ctx.clock.now()
    case = Case(id=new_id(), reference=_next_reference(ctx, Case, "CASE"), title=data.title.strip(),
                summary=data.summary, state="open", created_at=now, updated_at=now)
    _set_marking(case, data.marking, owner)
    case.participants = [Participant(id=new_id(), organisation_id=owner.id, role=ParticipantRole.LEAD, added_at=now)]
    for p in data.participants:
        if p.organisation_id != owner.id:
            _organisation(ctx, p.organisation_id, "participants.organisation_id")
            case.participants.append(Participant(id=new_id(), organisation_id=p.organisation_id, role=p.role,
                                                 added_at=now))
    _check_marking(case_marking(case))
    if data.operation_id:
        op = get_operation(ctx, data.operation_id)
        case.operation_id = op.id
    ctx.session.add(case)
    ctx.session.flush()
    timeline_event(ctx, case, "opened", f"case opened by {owner.name}")
    audit_write(ctx, "create", "case", case.id, {"reference": case.reference})
    ledger.append(ctx.session, "case.opened", {
        "case_id": case.id, "reference": case.reference, "owner": owner.id, "tlp": case.tlp,
        "handling": case.handling, "at": now.isoformat(),
    })
    ctx.session.commit()
    return case


def _workable(ctx: Context, case_id: str) -> Case:
    case = get_case(ctx, case_id, audit=False)
    m = case_marking(case)
    role = participant_role(case, ctx.actor.organisation_id if ctx.actor else None)
    _deny(ctx, "update", "case", case.id, policy.may_work_case(ctx.actor, m, role))
    if case.state != "open":
        raise InvalidTransition(f"case {case.reference} is {case.state}")
    return case


def _manageable(ctx: Context, case_id: str) -> Case:
    case = get_case(ctx, case_id, audit=False)
    _deny(ctx, "update", "case", case.id, policy.may_manage_case(ctx.actor, case_marking(case)))
    return case


def add_participant(ctx: Context, case_id: str, data: ParticipantIn) -> Participant:
    case = _manageable(ctx, case_id)
    org = _organisation(ctx, data.organisation_id, "organisation_id")
    if data.role not in {r.value for r in ParticipantRole} or data.role == ParticipantRole.LEAD:
        raise ValidationFailed([Problem("role", "partner or observer")])
    if participant_role(case, org.id):
        raise ValidationFailed([Problem("organisation_id", f"{org.name} already takes part")])
    p = Participant(id=new_id(), organisation_id=org.id, role=data.role, added_at=ctx.clock.now())
    case.participants.append(p)
    timeline_event(ctx, case, "participant", f"{org.name} joins as {data.role}")
    audit_write(ctx, "update", "case", case.id, {"participant": org.id, "role": data.role})
    ctx.session.commit()
    return p


def grant_permission(ctx: Context, case_id: str, organisation_id: str, kind: str) -> Permission:
    """The owner records that `organisation_id` may share the case onward (H2) or use it in court (H1)."""
    case = _manageable(ctx, case_id)
    if kind not in PERMISSION_KINDS:
        raise ValidationFailed([Problem("kind", f"one of {', '.join(PERMISSION_KINDS)}")])
    org = _organisation(ctx, organisation_id, "organisation_id")
    existing = ctx.session.scalar(select(Permission).where(
        Permission.case_id == case.id, Permission.organisation_id == org.id, Permission.kind == kind))
    if existing:
        return existing
    row = Permission(id=new_id(), case_id=case.id, organisation_id=org.id, kind=kind,
                     granted_by=ctx.actor.user_id if ctx.actor else "", granted_at=ctx.clock.now())
    ctx.session.add(row)
    timeline_event(ctx, case, "permission", f"{org.name} may {kind.replace('_', ' ')}")
    audit_write(ctx, "grant", "case_permission", case.id, {"organisation": org.id, "kind": kind})
    ledger.append(ctx.session, "case.permission", {"case_id": case.id, "organisation": org.id, "kind": kind,
                                                   "at": ctx.clock.now().isoformat()})
    ctx.session.commit()
    return row


def set_state(ctx: Context, case_id: str, state: str) -> Case:
    case = _manageable(ctx, case_id)
    if state not in ("open", "closed"):
        raise ValidationFailed([Problem("state", "open or closed")])
    if case.state != state:
        case.state = state
        timeline_event(ctx, case, state, f"case {state}")
        audit_write(ctx, "update", "case", case.id, {"state": state})
        ctx.session.commit()
    return case


def add_task(ctx: Context, case_id: str, data: TaskIn) -> Task:
    case = _workable(ctx, case_id)
    assigned = _organisation(ctx, data.assigned_org_id, "assigned_org_id")
    problems = []
    if not data.title.strip():
        problems.append(Problem("title", "is required"))
    if not participant_role(case, assigned.id):
        problems.append(Problem("assigned_org_id", f"{assigned.name} does not take part in the case; add it first"))
    if data.due_on and data.due_on < ctx.clock.today():
        problems.append(Problem("due_on", "is in the past"))
    if problems:
        raise ValidationFailed(problems)
    assert ctx.actor is not None
    now = ctx.clock.now()
    task = Task(id=new_id(), case_id=case.id, title=data.title.strip(), details=data.details,
                requested_by_org_id=_actor_org(ctx).id, assigned_org_id=assigned.id, due_on=data.due_on,
                state="open", created_at=now, updated_at=now)
    ctx.session.add(task)
    timeline_event(ctx, case, "task", f"action required from {assigned.name}: {task.title}")
    audit_write(ctx, "create", "case_task", task.id, {"case": case.id, "assigned": assigned.id})
    ctx.session.commit()
    return task


def act_on_task(ctx: Context, task_id: str, move: str, outcome: str | None = None) -> Task:
    task = ctx.session.get(Task, task_id)
    if task is None:
        raise NotFound(f"no task {task_id}")
    case = get_case(ctx, task.case_id, audit=False)
    new_state, _side = transitions.task_move(task.state, move)
    _deny(ctx, move, "case_task", task.id,
          policy.may_act_on_task(ctx.actor, task.assigned_org_id, task.requested_by_org_id, move))
    task.state = new_state
    task.outcome = outcome or task.outcome
    task.updated_at = ctx.clock.now()
    timeline_event(ctx, case, "task", f"task '{task.title}' {new_state}" + (f": {outcome}" if outcome else ""))
    audit_write(ctx, move, "case_task", task.id, {"state": new_state})
    ctx.session.commit()
    return task


def link_record(ctx: Context, case_id: str, data: LinkIn) -> Link:
    case = _workable(ctx, case_id)
    problems = []
    if data.record_type not in RECORD_TYPES:
        problems.append(Problem("record_type", f"one of {', '.join(RECORD_TYPES)}"))
    if not data.record_id.strip() or len(data.record_id) > 80:
        problems.append(Problem("record_id", "1 to 80 characters"))
    if problems:
        raise ValidationFailed(problems)
    existing = ctx.session.scalar(select(Link).where(Link.case_id == case.id, Link.record_type == data.record_type,
                                                     Link.record_id == data.record_id.strip()))
    if existing:
        return existing
    link = Link(id=new_id(), case_id=case.id, record_type=data.record_type, record_id=data.record_id.strip(),
                note=data.note, added_by_org_id=_actor_org(ctx).id, added_at=ctx.clock.now())
    ctx.session.add(link)
    timeline_event(ctx, case, "link", f"{data.record_type} {link.record_id} linked")
    audit_write(ctx, "create", "case_link", link.id, {"case": case.id, "type": data.record_type})
    ctx.session.commit()
    return link


def cases_linked_to(ctx: Context, record_type: str, record_id: str) -> list[Case]:
    """Cases (that the actor may see) linked to a record: how other features find the case of a seizure."""
    ids = ctx.session.scalars(select(Link.case_id).where(Link.record_type == record_type,
                                                         Link.record_id == record_id)).all()
    return [c for c in (ctx.session.get(Case, i) for i in ids) if c is not None and sees(ctx, c)]


def add_note(ctx: Context, case_id: str, data: NoteIn) -> Note:
    case = _workable(ctx, case_id)
    if not data.text.strip():
        raise ValidationFailed([Problem("text", "is required")])
    assert ctx.actor is not None
    note = Note(id=new_id(), case_id=case.id, author_id=ctx.actor.user_id, author_org_id=_actor_org(ctx).id,
                text=data.text.strip(), created_at=ctx.clock.now())
    ctx.session.add(note)
    timeline_event(ctx, case, "note", "note added")
    audit_write(ctx, "create", "case_note", note.id, {"case": case.id})
    ctx.session.commit()
    return note


def add_result(ctx: Context, case_id: str, data: ResultIn) -> Result:
    case = _workable(ctx, case_id)
    problems = []
    if not jurisdictions.is_valid(data.country) or len(data.country) != 2:
        problems.append(Problem("country", f"{data.country!r} is not an ISO 3166 country"))
    for name in ("seizures", "articles", "value_cents", "arrests"):
        if getattr(data, name) < 0:
            problems.append(Problem(name, "cannot be negative"))
    if data.day > ctx.clock.today():
        problems.append(Problem("day", "is in the future"))
    if problems:
        raise ValidationFailed(problems)
    row = Result(id=new_id(), case_id=case.id, country=data.country, day=data.day, seizures=data.seizures,
                 articles=data.articles, value_cents=data.value_cents, arrests=data.arrests,
                 record_id=data.record_id, created_at=ctx.clock.now())
    ctx.session.add(row)
    timeline_event(ctx, case, "result", f"{data.country} {data.day}: {data.seizures} seizure(s), {data.articles} "
                                    f"article(s), {data.arrests} arrest(s)")
    audit_write(ctx, "create", "case_result", row.id, {"case": case.id})
    ctx.session.commit()
    return row


# --- operations --------------------------------------------------------------------------------------------------


def create_operation(ctx: Context, data: OperationIn) -> Operation:
    _deny(ctx, "create", "operation", None, policy.may_open_case(ctx.actor))
    owner = _actor_org(ctx)
    if not data.name.strip():
        raise ValidationFailed([Problem("name", "is required")])
    if data.ends_on and data.ends_on < data.starts_on:
        raise ValidationFailed([Problem("ends_on", "is before starts_on")])
    op = Operation(id=new_id(), reference=_next_reference(ctx, Operation, "OP"), name=data.name.strip(),
                   description=data.description, starts_on=data.starts_on, ends_on=data.ends_on,
                   created_at=ctx.clock.now())
    _set_marking(op, data.marking, owner)
    _check_marking(_marking(op, frozenset({owner.id})))
    ctx.session.add(op)
    audit_write(ctx, "create", "operation", op.id, {"reference": op.reference})
    ctx.session.commit()
    return op


def get_operation(ctx: Context, operation_id: str) -> Operation:
    op = ctx.session.get(Operation, operation_id) or ctx.session.scalar(
        select(Operation).where(Operation.reference == operation_id))
    if op is None:
        raise NotFound(f"no operation {operation_id}")
    decision = policy.may_see_case_record(ctx.actor, operation_marking(ctx, op))
    if not decision:
        audit_denied(ctx, "read", "operation", op.id, decision.reason)
        raise NotFound(f"no operation {operation_id}")
    return op


def visible_operations(ctx: Context) -> list[Operation]:
    ops = ctx.session.scalars(select(Operation).order_by(Operation.starts_on.desc())).all()
    return [o for o in ops if policy.may_see_case_record(ctx.actor, operation_marking(ctx, o))]


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


FIGURES = ("seizures", "articles", "value_cents", "arrests")


@dataclass
class Dashboard:
    operation: Operation
    cases: int
    countries: list[str]
    totals: dict[str, int]
    by_country: dict[str, dict[str, int]]
    by_week: dict[str, dict[str, int]]
    by_country_week: dict[tuple[str, str], dict[str, int]]
    weeks: list[str]


def dashboard(ctx: Context, operation_id: str) -> Dashboard:
    """The operation's figures from the cases the actor may see, and only those."""
    op = get_operation(ctx, operation_id)
    cases = visible_cases(ctx, operation_id=op.id)
    results = ctx.session.scalars(select(Result).where(Result.case_id.in_([c.id for c in cases]))).all() if cases \
        else []

    def zero() -> dict[str, int]:
        return dict.fromkeys(FIGURES, 0)

    totals = zero()
    by_country: dict[str, dict[str, int]] = defaultdict(zero)
    by_week: dict[str, dict[str, int]] = defaultdict(zero)
    by_cw: dict[tuple[str, str], dict[str, int]] = defaultdict(zero)
    for r in results:
        week = iso_week(r.day)
        for name in FIGURES:
            value = int(getattr(r, name))
            totals[name] += value
            by_country[r.country][name] += value
            by_week[week][name] += value
            by_cw[(r.country, week)][name] += value
    countries = sorted({*by_country, *(c for case in cases for c in countries_of(case))})
    return Dashboard(op, len(cases), countries, totals, dict(sorted(by_country.items())),
                     dict(sorted(by_week.items())), dict(by_cw), sorted(by_week))


def case_summary(ctx: Context, case: Case) -> dict[str, Any]:
    return {
        "id": case.id, "reference": case.reference, "title": case.title, "state": case.state,
        "owner": case.owner.name, "owner_jurisdiction": case.owner_jurisdiction,
        "operation": case.operation.reference if case.operation else None, "tlp": case.tlp,
        "handling": case.handling, "participants": [p.organisation.name for p in case.participants],
        "countries": countries_of(case), "open_tasks": open_tasks(ctx, case), "created_at": case.created_at,
    }
