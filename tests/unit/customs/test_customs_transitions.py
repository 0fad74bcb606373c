"""The detention state machine, table-driven: in every reachable situation, each (move, party) pair is either
in the table of legal moves or refused with InvalidTransition. Then the law's own paths, date by date.

Dates: France, March 2026 has no public holiday. Detained Mon 2 Mar, notified Tue 3 Mar: the 10 working
days end Tue 17 Mar, the extension Tue 31 Mar; perishable: Fri 6 Mar.
"""

import datetime as dt
from collections.abc import Callable

import pytest

from ipec.customs import profiles
from ipec.customs import transitions as t
from ipec.kernel.errors import InvalidTransition, ValidationFailed

D = dt.date
EU = profiles.load("eu-608")
US = profiles.load("us-cbp")
PARTIES = ("customs", "holder", "declarant")


def go(
    profile: profiles.Profile,
    path: str,
    country: str,
    on: dt.date,
    *moves: tuple[str, str, dt.date],
    **conditions: bool,
) -> t.Detention:
    d = t.start(profile, path, country, on, conditions).detention
    for move, by, when in moves:
        d = t.apply(profile, d, move, by, when).detention
    return d


def later(profile: profiles.Profile, d: t.Detention, today: dt.date) -> t.Detention:
    return t.advance(profile, d, today).detention


DET, NOT, MID = D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 5)
C, H, DE = "customs", "holder", "declarant"


def eu_std(*moves: tuple[str, str, dt.date], **cond: bool) -> t.Detention:
    return go(EU, "standard", "FR", DET, *moves, **cond)


NOTIFY = ("notify", C, NOT)

# Each situation: a builder, the date moves are tried on, and the legal (move, party) pairs there.
EU_TABLE: dict[str, tuple[Callable[[], t.Detention], dt.date, set[tuple[str, str]]]] = {
    "suspended (standard)": (
        lambda: eu_std(),
        DET,
        {("notify", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "suspended (ex officio)": (
        lambda: go(EU, "ex_officio", "FR", DET),
        DET,
        {("notify_ex_officio", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "suspended (small consignment)": (
        lambda: go(EU, "small_consignment", "FR", DET),
        DET,
        {("notify_small_consignment", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "awaiting application": (
        lambda: go(EU, "ex_officio", "FR", DET, ("notify_ex_officio", C, NOT)),
        MID,
        {("file_application", H), ("file_application", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "awaiting application, filed": (
        lambda: go(EU, "ex_officio", "FR", DET, ("notify_ex_officio", C, NOT), ("file_application", H, MID)),
        MID,
        {("grant_application", C), ("refuse_application", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "notified": (
        lambda: eu_std(NOTIFY),
        MID,
        {
            ("holder_confirms", H),
            ("holder_confirms", C),
            ("holder_starts_proceedings", H),
            ("holder_starts_proceedings", C),
            ("holder_lets_go", H),
            ("holder_lets_go", C),
            ("declarant_agrees", DE),
            ("declarant_agrees", C),
            ("declarant_objects", DE),
            ("declarant_objects", C),
            ("extend", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    "notified, holder confirmed": (
        lambda: eu_std(NOTIFY, ("holder_confirms", H, MID)),
        MID,
        {
            ("holder_starts_proceedings", H),
            ("holder_starts_proceedings", C),
            ("holder_lets_go", H),
            ("holder_lets_go", C),
            ("declarant_agrees", DE),
            ("declarant_agrees", C),
            ("declarant_objects", DE),
            ("declarant_objects", C),
            ("extend", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    "notified, declarant objected": (
        lambda: eu_std(NOTIFY, ("declarant_objects", DE, MID)),
        MID,
        {
            ("holder_confirms", H),
            ("holder_confirms", C),
            ("holder_starts_proceedings", H),
            ("holder_starts_proceedings", C),
            ("holder_lets_go", H),
            ("holder_lets_go", C),
            ("extend", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    "notified, extended": (
        lambda: eu_std(NOTIFY, ("extend", C, MID)),
        MID,
        {
            ("holder_confirms", H),
            ("holder_confirms", C),
            ("holder_starts_proceedings", H),
            ("holder_starts_proceedings", C),
            ("holder_lets_go", H),
            ("holder_lets_go", C),
            ("declarant_agrees", DE),
            ("declarant_agrees", C),
            ("declarant_objects", DE),
            ("declarant_objects", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    "notified, perishable": (
        lambda: eu_std(NOTIFY, perishable=True),
        MID,
        {
            ("holder_confirms", H),
            ("holder_confirms", C),
            ("holder_starts_proceedings", H),
            ("holder_starts_proceedings", C),
            ("holder_lets_go", H),
            ("holder_lets_go", C),
            ("declarant_agrees", DE),
            ("declarant_agrees", C),
            ("declarant_objects", DE),
            ("declarant_objects", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    "small consignment notified": (
        lambda: go(EU, "small_consignment", "FR", DET, ("notify_small_consignment", C, NOT)),
        MID,
        {
            ("declarant_agrees", DE),
            ("declarant_agrees", C),
            ("declarant_objects", DE),
            ("declarant_objects", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    "small consignment objected": (
        lambda: go(
            EU, "small_consignment", "FR", DET, ("notify_small_consignment", C, NOT), ("declarant_objects", DE, MID)
        ),
        MID,
        {
            ("holder_starts_proceedings", H),
            ("holder_starts_proceedings", C),
            ("holder_lets_go", H),
            ("holder_lets_go", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    "in proceedings": (
        lambda: eu_std(NOTIFY, ("holder_starts_proceedings", H, MID)),
        MID,
        {("court_finds_infringement", C), ("court_finds_no_infringement", C), ("abandon", C), ("abandon", DE)},
    ),
    "destroyed": (lambda: eu_std(NOTIFY, ("holder_confirms", H, MID), ("declarant_agrees", DE, MID)), MID, set()),
    "released": (lambda: eu_std(("release", C, DET)), MID, set()),
    "abandoned": (lambda: eu_std(("abandon", DE, DET)), MID, set()),
}

PRE, US_MID = D(2026, 3, 2), D(2026, 3, 4)
US_TABLE: dict[str, tuple[Callable[[], t.Detention], dt.date, set[tuple[str, str]]]] = {
    "presented": (lambda: go(US, "standard", "US", PRE), US_MID, {("detain", C), ("release", C)}),
    "detained": (
        lambda: go(US, "standard", "US", PRE, ("detain", C, US_MID)),
        US_MID,
        {("send_notice", C), ("seize", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "noticed": (
        lambda: go(US, "standard", "US", PRE, ("detain", C, US_MID), ("send_notice", C, US_MID)),
        US_MID,
        {
            ("importer_responds", DE),
            ("importer_responds", C),
            ("seize", C),
            ("release", C),
            ("abandon", C),
            ("abandon", DE),
        },
    ),
    # Notice Wed 4 Mar: 7 business days end Fri 13 Mar; the importer said nothing.
    "noticed, importer silent": (
        lambda: go(US, "standard", "US", PRE, ("detain", C, US_MID), ("send_notice", C, US_MID)),
        D(2026, 3, 16),
        {("disclose_to_owner", C), ("seize", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "seized": (
        lambda: go(US, "standard", "US", PRE, ("detain", C, US_MID), ("seize", C, US_MID)),
        US_MID,
        {("inform_owner", C), ("forfeit", C), ("release", C), ("abandon", C), ("abandon", DE)},
    ),
    "released": (lambda: go(US, "standard", "US", PRE, ("release", C, US_MID)), US_MID, set()),
    "abandoned": (
        lambda: go(US, "standard", "US", PRE, ("detain", C, US_MID), ("abandon", DE, US_MID)),
        US_MID,
        set(),
    ),
    "forfeited": (
        lambda: go(US, "standard", "US", PRE, ("detain", C, US_MID), ("seize", C, US_MID), ("forfeit", C, US_MID)),
        US_MID,
        set(),
    ),
}


def every_pair(profile: profiles.Profile) -> list[tuple[str, str]]:
    return [(m, p) for m in profile.move_names for p in PARTIES]


def check_table(
    profile: profiles.Profile,
    build: Callable[[], t.Detention],
    on: dt.date,
    legal: set[tuple[str, str]],
    move: str,
    party: str,
) -> None:
    d = build()
    if (move, party) in legal:
        result = t.apply(profile, d, move, party, on)
        assert result.steps[-1].by == party or result.steps[-1].kind == "settlement"
        assert move in t.legal_moves(profile, d, party, on)
    else:
        with pytest.raises(InvalidTransition):
            t.apply(profile, d, move, party, on)
        assert move not in t.legal_moves(profile, d, party, on)


@pytest.mark.parametrize("situation", list(EU_TABLE))
@pytest.mark.parametrize(("move", "party"), every_pair(EU))
def test_eu_every_move_in_every_situation(situation: str, move: str, party: str) -> None:
    build, on, legal = EU_TABLE[situation]
    check_table(EU, build, on, legal, move, party)


@pytest.mark.parametrize("situation", list(US_TABLE))
@pytest.mark.parametrize(("move", "party"), every_pair(US))
def test_us_every_move_in_every_situation(situation: str, move: str, party: str) -> None:
    build, on, legal = US_TABLE[situation]
    check_table(US, build, on, legal, move, party)


def test_tables_reach_every_state() -> None:
    assert {b().state for b, _, _ in EU_TABLE.values()} == set(EU.states)
    assert {b().state for b, _, _ in US_TABLE.values()} | {"excluded"} == set(US.states)


class TestStandardProcedure:
    def test_deadlines_on_notification(self) -> None:
        d = eu_std(NOTIFY)
        assert d.state == "notified"
        assert t.running(EU, d) == {
            "holder_response_due": D(2026, 3, 17),
            "declarant_response_due": D(2026, 3, 17),
        }

    def test_agreement_destroys_at_once(self) -> None:
        r = t.apply(EU, eu_std(NOTIFY, ("declarant_agrees", DE, MID)), "holder_confirms", H, MID)
        assert (r.detention.state, r.detention.outcome) == ("destroyed", "destroyed_with_agreement")
        assert [s.kind for s in r.steps] == ["move", "settlement"]
        assert EU.states[r.detention.state].seizure

    def test_declarant_silence_is_deemed_consent(self) -> None:
        d = eu_std(NOTIFY, ("holder_confirms", H, MID))
        assert later(EU, d, D(2026, 3, 17)).state == "notified"  # the last day still belongs to the declarant
        r = t.advance(EU, d, D(2026, 3, 18))
        assert (r.detention.state, r.detention.outcome) == ("destroyed", "destroyed_deemed_consent")
        assert r.steps[0].name == "declarant_response_due" and r.steps[0].on == D(2026, 3, 18)
        assert "23(1)(c)" in r.steps[-1].source

    def test_holder_silence_releases(self) -> None:
        d = later(EU, eu_std(NOTIFY), D(2026, 3, 18))
        assert (d.state, d.outcome) == ("released", "released_no_action")
        assert not EU.states[d.state].seizure

    def test_objection_without_proceedings_releases(self) -> None:
        d = eu_std(NOTIFY, ("holder_confirms", H, MID), ("declarant_objects", DE, MID))
        assert d.state == "notified"
        assert (later(EU, d, D(2026, 3, 18)).outcome) == "released_no_action"

    def test_objection_then_proceedings_then_court(self) -> None:
        d = eu_std(
            NOTIFY,
            ("holder_confirms", H, MID),
            ("declarant_objects", DE, MID),
            ("holder_starts_proceedings", H, D(2026, 3, 17)),
        )
        assert (d.state, d.outcome) == ("in_proceedings", "court_proceedings")
        assert later(EU, d, D(2027, 1, 1)).state == "in_proceedings"  # no period runs against a court
        d = t.apply(EU, d, "court_finds_infringement", C, D(2026, 9, 1)).detention
        assert (d.state, d.outcome) == ("destroyed", "court_proceedings")

    def test_answer_after_the_deadline_is_refused(self) -> None:
        d = eu_std(NOTIFY, ("extend", C, MID))
        # The declarant's period is not extended: on 18 Mar its silence already counts as consent.
        with pytest.raises(InvalidTransition, match="too late to declarant_agrees: declarant_response_due"):
            t.apply(EU, d, "declarant_agrees", DE, D(2026, 3, 18))

    def test_holder_may_not_answer_for_the_declarant(self) -> None:
        with pytest.raises(InvalidTransition, match="only the customs authority or declarant"):
            t.apply(EU, eu_std(NOTIFY), "declarant_agrees", H, MID)

    def test_moves_cannot_go_back_in_time(self) -> None:
        with pytest.raises(InvalidTransition, match="before the last change"):
            t.apply(EU, eu_std(NOTIFY), "holder_confirms", H, DET)

    def test_unknown_move(self) -> None:
        with pytest.raises(InvalidTransition, match="no move 'seize'"):
            t.apply(EU, eu_std(), "seize", C, DET)

    def test_unknown_party(self) -> None:
        with pytest.raises(InvalidTransition, match="unknown party 'police'"):
            t.apply(EU, eu_std(), "notify", "police", DET)

    def test_closed_detention_refuses_everything(self) -> None:
        d = eu_std(("release", C, DET))
        with pytest.raises(InvalidTransition, match="closed"):
            t.apply(EU, d, "notify", C, DET)


class TestExtension:
    def test_extension_moves_the_holder_deadline_only(self) -> None:
        d = eu_std(NOTIFY, ("extend", C, MID))
        assert d.deadlines["holder_response_due"] == D(2026, 3, 31)
        assert d.deadlines["declarant_response_due"] == D(2026, 3, 17)

    def test_holder_silent_until_the_extended_day(self) -> None:
        d = eu_std(NOTIFY, ("extend", C, MID))
        assert later(EU, d, D(2026, 3, 31)).state == "notified"
        assert later(EU, d, D(2026, 4, 1)).outcome == "released_no_action"

    def test_confirmation_in_the_extra_days_with_a_silent_declarant(self) -> None:
        d = eu_std(NOTIFY, ("extend", C, MID))
        r = t.apply(EU, d, "holder_confirms", H, D(2026, 3, 25))
        assert [s.kind for s in r.steps] == ["expiry", "move", "settlement"]
        assert r.detention.outcome == "destroyed_deemed_consent"

    def test_only_once(self) -> None:
        with pytest.raises(InvalidTransition, match="not possible once extended"):
            t.apply(EU, eu_std(NOTIFY, ("extend", C, MID)), "extend", C, MID)

    def test_never_for_perishable_goods(self) -> None:
        d = eu_std(NOTIFY, perishable=True)
        assert d.deadlines["holder_response_due"] == D(2026, 3, 6)
        with pytest.raises(InvalidTransition, match="not possible once perishable"):
            t.apply(EU, d, "extend", C, MID)

    def test_not_after_the_period(self) -> None:
        d = eu_std(NOTIFY, ("holder_confirms", H, MID), ("declarant_objects", DE, MID))
        with pytest.raises(InvalidTransition, match="closed"):
            t.apply(EU, d, "extend", C, D(2026, 3, 18))

    def test_on_the_last_day(self) -> None:
        d = t.apply(EU, eu_std(NOTIFY), "extend", C, D(2026, 3, 17)).detention
        assert d.deadlines["holder_response_due"] == D(2026, 3, 31)


class TestSmallConsignments:
    def start(self) -> t.Detention:
        return go(EU, "small_consignment", "FR", DET, ("notify_small_consignment", C, NOT))

    def test_only_the_declarant_has_a_period(self) -> None:
        assert t.running(EU, self.start()) == {"declarant_response_due": D(2026, 3, 17)}

    def test_silence_is_consent_to_destruction(self) -> None:
        d = later(EU, self.start(), D(2026, 3, 18))
        assert (d.state, d.outcome) == ("destroyed", "destroyed_deemed_consent")

    def test_agreement(self) -> None:
        d = t.apply(EU, self.start(), "declarant_agrees", DE, MID).detention
        assert d.outcome == "destroyed_with_agreement"

    def test_objection_tells_the_holder_who_then_has_ten_days(self) -> None:
        d = t.apply(EU, self.start(), "declarant_objects", DE, MID).detention
        assert d.state == "small_consignment_objected"
        assert t.running(EU, d) == {"holder_proceedings_due": D(2026, 3, 19)}
        assert later(EU, d, D(2026, 3, 20)).outcome == "released_no_action"
        d = t.apply(EU, d, "holder_starts_proceedings", H, D(2026, 3, 19)).detention
        assert d.state == "in_proceedings"

    def test_holder_is_not_asked_first(self) -> None:
        with pytest.raises(InvalidTransition, match="not possible while small_consignment_notified"):
            t.apply(EU, self.start(), "holder_confirms", H, MID)

    def test_standard_notification_is_refused(self) -> None:
        d = go(EU, "small_consignment", "FR", DET)
        with pytest.raises(InvalidTransition, match="not possible once small consignment"):
            t.apply(EU, d, "notify", C, DET)


class TestExOfficio:
    def test_no_application_in_four_days_releases(self) -> None:
        d = go(EU, "ex_officio", "FR", DET, ("notify_ex_officio", C, NOT))
        assert t.running(EU, d) == {"holder_application_due": D(2026, 3, 9)}
        assert later(EU, d, D(2026, 3, 10)).outcome == "released_no_action"

    def test_application_then_decision_within_two_days(self) -> None:
        d = go(EU, "ex_officio", "FR", DET, ("notify_ex_officio", C, NOT), ("file_application", H, D(2026, 3, 9)))
        assert d.deadlines["decision_due"] == D(2026, 3, 11)
        assert later(EU, d, D(2026, 3, 10)).state == "awaiting_application"  # filed: no release at expiry
        assert t.overdue(EU, d, D(2026, 3, 12)) == {"decision_due": D(2026, 3, 11)}
        d = t.apply(EU, d, "grant_application", C, D(2026, 3, 12)).detention
        assert (d.state, "ex_officio" in d.facts) == ("suspended", False)
        assert d.deadlines["notification_due"] == D(2026, 3, 13)
        d = t.apply(EU, d, "notify", C, D(2026, 3, 13)).detention
        assert d.deadlines["holder_response_due"] == D(2026, 3, 27)

    def test_refusal_releases(self) -> None:
        d = go(
            EU,
            "ex_officio",
            "FR",
            DET,
            ("notify_ex_officio", C, NOT),
            ("file_application", H, MID),
            ("refuse_application", C, MID),
        )
        assert d.outcome == "released_no_action"


class TestOverdue:
    def test_late_notification_is_overdue_not_silent(self) -> None:
        d = eu_std()
        assert t.overdue(EU, d, D(2026, 3, 3)) == {}
        assert t.overdue(EU, d, D(2026, 3, 4)) == {"notification_due": D(2026, 3, 3)}
        assert later(EU, d, D(2026, 6, 1)).state == "suspended"  # the law sets no automatic outcome here
        d = t.apply(EU, d, "notify", C, D(2026, 3, 6)).detention
        assert t.overdue(EU, d, D(2026, 3, 6)) == {}


class TestUnitedStates:
    def test_no_decision_in_five_days_is_deemed_detention(self) -> None:
        d = go(US, "standard", "US", D(2026, 7, 1))
        assert t.running(US, d) == {"release_or_detain_due": D(2026, 7, 9), "detention_ends": D(2026, 7, 31)}
        r = t.advance(US, d, D(2026, 7, 10))
        assert r.detention.state == "detained" and "deemed_detained" in r.detention.facts
        # The notice period runs from the day the detention is deemed to start (Fri 10 Jul).
        assert r.detention.deadlines["detention_notice_due"] == D(2026, 7, 17)
        assert t.overdue(US, r.detention, D(2026, 7, 20)) == {"detention_notice_due": D(2026, 7, 17)}

    def test_detain_after_the_window_is_refused(self) -> None:
        d = go(US, "standard", "US", D(2026, 7, 1))
        with pytest.raises(InvalidTransition, match="not possible while detained"):
            t.apply(US, d, "detain", C, D(2026, 7, 10))

    def test_thirty_days_without_determination_is_exclusion(self) -> None:
        d = go(US, "standard", "US", D(2026, 7, 1), ("detain", C, D(2026, 7, 2)), ("send_notice", C, D(2026, 7, 6)))
        assert later(US, d, D(2026, 7, 31)).state == "noticed"
        d = later(US, d, D(2026, 8, 1))
        assert (d.state, d.outcome) == ("excluded", "excluded")

    def test_seizure_path(self) -> None:
        d = go(US, "standard", "US", D(2026, 7, 1), ("detain", C, D(2026, 7, 2)), ("send_notice", C, D(2026, 7, 6)))
        assert d.deadlines["importer_response_due"] == D(2026, 7, 15)
        d = later(US, d, D(2026, 7, 16))
        assert "disclosure_allowed" in d.facts
        d = t.apply(US, d, "disclose_to_owner", C, D(2026, 7, 16)).detention
        d = t.apply(US, d, "seize", C, D(2026, 7, 20)).detention
        assert US.states[d.state].seizure
        assert t.overdue(US, d, D(2026, 9, 1)) == {"owner_disclosure_due": D(2026, 8, 31)}
        d = t.apply(US, d, "inform_owner", C, D(2026, 9, 1)).detention
        assert t.overdue(US, d, D(2026, 9, 2)) == {}
        assert later(US, d, D(2026, 9, 2)).state == "seized"  # detention_ends no longer applies once seized
        d = t.apply(US, d, "forfeit", C, D(2026, 10, 1)).detention
        assert (d.state, d.outcome) == ("destroyed", "forfeited")

    def test_importer_who_answers_blocks_disclosure(self) -> None:
        d = go(
            US,
            "standard",
            "US",
            D(2026, 7, 1),
            ("detain", C, D(2026, 7, 2)),
            ("send_notice", C, D(2026, 7, 6)),
            ("importer_responds", DE, D(2026, 7, 15)),
        )
        d = later(US, d, D(2026, 7, 16))
        with pytest.raises(InvalidTransition, match="needs: disclosure allowed"):
            t.apply(US, d, "disclose_to_owner", C, D(2026, 7, 16))


class TestStart:
    def test_unknown_path(self) -> None:
        with pytest.raises(ValidationFailed, match="no path 'small_consignment'"):
            t.start(US, "small_consignment", "US", DET)

    def test_wrong_country(self) -> None:
        with pytest.raises(ValidationFailed, match="not to US"):
            t.start(EU, "standard", "US", DET)

    def test_profile_mismatch(self) -> None:
        with pytest.raises(ValidationFailed, match="follows eu-608"):
            t.advance(US, eu_std(), DET)

    def test_start_step_cites_the_path(self) -> None:
        r = t.start(EU, "ex_officio", "DE", D(2026, 4, 2))
        assert r.steps[0].kind == "start" and "Art. 18" in r.steps[0].source
        assert r.detention.deadlines == {"notification_due": D(2026, 4, 7)}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(["eu-608", "us-cbp"]),
    data=st.data(),
)
def test_random_walks_keep_the_invariants(name: str, data: st.DataObject) -> None:
    """Whatever anyone tries, in any order: refusals are InvalidTransition, closed means an outcome, time
    only moves forward, and the goods end up somewhere once every period has run out."""
    profile = profiles.load(name)
    path = data.draw(st.sampled_from(sorted(profile.paths)))
    country = "US" if name == "us-cbp" else data.draw(st.sampled_from(["FR", "DE", "ES", "NL"]))
    perishable = name == "eu-608" and data.draw(st.booleans())
    day = D(2026, 12, 20)
    d = t.start(profile, path, country, day, {"perishable": True} if perishable else {}).detention
    for _ in range(data.draw(st.integers(min_value=0, max_value=12))):
        day += dt.timedelta(days=data.draw(st.integers(min_value=0, max_value=6)))
        move = data.draw(st.sampled_from(profile.move_names))
        party = data.draw(st.sampled_from(PARTIES))
        try:
            r = t.apply(profile, d, move, party, day)
        except InvalidTransition:
            continue
        assert r.detention.since >= d.since
        d = r.detention
        if t.is_closed(profile, d):
            assert d.outcome in profile.outcomes
    # Nothing stays silently stuck: a year on, the detention is closed, visibly overdue, or waiting for a
    # court or a forfeiture (which run under their own law, not a customs period).
    far = day + dt.timedelta(days=400)
    final = t.advance(profile, d, far).detention
    assert t.is_closed(profile, final) or t.overdue(profile, final, far) or final.state in {"in_proceedings", "seized"}
