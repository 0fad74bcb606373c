"""Text normalisation for screening: one character table, one tokenizer, one fold, one skeleton.

Declarations hide marks behind case, accents, lookalike letters, leetspeak, spacing, punctuation and doubled
letters. Every one of those is undone here, the same way for marks and for descriptions, so that the index can
compare keys with a dict lookup. The hot path is `str.translate` with a table that maps each character to exactly
one character: offsets in the translated text are offsets in the original, which is what lets the page highlight
the matched text without a second tokenizer.

Data (under `data/`, sources in data/README.md): homoglyphs.csv (Cyrillic and Greek letters drawn like Latin
ones), leet.csv (digits and symbols used for letters), qualifiers.txt (STYLE, TYPE, ...), legal_forms.txt.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import NamedTuple

# Characters dropped inside a word (apostrophes, combining accents) are first mapped to this placeholder so the
# table stays one-to-one; tokens then remove it.
_JOINER = "'"
_LEET_CHARS = "0123456789@$!|€£"
_TOKEN_RE = re.compile(r"[A-Z0-9@$!|€£']+|&")
# "!" and "|" at the edge of a word are punctuation far more often than letters ("NIKE!"); inside they are leet.
_EDGE_PUNCT = "!|"
_DOUBLES_RE = re.compile(r"(.)\1+")


def _data_text(name: str) -> str:
    return resources.files("ipec.screening").joinpath("data", name).read_text("utf-8")


def _data_lines(name: str) -> list[str]:
    return [
        line.strip() for line in _data_text(name).splitlines() if line.strip() and not line.startswith("#")
    ]


@cache
def homoglyphs() -> dict[str, str]:
    """Lookalike letter -> the Latin capital it imitates."""
    rows = csv.DictReader(_data_text("homoglyphs.csv").splitlines())
    return {chr(int(row["codepoint"], 16)): row["latin"] for row in rows}


@cache
def leet() -> tuple[dict[str, str], dict[str, str]]:
    """(primary, alternative) reading of each leet character: '1' reads I, or else L."""
    primary: dict[str, str] = {}
    alternative: dict[str, str] = {}
    for row in csv.DictReader(_data_text("leet.csv").splitlines()):
        primary[row["char"]] = row["latin"]
        if row["also"]:
            alternative[row["char"]] = row["also"]
    return primary, alternative


@cache
def qualifiers() -> tuple[str, ...]:
    return tuple(_data_lines("qualifiers.txt"))


@cache
def legal_forms() -> frozenset[str]:
    return frozenset(_data_lines("legal_forms.txt"))


def _latin_base(ch: str) -> str | None:
    """The ASCII capital a Latin letter with diacritics is built on (é -> E, Ø -> O, ł -> L), or None."""
    decomposed = unicodedata.normalize("NFD", ch)
    if decomposed[0].isascii() and decomposed[0].isalpha():
        return decomposed[0].upper()
    name = unicodedata.name(ch, "")
    # Letters with a stroke or bar have no decomposition; their name still says which letter they are.
    match = re.match(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH ", name)
    return match.group(1) if match else None


@cache
def char_table() -> dict[int, str]:
    """One-to-one translation: upper-case ASCII letters, accents off, lookalikes to Latin, joiners marked."""
    table: dict[int, str] = {}
    for code in range(ord("a"), ord("z") + 1):
        table[code] = chr(code).upper()
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = _latin_base(ch)
        if base is not None and ch != base:
            table[code] = base
    table[ord("ß")] = "S"  # doubled letters collapse anyway, so SS and S compare equal
    for code in range(0xFF01, 0xFF5F):  # full-width forms
        table[code] = chr(code - 0xFEE0).upper()
    for code in range(0x300, 0x370):  # combining accents
        table[code] = _JOINER
    for ch in "'’‘`´ʼ":
        table[ord(ch)] = _JOINER
    for ch, latin in homoglyphs().items():
        table[ord(ch)] = latin
    return table


class Token(NamedTuple):
    """A word of the description: its upper-cased, accent-free text and where it sits in the original.

    A named tuple, not a dataclass: a declaration makes a dozen of these and creation cost shows at 20k/s."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; `&` becomes the word AND so that `D&G` and `D AND G` meet."""
    translated = text.translate(char_table())
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(translated):
        word = m.group()
        start, end = m.start(), m.end()
        if word == "&":
            out.append(Token("AND", start, end))
            continue
        while word and word[0] in _EDGE_PUNCT:
            word, start = word[1:], start + 1
        while word and word[-1] in _EDGE_PUNCT:
            word, end = word[:-1], end - 1
        word = word.replace(_JOINER, "")
        if word:
            out.append(Token(word, start, end))
    return out


def words(text: str) -> list[str]:
    """The texts of `tokenize(text)`, without offsets: the hot path needs no positions until there is a hit."""
    out: list[str] = []
    for word in _TOKEN_RE.findall(text.translate(char_table())):
        if word == "&":
            out.append("AND")
            continue
        word = word.strip(_EDGE_PUNCT).replace(_JOINER, "")
        if word:
            out.append(word)
    return out


_LETTER_RE = re.compile(r"[A-Z]")


def has_letter(word: str) -> bool:
    return word.isalpha() or _LETTER_RE.search(word) is not None


@cache
def _leet_tables() -> tuple[dict[int, str], dict[int, str]]:
    primary, alternative = leet()
    first = {ord(k): v for k, v in primary.items()}
    second = dict(first)
    second.update({ord(k): v for k, v in alternative.items()})
    return first, second


def fold(word: str) -> str:
    """Leetspeak read as letters, but only in words that have letters: '42' stays a number, 'N1KE' is NIKE."""
    if word.isalpha() or not has_letter(word):
        return word
    return word.translate(_leet_tables()[0])


def fold_variants(word: str) -> tuple[str, ...]:
    """Every reading of a word: the primary fold, and the 1->L reading when the word has such characters."""
    first = fold(word)
    if first == word or not any(c in word for c in leet()[1]):
        return (first,)
    second = word.translate(_leet_tables()[1])
    return (first,) if second == first else (first, second)


def skeleton(folded: str) -> str:
    """Doubled letters collapsed: NIIKEE and NIKE, GUCCI and GUCI share one key."""
    return _DOUBLES_RE.sub(r"\1", folded)


def join(left: str, right: str) -> str:
    """Concatenate two skeletons keeping the result a skeleton (no doubled letter across the seam)."""
    if left and right and left[-1] == right[0]:
        return left + right[1:]
    return left + right


@cache
def _qualifier_re() -> re.Pattern[str]:
    # Longest qualifiers first so that STYLED is cut before STYLE; the rest keeps 3 letters at least.
    names = "|".join(sorted(map(re.escape, qualifiers()), key=len, reverse=True))
    return re.compile(rf"^(?:({names})(.{{3,}})|(.{{3,}}?)({names}))$")


def strip_qualifier(word: str) -> Iterator[tuple[str, str]]:
    """(rest, qualifier) for a word glued to STYLE/TYPE/... at either end: NIKESTYLE -> (NIKE, STYLE)."""
    match = _qualifier_re().match(word)
    if match is None:
        return
    if match.group(1):
        yield match.group(2), match.group(1)
    else:
        yield match.group(3), match.group(4)


class MarkKey(NamedTuple):
    """One way a mark can be written: its fold (leet read, no spaces) and its skeleton (doubles collapsed)."""

    folded: str
    skeleton: str
    words: int


def mark_keys(mark: str) -> list[MarkKey]:
    """Keys of a mark. `&` and AND are interchangeable or dropped: DOLCE & GABBANA, DOLCE AND GABBANA and
    DOLCE GABBANA are all the same mark."""
    folded_words = [fold(w) for w in words(mark)]
    if not folded_words:
        return []
    variants = [folded_words]
    if "AND" in folded_words and len(folded_words) > 1:
        variants.append([w for w in folded_words if w != "AND"])
    keys: list[MarkKey] = []
    for variant in variants:
        folded = "".join(variant)
        key = MarkKey(folded, skeleton(folded), len(variant))
        if key not in keys:
            keys.append(key)
    return keys


def party_key(name: str) -> str:
    """A party name compared without case, accents, punctuation or legal form: 'Nike Europe B.V.' = 'NIKE EUROPE'."""
    found = words(name.replace(".", ""))
    kept = [w for w in found if w not in legal_forms()]
    return " ".join(kept or found)
