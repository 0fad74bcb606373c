"""No list, count, search, dashboard figure or evidence read shows a case to a user outside its audience."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.models import AuditEvent
from ipec.accounts.policy import Actor
from ipec.cases import evidence, services
from ipec.cases.schemas import CaseIn, LinkIn, MarkingIn, OperationIn, ParticipantIn, ResultIn, TaskIn
from ipec.kernel.errors import NotFound, PermissionDenied
from tests.integration.conftest import World

pytestmark = pytest.mark.backend

Make = Callable[[Actor | None], accounts.Context]
USERS = ("officer_fr", "analyst_fr", "officer_de", "police_de", "prosecutor_fr", "holder_a", "viewer", "admin",
         "ipo_fr")

# (marking, participants besides the lead customs_fr, users who see it)
CASES: list[tuple[str, dict[str, object], list[str], set[str]]] = [
    ("group", {}, ["police_fr"], {"officer_fr", "analyst_fr"}),
    ("group with DE partner", {}, ["police_fr", "police_de"], {"officer_fr", "analyst_fr", "police_de"}),
    ("own organisation", {"audience": "own_organisation"}, ["police_fr"], {"officer_fr"}),
    ("RED named", {"tlp": "RED", "audience": "named_organisations"}, ["prosecutor_fr"],
     {"officer_fr", "prosecutor_fr"}),
    ("national", {"audience": "national"}, [], {"officer_fr", "analyst_fr", "prosecutor_fr", "ipo_fr"}),
    ("all participants AMBER", {"audience": "all_participants"}, [],
     {"officer_fr", "analyst_fr", "officer_de", "police_de", "prosecutor_fr", "admin", "ipo_fr"}),
    ("all participants GREEN", {"audience": "all_participants", "tlp": "GREEN"}, [], set(USERS)),
]


@pytest.fixture
def marked(world: World, ctx: Make, tmp_path: Path) -> tuple[World, dict[str, str], str]:
    """One case per marking, all in one operation, each with a result and an evidence item."""
    owner = ctx(world.actors["officer_fr"])
    op = services.create_operation(owner, OperationIn(name="Operation Test", starts_on=dt.date(2026, 11, 1),
                                                      marking=MarkingIn(audience="group")))
    ids = {}
    for name, marking, partners, _ in CASES:
        case = services.open_case(owner, CaseIn(
            title=f"Case {name}", operation_id=op.id, marking=MarkingIn(**marking),  # type: ignore[arg-type]
            participants=[ParticipantIn(organisation_id=world.orgs[p]) for p in partners]))
        services.add_result(owner, case.id, ResultIn(country="FR", day=dt.date(2026, 11, 20), seizures=1,
                                                     articles=100, value_cents=5000, arrests=1))
        evidence.add_evidence(owner, tmp_path, case.id, title=f"Photo {name}", filename="p.jpg", data=name.encode(),
                              media_type="image/jpeg", place="Roissy", reason="seized")
        services.link_record(owner, case.id, LinkIn(record_type="seizure", record_id=f"SZ-{name}"))
        ids[name] = case.id
    return world, ids, op.id


@pytest.mark.parametrize("user", USERS)
def test_lists_counts_search_dashboard_show_only_the_audience(marked: tuple[World, dict[str, str], str], ctx: Make,
                                                               user: str) -> None:
    world, ids, op_id = marked
    c = ctx(world.actors[user])
    expected = {ids[name] for name, _, _, who in CASES if user in who}
    assert {case.id for case in services.visible_cases(c)} == expected
    assert {case.id for case in services.visible_cases(c, q="Case")} == expected
    assert {case.id for case in services.visible_cases(c, operation_id=None, state="open")} == expected
    linked = {case.id for name in ids for case in services.cases_linked_to(c, "seizure", f"SZ-{name}")}
    assert linked == expected
    for _name, case_id in ids.items():
        if case_id in expected:
            assert services.get_case(c, case_id).id == case_id
            assert len(services.case_view(c, case_id).evidence) == 1
        else:
            with pytest.raises(NotFound):
                services.get_case(c, case_id)
            with pytest.raises(NotFound):
                evidence.get_evidence(c, services.case_view(ctx(world.actors["officer_fr"]), case_id).evidence[0].id)
    try:
        board = services.dashboard(c, op_id)
    except NotFound:
        # Not in the operation's group: the operation itself is hidden unless some case of it is visible.
        assert user not in {"officer_fr", "analyst_fr", "police_de", "prosecutor_fr"}
        return
    assert board.cases == len(expected)
    assert board.totals == {"seizures": len(expected), "articles": 100 * len(expected),
                            "value_cents": 5000 * len(expected), "arrests": len(expected)}
    assert sum(v["articles"] for v in board.by_country.values()) == 100 * len(expected)
    assert board.weeks == (["2026-W47"] if expected else [])


def test_hidden_case_read_is_refused_and_audited(marked: tuple[World, dict[str, str], str], ctx: Make) -> None:
    world, ids, _ = marked
    c = ctx(world.actors["officer_de"])
    with pytest.raises(NotFound):
        services.get_case(c, ids["group"])
    assert [(e.action, e.outcome, e.object_id) for e in c.deferred_audit] == [("read", "denied", ids["group"])]


def test_restricted_read_is_audited(marked: tuple[World, dict[str, str], str], ctx: Make) -> None:
    world, ids, _ = marked
    c = ctx(world.actors["analyst_fr"])
    services.get_case(c, ids["group"])
    assert [(e.action, e.object_id) for e in c.deferred_audit] == [("read_restricted", ids["group"])]


def test_observer_reads_but_cannot_work(world: World, ctx: Make) -> None:
    owner = ctx(world.actors["officer_fr"])
    case = services.open_case(owner, CaseIn(title="Observed", participants=[
        ParticipantIn(organisation_id=world.orgs["police_de"], role="observer")]))
    observer = ctx(world.actors["police_de"])
    assert services.get_case(observer, case.id).id == case.id
    with pytest.raises(PermissionDenied, match="observer"):
        services.add_task(observer, case.id, TaskIn(title="x", assigned_org_id=world.orgs["customs_fr"]))


def test_task_goes_from_request_to_done_by_the_right_agencies(world: World, ctx: Make) -> None:
    owner = ctx(world.actors["officer_fr"])
    case = services.open_case(owner, CaseIn(title="Tasks", participants=[
        ParticipantIn(organisation_id=world.orgs["police_de"])]))
    task = services.add_task(owner, case.id, TaskIn(title="Search the warehouse", assigned_org_id=world.orgs[
        "police_de"], due_on=dt.date(2026, 12, 10)))
    with pytest.raises(PermissionDenied, match="assigned"):
        services.act_on_task(owner, task.id, "accept")
    de = ctx(world.actors["police_de"])
    assert [t.id for t in services.my_tasks(de)] == [task.id]
    services.act_on_task(de, task.id, "accept")
    done = services.act_on_task(de, task.id, "complete", "2 000 fake bearings found")
    assert done.state == "done"
    kinds = [e.kind for e in services.case_view(owner, case.id).timeline]
    assert kinds == ["opened", "task", "task", "task"]
    audited = owner.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == task.id)).all()
    assert sorted(audited) == ["accept", "complete", "create"]
