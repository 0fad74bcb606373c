"""The data the engine stands on: concordance complete, dictionary in every language of trade, tables sane."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipec.screening import concordance
from ipec.screening.lexicon import LANGUAGES, common_words, words_of
from ipec.screening.normalize import homoglyphs, leet, mark_keys, party_key, tokenize, words


def test_every_hs_chapter_is_mapped() -> None:
    for chapter in range(1, 98):
        row = concordance.lookup(f"{chapter:02d}0000")
        assert row is not None, chapter
        if chapter != 77:  # reserved in the HS: no goods
            assert row.classes and all(1 <= c <= 34 for c in row.classes), chapter


@pytest.mark.parametrize(
    ("hs", "classes"),
    [
        ("610910", {25}), ("620342", {25}), ("640411", {25}), ("420221", {18}), ("910211", {14}),
        ("711319", {14}), ("851713", {9}), ("851830", {9}), ("900410", {9}), ("330300", {3}),
        ("330499", {3}), ("300490", {5}), ("950300", {28}), ("950662", {28}), ("240220", {34}),
        ("961310", {34}), ("854340", {34}), ("4203301000", {25}),
    ],
)
def test_concordance_follows_domain_facts_and_headings(hs: str, classes: set[int]) -> None:
    assert concordance.classes_for(hs) == classes


def test_every_language_of_trade_has_words() -> None:
    for language in LANGUAGES:
        assert len(words_of(language)) >= 70, language
    assert {"SHOES", "CHAUSSURES", "ZAPATOS", "SCHUHE", "SCARPE", "SAPATOS", "SCHOENEN"} <= common_words()


def test_homoglyphs_are_cyrillic_or_greek_letters() -> None:
    for ch, latin in homoglyphs().items():
        assert unicodedata.name(ch).split()[0] in {"CYRILLIC", "GREEK"}
        assert latin.isascii() and len(latin) == 1


def test_leet_reads_digits_as_letters() -> None:
    primary, alternative = leet()
    assert (primary["0"], primary["1"], primary["3"], primary["4"], primary["@"]) == ("O", "I", "E", "A", "A")
    assert alternative["1"] == "L"


def test_tokenize_keeps_offsets_of_the_original() -> None:
    text = "Sac L'ORÉAL & N.I.K.E"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["SAC", "LOREAL", "AND", "N", "I", "K", "E"]
    assert [text[t.start : t.end] for t in tokens][:3] == ["Sac", "L'ORÉAL", "&"]


def test_mark_keys_cover_ampersand_variants() -> None:
    keys = {k.skeleton for k in mark_keys("Dolce & Gabbana")}
    assert keys == {"DOLCEANDGABANA", "DOLCEGABANA"}


def test_party_key_ignores_legal_form_and_punctuation() -> None:
    assert party_key("Nike Europe B.V.") == party_key("NIKE EUROPE BV") == party_key("nike europe")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"aZé1!|'’&.- NИΚ0$ß", "ＮＩ", "e\u0301"]), max_size=30).map("".join))
def test_fast_words_are_the_tokens_texts(text: str) -> None:
    assert words(text) == [t.text for t in tokenize(text)]
