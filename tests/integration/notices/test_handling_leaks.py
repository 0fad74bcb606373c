"""No path leaks a notice to a user outside its audience.

Table-driven: each row is a marking issued by the French customs officer and the exact set of users who may see
it, written out by hand (not computed with the policy under test). For every row and every user, each read path
must agree with that set: list, count, text search, filters, export, chart counts, opening the notice, the live
stream, and queued and sent e-mails and webhooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ipec.config import Settings
from ipec.kernel.clock import FixedClock
from ipec.kernel.errors import NotFound
from ipec.notices import services, tasks
from ipec.notices.models import Delivery
from ipec.notices.schemas import SubscriptionIn
from tests.integration.notices.conftest import ALL_USERS, issue

pytestmark = pytest.mark.backend

AUTHORITIES = {"admin", "officer_fr", "officer_de", "analyst_fr", "ipo_fr"}

# (case, marking built from the organisation ids, who may see it)
CASES: list[tuple[str, Callable[[dict[str, str]], dict[str, Any]], set[str]]] = [
    ("own organisation", lambda o: {"audience": "own_organisation"}, {"officer_fr"}),
    ("named organisation", lambda o: {"audience": "named_organisations", "recipients": [o["customs_de"]]},
     {"officer_fr", "officer_de"}),
    ("group", lambda o: {"audience": "group", "recipients": [o["customs_de"], o["police_fr"]],
                         "group_name": "Operation Pangea"}, {"officer_fr", "officer_de", "analyst_fr"}),
    ("national", lambda o: {"audience": "national"}, {"officer_fr", "analyst_fr", "ipo_fr"}),
    ("national GREEN", lambda o: {"audience": "national", "tlp": "GREEN"}, {"officer_fr", "analyst_fr", "ipo_fr"}),
    ("all participants AMBER", lambda o: {"audience": "all_participants"}, AUTHORITIES),
    ("all participants AMBER+STRICT H2", lambda o: {"audience": "all_participants", "tlp": "AMBER+STRICT",
                                                    "handling": "H2"}, AUTHORITIES),
    ("all participants GREEN", lambda o: {"audience": "all_participants", "tlp": "GREEN"}, set(ALL_USERS)),
    ("all participants CLEAR", lambda o: {"audience": "all_participants", "tlp": "CLEAR"}, set(ALL_USERS)),
    ("GREEN with personal data", lambda o: {"audience": "all_participants", "tlp": "GREEN", "personal_data": True,
                                            "legal_basis": "Regulation (EU) 2016/794, art. 18"}, AUTHORITIES),
    ("RED to a named organisation", lambda o: {"audience": "named_organisations", "tlp": "RED",
                                               "recipients": [o["police_fr"]]}, {"officer_fr", "analyst_fr"}),
    ("RED to the own organisation", lambda o: {"audience": "own_organisation", "tlp": "RED"}, {"officer_fr"}),
]


class Outbox:
    """A mailer and an HTTP transport that keep what they were given (fakes, not mocks)."""

    def __init__(self) -> None:
        self.mails: list[tuple[str, str, str]] = []
        self.hooks: list[httpx.Request] = []

    def send(self, to: str, subject: str, text: str) -> None:
        self.mails.append((to, subject, text))

    def client(self) -> httpx.Client:
        def handle(request: httpx.Request) -> httpx.Response:
            self.hooks.append(request)
            return httpx.Response(204)

        return httpx.Client(transport=httpx.MockTransport(handle))


def _subscribe_everyone(as_: Any) -> dict[str, str]:
    """Every user who may subscribe follows France by e-mail and webhook; returns hook path -> user."""
    paths = {}
    for name in ALL_USERS:
        if name == "viewer":
            continue  # a viewer may only read; covered by the list and stream paths
        path = f"/hook/{name}"
        services.subscribe(as_(name), SubscriptionIn(name="France", jurisdictions=["FR"], email=True,
                                                     webhook_url=f"https://hooks.example{path}"))
        paths[path] = name
    return paths


@pytest.mark.parametrize(("case", "marking", "expected"), CASES, ids=[c[0] for c in CASES])
def test_every_read_path_shows_the_notice_only_to_its_audience(
    case: str, marking: Callable[[dict[str, str]], dict[str, Any]], expected: set[str],
    world: Any, as_: Any, session: Session, clock: FixedClock,
) -> None:
    hook_users = _subscribe_everyone(as_)
    cursors = {name: services.StreamCursor(services.latest_seq(session)) for name in ALL_USERS}
    tag = "Zyxcase" + str(abs(hash(case)) % 10_000)
    n = issue(as_("officer_fr"), f"{tag} concealment", **marking(world.orgs))

    for name in ALL_USERS:
        c = as_(name)
        may = name in expected
        listed = {v.notice.id for v in services.search(c, services.NoticeQuery()).items}
        assert (n.id in listed) is may, f"{case}: list for {name}"
        found = services.search(c, services.NoticeQuery(q=tag))
        assert found.total == (1 if may else 0), f"{case}: search count for {name}"
        filtered = services.search(c, services.NoticeQuery(type="modus_operandi", category="shoes",
                                                           jurisdiction="EU", hs_chapter=64))
        assert filtered.total == (1 if may else 0), f"{case}: filtered count for {name}"
        assert services.unread_count(c) == (1 if may else 0), f"{case}: unread for {name}"
        assert {v.notice.id for v in services.export(c, services.NoticeQuery())} == ({n.id} if may else set())
        chart = services.stats(c)
        assert chart["by_type"].get("modus_operandi", 0) == (1 if may else 0), f"{case}: chart for {name}"
        assert sum(chart["by_jurisdiction"].values()) == (1 if may else 0)
        pushed = services.pending_pushes(c, cursors[name], services.NoticeQuery())
        assert [v.notice.id for v in pushed] == ([n.id] if may else []), f"{case}: live push for {name}"
        if may:
            assert services.get(c, n.id).notice.id == n.id
        else:
            with pytest.raises(NotFound):
                services.get(c, n.id)

    queued = list(session.scalars(select(Delivery).where(Delivery.notice_id == n.id)))
    by_user = {world.actors[u].user_id: u for u in ALL_USERS}
    assert {by_user[d.user_id] for d in queued} == expected - {"officer_fr", "viewer"}, f"{case}: queued"

    outbox = Outbox()
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    with outbox.client() as http:
        result = tasks.deliver(factory, clock, Settings(base_url="https://node.example"), outbox, http)
    mailed = {to.split("@")[0].replace(".", "_") for to, _, _ in outbox.mails}
    hooked = {hook_users[r.url.path] for r in outbox.hooks}
    assert mailed == expected - {"officer_fr", "viewer"}, f"{case}: e-mail"
    assert hooked == expected - {"officer_fr", "viewer"}, f"{case}: webhook"
    assert result.sent == 2 * len(expected - {"officer_fr", "viewer"})


def test_denied_open_is_audited_and_does_not_reveal_existence(world: Any, as_: Any, session: Session) -> None:
    from ipec.accounts.models import AuditEvent

    n = issue(as_("officer_fr"), "Quietcase", audience="own_organisation")
    c = as_("officer_de")
    with pytest.raises(NotFound) as refused:
        services.get(c, n.id)
    with pytest.raises(NotFound) as missing:
        services.get(c, "00000000-0000-0000-0000-000000000000")
    assert str(refused.value).startswith("no notice") and str(missing.value).startswith("no notice")
    c.finish(failed=False)
    denied = session.scalars(select(AuditEvent).where(AuditEvent.object_id == n.id,
                                                      AuditEvent.outcome == "denied")).all()
    assert [(e.action, e.reason) for e in denied] == [("read", "restricted to the owning organisation")]


def test_a_subscriber_who_lost_access_before_sending_gets_nothing(world: Any, as_: Any, session: Session,
                                                                   clock: FixedClock) -> None:
    from ipec.accounts.models import User

    services.subscribe(as_("officer_de"), SubscriptionIn(name="FR", jurisdictions=["FR"], email=True))
    n = issue(as_("officer_fr"), "Movedcase", audience="all_participants")
    assert session.scalars(select(Delivery).where(Delivery.notice_id == n.id)).one().status == "pending"
    user = session.get(User, world.actors["officer_de"].user_id)
    assert user is not None
    user.active = False
    session.flush()
    outbox = Outbox()
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    result = tasks.deliver(factory, clock, Settings(), outbox, outbox.client())
    assert outbox.mails == [] and result.withheld == 1
    row = session.scalars(select(Delivery).where(Delivery.notice_id == n.id)).one()
    session.refresh(row)
    assert row.status == "withheld" and "gone" in (row.error or "")


def test_restricted_reads_are_audited(world: Any, as_: Any, session: Session) -> None:
    from ipec.accounts.models import AuditEvent

    restricted = issue(as_("officer_fr"), "Auditcase", audience="all_participants")
    open_ = issue(as_("officer_fr"), "Opencase", audience="all_participants", tlp="GREEN")
    c = as_("officer_de")
    services.get(c, restricted.id)
    services.get(c, open_.id)
    services.export(c, services.NoticeQuery())
    c.finish(failed=False)
    reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "read_restricted",
                                                     AuditEvent.user_id == world.actors["officer_de"].user_id))
    got = sorted((e.object_id, (e.reason or "").split(":")[0]) for e in reads)
    assert got == sorted([(restricted.id, "opened"), (restricted.id, "exported")])
