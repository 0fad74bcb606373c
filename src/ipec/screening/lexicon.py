"""The common-words dictionary: ordinary words of the languages of trade, so one is never taken for a mark.

`data/words/*.txt` hold one word per line per language (EN, FR, ES, DE, IT, PT, NL); see data/README.md.
A description token found here is never matched fuzzily ("BIKE" is not a disguised "NIKE"), and a window made
only of such words matches a mark only when it spells the mark literally.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ipec.screening.normalize import tokenize

LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl")


@cache
def words_of(language: str) -> frozenset[str]:
    text = resources.files("ipec.screening").joinpath("data", "words", f"{language}.txt").read_text("utf-8")
    out: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            # The same tokenizer as descriptions: "women's" -> WOMENS, "chaussée" -> CHAUSSEE.
            out.update(t.text for t in tokenize(line))
    return frozenset(out)


@cache
def common_words() -> frozenset[str]:
    out: set[str] = set()
    for language in LANGUAGES:
        out |= words_of(language)
    return frozenset(out)
