"""Working-day arithmetic, checked against dates counted by hand on a printed calendar.

Each case names the holidays it crosses; the national calendars are those of the `holidays` package at
country level (no subdivisions).
"""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipec.kernel import calendars
from ipec.kernel.calendars import DayUnit, Direction, UnknownCalendar

D = dt.date


class TestIsWorkingDay:
    @pytest.mark.parametrize(
        ("day", "country", "expected"),
        [
            (D(2026, 12, 24), "FR", True),  # Christmas Eve is not a French public holiday
            (D(2026, 12, 24), "PL", False),  # ... but it is a Polish one since 2025
            (D(2026, 12, 25), "FR", False),
            (D(2026, 12, 26), "DE", False),  # Saturday anyway
            (D(2026, 4, 3), "DE", False),  # Good Friday: national holiday in Germany
            (D(2026, 4, 3), "FR", True),  # ... only in Alsace-Moselle in France: not at country level
            (D(2026, 4, 27), "NL", False),  # King's Day
            (D(2026, 1, 6), "ES", False),  # Epiphany
            (D(2026, 7, 3), "US", False),  # Independence Day observed (4 July is a Saturday)
            (D(2027, 12, 31), "US", False),  # New Year's Day 2028 observed on the Friday before
            (D(2026, 7, 11), "FR", False),  # a Saturday
            (D(2026, 7, 12), "FR", False),  # a Sunday
            (D(2026, 7, 13), "FR", True),  # a plain Monday
        ],
    )
    def test_weekends_and_national_holidays(self, day: dt.date, country: str, expected: bool) -> None:
        assert calendars.is_working_day(day, country) is expected

    def test_country_code_is_case_insensitive(self) -> None:
        assert calendars.is_working_day(D(2026, 4, 3), "de") is False

    def test_unknown_country_is_refused_even_on_a_weekend(self) -> None:
        with pytest.raises(UnknownCalendar, match="'XX'"):
            calendars.is_working_day(D(2026, 7, 11), "XX")


class TestAddWorkingDays:
    @pytest.mark.parametrize(
        ("start", "n", "country", "expected"),
        [
            # Thu 24 Dec 2026 + 10: skips 25 Dec, 1 Jan and three weekends.
            (D(2026, 12, 24), 10, "FR", D(2027, 1, 11)),
            (D(2026, 12, 24), 3, "FR", D(2026, 12, 30)),
            # Thu before Easter + 1: Germany skips Good Friday, the weekend and Easter Monday.
            (D(2026, 4, 2), 1, "DE", D(2026, 4, 7)),
            (D(2026, 4, 2), 1, "FR", D(2026, 4, 3)),
            # Spain: Epiphany (Tue 6 Jan) pushes 10 working days one day later than in France.
            (D(2026, 1, 5), 10, "ES", D(2026, 1, 20)),
            (D(2026, 1, 5), 10, "FR", D(2026, 1, 19)),
            # King's Day (Mon 27 Apr) is a holiday in the Netherlands only; 1 May is a holiday in Germany only.
            (D(2026, 4, 24), 4, "NL", D(2026, 5, 1)),
            (D(2026, 4, 24), 4, "DE", D(2026, 4, 30)),
            # Poland: Christmas Eve, Christmas, St Stephen's, then the weekend.
            (D(2026, 12, 23), 1, "PL", D(2026, 12, 28)),
            # Italy: Republic Day (Tue 2 Jun).
            (D(2026, 5, 29), 2, "IT", D(2026, 6, 3)),
            # France, 30 working days across Bastille Day.
            (D(2026, 7, 1), 30, "FR", D(2026, 8, 13)),
            # US: Thanksgiving (not the Friday after it).
            (D(2026, 11, 25), 5, "US", D(2026, 12, 3)),
            # US across the year end: Christmas and New Year's Day both on Fridays.
            (D(2026, 12, 24), 7, "US", D(2027, 1, 6)),
            # US: observed Christmas 2027 (Fri 24 Dec), observed New Year 2028 (Fri 31 Dec), MLK Day 2028.
            (D(2027, 12, 20), 30, "US", D(2028, 2, 3)),
            # Starting on a weekend: counting starts the next day all the same.
            (D(2026, 7, 11), 1, "FR", D(2026, 7, 13)),
            (D(2026, 7, 11), 0, "FR", D(2026, 7, 11)),
        ],
    )
    def test_hand_counted(self, start: dt.date, n: int, country: str, expected: dt.date) -> None:
        assert calendars.add_working_days(start, n, country) == expected

    def test_negative_period_is_refused(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            calendars.add_working_days(D(2026, 1, 1), -1, "FR")

    def test_unknown_country_fails_even_for_zero_days(self) -> None:
        with pytest.raises(UnknownCalendar):
            calendars.add_working_days(D(2026, 1, 1), 0, "QQ")


class TestSubtractWorkingDays:
    @pytest.mark.parametrize(
        ("start", "n", "country", "expected"),
        [
            (D(2026, 7, 13), 1, "FR", D(2026, 7, 10)),  # Monday -> previous Friday
            (D(2026, 7, 15), 1, "FR", D(2026, 7, 13)),  # skips Bastille Day backwards
            # 30 working days before 15 Jan 2027: Germany skips 1 Jan, 25 and 26 Dec (a Saturday).
            (D(2027, 1, 15), 30, "DE", D(2026, 12, 2)),
            # Spain also skips Epiphany 2027 and the Immaculate Conception 2026.
            (D(2027, 1, 15), 30, "ES", D(2026, 11, 30)),
            (D(2027, 1, 15), 0, "ES", D(2027, 1, 15)),
        ],
    )
    def test_hand_counted(self, start: dt.date, n: int, country: str, expected: dt.date) -> None:
        assert calendars.subtract_working_days(start, n, country) == expected


class TestShift:
    def test_calendar_days_ignore_holidays(self) -> None:
        assert calendars.shift(D(2026, 12, 24), 30, DayUnit.CALENDAR_DAYS, "US") == D(2027, 1, 23)

    def test_calendar_days_before(self) -> None:
        assert calendars.shift(D(2026, 3, 1), 1, DayUnit.CALENDAR_DAYS, "US", Direction.BEFORE) == D(2026, 2, 28)

    def test_business_days_are_working_days(self) -> None:
        a = calendars.shift(D(2026, 11, 25), 5, DayUnit.BUSINESS_DAYS, "US")
        b = calendars.shift(D(2026, 11, 25), 5, DayUnit.WORKING_DAYS, "US")
        assert a == b == D(2026, 12, 3)

    def test_calendar_days_still_check_the_country(self) -> None:
        with pytest.raises(UnknownCalendar):
            calendars.shift(D(2026, 1, 1), 3, DayUnit.CALENDAR_DAYS, "ZZ")

    def test_other_weekend(self) -> None:
        # A Friday-Saturday weekend (as some profiles may declare): Thu 2 Jul 2026 + 1 in US -> Sun 5 Jul
        # (Fri 3 is the observed holiday anyway; Sat 4 the weekend).
        fri_sat = frozenset({4, 5})
        assert calendars.add_working_days(D(2026, 7, 2), 1, "US", fri_sat) == D(2026, 7, 5)


class TestWorkingDaysBetween:
    def test_zero_on_the_day(self) -> None:
        assert calendars.working_days_between(D(2027, 1, 11), D(2027, 1, 11), "FR") == 0

    def test_counts_the_end_not_the_start(self) -> None:
        assert calendars.working_days_between(D(2026, 12, 24), D(2027, 1, 11), "FR") == 10

    def test_negative_when_past(self) -> None:
        assert calendars.working_days_between(D(2027, 1, 13), D(2027, 1, 11), "FR") == -2


class TestPublicHolidays:
    def test_lists_the_year(self) -> None:
        assert D(2026, 7, 14) in calendars.public_holidays("FR", 2026)
        assert D(2026, 7, 14) not in calendars.public_holidays("DE", 2026)

    def test_has_calendar(self) -> None:
        assert calendars.has_calendar("fr")
        assert not calendars.has_calendar("XX")


countries = st.sampled_from(["FR", "DE", "ES", "NL", "IT", "PL", "US", "BE", "AT"])
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


@given(start=days, n=st.integers(min_value=1, max_value=60), country=countries)
def test_add_lands_on_a_working_day_n_working_days_later(start: dt.date, n: int, country: str) -> None:
    end = calendars.add_working_days(start, n, country)
    assert calendars.is_working_day(end, country)
    assert calendars.working_days_between(start, end, country) == n


@given(start=days, n=st.integers(min_value=0, max_value=60), country=countries)
def test_subtract_undoes_add_from_a_working_day(start: dt.date, n: int, country: str) -> None:
    while not calendars.is_working_day(start, country):
        start += dt.timedelta(days=1)
    assert calendars.subtract_working_days(calendars.add_working_days(start, n, country), n, country) == start
