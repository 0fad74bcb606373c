"""Working-day calendars: which days count when a statute sets a period in working, business or calendar days.

A working day (EU wording) or business day (US wording) is any day that is neither a Saturday, a Sunday nor a
national public holiday of the country, as the `holidays` package lists it at country level (no subdivisions:
a customs authority's deadlines follow the national calendar, not a region's). Both words mean the same count
here; they stay distinct units so a profile reads like the statute it transcribes.

Counting rule (EU Regulation 1182/71 on periods, and the same reading of 19 CFR): a period of n days after an
event starts on the day after the event, and its deadline is the last day of the period, i.e. the n-th counted
day. A period before an event mirrors this: the n-th counted day before it, starting the day before.

Pure: stdlib and `holidays` only. Holiday sets are cached per (country, year) because a deadline engine asks
for the same few years over and over.
"""

from __future__ import annotations

import datetime as dt
import enum
from functools import cache

import holidays

#: Monday is 0 (date.weekday()); Saturday and Sunday are the weekend everywhere our profiles apply.
SATURDAY_SUNDAY = frozenset({5, 6})

_ONE_DAY = dt.timedelta(days=1)


class UnknownCalendar(LookupError):
    """No public-holiday calendar exists for the country code given."""

    def __init__(self, country: str) -> None:
        super().__init__(f"no public-holiday calendar for country {country!r} (expected an ISO 3166 alpha-2 code)")
        self.country = country


class DayUnit(enum.StrEnum):
    """How the days of a period are counted."""

    WORKING_DAYS = "working_days"
    BUSINESS_DAYS = "business_days"
    CALENDAR_DAYS = "calendar_days"

    @property
    def skips_holidays(self) -> bool:
        return self is not DayUnit.CALENDAR_DAYS


class Direction(enum.StrEnum):
    """Whether a period runs after its event (a time limit) or ends at it (a last day to act before)."""

    AFTER = "after"
    BEFORE = "before"


def _normalise(country: str) -> str:
    return country.strip().upper()


@cache
def _holidays_of(country: str, year: int) -> frozenset[dt.date]:
    try:
        table = holidays.country_holidays(country, years=year)
    except NotImplementedError as exc:
        raise UnknownCalendar(country) from exc
    return frozenset(table.keys())


def has_calendar(country: str) -> bool:
    """True when a national public-holiday calendar is known for `country`."""
    code = _normalise(country)
    return code in holidays.list_supported_countries()


def public_holidays(country: str, year: int) -> frozenset[dt.date]:
    """The national public holidays of `country` in `year`. Raises UnknownCalendar."""
    return _holidays_of(_normalise(country), year)


def is_public_holiday(day: dt.date, country: str) -> bool:
    return day in _holidays_of(_normalise(country), day.year)


def is_working_day(day: dt.date, country: str, weekend: frozenset[int] = SATURDAY_SUNDAY) -> bool:
    """True unless `day` is a weekend day or a national public holiday of `country`. Raises UnknownCalendar."""
    code = _normalise(country)
    # Look the calendar up even on weekends so an unknown country fails the same way every day of the week.
    holiday = day in _holidays_of(code, day.year)
    return day.weekday() not in weekend and not holiday


def _step_working_days(start: dt.date, n: int, country: str, weekend: frozenset[int], step: dt.timedelta) -> dt.date:
    if n < 0:
        raise ValueError(f"a period cannot be negative (got {n} days)")
    code = _normalise(country)
    _holidays_of(code, start.year)  # fail fast on an unknown country, even for n == 0
    day = start
    counted = 0
    while counted < n:
        day += step
        if is_working_day(day, code, weekend):
            counted += 1
    return day


def add_working_days(start: dt.date, n: int, country: str, weekend: frozenset[int] = SATURDAY_SUNDAY) -> dt.date:
    """The n-th working day after `start` (counting starts the day after). n == 0 gives `start` itself."""
    return _step_working_days(start, n, country, weekend, _ONE_DAY)


def subtract_working_days(start: dt.date, n: int, country: str, weekend: frozenset[int] = SATURDAY_SUNDAY) -> dt.date:
    """The n-th working day before `start` (counting starts the day before). n == 0 gives `start` itself."""
    return _step_working_days(start, n, country, weekend, -_ONE_DAY)


def working_days_between(start: dt.date, end: dt.date, country: str, weekend: frozenset[int] = SATURDAY_SUNDAY) -> int:
    """How many working days lie in (start, end]; negative when `end` is before `start`.

    Used to show "days left": working_days_between(today, deadline) is 0 on the deadline itself.
    """
    if end < start:
        return -working_days_between(end, start, country, weekend)
    code = _normalise(country)
    _holidays_of(code, start.year)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if is_working_day(day, code, weekend):
            count += 1
    return count


def shift(
    start: dt.date,
    n: int,
    unit: DayUnit,
    country: str,
    direction: Direction = Direction.AFTER,
    weekend: frozenset[int] = SATURDAY_SUNDAY,
) -> dt.date:
    """The last day of a period of `n` `unit`s running `direction` from `start` in `country`'s calendar."""
    if n < 0:
        raise ValueError(f"a period cannot be negative (got {n} days)")
    if unit.skips_holidays:
        if direction is Direction.AFTER:
            return add_working_days(start, n, country, weekend)
        return subtract_working_days(start, n, country, weekend)
    # Calendar days ignore holidays, but the country must still be one we know, so a typo is caught.
    _holidays_of(_normalise(country), start.year)
    delta = dt.timedelta(days=n)
    return start + delta if direction is Direction.AFTER else start - delta
