"""The rules a hit must pass, and the words that explain it.

A declaration is a hit for a right when (1) its description names the mark, exactly or in disguise (engine.py
finds that), (2) its goods fall in one of the right's Nice classes, (3) its destination is inside a protected
jurisdiction, and (4) neither consignor nor consignee is an authorised party of the right. Each rule here returns
the short human reason it fired with, or None when it does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from rapidfuzz.distance import OSA, Levenshtein

from ipec.kernel import jurisdictions
from ipec.screening import concordance
from ipec.screening.normalize import fold, homoglyphs, party_key, tokenize, words


@dataclass(frozen=True, slots=True)
class Right:
    """A right as screening sees it (one row of RIGHTS.csv, or of the node's register)."""

    right_id: str
    kind: str
    mark: str
    nice_classes: frozenset[int]
    jurisdictions: tuple[str, ...]
    owner: str = ""
    authorized_parties: tuple[str, ...] = ()
    # Derived once: every protected country (regions expanded), and the authorised parties' comparison keys.
    countries: frozenset[str] = field(default=frozenset(), compare=False)
    party_keys: frozenset[str] = field(default=frozenset(), compare=False)


_T = TypeVar("_T")
# Shares equal frozensets/tuples between rights: a million rights use a few thousand distinct class sets.
_interned: dict[object, object] = {}


def _intern(value: _T) -> _T:
    return _interned.setdefault(value, value)  # type: ignore[return-value]


def make_right(
    right_id: str,
    kind: str,
    mark: str,
    nice_classes: Iterable[int],
    protected: Iterable[str],
    owner: str = "",
    authorized_parties: Iterable[str] = (),
) -> Right:
    codes = _intern(tuple(sorted({c.strip().upper() for c in protected if c.strip()})))
    parties = tuple(p for p in authorized_parties if p.strip())
    return Right(
        right_id=right_id,
        kind=kind,
        mark=mark,
        nice_classes=_intern(frozenset(nice_classes)),
        jurisdictions=codes,
        owner=owner,
        authorized_parties=_intern(parties),
        countries=_intern(jurisdictions.expand(codes)),
        party_keys=_intern(frozenset(party_key(p) for p in parties)),
    )


@dataclass(frozen=True, slots=True)
class Declaration:
    """One row of DECLARATIONS.csv."""

    declaration_id: str
    description: str
    hs_code: str
    origin: str
    destination: str
    consignor: str = ""
    consignee: str = ""
    quantity: float | None = None
    value: float | None = None
    currency: str = ""


# --- rule 2: goods ---------------------------------------------------------------------------------------------


def goods_reason(right: Right, hs_code: str, goods_classes: frozenset[int]) -> str | None:
    shared = sorted(right.nice_classes & goods_classes)
    if not shared:
        return None
    return f"goods HS {hs_code} → class {', '.join(str(c) for c in shared)}"


# --- rule 3: destination ---------------------------------------------------------------------------------------


def destination_reason(right: Right, destination: str) -> str | None:
    if destination not in right.countries:
        return None
    return _destination_reason(right.jurisdictions, destination)


@lru_cache(maxsize=4096)
def _destination_reason(protected: tuple[str, ...], destination: str) -> str:
    code = jurisdictions.covers(protected, destination)
    if code is None or code == destination:
        return f"destination {destination} protected"
    return f"destination {destination} within {code} protection"


# --- rule 4: parties -------------------------------------------------------------------------------------------


def authorised_party(right: Right, consignor_key: str, consignee_key: str) -> str | None:
    """The authorised party the shipment comes from or goes to (genuine goods), or None."""
    if not right.party_keys:
        return None
    for key in (consignor_key, consignee_key):
        if key and key in right.party_keys:
            for name in right.authorized_parties:
                if party_key(name) == key:
                    return name
    return None


# --- rule 1: explaining a mark match ---------------------------------------------------------------------------


def _edit_kinds(found: str, mark: str) -> list[str]:
    """Name the typing errors between two skeletons: substitution, insertion, deletion, transposition."""
    if OSA.distance(found, mark) < Levenshtein.distance(found, mark):
        return ["transposition"]
    names = {"replace": "substitution", "insert": "deletion", "delete": "insertion"}
    # editops(found -> mark): an 'insert' needed to reach the mark is a letter the declaration left out.
    return sorted({names[op.tag] for op in Levenshtein.editops(found, mark)})


def disguises(
    raw: str,
    between: Sequence[str],
    mark: str,
    distance: int,
    found_skeleton: str,
    mark_skeleton: str,
    qualifier: str | None = None,
    spaced: bool = False,
    words: Sequence[str] | None = None,
) -> list[str]:
    """The disguise kinds that turn `mark` into `raw` (the matched text of the declaration).

    `between` holds the separators between the matched tokens in the original text; `words` the matched
    tokens when the caller has them (saves tokenizing `raw` again).
    """
    kinds: list[str] = []
    glyphs = homoglyphs()
    raw_ascii = raw.isascii()
    if not raw_ascii and any(c in glyphs for c in raw):
        kinds.append("lookalike letters")
    raw_words = list(words) if words is not None else [t.text for t in tokenize(raw)]
    if any(not w.isalpha() and fold(w) != w for w in raw_words):
        kinds.append("leetspeak")
    if not raw_ascii and any(ch.isalpha() and ch not in glyphs and not ch.isascii() for ch in raw):
        kinds.append("accents")
    elif raw_ascii and not mark.isascii() and any(ch.isalpha() and not ch.isascii() for ch in mark):
        kinds.append("accents dropped")
    if any(ch in "'’" for ch in mark) and not any(ch in "'’" for ch in raw):
        kinds.append("apostrophe dropped")
    mark_words = words_of_mark(mark)
    if "AND" in mark_words and (("&" in mark) != ("&" in raw) or "AND" not in raw_words):
        kinds.append("ampersand")
    if spaced:
        kinds.append("punctuated letters" if any(s.strip() for s in between) else "spaced letters")
    elif len(mark_words) > 1 and len(raw_words) == 1:
        kinds.append("words joined")
    elif any("-" in s or "_" in s for s in between):
        kinds.append("hyphenated")
    elif len(mark_words) == 1 and len(raw_words) > 1:
        kinds.append("word split")
    if distance == 0 and found_skeleton == mark_skeleton:
        if qualifier and len(raw_words) == 1 and raw_words[0] not in mark_words:
            raw_words = [w.replace(qualifier, "", 1) for w in raw_words]
        folded_raw = "".join(fold(w) for w in raw_words if w != "AND" or "AND" in mark_words)
        folded_mark = "".join(fold(w) for w in mark_words if w != "AND" or "AND" in raw_words)
        if folded_raw != folded_mark:
            kinds.append("doubled letters")
    if distance:
        edits = _edit_kinds(found_skeleton, mark_skeleton)
        kinds.append(f"{distance} typing error{'s' if distance > 1 else ''}: {', '.join(edits)}")
    if qualifier:
        kinds.append(f"with {qualifier}")
    if not kinds:
        kinds.append("exact" if raw == mark else "case")
    return kinds


@lru_cache(maxsize=65_536)
def words_of_mark(mark: str) -> tuple[str, ...]:
    return tuple(words(mark))


def mark_reason(mark: str, raw: str, kinds: Sequence[str]) -> str:
    return f"mark {mark} matched '{raw}' ({', '.join(kinds)})"


def goods_classes(hs_code: str) -> frozenset[int]:
    return concordance.classes_for(hs_code)
