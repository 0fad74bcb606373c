"""The screening engine: find the marks a description names, then apply the rules to each right.

Per declaration:
1. tokenize and fold each token (cached: descriptions reuse a small vocabulary);
2. slide windows of 1..4 tokens, joining their skeletons, so LOUIS VUITTON, LOUIS-VUITTON and LOUISVUITTON all
   give LOUISVUITON; runs of single letters (N I K E, N.I.K.E) are joined as one more candidate;
3. look each window up exactly; windows of 1-2 tokens that hold a word outside the common-words dictionary are
   also looked up with typing errors allowed (index.py), so BIKE never becomes NIKE but NIKR does;
4. keep the best non-overlapping spans (fewest edits first, then the longest), so LOUIS VUITTON is one mark and
   not also LOUIS;
5. for every right under a matched mark, check goods, destination and parties (rules.py), score, explain.
Explanations are computed only for hits, which keeps the hot path to dict lookups and string joins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ipec.screening import rules
from ipec.screening.index import MIN_FUZZY_LENGTH, MarkIndex
from ipec.screening.lexicon import common_words
from ipec.screening.normalize import (
    Token,
    fold,
    fold_variants,
    has_letter,
    join,
    mark_keys,
    party_key,
    qualifiers,
    skeleton,
    strip_qualifier,
    tokenize,
    words,
)
from ipec.screening.rules import Declaration, Right

# Longest window of tokens joined into one candidate (THE NORTH FACE, DOLCE AND GABBANA are 3; spaced letters are
# handled as runs, not windows).
WINDOW = 4
# Windows longer than this are only looked up exactly: a typo in a joined 3-word mark is rare, the cost is not.
FUZZY_WINDOW = 2
# Default score threshold; see docs/screening.md ("Tuning") for how it was chosen on the labelled set.
DEFAULT_THRESHOLD = 0.6
# A literal mark scores 1; a disguise with no typing error scores this; typing errors lose more per edit.
DISGUISED_SCORE = 0.95
EDIT_PENALTY = 1.2
_CACHE_LIMIT = 200_000
_NONE, _EXACT, _DEFER = 0, 1, 2
# Length of the mark prefixes kept to prune windows of several tokens early.
_PREFIX = 4


@dataclass(slots=True)
class _TokenInfo:  # not frozen: a frozen dataclass's __init__ is several times slower, and 70k are made per 100k
    skeleton: str
    alternatives: tuple[str, ...]  # other leet readings (1 as L)
    qualified: tuple[tuple[str, str], ...]  # (skeleton without qualifier, qualifier)
    is_word: bool  # in the common-words dictionary (or a bare number): never matched with typing errors
    fuzzy: bool
    # Facts about the token against the (fixed) index, so the window loop reads attributes, not sets:
    solo: int  # _EXACT: the token alone is a mark; _DEFER: worth a typo-tolerant lookup; _NONE: neither
    starts: bool  # some mark starts like this token (else no window of several tokens starting here matches)
    mark_word: bool  # the token is a word of a multi-word mark


class Match(NamedTuple):
    """A span of the description that names one or more marks (several when their distance ties)."""

    first: int  # token numbers, inclusive
    last: int
    skeletons: tuple[str, ...]
    found: str  # the skeleton read in the description
    distance: int
    qualifier: str | None = None
    spaced: bool = False


class Hit(NamedTuple):
    declaration_id: str
    right_id: str
    score: float
    reasons: tuple[str, ...]
    mark: str
    matched: str  # the description's text that named the mark
    start: int  # offsets of `matched` in the description
    end: int
    disguises: tuple[str, ...]


class Screener:
    """Screens declarations against a fixed set of rights. Build once, screen many (not thread-safe: caches)."""

    def __init__(self, rights: Iterable[Right], threshold: float = DEFAULT_THRESHOLD) -> None:
        self.rights: list[Right] = list(rights)
        self.threshold = threshold
        self.index = MarkIndex()
        # Words of multi-word marks: a window of two tokens is searched with typing errors only when one of
        # them is such a word (LOUIS VUITON), which keeps fuzzy lookups to the tokens that can be marks.
        self._mark_words: set[str] = set()
        # First letters of every mark: a window of several tokens that starts otherwise is no mark.
        self._prefixes: set[str] = set()
        for number, right in enumerate(self.rights):
            for key in mark_keys(right.mark):
                self.index.add(key.skeleton, number)
                self._prefixes.add(key.skeleton[:_PREFIX])
                if key.words > 1:
                    self._mark_words.update(skeleton(fold(w)) for w in words(right.mark))
        self._words = common_words()
        self._tokens: dict[str, _TokenInfo] = {}
        self._fuzzy: dict[str, tuple[int, list[str]]] = {}
        self._folds: dict[str, frozenset[str]] = {}

    # --- finding marks in text ---------------------------------------------------------------------------------

    def _info(self, text: str) -> _TokenInfo:
        info = self._tokens.get(text)
        if info is not None:
            return info
        if len(self._tokens) > _CACHE_LIMIT:
            self._tokens.clear()
        readings = [skeleton(v) for v in fold_variants(text)]
        lettered = has_letter(text)
        is_word = text in self._words or not lettered
        qualified = (
            tuple((skeleton(rest), q) for rest, q in strip_qualifier(readings[0])) if lettered and not is_word else ()
        )
        key = readings[0]
        if key in self.index.exact and (not is_word or text in self._mark_folds(key)):
            solo = _EXACT
        else:
            solo = _NONE if is_word else _DEFER
        info = _TokenInfo(
            skeleton=key,
            alternatives=tuple(readings[1:]),
            qualified=qualified,
            is_word=is_word,
            fuzzy=not is_word and lettered,
            solo=solo,
            starts=len(key) < _PREFIX or key[:_PREFIX] in self._prefixes,
            mark_word=key in self._mark_words,
        )
        self._tokens[text] = info
        return info

    def _near(self, key: str) -> tuple[int, list[str]]:
        found = self._fuzzy.get(key)
        if found is None:
            if len(self._fuzzy) > _CACHE_LIMIT:
                self._fuzzy.clear()
            found = self._fuzzy[key] = self.index.fuzzy(key)
        return found

    def _mark_folds(self, key: str) -> frozenset[str]:
        folds = self._folds.get(key)
        if folds is None:
            folds = frozenset(
                k.folded for number in self.index.rights(key) for k in mark_keys(self.rights[number].mark)
            )
            self._folds[key] = folds
        return folds

    def find(self, tokens: Sequence[str]) -> list[Match]:
        """The best non-overlapping mark matches among the tokens.

        Exact lookups run first; a typo-tolerant lookup is made only for windows that no exact match touches,
        since a match with typing errors never wins over an exact one on the same tokens (see `_best`).
        """
        exact = self.index.exact
        mark_words = self._mark_words
        longest = self.index.max_length + 2
        cache = self._tokens
        infos = [cache.get(t) or self._info(t) for t in tokens]
        found: list[Match] = []
        # (key, first, last, qualifier, spaced) waiting for the fuzzy pass
        deferred: list[tuple[str, int, int, str | None, bool]] = []
        count = len(tokens)
        # Runs of single characters: N I K E, N.I.K.E, A-D-I-D-A-S (looked for only when there are two).
        lengths = list(map(len, tokens))
        start = 0 if lengths.count(1) >= 2 else count
        while start < count:
            end = start
            while end < count and lengths[end] == 1:
                end += 1
            if end - start >= 2:
                text = "".join(tokens[start:end])
                if has_letter(text):
                    key = skeleton(fold_variants(text)[0])
                    if key in exact:
                        found.append(Match(start, end - 1, (key,), key, 0, None, True))
                    else:
                        deferred.append((key, start, end - 1, None, True))
            start = end + 1 if end == start else end
        prefixes = self._prefixes
        skeletons = [info.skeleton for info in infos]
        ordinary = [info.is_word for info in infos]
        for first in range(count):
            info = infos[first]
            key = info.skeleton
            only_words = info.is_word
            solo = info.solo
            if solo == _EXACT:
                found.append(Match(first, first, (key,), key, 0))
            elif solo == _DEFER:
                deferred.append((key, first, first, None, False))
            if not info.starts:
                # No mark starts like this token, so no window starting here matches exactly; a two-token
                # window is still worth a fuzzy lookup when it may be a multi-word mark with a typo.
                following = first + 1
                if (
                    following < count
                    and not (only_words and ordinary[following])
                    and (info.mark_word or infos[following].mark_word)
                ):
                    deferred.append((join(key, skeletons[following]), first, following, None, False))
                continue
            for last in range(first + 1, min(count, first + WINDOW)):
                piece = skeletons[last]
                # join() inlined: this loop runs ~30 times per declaration
                key = key + piece[1:] if key and piece and key[-1] == piece[0] else key + piece
                if len(key) > longest:
                    break
                if len(key) >= _PREFIX and key[:_PREFIX] not in prefixes:
                    # No mark starts like this window, so no longer window matches exactly either; only a
                    # two-token window with a typo in its first letters is still worth a fuzzy lookup.
                    if last - first < FUZZY_WINDOW and not (only_words and ordinary[last]) and (
                        skeletons[first] in mark_words or piece in mark_words
                    ):
                        deferred.append((key, first, last, None, False))
                    break
                only_words = only_words and ordinary[last]
                if key in exact:
                    if only_words and not self._literal(tokens, first, last, key):
                        continue
                    found.append(Match(first, last, (key,), key, 0))
                elif (
                    not only_words
                    and last - first < FUZZY_WINDOW
                    and (skeletons[first] in mark_words or piece in mark_words)
                ):
                    deferred.append((key, first, last, None, False))
            if info.fuzzy and (info.alternatives or info.qualified):
                for alternative in info.alternatives:
                    if alternative in exact:
                        found.append(Match(first, first, (alternative,), alternative, 0))
                    else:
                        deferred.append((alternative, first, first, None, False))
                for rest, qualifier in info.qualified:
                    if rest in exact:
                        found.append(Match(first, first, (rest,), rest, 0, qualifier))
                    else:
                        deferred.append((rest, first, first, qualifier, False))
        if deferred:
            for text, first, last, qualified_by, spaced in deferred:
                if len(text) < MIN_FUZZY_LENGTH or (
                    found and any(m.first <= last and first <= m.last for m in found if not m.distance)
                ):
                    continue
                distance, keys = self._near(text)
                if keys:
                    found.append(Match(first, last, tuple(keys), text, distance, qualified_by, spaced))
        return _best(found) if len(found) > 1 else found

    def _literal(self, tokens: Sequence[str], first: int, last: int, key: str) -> bool:
        """Ordinary words name a mark only when they spell it (CHANNEL is not CHANEL, but APPLE is APPLE)."""
        text = "".join(tokens[first : last + 1])
        return text in self._mark_folds(key)

    # --- applying the rules ------------------------------------------------------------------------------------

    def screen(self, declaration: Declaration) -> list[Hit]:
        """Hits of one declaration at or above the threshold, best first."""
        matches = self.find(words(declaration.description))
        if not matches:
            return []
        goods = rules.goods_classes(declaration.hs_code)
        destination = declaration.destination
        best: dict[int, Hit] = {}
        parties: tuple[str, str] | None = None
        tokens: list[Token] | None = None  # with offsets, made only once a hit needs them
        for match in matches:
            for key in match.skeletons:
                for number in self.index.rights(key):
                    right = self.rights[number]
                    if not (right.nice_classes & goods) or destination not in right.countries:
                        continue
                    if right.party_keys:
                        if parties is None:
                            parties = (party_key(declaration.consignor), party_key(declaration.consignee))
                        if rules.authorised_party(right, *parties) is not None:
                            continue
                    if _fuzzy_score(match, key) < self.threshold:
                        continue
                    if tokens is None:
                        tokens = tokenize(declaration.description)
                    hit = self._hit(declaration, tokens, match, key, right, goods)
                    previous = best.get(number)
                    if hit.score >= self.threshold and (previous is None or previous.score < hit.score):
                        best[number] = hit
        return sorted(best.values(), key=lambda h: (-h.score, h.right_id))

    def screen_many(self, declarations: Iterable[Declaration]) -> list[Hit]:
        out: list[Hit] = []
        for declaration in declarations:
            out.extend(self.screen(declaration))
        return out

    def _hit(
        self,
        declaration: Declaration,
        tokens: Sequence[Token],
        match: Match,
        key: str,
        right: Right,
        goods: frozenset[int],
    ) -> Hit:
        start, end = tokens[match.first].start, tokens[match.last].end
        raw = declaration.description[start:end]
        between = [
            declaration.description[tokens[i].end : tokens[i + 1].start] for i in range(match.first, match.last)
        ]
        qualifier = match.qualifier or _neighbour_qualifier(tokens, match)
        kinds = rules.disguises(
            raw, between, right.mark, match.distance, match.found, key, qualifier, match.spaced,
            [t.text for t in tokens[match.first : match.last + 1]],
        )
        score = _fuzzy_score(match, key) if match.distance else (1.0 if kinds[0] in _LITERAL else DISGUISED_SCORE)
        reasons = [rules.mark_reason(right.mark, raw, kinds)]
        reasons.append(rules.goods_reason(right, declaration.hs_code, goods) or "")
        reasons.append(rules.destination_reason(right, declaration.destination) or "")
        if right.party_keys:
            reasons.append("consignor and consignee not authorised")
        return Hit(
            declaration_id=declaration.declaration_id,
            right_id=right.right_id,
            score=score,
            reasons=tuple(r for r in reasons if r),
            mark=right.mark,
            matched=raw,
            start=start,
            end=end,
            disguises=tuple(kinds),
        )


_LITERAL = ("exact", "case", "accents", "accents dropped")


def _fuzzy_score(match: Match, key: str) -> float:
    """1 for no typing error; each edit costs EDIT_PENALTY times its share of the mark's letters."""
    return round(max(0.0, 1.0 - EDIT_PENALTY * match.distance / len(key)), 3)


def _neighbour_qualifier(tokens: Sequence[Token], match: Match) -> str | None:
    """STYLE, TYPE, BRAND... written as a word right before or after the mark."""
    for i in (match.first - 1, match.last + 1):
        if 0 <= i < len(tokens) and tokens[i].text in qualifiers():
            return tokens[i].text
    return None


def _best(found: list[Match]) -> list[Match]:
    """Fewest edits first, then the widest span; a token belongs to one match only."""
    found.sort(key=lambda m: (m.distance, m.first - m.last, m.first))
    taken: set[int] = set()
    out: list[Match] = []
    for match in found:
        span = range(match.first, match.last + 1)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        out.append(match)
    return out
