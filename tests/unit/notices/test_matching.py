"""Subscription matching and the notice vocabulary in three languages (pure code)."""

from __future__ import annotations

import pytest

from ipec.notices import vocab
from ipec.notices.matching import Criteria, Facets, countries_of, matches

NOTICE = Facets("modus_operandi", countries_of(["FR", "CN", "AE"]), frozenset({"shoes"}),
                frozenset({"EUTM-1"}), frozenset({64}))


@pytest.mark.parametrize(("criteria", "expected"), [
    (Criteria(jurisdictions=frozenset({"EU"})), True),  # a region covers its member countries
    (Criteria(jurisdictions=frozenset({"AE"})), True),  # a transit country counts
    (Criteria(jurisdictions=frozenset({"US"})), False),
    (Criteria(notice_types=frozenset({"modus_operandi"}), product_categories=frozenset({"shoes"})), True),
    (Criteria(notice_types=frozenset({"modus_operandi"}), product_categories=frozenset({"medicines"})), False),
    (Criteria(right_ids=frozenset({"EUTM-1", "EUTM-2"})), True),
    (Criteria(right_ids=frozenset({"EUTM-2"})), False),
    (Criteria(hs_chapters=frozenset({64, 42})), True),
    (Criteria(hs_chapters=frozenset({30})), False),
    (Criteria(), False),  # an empty subscription matches nothing
])
def test_matching(criteria: Criteria, expected: bool) -> None:
    assert matches(criteria, NOTICE) is expected


def test_labels_in_three_languages() -> None:
    assert [vocab.type_label("imminent_threat", lang) for lang in ("en", "fr", "es")] == \
        ["Imminent threat", "Menace imminente", "Amenaza inminente"]
    assert vocab.colour("imminent_threat") == "orange" and vocab.colour("request_for_information") is None
    assert [vocab.category_label("medicines", lang) for lang in ("en", "fr", "es")] == \
        ["Medicines", "Médicaments", "Medicamentos"]
    assert [vocab.country_label("DE", lang) for lang in ("en", "fr", "es")] == ["Germany", "Allemagne", "Alemania"]
    assert vocab.type_label("warning", "de") == "Warning"  # other languages fall back to English


def test_every_type_and_category_is_labelled_in_every_language() -> None:
    for t in vocab.notice_types():
        assert all(vocab.type_label(t, lang) != t for lang in vocab.LANGUAGES)
    assert len(vocab.categories()) == 12
    assert vocab.is_hs_chapter(97) and not vocab.is_hs_chapter(77) and not vocab.is_hs_chapter(0)
