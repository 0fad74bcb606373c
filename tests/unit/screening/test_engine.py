"""Every disguise of the issue is found and explained; every kind of negative is left alone."""

from __future__ import annotations

import pytest

from ipec.screening.engine import Screener
from ipec.screening.rules import Declaration, make_right

RIGHTS = [
    make_right("R-NIKE", "trademark", "NIKE", [25], ["EU"], "Nike Inc", ["Nike Europe B.V."]),
    make_right("R-LV", "trademark", "LOUIS VUITTON", [18, 25], ["FR", "US"]),
    make_right("R-ADIDAS", "trademark", "ADIDAS", [25, 28], ["EU", "US"]),
    make_right("R-ROLEX", "trademark", "ROLEX", [14], ["EU", "CH"]),
    make_right("R-DG", "trademark", "DOLCE & GABBANA", [18, 25], ["EU"]),
    make_right("R-LOREAL", "trademark", "L'ORÉAL", [3], ["EU"]),
    make_right("R-CHANEL", "trademark", "CHANEL", [3, 18, 25], ["EU"]),
    make_right("R-APPLE", "trademark", "APPLE", [9], ["US", "EU"]),
    make_right("R-HERMES", "trademark", "HERMÈS", [18], ["FR"]),
    make_right("R-BALENCIAGA", "trademark", "BALENCIAGA", [25], ["EU"]),
    make_right("R-PRADA", "trademark", "PRADA", [18, 25], ["EU"]),
]

HS = {"shoes": "640411", "bag": "420221", "watch": "910211", "dress": "620443", "cream": "330499", "phone": "851713"}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(RIGHTS)


def declare(description: str, goods: str = "shoes", destination: str = "FR", **parties: str) -> Declaration:
    return Declaration("D1", description, HS[goods], "CN", destination, parties.get("consignor", ""),
                       parties.get("consignee", ""))


@pytest.mark.parametrize(
    ("description", "goods", "right_id", "kind"),
    [
        ("mens running shoes nike air", "shoes", "R-NIKE", "case"),
        ("LOREAL face cream", "cream", "R-LOREAL", "accents dropped"),
        ("HÉRMÈS bag", "bag", "R-HERMES", "accents"),
        ("Nìké trainers", "shoes", "R-NIKE", "accents"),
        ("N I K E trainers", "shoes", "R-NIKE", "spaced letters"),
        ("N.I.K.E. trainers", "shoes", "R-NIKE", "punctuated letters"),
        ("LOUISVUITTON handbag", "bag", "R-LV", "words joined"),
        ("LOUIS-VUITTON handbag", "bag", "R-LV", "hyphenated"),
        ("ADI DAS sneakers", "shoes", "R-ADIDAS", "word split"),
        ("DOLCE AND GABBANA dress", "dress", "R-DG", "ampersand"),
        ("Dolce Gabbana dress", "dress", "R-DG", "ampersand"),
        ("L OREAL cream", "cream", "R-LOREAL", "apostrophe dropped"),
        ("N1KE shoes", "shoes", "R-NIKE", "leetspeak"),
        ("ADID4S shoes", "shoes", "R-ADIDAS", "leetspeak"),
        ("R0LEX watch", "watch", "R-ROLEX", "leetspeak"),
        ("PR@DA bag", "bag", "R-PRADA", "leetspeak"),
        ("НИКЕ".replace("И", "І") + " shoes", "shoes", "R-NIKE", "lookalike letters"),  # Cyrillic
        ("ΝΙΚΕ shoes", "shoes", "R-NIKE", "lookalike letters"),  # Greek
        ("NIIKEE shoes", "shoes", "R-NIKE", "doubled letters"),
        ("NIKR shoes", "shoes", "R-NIKE", "substitution"),
        ("ADIDDAS shoes", "shoes", "R-ADIDAS", "doubled letters"),
        ("ADIDASS shoes", "shoes", "R-ADIDAS", "doubled letters"),
        ("ADIDAXS shoes", "shoes", "R-ADIDAS", "insertion"),
        ("ADIAS shoes", "shoes", "R-ADIDAS", "deletion"),
        ("ADIDSA shoes", "shoes", "R-ADIDAS", "transposition"),
        ("BALENCAIGA sneakers", "shoes", "R-BALENCIAGA", "transposition"),
        ("BALANCIAGO sneakers", "shoes", "R-BALENCIAGA", "2 typing errors"),
        ("BELANCIAGA shoes", "shoes", "R-BALENCIAGA", "2 typing errors"),
        ("NIKE STYLE shoes", "shoes", "R-NIKE", "with STYLE"),
        ("TYPE ROLEX watch", "watch", "R-ROLEX", "with TYPE"),
        ("ROLEXLOGO watch", "watch", "R-ROLEX", "with LOGO"),
    ],
)
def test_disguise_is_found_and_named(screener: Screener, description: str, goods: str, right_id: str,
                                     kind: str) -> None:
    hits = screener.screen(declare(description, goods))
    assert [h.right_id for h in hits] == [right_id]
    assert any(kind in k for k in hits[0].disguises), hits[0].disguises
    assert hits[0].reasons[0].startswith(f"mark {RIGHTS[[r.right_id for r in RIGHTS].index(right_id)].mark} matched")


def test_typing_errors_are_fewer_for_short_marks(screener: Screener) -> None:
    assert screener.screen(declare("NKIR shoes")) == []  # two errors in a 4-letter mark
    assert screener.screen(declare("RLEXO watch", "watch")) == []  # two errors in a 5-letter mark


def test_two_marks_in_one_description(screener: Screener) -> None:
    hits = screener.screen(declare("N1KE and ADIDSA shoes, LV style"))
    assert {h.right_id for h in hits} == {"R-NIKE", "R-ADIDAS"}


def test_reasons_name_rule_distance_and_place(screener: Screener) -> None:
    hit = screener.screen(declare("N1KE air max", destination="DE"))[0]
    assert hit.reasons == (
        "mark NIKE matched 'N1KE' (leetspeak)",
        "goods HS 640411 → class 25",
        "destination DE within EU protection",
        "consignor and consignee not authorised",
    )
    assert (hit.start, hit.end, hit.matched) == (0, 4, "N1KE")


def test_matched_span_covers_spaced_letters(screener: Screener) -> None:
    text = "pair of N . I . K . E shoes"
    hit = screener.screen(declare(text))[0]
    assert text[hit.start : hit.end] == "N . I . K . E"


def test_longest_mark_wins_over_its_part() -> None:
    screener = Screener([make_right("A", "trademark", "LOUIS", [18], ["FR"]), RIGHTS[1]])
    assert [h.right_id for h in screener.screen(declare("LOUIS VUITTON bag", "bag"))] == ["R-LV"]


@pytest.mark.parametrize(
    "description",
    [
        "bike helmet shoes",  # BIKE is one letter from NIKE
        "nice shoes like new",  # NICE, LIKE
        "channel bag",  # CHANNEL has CHANEL's skeleton, but is an ordinary word
        "logo shoes",  # LOGO
        "prado de cuero zapatos",  # Spanish PRADO is one letter from PRADA
        "roles shoes",
    ],
)
def test_ordinary_words_near_a_mark_are_not_hits(screener: Screener, description: str) -> None:
    goods = "bag" if "bag" in description else "shoes"
    assert screener.screen(declare(description, goods)) == []


def test_mark_word_for_goods_outside_its_classes(screener: Screener) -> None:
    assert screener.screen(Declaration("D", "APPLE fresh fruit", "080810", "NZ", "FR")) == []
    assert screener.screen(declare("ROLEX shoes")) == []  # Rolex is class 14 only


def test_destination_outside_protection(screener: Screener) -> None:
    assert screener.screen(declare("NIKE shoes", destination="US")) == []  # NIKE here is EU only
    assert screener.screen(declare("LOUIS VUITTON bag", "bag", destination="DE")) == []  # FR and US only
    assert [h.right_id for h in screener.screen(declare("NIKE shoes", destination="PT"))] == ["R-NIKE"]


@pytest.mark.parametrize("field", ["consignor", "consignee"])
def test_genuine_goods_from_authorised_party(screener: Screener, field: str) -> None:
    genuine = declare("NIKE shoes", **{field: "NIKE EUROPE BV"})
    assert screener.screen(genuine) == []
    other = declare("NIKE shoes", **{field: "Shenzhen Trading Ltd"})
    assert [h.right_id for h in screener.screen(other)] == ["R-NIKE"]


def test_clean_declaration(screener: Screener) -> None:
    assert screener.screen(declare("cotton t-shirts for men, assorted sizes", "dress")) == []


def test_threshold_filters_typing_errors() -> None:
    strict = Screener(RIGHTS, threshold=0.9)
    assert strict.screen(declare("NIKR shoes")) == []
    assert [h.right_id for h in strict.screen(declare("N1KE shoes"))] == ["R-NIKE"]
