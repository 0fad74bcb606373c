"""The deadline engine: given a profile, an event, its date, the country and the conditions, the due dates.

This is the one place deadlines are computed; the `ipec customs deadlines` command and the detention workflow
both call `deadlines()`. Each date is the last day of its period (see `ipec.kernel.calendars` for how days
are counted). A deadline counted `from` another one (an extension) runs from that deadline's date, so
"10 more working days" means exactly that.

Pure: stdlib, `ipec.kernel` and the profile data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ipec.customs.profiles import Profile
from ipec.kernel import calendars, jurisdictions
from ipec.kernel.errors import NotFound, Problem, ValidationFailed


class UnknownEvent(NotFound):
    kind = "unknown-event"


def check_country(profile: Profile, country: str) -> str:
    """The normalised country code when `profile` applies to it. Raises ValidationFailed naming the reason."""
    code = country.strip().upper()
    j = jurisdictions.lookup(code)
    if j is None:
        raise ValidationFailed([Problem("jurisdiction", f"unknown jurisdiction {country!r}")])
    if j.is_region:
        # Working days follow one member state's holidays, so a region cannot set a calendar.
        raise ValidationFailed(
            [Problem("jurisdiction", f"{code} is a region; give the country whose customs authority acts")]
        )
    if not profile.applies_to(code):
        covered = ", ".join(profile.jurisdictions)
        raise ValidationFailed([Problem("jurisdiction", f"profile {profile.name} applies to {covered}, not to {code}")])
    return code


def check_conditions(profile: Profile, conditions: Mapping[str, bool]) -> dict[str, bool]:
    """All of the profile's conditions, False unless given; conditions a profile does not know are refused."""
    unknown = sorted(set(conditions) - set(profile.conditions))
    # A condition set to False is harmless anywhere; only a True one that the profile cannot honour is an error.
    unknown = [c for c in unknown if conditions[c]]
    if unknown:
        raise ValidationFailed([Problem(c, f"profile {profile.name} has no condition {c!r}") for c in unknown])
    return {name: bool(conditions.get(name, False)) for name in profile.conditions}


def deadlines(
    profile: Profile,
    event: str,
    at: dt.date,
    country: str,
    conditions: Mapping[str, bool] | None = None,
) -> dict[str, dt.date]:
    """Name → last day of each period that `event` on `at` starts in `country`, in profile order.

    Raises UnknownEvent, or ValidationFailed for a country or condition the profile does not cover.
    """
    rule = profile.events.get(event)
    if rule is None:
        raise UnknownEvent(f"profile {profile.name} has no event {event!r} (events: {', '.join(profile.events)})")
    code = check_country(profile, country)
    flags = check_conditions(profile, conditions or {})
    out: dict[str, dt.date] = {}
    for d in rule.deadlines:
        if not d.applies(flags):
            continue
        start = out[d.after_deadline] if d.after_deadline is not None else at
        out[d.name] = calendars.shift(start, d.length, d.unit, code, d.direction, profile.weekend)
    return out


def days_left(profile: Profile, country: str, today: dt.date, due: dt.date) -> int:
    """Working days from `today` to `due` in `country` (0 on the last day, negative once overdue)."""
    return calendars.working_days_between(today, due, country, profile.weekend)
