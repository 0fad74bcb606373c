"""The foundation's rights register writes to the ledger when a right is registered or changed."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipec.accounts import services as accounts
from ipec.accounts.policy import Actor
from ipec.ledger.models import QueuedEntry
from ipec.rights import services as rights
from ipec.rights.schemas import ClassIn, RightIn, RightPatch

pytestmark = pytest.mark.backend


def test_registering_and_changing_a_right_appends_public_facts_only(
    session: Session, ctx: Callable[[Actor | None], accounts.Context], people: object
) -> None:
    actor = people.actors["holder_a"]  # type: ignore[attr-defined]
    c = ctx(actor)
    right = rights.register(
        c,
        RightIn(
            right_id="EUTM-018000001",
            kind="trademark",
            mark="ACME",
            jurisdictions=["FR"],
            notes="secret",
            classes=[ClassIn(nice_class=25)],
        ),
    )
    rights.update(c, right.id, RightPatch(mark="ACME PRO"))
    queued = [json.loads(d) for d in session.scalars(select(QueuedEntry.data).order_by(QueuedEntry.id))]
    mine = [e for e in queued if e.get("right_id") == "EUTM-018000001"]
    assert [e["type"] for e in mine] == ["right.registered", "right.changed"]
    assert [e["mark"] for e in mine] == ["ACME", "ACME PRO"]
    assert all("secret" not in json.dumps(e) for e in mine)
