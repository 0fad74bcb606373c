"""Fixtures for notices: the `people` world with e-mail addresses, and helpers to issue and subscribe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ipec.accounts import services as accounts
from ipec.accounts.models import User
from ipec.accounts.policy import Actor
from ipec.notices import services
from ipec.notices.schemas import MarkingIn, NoticeIn, RouteIn

ALL_USERS = ("admin", "officer_fr", "officer_de", "analyst_fr", "holder_a", "holder_b", "ipo_fr", "viewer")


@pytest.fixture
def world(people: Any, session: Session) -> Any:
    for actor in people.actors.values():
        user = session.get(User, actor.user_id)
        assert user is not None
        user.email = f"{user.username}@example.test"
    session.flush()
    return people


@pytest.fixture
def as_(world: Any, ctx: Callable[[Actor | None], accounts.Context]) -> Callable[[str], accounts.Context]:
    return lambda name: ctx(world.actors[name])


def notice_in(title: str, *, notice_type: str = "modus_operandi", **marking: Any) -> NoticeIn:
    return NoticeIn(
        type=notice_type, title=title, body=f"{title}: sneakers hidden in machine parts, declared as spare parts.",
        language="en", product_categories=["shoes"], hs_chapters=[64], jurisdictions=["FR"],
        route=RouteIn(origin="CN", transit=["AE"], destination="FR"), marking=MarkingIn(**marking),
    )


def issue(c: accounts.Context, title: str, **marking: Any) -> Any:
    return services.issue(c, notice_in(title, **marking))
