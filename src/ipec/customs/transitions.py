"""The detention state machine: which moves are legal, and what the law does when a period runs out.

A detention is a snapshot (`Detention`): its state, the facts established so far (who answered what, whether
it was extended, whether the goods are perishable), and the deadlines its events started. The rules come from
the jurisdiction profile (see `ipec.customs.profiles`):

- moves: a party (customs, holder, declarant) acts, from some states, given some facts, by some deadline;
- settlements: as soon as facts combine (holder confirmed + declarant agreed), the law decides (destruction);
- expiries: once a deadline has passed, silence has a meaning (deemed consent, release, deemed detention).

Every function returns a new snapshot plus the `Step`s taken, each citing its legal source, so the service can
store and audit them. A deadline is the last day of its period: it has passed on the day after.

Pure: stdlib, `ipec.kernel` and the profile data; no database, no clock of its own (dates come in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ipec.customs import clock
from ipec.customs.profiles import AutoRule, Effect, MoveRule, Profile
from ipec.kernel.errors import InvalidTransition, Problem, ValidationFailed

_ONE_DAY = dt.timedelta(days=1)
# Settlements may chain (one settles, the next sees the new facts); a profile that loops is a profile bug.
_MAX_CHAIN = 50


@dataclass(frozen=True)
class Detention:
    """Where a detention stands. Immutable: every change gives a new one."""

    profile: str
    country: str
    path: str
    state: str
    facts: frozenset[str]
    deadlines: Mapping[str, dt.date]
    outcome: str | None
    since: dt.date
    """Date of the last change; no move may be dated before it."""
    fired: frozenset[str] = field(default_factory=frozenset)
    """Deadlines whose expiry rule has already been applied, so it never applies twice."""


@dataclass(frozen=True)
class Step:
    """One thing that happened, for the audit trail: a start, a move, an expiry or a settlement."""

    kind: str
    name: str
    on: dt.date
    by: str | None
    before: str | None
    after: str
    outcome: str | None
    source: str


@dataclass(frozen=True)
class Result:
    detention: Detention
    steps: tuple[Step, ...]


def _flags(profile: Profile, facts: Iterable[str]) -> dict[str, bool]:
    present = set(facts)
    return {name: name in present for name in profile.conditions}


def _check_profile(profile: Profile, d: Detention) -> None:
    if d.profile != profile.name:
        raise ValidationFailed([Problem("profile", f"detention follows {d.profile}, not {profile.name}")])


def is_closed(profile: Profile, d: Detention) -> bool:
    return profile.states[d.state].terminal


def start(
    profile: Profile,
    path: str,
    country: str,
    on: dt.date,
    conditions: Mapping[str, bool] | None = None,
) -> Result:
    """Open a detention on `path` (e.g. "standard", "small_consignment") in `country` on date `on`.

    Raises ValidationFailed for an unknown path, country or condition.
    """
    rule = profile.paths.get(path)
    if rule is None:
        raise ValidationFailed(
            [Problem("path", f"profile {profile.name} has no path {path!r} (paths: {', '.join(profile.paths)})")]
        )
    code = clock.check_country(profile, country)
    flags = clock.check_conditions(profile, conditions or {})
    facts = rule.facts | {name for name, on_ in flags.items() if on_}
    deadlines = clock.deadlines(profile, rule.clock, on, code, _flags(profile, facts))
    d = Detention(profile.name, code, path, rule.state, frozenset(facts), deadlines, None, on)
    first = Step("start", path, on, None, None, rule.state, None, rule.description)
    settled = _settle(profile, d, on)
    return Result(settled.detention, (first, *settled.steps))


def _apply_effect(profile: Profile, d: Detention, eff: Effect, on: dt.date, clock_at: dt.date) -> Detention:
    facts = (d.facts - eff.clears) | eff.sets
    deadlines = dict(d.deadlines)
    for old, new in eff.extends.items():
        if new not in deadlines:
            raise InvalidTransition(f"cannot extend {old}: {new} was never set for this detention")
        deadlines[old] = deadlines[new]
    fired = d.fired - set(eff.extends)  # an extended deadline may run out again, later
    if eff.clock is not None:
        started = clock.deadlines(profile, eff.clock, clock_at, d.country, _flags(profile, facts))
        deadlines.update(started)
        fired -= set(started)
    return replace(
        d,
        state=eff.to or d.state,
        facts=frozenset(facts),
        deadlines=deadlines,
        outcome=eff.outcome if eff.outcome is not None else d.outcome,
        since=max(d.since, on),
        fired=frozenset(fired),
    )


def _holds(rule_when: frozenset[str], rule_unless: frozenset[str], facts: frozenset[str]) -> bool:
    return rule_when <= facts and not (rule_unless & facts)


def _settle(profile: Profile, d: Detention, on: dt.date) -> Result:
    steps: list[Step] = []
    for _ in range(_MAX_CHAIN):
        if is_closed(profile, d):
            break
        rule = next(
            (s for s in profile.settlements if d.state in s.states and _holds(s.when, s.unless, d.facts)),
            None,
        )
        if rule is None:
            break
        after = _apply_effect(profile, d, rule.effect, on, on)
        if after == d:
            break
        steps.append(Step("settlement", "settlement", on, None, d.state, after.state, after.outcome, rule.source))
        d = after
    else:  # pragma: no cover - only a looping profile gets here
        raise InvalidTransition(f"profile {profile.name}: settlements do not come to rest")
    return Result(d, tuple(steps))


def _due_expiry(profile: Profile, d: Detention, today: dt.date) -> tuple[AutoRule, dt.date] | None:
    """The earliest expiry rule whose deadline has passed before `today` (ties: the profile's order)."""
    best: tuple[AutoRule, dt.date] | None = None
    for rule in profile.expiries:
        assert rule.deadline is not None
        due = d.deadlines.get(rule.deadline)
        if due is None or due >= today or rule.deadline in d.fired:
            continue
        if d.state not in rule.states or not _holds(rule.when, rule.unless, d.facts):
            continue
        if best is None or due < best[1]:
            best = (rule, due)
    return best


def advance(profile: Profile, d: Detention, today: dt.date) -> Result:
    """Apply, in date order, what the law does for every deadline that has passed before `today`."""
    _check_profile(profile, d)
    steps: list[Step] = []
    while not is_closed(profile, d):
        found = _due_expiry(profile, d, today)
        if found is None:
            break
        rule, due = found
        assert rule.deadline is not None
        expired_on = due + _ONE_DAY
        after = _apply_effect(profile, d, rule.effect, expired_on, expired_on)
        after = replace(after, fired=after.fired | {rule.deadline})
        steps.append(Step("expiry", rule.deadline, expired_on, None, d.state, after.state, after.outcome, rule.source))
        settled = _settle(profile, after, expired_on)
        steps.extend(settled.steps)
        d = settled.detention
    return Result(d, tuple(steps))


def _fact_words(facts: Iterable[str]) -> str:
    return ", ".join(f.replace("_", " ") for f in sorted(facts))


def _find_move(profile: Profile, d: Detention, move: str, by: str, on: dt.date) -> MoveRule:
    """The rule that allows `move` now, or InvalidTransition saying precisely why not."""
    if is_closed(profile, d):
        raise InvalidTransition(f"the detention is closed ({d.state}, outcome {d.outcome}); {move} is not possible")
    if by not in profile.parties:
        raise InvalidTransition(f"unknown party {by!r} (parties: {', '.join(profile.parties)})")
    candidates = [m for m in profile.moves if m.move == move]
    if not candidates:
        raise InvalidTransition(f"profile {profile.name} has no move {move!r}")
    if on < d.since:
        raise InvalidTransition(f"{move} cannot be dated {on}, before the last change on {d.since}")
    here = [m for m in candidates if d.state in m.sources]
    if not here:
        states = sorted({s for m in candidates for s in m.sources})
        raise InvalidTransition(f"{move} is not possible while {d.state} (only while {', '.join(states)})")
    reasons: list[str] = []
    for m in here:
        if by not in m.by:
            who = " or ".join(profile.parties[p] for p in sorted(m.by))
            reasons.append(f"only the {who} may {move}, not the {profile.parties[by]}")
        elif not m.when <= d.facts:
            reasons.append(f"{move} needs: {_fact_words(m.when - d.facts)}")
        elif m.unless & d.facts:
            reasons.append(f"{move} is not possible once {_fact_words(m.unless & d.facts)}")
        elif m.until is not None and m.until not in d.deadlines:
            reasons.append(f"{move} is due by {m.until}, which was never set for this detention")
        elif m.until is not None and on > d.deadlines[m.until]:
            reasons.append(f"too late to {move}: {m.until} was {d.deadlines[m.until].isoformat()}")
        else:
            return m
    raise InvalidTransition("; ".join(reasons))


def apply(profile: Profile, d: Detention, move: str, by: str, on: dt.date) -> Result:
    """Make `move` as party `by` on date `on`, after applying any expiry that came first.

    Raises InvalidTransition, with the reason, when the move is not legal at that point.
    """
    _check_profile(profile, d)
    advanced = advance(profile, d, on)
    d = advanced.detention
    rule = _find_move(profile, d, move, by, on)
    after = _apply_effect(profile, d, rule.effect, on, on)
    step = Step("move", move, on, by, d.state, after.state, after.outcome, rule.source)
    settled = _settle(profile, after, on)
    return Result(settled.detention, (*advanced.steps, step, *settled.steps))


def legal_moves(profile: Profile, d: Detention, by: str, on: dt.date) -> list[str]:
    """The moves party `by` may make on `on` (on the detention as it stands after expiries up to `on`)."""
    current = advance(profile, d, on).detention
    out: list[str] = []
    for move in profile.move_names:
        try:
            _find_move(profile, current, move, by, on)
        except InvalidTransition:
            continue
        out.append(move)
    return out


def overdue(profile: Profile, d: Detention, today: dt.date) -> dict[str, dt.date]:
    """Deadlines the authority itself had to meet in the current state and let pass (name → date)."""
    out: dict[str, dt.date] = {}
    for w in profile.states[d.state].watch:
        due = d.deadlines.get(w.deadline)
        if due is not None and due < today and _holds(w.when, w.unless, d.facts):
            out[w.deadline] = due
    return out


def running(profile: Profile, d: Detention) -> dict[str, dt.date]:
    """The deadlines that matter in the current state (what a page shows with its days left)."""
    if is_closed(profile, d):
        return {}
    names: list[str] = [w.deadline for w in profile.states[d.state].watch if _holds(w.when, w.unless, d.facts)]
    names += [
        r.deadline
        for r in profile.expiries
        if r.deadline and d.state in r.states and r.deadline not in d.fired and _holds(r.when, r.unless, d.facts)
    ]
    names += [m.until for m in profile.moves if m.until and d.state in m.sources and _holds(m.when, m.unless, d.facts)]
    return {n: d.deadlines[n] for n in dict.fromkeys(names) if n in d.deadlines}
