"""A small cooperation world on top of the shared `people`: prosecutors and police in several countries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ipec.accounts import services as accounts
from ipec.accounts.policy import Actor
from tests.conftest import SYSTEM, People


@dataclass
class World:
    orgs: dict[str, str]
    actors: dict[str, Actor]


@pytest.fixture
def world(people: People, ctx: Callable[[Actor | None], accounts.Context]) -> World:
    c = ctx(SYSTEM)
    extra = {
        "prosecutor_fr": ("Parquet FR", "prosecutor", "FR"),
        "prosecutor_es": ("Fiscalía ES", "prosecutor", "ES"),
        "police_de": ("BKA DE", "police", "DE"),
        "customs_nl": ("Douane NL", "customs", "NL"),
    }
    orgs = dict(people.orgs)
    actors = dict(people.actors)
    for key, spec in extra.items():
        org = accounts.add_organisation(c, *spec)
        orgs[key] = org.id
        user = accounts.add_user(c, key.replace("_", "."), key, org.id, "officer", "long-enough-pw")
        actors[key] = accounts.actor_of(user)
    c.session.flush()
    return World(orgs, actors)
