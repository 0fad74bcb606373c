"""RFC 9162 §2.1 Merkle trees: hashing, inclusion and consistency proofs, and their verification.

Pure standard library. Two ways in:

* the list functions (`root`, `inclusion_proof`, `consistency_proof`) take the entries themselves; they are the
  reference definitions, used by tests and small trees;
* the node functions (`inclusion_proof_nodes`, `proof_from_nodes`, `Frontier`, …) work on stored hashes of
  *perfect* subtrees, addressed as ``(level, index)``: the node at level ``L`` and index ``i`` is the hash of
  entries ``[i * 2**L, (i + 1) * 2**L)``. A store keeps every such node once it is complete, so any proof needs
  only O(log n) lookups and no rehashing of entries.

Every proof element is the hash of a contiguous range of entries; `proof ranges` are computed first, then each range
is split into the perfect nodes that make it up, then folded as RFC 9162's MTH defines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeId = tuple[int, int]
"""A perfect subtree: (level, index); level 0 is a leaf hash."""

Range = tuple[int, int]
"""Entries [start, end) whose MTH is one proof element."""

NodeFetcher = Callable[[Collection[NodeId]], Mapping[NodeId, bytes]]


class ProofError(ValueError):
    """A proof does not verify, or the request for one makes no sense (index out of range, wrong lengths)."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2): where MTH splits a range of n entries."""
    return 1 << ((n - 1).bit_length() - 1)


# --- proof shapes: which entry ranges a proof is made of -------------------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """RFC 9162 PATH(m, D[n]) as entry ranges, leaf sibling first, root child last."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} is outside a tree of size {size}")
    out: list[Range] = []
    start, end, m = 0, size, index
    # Walk down from the root; record the sibling range at each split, then reverse to get leaf-first order.
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m = start + k, m - k
    out.reverse()
    return out


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """RFC 9162 PROOF(m, D[n]) / SUBPROOF as entry ranges, in proof order."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"cannot prove consistency from size {old_size} to size {new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    out: list[Range] = []
    start, end, m, complete = 0, new_size, old_size, True
    while True:
        n = end - start
        if m == n:
            if not complete:
                out.append((start, end))
            break
        k = _split(n)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m, complete = start + k, m - k, False
    out.reverse()
    return out


def range_nodes(start: int, end: int) -> list[NodeId]:
    """The perfect subtrees whose hashes give MTH(D[start:end]), in the order `hash_range` consumes them."""
    if not 0 <= start < end:
        raise ProofError(f"empty or negative range [{start}, {end})")
    out: list[NodeId] = []
    stack = [(start, end)]
    while stack:
        a, b = stack.pop()
        n = b - a
        if n & (n - 1) == 0 and a % n == 0:
            level = n.bit_length() - 1
            out.append((level, a >> level))
            continue
        k = _split(n)
        stack.append((a + k, b))
        stack.append((a, a + k))
    return out


def hash_range(start: int, end: int, nodes: Mapping[NodeId, bytes]) -> bytes:
    """MTH(D[start:end]) from perfect-subtree hashes (which must include every node `range_nodes` names)."""
    n = end - start
    if n & (n - 1) == 0 and start % n == 0:
        level = n.bit_length() - 1
        return _need(nodes, (level, start >> level))
    k = _split(n)
    return node_hash(hash_range(start, start + k, nodes), hash_range(start + k, end, nodes))


def _need(nodes: Mapping[NodeId, bytes], node: NodeId) -> bytes:
    try:
        return nodes[node]
    except KeyError:
        raise ProofError(f"node hash (level {node[0]}, index {node[1]}) is not available") from None


def nodes_for_ranges(ranges: Iterable[Range]) -> list[NodeId]:
    seen: dict[NodeId, None] = {}
    for a, b in ranges:
        for node in range_nodes(a, b):
            seen[node] = None
    return list(seen)


def proof_from_nodes(ranges: Sequence[Range], fetch: NodeFetcher) -> list[bytes]:
    """Hash each proof range from stored perfect-subtree hashes, fetched in one call."""
    nodes = fetch(nodes_for_ranges(ranges))
    return [hash_range(a, b, nodes) for a, b in ranges]


def inclusion_proof_nodes(index: int, size: int, fetch: NodeFetcher) -> list[bytes]:
    return proof_from_nodes(inclusion_ranges(index, size), fetch)


def consistency_proof_nodes(old_size: int, new_size: int, fetch: NodeFetcher) -> list[bytes]:
    return proof_from_nodes(consistency_ranges(old_size, new_size), fetch)


def frontier_nodes(size: int) -> list[NodeId]:
    """The perfect subtrees along the right edge of a tree of `size` entries, largest first (one per set bit)."""
    out: list[NodeId] = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            out.append((level, start >> level))
            start += 1 << level
    return out


def root_from_nodes(size: int, fetch: NodeFetcher) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    nodes = fetch(frontier_nodes(size))
    return hash_range(0, size, nodes)


class Frontier:
    """The right edge of a growing tree: enough to append leaves and compute the root.

    `append` returns every perfect subtree the new leaf completes, so a store can save each node exactly once.
    """

    __slots__ = ("_stack", "size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        ids = frontier_nodes(size)
        if len(hashes) != len(ids):
            raise ProofError(f"a tree of size {size} has {len(ids)} frontier nodes, got {len(hashes)}")
        self.size = size
        self._stack: list[tuple[int, bytes]] = [(level, h) for (level, _), h in zip(ids, hashes, strict=True)]

    def append(self, leaf: bytes) -> list[tuple[NodeId, bytes]]:
        """Add a leaf hash; return the new perfect nodes above level 0 as ((level, index), hash)."""
        stack = self._stack
        stack.append((0, leaf))
        self.size += 1
        made: list[tuple[NodeId, bytes]] = []
        while len(stack) >= 2 and stack[-1][0] == stack[-2][0]:
            level, right = stack.pop()
            _, left = stack.pop()
            h = node_hash(left, right)
            level += 1
            stack.append((level, h))
            made.append(((level, (self.size >> level) - 1), h))
        return made

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        h = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            h = node_hash(left, h)
        return h

    def hashes(self) -> list[bytes]:
        return [h for _, h in self._stack]


# --- the reference list functions -------------------------------------------------------------------------------


class _LeafNodes:
    """A read-only node map over a list of entries, computing perfect subtrees on demand (reference use)."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self._hashes = [leaf_hash(x) for x in leaves]
        self._cache: dict[NodeId, bytes] = {}

    def get(self, nodes: Collection[NodeId]) -> dict[NodeId, bytes]:
        return {n: self._node(*n) for n in nodes}

    def _node(self, level: int, index: int) -> bytes:
        if level == 0:
            return self._hashes[index]
        key = (level, index)
        found = self._cache.get(key)
        if found is None:
            found = node_hash(self._node(level - 1, 2 * index), self._node(level - 1, 2 * index + 1))
            self._cache[key] = found
        return found


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the entries `leaves` (raw entry data, not leaf hashes)."""
    if not leaves:
        return EMPTY_ROOT
    nodes = _LeafNodes(leaves)
    return hash_range(0, len(leaves), nodes.get(range_nodes(0, len(leaves))))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    return inclusion_proof_nodes(index, len(leaves), _LeafNodes(leaves).get)


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    return consistency_proof_nodes(old_size, len(leaves), _LeafNodes(leaves).get)


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ---------------------------------------------------------------


def _check_hash(what: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, expected {HASH_SIZE}")


def root_from_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root a valid inclusion proof implies; raises ProofError when the proof has the wrong shape."""
    _check_hash("leaf hash", leaf_hash)
    if not 0 <= index < size:
        raise ProofError(f"index {index} is outside a tree of size {size}")
    expected = len(inclusion_ranges(index, size))
    if len(proof) != expected:
        raise ProofError(f"inclusion proof has {len(proof)} hashes, expected {expected} for index {index} of {size}")
    fn, sn, r = index, size - 1, leaf_hash
    for i, p in enumerate(proof):
        _check_hash(f"proof hash {i}", p)
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:  # unreachable when the length check above holds; kept as the RFC's own final test
        raise ProofError("inclusion proof is too short")
    return r


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    _check_hash("root", root)
    got = root_from_inclusion(leaf_hash, index, size, proof)
    if got != root:
        raise ProofError(
            f"inclusion proof for index {index} gives root {got.hex()}, expected {root.hex()} (size {size})"
        )


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> None:
    _check_hash("old root", old_root)
    _check_hash("new root", new_root)
    if old_size < 0 or new_size < old_size:
        raise ProofError(f"cannot prove consistency from size {old_size} to size {new_size}")
    if old_size == new_size:
        if proof:
            raise ProofError(f"sizes are equal ({old_size}) but the proof has {len(proof)} hashes")
        if old_root != new_root:
            raise ProofError(f"same size {old_size} with different roots {old_root.hex()} and {new_root.hex()}")
        return
    if old_size == 0:
        # Every tree extends the empty tree; RFC 9162 defines no proof for it.
        if proof:
            raise ProofError(f"consistency from the empty tree needs an empty proof, got {len(proof)} hashes")
        return
    expected = len(consistency_ranges(old_size, new_size))
    if len(proof) != expected:
        raise ProofError(f"consistency proof has {len(proof)} hashes, expected {expected} for {old_size} -> {new_size}")
    for i, p in enumerate(proof):
        _check_hash(f"proof hash {i}", p)
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # The old tree is a perfect subtree of the new one: its root is the implied first element.
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != old_root:
        raise ProofError(f"consistency proof gives old root {fr.hex()}, expected {old_root.hex()} (size {old_size})")
    if sr != new_root:
        raise ProofError(f"consistency proof gives new root {sr.hex()}, expected {new_root.hex()} (size {new_size})")
