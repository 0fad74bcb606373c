"""Jurisdiction profiles: a customs procedure's events, periods, states and moves, read from JSON files here.

A profile is the law of one customs territory written as data (eu-608.json for Regulation (EU) No 608/2013,
us-cbp.json for 19 CFR 133/151). The deadline engine (`customs.clock`) and the detention state machine
(`customs.transitions`) read nothing else, so adding a jurisdiction means adding a file, not code.

Loading checks the whole file and fails with the JSON path of the first thing wrong, because a profile with a
dangling state or an unknown unit would otherwise only fail on the day a detention reaches it.

Pure: stdlib and `ipec.kernel` only.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ipec.kernel import jurisdictions
from ipec.kernel.calendars import SATURDAY_SUNDAY, DayUnit, Direction, has_calendar
from ipec.kernel.errors import NotFound

_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}


class ProfileError(ValueError):
    """A profile file is malformed; `where` is the file and JSON path of the fault."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class UnknownProfile(NotFound):
    kind = "unknown-profile"


@dataclass(frozen=True)
class DeadlineRule:
    """One named period an event starts: `length` `unit`s `direction` the event (or after another deadline)."""

    name: str
    length: int
    unit: DayUnit
    direction: Direction
    when: Mapping[str, bool]
    after_deadline: str | None
    source: str

    def applies(self, conditions: Mapping[str, bool]) -> bool:
        return all(conditions.get(name, False) == wanted for name, wanted in self.when.items())


@dataclass(frozen=True)
class EventRule:
    name: str
    description: str
    deadlines: tuple[DeadlineRule, ...]


@dataclass(frozen=True)
class PathRule:
    """A way a detention starts (standard, ex officio, small consignment): its first state, clock and facts."""

    name: str
    state: str
    clock: str
    facts: frozenset[str]
    description: str
    eligibility: Mapping[str, Any]


@dataclass(frozen=True)
class Watch:
    """A deadline the authority itself must meet while in a state; once passed, the detention is overdue."""

    deadline: str
    when: frozenset[str]
    unless: frozenset[str]


@dataclass(frozen=True)
class StateRule:
    name: str
    description: str
    terminal: bool
    seizure: bool
    watch: tuple[Watch, ...]


@dataclass(frozen=True)
class Effect:
    """What a move, a settlement or an expiry does to a detention."""

    to: str | None = None
    outcome: str | None = None
    sets: frozenset[str] = frozenset()
    clears: frozenset[str] = frozenset()
    clock: str | None = None
    extends: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MoveRule:
    """A move a party may make from some states, guarded by facts and by a deadline it must be made by."""

    move: str
    by: frozenset[str]
    sources: frozenset[str]
    when: frozenset[str]
    unless: frozenset[str]
    until: str | None
    effect: Effect
    source: str
    tell: frozenset[str] = frozenset()
    """Parties the law says must be told when this move is made (notices go out on it)."""


@dataclass(frozen=True)
class AutoRule:
    """A settlement (fires as soon as its facts hold) or an expiry (fires once its deadline has passed)."""

    states: frozenset[str]
    when: frozenset[str]
    unless: frozenset[str]
    deadline: str | None
    effect: Effect
    source: str


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    legal_basis: str
    jurisdictions: tuple[str, ...]
    countries: frozenset[str]
    weekend: frozenset[int]
    parties: Mapping[str, str]
    conditions: Mapping[str, str]
    applications: Mapping[str, Any]
    events: Mapping[str, EventRule]
    paths: Mapping[str, PathRule]
    states: Mapping[str, StateRule]
    outcomes: Mapping[str, str]
    moves: tuple[MoveRule, ...]
    settlements: tuple[AutoRule, ...]
    expiries: tuple[AutoRule, ...]

    def applies_to(self, country: str) -> bool:
        return country.strip().upper() in self.countries

    @property
    def move_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.move for m in self.moves))


class _Reader:
    """Walks a JSON document remembering where it is, so every complaint names its place."""

    def __init__(self, data: Any, where: str) -> None:
        self.data = data
        self.where = where

    def fail(self, reason: str) -> ProfileError:
        return ProfileError(self.where, reason)

    def at(self, key: str | int) -> _Reader:
        sep = f"[{key}]" if isinstance(key, int) else f".{key}"
        if isinstance(key, int):
            if not isinstance(self.data, list) or key >= len(self.data):
                raise self.fail(f"no item {key}")
            return _Reader(self.data[key], self.where + sep)
        if not isinstance(self.data, dict) or key not in self.data:
            raise self.fail(f"missing key {key!r}")
        return _Reader(self.data[key], self.where + sep)

    def opt(self, key: str, default: Any) -> _Reader:
        if isinstance(self.data, dict) and key in self.data:
            return self.at(key)
        return _Reader(default, f"{self.where}.{key}")

    def str_(self) -> str:
        if not isinstance(self.data, str) or not self.data:
            raise self.fail("expected a non-empty string")
        return self.data

    def opt_str(self) -> str | None:
        return None if self.data is None else self.str_()

    def int_(self) -> int:
        if not isinstance(self.data, int) or isinstance(self.data, bool) or self.data < 0:
            raise self.fail("expected a whole number of days, 0 or more")
        return self.data

    def bool_(self) -> bool:
        if not isinstance(self.data, bool):
            raise self.fail("expected true or false")
        return self.data

    def items(self) -> list[tuple[str, _Reader]]:
        if not isinstance(self.data, dict):
            raise self.fail("expected an object")
        return [(k, self.at(k)) for k in self.data]

    def list_(self) -> list[_Reader]:
        if not isinstance(self.data, list):
            raise self.fail("expected a list")
        return [self.at(i) for i in range(len(self.data))]

    def names(self) -> frozenset[str]:
        return frozenset(r.str_() for r in self.list_())

    def mapping(self) -> dict[str, Any]:
        if not isinstance(self.data, dict):
            raise self.fail("expected an object")
        return dict(self.data)


def _enum(reader: _Reader, kind: type[DayUnit] | type[Direction]) -> Any:
    value = reader.str_()
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise reader.fail(f"unknown value {value!r} (expected one of: {allowed})") from None


def _event(name: str, r: _Reader, conditions: Mapping[str, str]) -> EventRule:
    rules: list[DeadlineRule] = []
    for dr in r.at("deadlines").list_():
        when_r = dr.opt("when", {})
        when = {k: v.bool_() for k, v in when_r.items()}
        for cond in when:
            if cond not in conditions:
                raise when_r.fail(f"condition {cond!r} is not declared in the profile's conditions")
        after = dr.opt("from", None).opt_str()
        direction = _enum(dr.at("direction"), Direction)
        if after is not None:
            if direction is not Direction.AFTER:
                raise dr.fail("a period counted from another deadline must run after it")
            if after not in {x.name for x in rules}:
                raise dr.fail(f"'from' names {after!r}, which is not an earlier deadline of this event")
        rules.append(
            DeadlineRule(
                name=dr.at("name").str_(),
                length=dr.at("length").int_(),
                unit=_enum(dr.at("unit"), DayUnit),
                direction=direction,
                when=when,
                after_deadline=after,
                source=dr.at("source").str_(),
            )
        )
    # Whatever the conditions, an event must give each deadline name at most one date.
    conds = sorted(conditions)
    for combo in itertools.product((False, True), repeat=len(conds)):
        flags = dict(zip(conds, combo, strict=True))
        names = [x.name for x in rules if x.applies(flags)]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise r.fail(f"deadline {sorted(dup)[0]!r} is given twice when conditions are {flags}")
        for x in rules:
            if x.applies(flags) and x.after_deadline is not None and x.after_deadline not in names:
                raise r.fail(f"{x.name!r} counts from {x.after_deadline!r}, which does not apply when {flags}")
    return EventRule(name=name, description=r.at("description").str_(), deadlines=tuple(rules))


def _effect(r: _Reader) -> Effect:
    extends_r = r.opt("extends", {})
    return Effect(
        to=r.opt("to", None).opt_str(),
        outcome=r.opt("outcome", None).opt_str(),
        sets=r.opt("sets", []).names(),
        clears=r.opt("clears", []).names(),
        clock=r.opt("clock", None).opt_str(),
        extends={k: v.str_() for k, v in extends_r.items()},
    )


def _auto(r: _Reader, with_deadline: bool) -> AutoRule:
    return AutoRule(
        states=r.at("in").names(),
        when=r.opt("when", []).names(),
        unless=r.opt("unless", []).names(),
        deadline=r.at("deadline").str_() if with_deadline else None,
        effect=_effect(r),
        source=r.at("source").str_(),
    )


def parse(data: Any, where: str = "profile") -> Profile:
    """Build and check a Profile from decoded JSON. Raises ProfileError naming the faulty place."""
    root = _Reader(data, where)
    name = root.at("profile").str_()
    conditions = {k: v.str_() for k, v in root.opt("conditions", {}).items()}

    juris_r = root.at("jurisdictions")
    codes = tuple(r.str_().upper() for r in juris_r.list_())
    for code in codes:
        if not jurisdictions.is_valid(code):
            raise juris_r.fail(f"unknown jurisdiction {code!r}")
    countries = jurisdictions.expand(codes)
    for country in sorted(countries):
        if not has_calendar(country):
            raise juris_r.fail(f"no public-holiday calendar for {country!r}")

    cal = root.opt("calendar", {})
    weekend_r = cal.opt("weekend", ["saturday", "sunday"])
    weekend: set[int] = set()
    for day_r in weekend_r.list_():
        day = day_r.str_().lower()
        if day not in _WEEKDAYS:
            raise day_r.fail(f"unknown weekday {day!r}")
        weekend.add(_WEEKDAYS[day])

    events = {ev: _event(ev, er, conditions) for ev, er in root.at("events").items()}
    parties = {k: v.str_() for k, v in root.at("parties").items()}

    det = root.at("detention")
    states = {
        s: StateRule(
            name=s,
            description=sr.at("description").str_(),
            terminal=sr.opt("terminal", False).bool_(),
            seizure=sr.opt("seizure", False).bool_(),
            watch=tuple(
                Watch(w.at("deadline").str_(), w.opt("when", []).names(), w.opt("unless", []).names())
                for w in sr.opt("watch", []).list_()
            ),
        )
        for s, sr in det.at("states").items()
    }
    paths = {
        p: PathRule(
            name=p,
            state=pr.at("state").str_(),
            clock=pr.at("clock").str_(),
            facts=pr.opt("facts", []).names(),
            description=pr.at("description").str_(),
            eligibility=pr.opt("eligibility", {}).mapping(),
        )
        for p, pr in det.at("paths").items()
    }
    outcomes = {k: v.str_() for k, v in det.at("outcomes").items()}
    moves: list[MoveRule] = []
    for mr in det.at("moves").list_():
        moves.append(
            MoveRule(
                move=mr.at("move").str_(),
                by=mr.at("by").names(),
                sources=mr.at("from").names(),
                when=mr.opt("when", []).names(),
                unless=mr.opt("unless", []).names(),
                until=mr.opt("until", None).opt_str(),
                effect=_effect(mr),
                source=mr.at("source").str_(),
                tell=mr.opt("tell", []).names(),
            )
        )
    settlements = tuple(_auto(r, False) for r in det.at("settlements").list_())
    expiries = tuple(_auto(r, True) for r in det.at("expiries").list_())

    profile = Profile(
        name=name,
        title=root.at("title").str_(),
        legal_basis=root.at("legal_basis").str_(),
        jurisdictions=codes,
        countries=countries,
        weekend=frozenset(weekend) if weekend else SATURDAY_SUNDAY,
        parties=parties,
        conditions=conditions,
        applications=root.opt("applications", {}).mapping(),
        events=events,
        paths=paths,
        states=states,
        outcomes=outcomes,
        moves=tuple(moves),
        settlements=settlements,
        expiries=expiries,
    )
    _check_graph(profile, det)
    return profile


def _check_graph(p: Profile, det: _Reader) -> None:
    """Cross-references: every state, event, deadline, party and outcome a rule names must exist."""
    deadline_names = {d.name for e in p.events.values() for d in e.deadlines}

    def check_effect(r: _Reader, eff: Effect) -> None:
        if eff.to is not None and eff.to not in p.states:
            raise r.fail(f"goes to unknown state {eff.to!r}")
        if eff.clock is not None and eff.clock not in p.events:
            raise r.fail(f"starts unknown event {eff.clock!r}")
        if eff.outcome is not None and eff.outcome not in p.outcomes:
            raise r.fail(f"records undeclared outcome {eff.outcome!r}")
        if eff.to is not None and p.states[eff.to].terminal and eff.outcome is None:
            raise r.fail(f"ends in terminal state {eff.to!r} without an outcome")
        for old, new in eff.extends.items():
            for d in (old, new):
                if d not in deadline_names:
                    raise r.fail(f"extends unknown deadline {d!r}")

    for pname, path in p.paths.items():
        where = det.at("paths").at(pname)
        if path.state not in p.states or p.states[path.state].terminal:
            raise where.fail(f"starts in {path.state!r}, which is not a non-terminal state")
        if path.clock not in p.events:
            raise where.fail(f"starts unknown event {path.clock!r}")
    for sname, st in p.states.items():
        for w in st.watch:
            if w.deadline not in deadline_names:
                raise det.at("states").at(sname).fail(f"watches unknown deadline {w.deadline!r}")
    for i, m in enumerate(p.moves):
        where = det.at("moves").at(i)
        for s in m.sources:
            if s not in p.states:
                raise where.fail(f"starts from unknown state {s!r}")
            if p.states[s].terminal:
                raise where.fail(f"starts from terminal state {s!r}")
        for party in m.by | m.tell:
            if party not in p.parties:
                raise where.fail(f"is made by undeclared party {party!r}")
        if m.until is not None and m.until not in deadline_names:
            raise where.fail(f"is due by unknown deadline {m.until!r}")
        check_effect(where, m.effect)
    for kind, rules in (("settlements", p.settlements), ("expiries", p.expiries)):
        for i, a in enumerate(rules):
            where = det.at(kind).at(i)
            for s in a.states:
                if s not in p.states:
                    raise where.fail(f"applies in unknown state {s!r}")
            if a.deadline is not None and a.deadline not in deadline_names:
                raise where.fail(f"waits for unknown deadline {a.deadline!r}")
            check_effect(where, a.effect)
    # Every state must be reachable from some path, or it is a typo waiting to bite.
    reachable = {path.state for path in p.paths.values()}
    changed = True
    while changed:
        changed = False
        edges = [(m.sources, m.effect.to) for m in p.moves]
        edges += [(a.states, a.effect.to) for a in p.settlements + p.expiries]
        for sources, to in edges:
            if to is not None and to not in reachable and sources & reachable:
                reachable.add(to)
                changed = True
    unreachable = sorted(set(p.states) - reachable)
    if unreachable:
        raise det.at("states").fail(f"state {unreachable[0]!r} cannot be reached from any path")


def available() -> list[str]:
    """Names of the profiles shipped in this package, sorted."""
    folder = resources.files(__name__)
    return sorted(f.name.removesuffix(".json") for f in folder.iterdir() if f.name.endswith(".json"))


@cache
def load(name: str) -> Profile:
    """The profile called `name` (e.g. "eu-608"). Raises UnknownProfile or ProfileError."""
    if name not in available():
        raise UnknownProfile(f"unknown profile {name!r} (available: {', '.join(available())})")
    text = resources.files(__name__).joinpath(f"{name}.json").read_text("utf-8")
    profile = parse(json.loads(text), where=f"{name}.json")
    if profile.name != name:
        raise ProfileError(f"{name}.json", f"file declares profile {profile.name!r}")
    return profile


def for_country(country: str) -> Profile:
    """The one profile whose jurisdictions cover `country`. Raises UnknownProfile when none does."""
    code = country.strip().upper()
    matches = [load(n) for n in available() if load(n).applies_to(code)]
    if not matches:
        raise UnknownProfile(f"no customs profile applies to {code!r}")
    if len(matches) > 1:
        raise ProfileError(code, f"several profiles apply: {', '.join(m.name for m in matches)}")
    return matches[0]
