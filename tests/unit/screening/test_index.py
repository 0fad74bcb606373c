"""The partition index finds every skeleton within its allowed edits, and nothing beyond them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from ipec.screening.index import MarkIndex, max_edits
from ipec.screening.normalize import skeleton

letters = st.text(alphabet="ABCDEFGHIKLMNOPRSTUVZ", min_size=4, max_size=14).map(skeleton)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    mark = draw(letters.filter(lambda s: len(s) >= 4))
    text = mark
    for _ in range(draw(st.integers(1, max_edits(len(mark))))):
        op = draw(st.sampled_from(["sub", "ins", "del", "swap"]))
        i = draw(st.integers(0, len(text) - 2))
        c = draw(st.sampled_from("XYQW"))
        if op == "sub":
            text = text[:i] + c + text[i + 1 :]
        elif op == "ins":
            text = text[:i] + c + text[i:]
        elif op == "del":
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return mark, text


@settings(max_examples=400, deadline=None)
@given(edited())
def test_fuzzy_finds_marks_within_allowed_edits(pair: tuple[str, str]) -> None:
    mark, text = pair
    index = MarkIndex()
    index.add(mark, 0)
    distance = OSA.distance(text, mark)
    if text == mark or distance > max_edits(len(mark)):
        return
    # Two edits in one can give a string at distance 1; the pigeonhole must find it whatever the path.
    found_distance, found = index.fuzzy(text)
    assert (found_distance, found) == (distance, [mark])


def test_fuzzy_prefers_the_closest_mark() -> None:
    index = MarkIndex()
    for n, mark in enumerate(["BALENCIAGA", "BALENCIOGO", "VALENTINO"]):
        index.add(mark, n)
    assert index.fuzzy("BALENCIAGE") == (1, ["BALENCIAGA"])
    assert index.fuzzy("BALENCIOGE") == (1, ["BALENCIOGO"])
    assert "BALENCIAGA" not in index.fuzzy("BALENCIAGA")[1]  # exact matches are the exact dict's job


def test_no_typo_for_three_letter_marks_and_one_for_short() -> None:
    index = MarkIndex()
    index.add("DKN", 0)
    index.add("ROLEX", 1)
    assert index.fuzzy("DKM") == (0, [])
    assert index.fuzzy("ROLEZ") == (1, ["ROLEX"])
    assert index.fuzzy("RLEXO") == (0, [])
