"""The deadline engine on both shipped profiles: every event of the clock contract, dates counted by hand."""

import datetime as dt

import pytest

from ipec.customs import clock, profiles
from ipec.kernel.errors import NotFound, ValidationFailed

D = dt.date


@pytest.fixture(scope="module")
def eu() -> profiles.Profile:
    return profiles.load("eu-608")


@pytest.fixture(scope="module")
def us() -> profiles.Profile:
    return profiles.load("us-cbp")


# (profile, country, event, date, conditions, expected) — the contract of `ipec customs deadlines`.
CASES = [
    ("eu-608", "FR", "detained", D(2026, 12, 24), {}, {"notification_due": D(2026, 12, 28)}),
    ("eu-608", "DE", "detained", D(2026, 4, 2), {}, {"notification_due": D(2026, 4, 7)}),
    ("eu-608", "PL", "detained", D(2026, 12, 23), {}, {"notification_due": D(2026, 12, 28)}),
    (
        "eu-608",
        "FR",
        "notified",
        D(2026, 12, 24),
        {},
        {
            "holder_response_due": D(2027, 1, 11),
            "declarant_response_due": D(2027, 1, 11),
            "extended_holder_response_due": D(2027, 1, 25),
        },
    ),
    (
        "eu-608",
        "FR",
        "notified",
        D(2026, 12, 24),
        {"perishable": True},
        {"holder_response_due": D(2026, 12, 30), "declarant_response_due": D(2026, 12, 30)},
    ),
    # Spain also stops on Epiphany (Wed 6 Jan 2027): one day later than France.
    (
        "eu-608",
        "ES",
        "notified",
        D(2026, 12, 24),
        {},
        {
            "holder_response_due": D(2027, 1, 12),
            "declarant_response_due": D(2027, 1, 12),
            "extended_holder_response_due": D(2027, 1, 26),
        },
    ),
    ("eu-608", "ES", "small-consignment-notified", D(2026, 1, 5), {}, {"declarant_response_due": D(2026, 1, 20)}),
    ("eu-608", "FR", "afa-received", D(2026, 7, 1), {}, {"decision_due": D(2026, 8, 13)}),
    ("eu-608", "FR", "afa-received", D(2026, 7, 1), {"goods_detained": True}, {"decision_due": D(2026, 7, 3)}),
    ("eu-608", "IT", "afa-received", D(2026, 5, 29), {"goods_detained": True}, {"decision_due": D(2026, 6, 3)}),
    ("eu-608", "NL", "ex-officio-notified", D(2026, 4, 24), {}, {"holder_application_due": D(2026, 5, 1)}),
    ("eu-608", "DE", "ex-officio-notified", D(2026, 4, 24), {}, {"holder_application_due": D(2026, 4, 30)}),
    ("eu-608", "DE", "afa-expiry", D(2027, 1, 15), {}, {"extension_request_due": D(2026, 12, 2)}),
    ("eu-608", "ES", "afa-expiry", D(2027, 1, 15), {}, {"extension_request_due": D(2026, 11, 30)}),
    # Perishable makes no difference where the law sets no special period.
    ("eu-608", "FR", "detained", D(2026, 12, 24), {"perishable": True}, {"notification_due": D(2026, 12, 28)}),
    (
        "us-cbp",
        "US",
        "presented",
        D(2026, 7, 1),
        {},
        {"release_or_detain_due": D(2026, 7, 9), "detention_ends": D(2026, 7, 31)},
    ),
    (
        "us-cbp",
        "US",
        "presented",
        D(2027, 12, 28),
        {},
        {"release_or_detain_due": D(2028, 1, 5), "detention_ends": D(2028, 1, 27)},
    ),
    ("us-cbp", "US", "detained", D(2026, 11, 25), {}, {"detention_notice_due": D(2026, 12, 3)}),
    ("us-cbp", "US", "notice-sent", D(2026, 12, 24), {}, {"importer_response_due": D(2027, 1, 6)}),
    ("us-cbp", "US", "seized", D(2027, 12, 20), {}, {"owner_disclosure_due": D(2028, 2, 3)}),
]


@pytest.mark.parametrize(("profile", "country", "event", "at", "conditions", "expected"), CASES)
def test_contract_dates(
    profile: str, country: str, event: str, at: dt.date, conditions: dict[str, bool], expected: dict[str, dt.date]
) -> None:
    assert clock.deadlines(profiles.load(profile), event, at, country, conditions) == expected


def test_output_keeps_profile_order(eu: profiles.Profile) -> None:
    got = clock.deadlines(eu, "notified", D(2026, 3, 2), "FR")
    assert list(got) == ["holder_response_due", "declarant_response_due", "extended_holder_response_due"]


def test_extension_is_ten_more_days_after_the_first_period(eu: profiles.Profile) -> None:
    from ipec.kernel import calendars

    got = clock.deadlines(eu, "notified", D(2026, 4, 30), "DE")
    assert got["extended_holder_response_due"] == calendars.add_working_days(got["holder_response_due"], 10, "DE")


class TestRefusals:
    def test_unknown_event(self, eu: profiles.Profile) -> None:
        with pytest.raises(clock.UnknownEvent, match="no event 'presented'"):
            clock.deadlines(eu, "presented", D(2026, 1, 5), "FR")

    def test_unknown_event_is_not_found(self, us: profiles.Profile) -> None:
        with pytest.raises(NotFound):
            clock.deadlines(us, "notified", D(2026, 1, 5), "US")

    def test_country_outside_the_profile(self, us: profiles.Profile) -> None:
        with pytest.raises(ValidationFailed, match="applies to US, not to FR"):
            clock.deadlines(us, "presented", D(2026, 1, 5), "FR")

    def test_region_is_not_a_calendar(self, eu: profiles.Profile) -> None:
        with pytest.raises(ValidationFailed, match="EU is a region"):
            clock.deadlines(eu, "detained", D(2026, 1, 5), "EU")

    def test_unknown_code(self, eu: profiles.Profile) -> None:
        with pytest.raises(ValidationFailed, match="unknown jurisdiction 'XQ'"):
            clock.deadlines(eu, "detained", D(2026, 1, 5), "XQ")

    def test_condition_the_profile_does_not_know(self, us: profiles.Profile) -> None:
        with pytest.raises(ValidationFailed, match="no condition 'perishable'"):
            clock.deadlines(us, "presented", D(2026, 1, 5), "US", {"perishable": True})


def test_days_left(eu: profiles.Profile) -> None:
    assert clock.days_left(eu, "FR", D(2026, 12, 24), D(2027, 1, 11)) == 10
    assert clock.days_left(eu, "FR", D(2027, 1, 12), D(2027, 1, 11)) == -1
