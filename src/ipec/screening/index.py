"""The mark index: exact lookup of skeletons, and typo-tolerant lookup built to stay small and selective.

Exact: a dict from skeleton (see normalize.py) to the rights whose mark has that skeleton. Every disguise except
typing errors lands here with one dict lookup.

Typing errors: a mark of length m allows k = max_edits(m) errors (0 up to 3 letters, 1 up to 9, 2 beyond),
counted as optimal-string-alignment distance (a transposition is one error). Three structures, by mark length,
each chosen so that a query fetches few candidates (verifying a candidate is what costs) and a mark adds few
entries (a million marks must fit in memory):

- m = 4-7, one error: a deletion neighbourhood. The mark and each one-letter deletion of it are keys; a query
  looks up itself and its own one-letter deletions. Any substitution, insertion, deletion or transposition
  meets there. (m+1 entries: below 8 letters a part would be too short to select anything.)
- m = 8-9, one error: "leave one part out". Cut the mark into 3 parts; widen each part by one letter on each
  side into a hole; the key is what lies outside the hole (a prefix and a suffix). One error, including a
  transposition across a part boundary, lies inside some hole, so the query's prefix and suffix of the same
  lengths give the key exactly: 3 lookups per mark length, 3 entries per mark, and keys keep half the letters
  or more, so buckets hold a handful of marks.
- m >= 10, two errors: pigeonhole. Cut the mark into 3 parts; a string within 2 edits keeps one part intact,
  shifted by at most 2 (the first part at the start, the last at the end). A transposition across a boundary
  breaks two parts at once, so the mark is also stored with the letters at each boundary swapped.
Candidates are verified with the OSA distance in one rapidfuzz call.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Below this many letters a typo is not tolerated at all: too many ordinary strings lie one edit from a 3-letter mark.
MIN_FUZZY_LENGTH = 4
# Up to this many letters one typing error is tolerated; beyond it, two.
ONE_EDIT_MAX_LENGTH = 9
# Up to this many letters, one-error marks use a deletion neighbourhood (longer ones: leave one part out).
DELETION_MAX_LENGTH = 7
_MAX_INDEXED = 256


def max_edits(length: int) -> int:
    if length < MIN_FUZZY_LENGTH:
        return 0
    return 1 if length <= ONE_EDIT_MAX_LENGTH else 2


def _bounds(length: int, parts: int) -> list[int]:
    return [round(i * length / parts) for i in range(parts + 1)]


def _holes(length: int) -> list[tuple[int, int]]:
    """(end of kept prefix, start of kept suffix) for each part of a 3-part cut, widened by one letter."""
    bounds = _bounds(length, 3)
    return [(max(0, bounds[i] - 1), min(length, bounds[i + 1] + 1)) for i in range(3)]


_BOUNDS3 = [_bounds(length, 3) for length in range(_MAX_INDEXED)]
_HOLES = [_holes(length) for length in range(_MAX_INDEXED)]


def _deletions(text: str) -> set[str]:
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


# A bucket is the one skeleton stored under a key, or a list when several are. Most keys hold one mark, and a
# one-element list would cost 64 bytes more per key: at a million marks, a third of the index.
Bucket = str | list[str]


def _add(table: dict[str, Bucket], key: str, skeleton: str) -> None:
    bucket = table.get(key)
    if bucket is None:
        table[key] = skeleton
    elif isinstance(bucket, str):
        if bucket is not skeleton:
            table[key] = [bucket, skeleton]
    elif bucket[-1] is not skeleton:
        bucket.append(skeleton)


def _take(found: list[str], bucket: Bucket | None) -> None:
    if bucket is None:
        return
    if isinstance(bucket, str):
        found.append(bucket)
    else:
        found.extend(bucket)


class MarkIndex:
    """Skeleton -> right numbers, plus the typo-tolerant tables."""

    def __init__(self) -> None:
        # skeleton -> right number, or a list of them when several rights share a mark (stored bare for the
        # same reason as buckets)
        self.exact: dict[str, int | list[int]] = {}
        self._short: dict[str, Bucket] = {}  # deletion neighbourhood of marks of 4-7 letters
        self._holes: dict[int, list[dict[str, Bucket]]] = {}  # length -> per hole: prefix|suffix -> marks
        self._parts: dict[int, list[dict[str, Bucket]]] = {}  # length -> per part: piece -> marks
        self.max_length = 0

    def __len__(self) -> int:
        return len(self.exact)

    def rights(self, skeleton: str) -> list[int] | tuple[int, ...]:
        """The right numbers whose mark has this skeleton (empty when none)."""
        found = self.exact.get(skeleton)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found

    def add(self, skeleton: str, right: int) -> None:
        rights = self.exact.get(skeleton)
        if rights is not None:
            if isinstance(rights, int):
                if rights != right:
                    self.exact[skeleton] = [rights, right]
            elif right not in rights:
                rights.append(right)
            return
        self.exact[skeleton] = right
        self.max_length = max(self.max_length, len(skeleton))
        length = len(skeleton)
        if length < MIN_FUZZY_LENGTH or length >= _MAX_INDEXED:
            return
        if length <= DELETION_MAX_LENGTH:
            for key in _deletions(skeleton):
                _add(self._short, key, skeleton)
        elif length <= ONE_EDIT_MAX_LENGTH:
            holes = self._holes.get(length)
            if holes is None:
                holes = self._holes[length] = [{}, {}, {}]
            for table, (keep, resume) in zip(holes, _HOLES[length], strict=True):
                _add(table, skeleton[:keep] + "|" + skeleton[resume:], skeleton)
        else:
            self._add_parts(skeleton)

    def _add_parts(self, skeleton: str) -> None:
        length = len(skeleton)
        bounds = _BOUNDS3[length]
        tables = self._parts.get(length)
        if tables is None:
            tables = self._parts[length] = [{}, {}, {}]
        variants = [skeleton]
        for cut in bounds[1:-1]:
            swapped = skeleton[: cut - 1] + skeleton[cut] + skeleton[cut - 1] + skeleton[cut + 1 :]
            if swapped != skeleton:
                variants.append(swapped)
        for variant in variants:
            for part, table in enumerate(tables):
                _add(table, variant[bounds[part] : bounds[part + 1]], skeleton)

    def candidates(self, query: str) -> list[str]:
        """Skeletons that may lie within their allowed edits of `query` (a superset, with repeats)."""
        n = len(query)
        found: list[str] = []
        if n <= DELETION_MAX_LENGTH + 1:
            short = self._short
            for key in _deletions(query):
                _take(found, short.get(key))
        for length in range(max(DELETION_MAX_LENGTH + 1, n - 1), min(ONE_EDIT_MAX_LENGTH, n + 1) + 1):
            holes = self._holes.get(length)
            if holes is None:
                continue
            for table, (keep, resume) in zip(holes, _HOLES[length], strict=True):
                tail = length - resume
                if n - tail < keep:
                    continue
                _take(found, table.get(query[:keep] + "|" + query[n - tail :]))
        for length in range(max(ONE_EDIT_MAX_LENGTH + 1, n - 2), min(n + 3, _MAX_INDEXED)):
            tables = self._parts.get(length)
            if tables is None:
                continue
            bounds = _BOUNDS3[length]
            first, middle, last = tables
            _take(found, first.get(query[: bounds[1]]))
            size = length - bounds[2]
            _take(found, last.get(query[n - size :]))
            size = bounds[2] - bounds[1]
            # The middle part moves by the insertions less the deletions before it: with two edits and a length
            # difference of `delta`, that is between min(0, delta) and max(0, delta), one more either way when
            # the two edits can be an insertion and a deletion (delta 0).
            delta = n - length
            spare = (2 - abs(delta)) // 2
            low, high = min(0, delta) - spare, max(0, delta) + spare
            for start in range(max(0, bounds[1] + low), min(n - size, bounds[1] + high) + 1):
                _take(found, middle.get(query[start : start + size]))
        return found

    def fuzzy(self, query: str) -> tuple[int, list[str]]:
        """The smallest edit distance to any indexed skeleton within its allowed edits, and those skeletons.

        Returns (0, []) when nothing is close enough. An exact match is not reported here (use `exact`).
        """
        candidates = self.candidates(query)
        if not candidates:
            return (0, [])
        best = 3
        hits: list[str] = []
        # One call verifies every candidate in C; the per-length allowance is applied to the few survivors.
        for candidate, distance, _ in process.extract(
            query, candidates, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            if distance == 0 or distance > max_edits(len(candidate)):
                continue
            if distance < best:
                best, hits = distance, [candidate]
            elif distance == best and candidate not in hits:
                hits.append(candidate)
        return (best, hits) if hits else (0, [])
