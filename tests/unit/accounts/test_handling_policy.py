"""Handling markings enforced on the data: who may see a marked record, pass it on, or use it in court."""

from __future__ import annotations

import itertools

import pytest

from ipec.accounts.policy import Actor, may_see, may_share_onward, may_use_in_court
from ipec.kernel.handling import AUDIENCES, TLP_LEVELS, Marking, check

OWNER = "police-fr"


def who(org: str, kind: str, country: str | None, role: str = "officer") -> Actor:
    return Actor("u-" + org, org, kind, country, role)


OWNER_OFFICER = who(OWNER, "police", "FR")
NAMED_DE = who("customs-de", "customs", "DE")
CUSTOMS_FR = who("customs-fr", "customs", "FR")
CUSTOMS_US = who("customs-us", "customs", "US")
HOLDER = who("holder-x", "rights_holder", "FR", "holder")
VIEWER_FR = who("coord", "coordinator", "FR", "viewer")
ADMIN_OTHER = who("coord", "coordinator", "EU", "admin")


def marking(audience: str, tlp: str = "AMBER", personal: bool = False, handling: str = "H0") -> Marking:
    return Marking(owner=OWNER, owner_jurisdiction="FR", tlp=tlp, handling=handling, audience=audience,
                   recipients=frozenset({"customs-de"}), personal_data=personal, legal_basis="Art. 2 test")


# Expected visibility for every audience × TLP × personal-data combination, by viewer.
def expected(actor: Actor, m: Marking) -> bool:
    if actor is OWNER_OFFICER:
        return True
    if m.audience == "own_organisation":
        return False
    if m.audience in ("named_organisations", "group"):
        return actor is NAMED_DE
    open_record = m.tlp in ("CLEAR", "GREEN") and not m.personal_data
    if actor is VIEWER_FR:  # a viewer in a French authority: open records of its audience only
        return open_record and m.audience in ("all_participants", "national")
    if m.audience == "national":
        return actor is CUSTOMS_FR
    if actor is HOLDER:
        return open_record
    return actor in (NAMED_DE, CUSTOMS_FR, CUSTOMS_US, ADMIN_OTHER)


CASES = [
    (actor, audience, tlp, personal)
    for actor, audience, tlp, personal in itertools.product(
        [OWNER_OFFICER, NAMED_DE, CUSTOMS_FR, CUSTOMS_US, HOLDER, VIEWER_FR, ADMIN_OTHER],
        AUDIENCES, TLP_LEVELS, [False, True])
    if not (tlp == "RED" and audience not in ("own_organisation", "named_organisations"))
]


@pytest.mark.parametrize(("actor", "audience", "tlp", "personal"), CASES)
def test_who_sees_a_marked_record(actor: Actor, audience: str, tlp: str, personal: bool) -> None:
    m = marking(audience, tlp, personal)
    assert check(m) == []
    assert may_see(actor, m).allowed is expected(actor, m), may_see(actor, m).reason


def test_administrators_are_bound_by_markings_too() -> None:
    assert not may_see(ADMIN_OTHER, marking("own_organisation"))
    assert not may_see(ADMIN_OTHER, marking("named_organisations", "RED"))


@pytest.mark.parametrize(("tlp", "handling", "permitted", "allowed"), [
    ("AMBER", "H0", frozenset(), True),
    ("GREEN", "H2", frozenset(), False),
    ("GREEN", "H2", frozenset({"customs-us"}), True),
    ("AMBER+STRICT", "H0", frozenset({"customs-us"}), False),
    ("CLEAR", "H1", frozenset(), True),
])
def test_onward_sharing(tlp: str, handling: str, permitted: frozenset[str], allowed: bool) -> None:
    m = marking("all_participants", tlp, handling=handling)
    assert may_share_onward(CUSTOMS_US, m, permitted).allowed is allowed
    assert may_share_onward(OWNER_OFFICER, m, frozenset()).allowed  # the owner always decides


def test_red_is_never_passed_on_by_a_recipient() -> None:
    m = marking("named_organisations", "RED")
    assert not may_share_onward(NAMED_DE, m, frozenset({"customs-de"}))


def test_h1_records_need_permission_for_court_use() -> None:
    m = marking("all_participants", handling="H1")
    assert not may_use_in_court(CUSTOMS_US, m, frozenset())
    assert may_use_in_court(CUSTOMS_US, m, frozenset({"customs-us"}))
    assert may_use_in_court(CUSTOMS_US, marking("all_participants", handling="H0"), frozenset())


def test_malformed_markings_name_their_field() -> None:
    bad = Marking(owner=OWNER, owner_jurisdiction="FR", tlp="PURPLE", handling="H3", source_reliability="Z",
                  information_reliability=7, audience="group", personal_data=True)
    fields = {p.field for p in check(bad)}
    assert fields == {"tlp", "handling_note", "source_reliability", "information_reliability", "recipients",
                      "legal_basis"}
    red_for_all = Marking(owner=OWNER, owner_jurisdiction="FR", tlp="RED", audience="all_participants")
    assert [p.field for p in check(red_for_all)] == ["audience"]
