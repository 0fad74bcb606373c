"""Load the demo world (data/world.json) into an empty node, in one transaction.

Rights are generated deterministically from each holder's marks, sector classes and a set of registrations
(EU, US, CN, BR and a Madrid international registration), so the register looks like a real one: the same mark
filed in several offices, with staggered dates, a few lapsed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ipec.accounts import services as accounts
from ipec.accounts.policy import OrgKind, Role
from ipec.rights import services as rights
from ipec.rights.schemas import ClassIn, RightIn

SEED = 20261128


@dataclass
class Login:
    username: str
    password: str
    role: str
    organisation: str


@dataclass
class DemoReport:
    # Where feature loaders store demo files (evidence, images): the node's own blob directory.
    blob_dir: Path = Path("var/blobs")
    organisations: int = 0
    users: int = 0
    rights: int = 0
    logins: list[Login] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)


# Features that add demo records keep them in `ipec.<feature>.demo`, with a function
# `load(ctx, world, report)` called after the foundation's records, in this order, when the module exists.
EXTENSION_FEATURES = ("customs", "screening", "notices", "cases", "assistance")


def extensions() -> list[tuple[str, Callable[[accounts.Context, dict[str, Any], DemoReport], None]]]:
    found = []
    for feature in EXTENSION_FEATURES:
        name = f"ipec.{feature}.demo"
        if importlib.util.find_spec(f"ipec.{feature}") is not None and importlib.util.find_spec(name) is not None:
            found.append((feature, importlib.import_module(name).load))
    return found


def world() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("ipec.demo").joinpath("data/world.json").read_text("utf-8"))
    return data


def holder_username(name: str) -> str:
    return "holder." + name.split()[0].lower()


def logins(data: dict[str, Any] | None = None) -> list[Login]:
    data = data or world()
    out = [Login(u["username"], data["password"], u["role"], u["org"]) for u in data["users"]]
    out += [Login(holder_username(h["name"]), data["password"], Role.HOLDER, h["name"]) for h in data["holders"]]
    return out


def _rights_for(holder: dict[str, Any], sectors: dict[str, Any], registrations: list[dict[str, Any]],
                rng: random.Random, today: dt.date) -> list[RightIn]:
    sector = sectors[holder["sector"]]
    out = []
    for m_index, mark in enumerate(holder["marks"]):
        # Flagship marks cover every class of the sector; later marks fewer.
        classes = sector["classes"] if m_index < 2 else sector["classes"][: max(1, len(sector["classes"]) - 1)]
        base_year = rng.randint(2004, 2021)
        for reg in registrations:
            filing = dt.date(base_year, rng.randint(1, 12), rng.randint(1, 28)) + dt.timedelta(days=rng.randint(0, 400))
            registration = filing + dt.timedelta(days=rng.randint(150, 420))
            expiry = registration.replace(year=registration.year + 10)
            while expiry < today and rng.random() < 0.93:
                expiry = expiry.replace(year=expiry.year + 10)  # renewed
            status = "registered" if expiry >= today else "expired"
            number = f"{reg['prefix']}{rng.randint(10**7, 10**8 - 1)}"
            madrid = reg.get("madrid", [])
            out.append(RightIn(
                right_id=f"{reg['prefix']}-{number[len(reg['prefix']):]}",
                kind="trademark",
                mark=mark,
                mark_type="word",
                number=number,
                office=reg["office"],
                filing_date=filing,
                registration_date=registration,
                expiry_date=expiry,
                status=status,
                madrid_ir_number=number if madrid else None,
                classes=[ClassIn(nice_class=c, goods_terms=sector["terms"].get(str(c))) for c in classes],
                jurisdictions=reg.get("jurisdictions", []),
                madrid_designations=madrid,
                licensees=holder.get("licensees", []),
                authorized_parties=holder.get("authorized", []),
                notes=f"Brand protection contact: legal@{holder['name'].split()[0].lower()}.example",
            ))
    return out


def is_loaded(ctx: accounts.Context) -> bool:
    return accounts.user_count(ctx.session) > 0


def load(ctx: accounts.Context, blob_dir: Path) -> DemoReport:
    """Load the demo world. The caller's context must be the node itself (a system actor)."""
    data = world()
    report = DemoReport(blob_dir=blob_dir)
    rng = random.Random(SEED)
    today = ctx.clock.today()
    orgs = {}
    for spec in [data["coordinator"], *data["authorities"]]:
        orgs[spec["name"]] = accounts.add_organisation(ctx, spec["name"], spec["kind"], spec["jurisdiction"],
                                                       spec.get("email"))
    for h in data["holders"]:
        orgs[h["name"]] = accounts.add_organisation(ctx, h["name"], OrgKind.RIGHTS_HOLDER, h["country"],
                                                    f"brand-protection@{h['name'].split()[0].lower()}.example")
    report.organisations = len(orgs)
    for u in data["users"]:
        accounts.add_user(ctx, u["username"], u["name"], orgs[u["org"]].id, u["role"], data["password"],
                          f"{u['username']}@demo.ipec", u.get("locale", "en"))
    for h in data["holders"]:
        first = h["name"].split()[0]
        accounts.add_user(ctx, holder_username(h["name"]), f"{first} brand protection", orgs[h["name"]].id,
                          Role.HOLDER, data["password"], f"{holder_username(h['name'])}@demo.ipec")
    report.users = len(data["users"]) + len(data["holders"])
    ctx.session.flush()
    for h in data["holders"]:
        for right in _rights_for(h, data["sectors"], data["registrations"], rng, today):
            right.owner_id = orgs[h["name"]].id
            rights.add(ctx, right)
            report.rights += 1
    for _feature, loader in extensions():
        loader(ctx, data, report)
    ctx.session.commit()
    report.logins = logins(data)
    return report
