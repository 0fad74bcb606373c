"""The access policy as a table: role × organisation kind × record owner × action → allowed or not."""

from __future__ import annotations

import pytest

from ipec.accounts.policy import Action, Actor, Resource, decide

OWN = "org-own"
OTHER = "org-other"


def actor(role: str, kind: str, jurisdiction: str | None = "FR", org: str = OWN) -> Actor:
    return Actor("u1", org, kind, jurisdiction, role)


# (role, org kind, owner of the right, jurisdiction of the right, action, allowed)
RIGHT_TABLE = [
    # Everyone signed in reads the public register.
    ("viewer", "coordinator", OTHER, "FR", Action.READ, True),
    ("holder", "rights_holder", OTHER, "FR", Action.READ, True),
    ("officer", "customs", OTHER, "DE", Action.READ, True),
    # Restricted data: the holder's own, and enforcement authorities; never another holder, never a viewer.
    ("holder", "rights_holder", OWN, "FR", Action.READ_RESTRICTED, True),
    ("holder", "rights_holder", OTHER, "FR", Action.READ_RESTRICTED, False),
    ("officer", "customs", OTHER, "DE", Action.READ_RESTRICTED, True),
    ("analyst", "police", OTHER, "US", Action.READ_RESTRICTED, True),
    ("officer", "court", OTHER, "FR", Action.READ_RESTRICTED, True),
    ("viewer", "customs", OTHER, "FR", Action.READ_RESTRICTED, False),
    ("viewer", "coordinator", OTHER, "FR", Action.READ_RESTRICTED, False),
    ("admin", "coordinator", OTHER, "FR", Action.READ_RESTRICTED, True),
    # Writes: the holder for its own rights; the IP office of the right's jurisdiction; an administrator.
    ("holder", "rights_holder", OWN, None, Action.CREATE, True),
    ("holder", "rights_holder", OTHER, None, Action.CREATE, False),
    ("holder", "rights_holder", OWN, "FR", Action.UPDATE, True),
    ("holder", "rights_holder", OTHER, "FR", Action.UPDATE, False),
    ("officer", "ip_office", OTHER, "FR", Action.UPDATE, True),
    ("officer", "ip_office", OTHER, "DE", Action.UPDATE, False),
    ("officer", "customs", OTHER, "FR", Action.UPDATE, False),
    ("analyst", "police", OTHER, "FR", Action.UPDATE, False),
    ("viewer", "rights_holder", OWN, "FR", Action.UPDATE, False),
    ("admin", "coordinator", OTHER, "DE", Action.UPDATE, True),
    ("holder", "rights_holder", OWN, "FR", Action.DELETE, False),
    ("admin", "coordinator", OTHER, "FR", Action.DELETE, True),
]


@pytest.mark.parametrize(("role", "kind", "owner", "jurisdiction", "action", "allowed"), RIGHT_TABLE)
def test_right_policy(role: str, kind: str, owner: str, jurisdiction: str | None, action: Action,
                      allowed: bool) -> None:
    decision = decide(actor(role, kind), action, Resource("right", owner=owner, jurisdiction=jurisdiction))
    assert decision.allowed is allowed, decision.reason
    assert decision.reason  # every decision explains itself


# Records kept by a country's authorities: only that country's officers change them.
RECORD_TABLE = [
    ("officer", "customs", "FR", "FR", True),
    ("officer", "customs", "DE", "FR", False),
    ("officer", "police", "FR", "FR", True),
    ("analyst", "customs", "FR", "FR", False),
    ("holder", "rights_holder", "FR", "FR", False),
    ("viewer", "customs", "FR", "FR", False),
    ("admin", "coordinator", "EU", "FR", True),
]


@pytest.mark.parametrize(("role", "kind", "actor_country", "record_country", "allowed"), RECORD_TABLE)
def test_jurisdiction_record_policy(role: str, kind: str, actor_country: str, record_country: str,
                                    allowed: bool) -> None:
    resource = Resource("jurisdiction_record", jurisdiction=record_country)
    for action in (Action.CREATE, Action.UPDATE):
        assert decide(actor(role, kind, actor_country), action, resource).allowed is allowed


def test_administration_is_for_administrators() -> None:
    for role in ("officer", "analyst", "holder", "viewer"):
        for rtype in ("organisation", "user"):
            assert not decide(actor(role, "customs"), Action.CREATE, Resource(rtype))
    assert decide(actor("admin", "coordinator"), Action.CREATE, Resource("user"))


def test_tokens_belong_to_their_user() -> None:
    me = actor("officer", "customs")
    assert decide(me, Action.DELETE, Resource("token", subject="u1"))
    assert not decide(me, Action.DELETE, Resource("token", subject="someone-else"))
    assert decide(actor("admin", "coordinator"), Action.DELETE, Resource("token", subject="someone-else"))


def test_unknown_record_types_and_anonymous_callers_are_refused() -> None:
    assert not decide(actor("admin", "coordinator"), Action.READ, Resource("something-new"))
    assert decide(None, Action.READ, Resource("right")).reason == "not signed in"


def test_audit_trail_is_for_administrators_and_coordinating_analysts() -> None:
    assert decide(actor("admin", "customs"), Action.READ, Resource("audit"))
    assert decide(actor("analyst", "coordinator"), Action.READ, Resource("audit"))
    assert not decide(actor("analyst", "police"), Action.READ, Resource("audit"))
