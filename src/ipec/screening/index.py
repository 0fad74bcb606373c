"""The mark index: exact lookup of skeletons, and typo-tolerant lookup by pigeonhole partitions.

Exact: a dict from skeleton (see normalize.py) to the rights whose mark has that skeleton. Every disguise except
typing errors lands here with one dict lookup.

Fuzzy: a mark of length m allows k = max_edits(m) typing errors (0 up to 3 letters, 1 up to 7, 2 beyond). Cut the
mark into k+1 parts: a string within k edits of it keeps at least one part intact, at a position shifted by at
most k. So each part is stored in a dict keyed by (mark length, part number), and a query looks up only the
slices where that part can sit: the first part at the start, the last at the end, a middle one within +-k.
Candidates are then verified with the optimal-string-alignment distance (a transposition is one edit).
A transposition across a part boundary breaks two parts at once, so each mark is also stored with the two
letters at each boundary swapped. This keeps the index at k+1+2k small entries per mark (a deletion
neighbourhood needs m+1), which is what lets a million marks fit in memory, while a query costs a few dozen
dict lookups.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Below this many letters a typo is not tolerated at all: too many ordinary strings lie one edit from a 3-letter mark.
MIN_FUZZY_LENGTH = 4
# Up to this many letters one typing error is tolerated; beyond it, two.
ONE_EDIT_MAX_LENGTH = 7


def max_edits(length: int) -> int:
    if length < MIN_FUZZY_LENGTH:
        return 0
    return 1 if length <= ONE_EDIT_MAX_LENGTH else 2


def _bounds(length: int, edits: int) -> list[int]:
    parts = edits + 1
    return [round(i * length / parts) for i in range(parts + 1)]


# Part boundaries by allowed edits and mark length, computed once (the query loop reads them per length).
_BOUNDS = {edits: [_bounds(length, edits) for length in range(256)] for edits in (1, 2)}


class MarkIndex:
    """Skeleton -> right numbers, plus the partition tables for typo-tolerant lookup."""

    def __init__(self) -> None:
        self.exact: dict[str, list[int]] = {}
        # mark length -> one dict per part: piece -> skeletons having that piece there
        self._parts: dict[int, list[dict[str, list[str]]]] = {}
        self.max_length = 0

    def __len__(self) -> int:
        return len(self.exact)

    def add(self, skeleton: str, right: int) -> None:
        rights = self.exact.get(skeleton)
        if rights is not None:
            if right not in rights:
                rights.append(right)
            return
        self.exact[skeleton] = [right]
        self.max_length = max(self.max_length, len(skeleton))
        self._add_parts(skeleton)

    def _add_parts(self, skeleton: str) -> None:
        length = len(skeleton)
        edits = max_edits(length)
        if edits == 0:
            return
        bounds = _BOUNDS[edits][length] if length < 256 else _bounds(length, edits)
        tables = self._parts.get(length)
        if tables is None:
            tables = self._parts[length] = [{} for _ in range(edits + 1)]
        variants = [skeleton]
        for cut in bounds[1:-1]:
            swapped = skeleton[: cut - 1] + skeleton[cut] + skeleton[cut - 1] + skeleton[cut + 1 :]
            if swapped != skeleton:
                variants.append(swapped)
        for variant in variants:
            for part, table in enumerate(tables):
                piece = variant[bounds[part] : bounds[part + 1]]
                bucket = table.get(piece)
                if bucket is None:
                    table[piece] = [skeleton]
                elif bucket[-1] is not skeleton:
                    bucket.append(skeleton)

    def candidates(self, query: str) -> list[str]:
        """Skeletons that may lie within their allowed edits of `query` (a superset, with repeats)."""
        n = len(query)
        found: list[str] = []
        for length in range(max(MIN_FUZZY_LENGTH, n - 2), min(n + 3, 256)):
            tables = self._parts.get(length)
            if tables is None:
                continue
            edits = len(tables) - 1
            if abs(n - length) > edits:
                continue
            bounds = _BOUNDS[edits][length]
            last = edits
            for part, table in enumerate(tables):
                size = bounds[part + 1] - bounds[part]
                if part == 0:
                    bucket = table.get(query[:size])
                    if bucket is not None:
                        found.extend(bucket)
                elif part == last:
                    bucket = table.get(query[n - size :])
                    if bucket is not None:
                        found.extend(bucket)
                else:
                    for start in range(max(0, bounds[part] - edits), min(n - size, bounds[part] + edits) + 1):
                        bucket = table.get(query[start : start + size])
                        if bucket is not None:
                            found.extend(bucket)
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
