"""RFC 9162 Merkle core against the published vectors in ../shared/testdata/merkle and random trees."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipec.ledger import merkle
from ipec.ledger.merkle import ProofError
from tests.conftest import merkle_vectors

VECTORS = merkle_vectors()


def load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def unhex(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


REFERENCE = load("rfc6962_reference_tree.json")
REF_LEAVES = unhex(REFERENCE["leaves_hex"])


@pytest.mark.parametrize("vector", load("rfc6962_hasher.json")["vectors"], ids=lambda v: v["desc"])
def test_hasher_known_answers(vector: dict[str, str]) -> None:
    expected = bytes.fromhex(vector["expected_hex"])
    if vector["op"] == "empty_root":
        assert merkle.root([]) == expected == merkle.EMPTY_ROOT
    elif vector["op"] == "hash_leaf":
        assert merkle.leaf_hash(bytes.fromhex(vector["input_hex"])) == expected
    else:
        assert merkle.node_hash(bytes.fromhex(vector["left_hex"]), bytes.fromhex(vector["right_hex"])) == expected


@pytest.mark.parametrize("size", range(9))
def test_reference_tree_roots(size: int) -> None:
    assert merkle.root(REF_LEAVES[:size]).hex() == REFERENCE["roots_by_size_hex"][size]


def test_reference_tree_node_hashes_match_the_frontier_nodes() -> None:
    frontier = merkle.Frontier()
    made: dict[merkle.NodeId, bytes] = {}
    for i, leaf in enumerate(REF_LEAVES):
        h = merkle.leaf_hash(leaf)
        made[(0, i)] = h
        made.update(frontier.append(h))
        assert frontier.root().hex() == REFERENCE["roots_by_size_hex"][i + 1]
    for level, row in enumerate(REFERENCE["node_hashes_hex"]):
        for index, expected in enumerate(row):
            assert made[(level, index)].hex() == expected


@pytest.mark.parametrize(
    "vector", load("rfc9162_inclusion.json")["vectors"], ids=lambda v: f"{v['leaf_index']}/{v['tree_size']}"
)
def test_inclusion_vectors(vector: dict[str, Any]) -> None:
    leaves = REF_LEAVES[: vector["tree_size"]]
    proof = unhex(vector["proof_hex"])
    assert merkle.inclusion_proof(leaves, vector["leaf_index"]) == proof
    root = bytes.fromhex(vector["expected_root_hex"])
    merkle.verify_inclusion(
        merkle.leaf_hash(bytes.fromhex(vector["leaf_hex"])), vector["leaf_index"], vector["tree_size"], proof, root
    )


@pytest.mark.parametrize(
    "vector", load("rfc9162_consistency.json")["vectors"], ids=lambda v: f"{v['size1']}-{v['size2']}"
)
def test_consistency_vectors(vector: dict[str, Any]) -> None:
    proof = unhex(vector["proof_hex"])
    assert merkle.consistency_proof(REF_LEAVES[: vector["size2"]], vector["size1"]) == proof
    merkle.verify_consistency(
        vector["size1"], vector["size2"], bytes.fromhex(vector["root1_hex"]), bytes.fromhex(vector["root2_hex"]), proof
    )


INCLUSION_PROBES = load("tdev_merkle_probes_inclusion.json")["probes"]
CONSISTENCY_PROBES = load("tdev_merkle_probes_consistency.json")["probes"]


def test_probe_files_are_complete() -> None:
    assert len(INCLUSION_PROBES) == 98
    assert len(CONSISTENCY_PROBES) == 98


@pytest.mark.parametrize("probe", INCLUSION_PROBES, ids=lambda p: p["file"])
def test_inclusion_probes(probe: dict[str, Any]) -> None:
    args = (
        bytes.fromhex(probe["leafHash_hex"]),
        probe["leafIdx"],
        probe["treeSize"],
        unhex(probe["proof_hex"]),
        bytes.fromhex(probe["root_hex"]),
    )
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


# The README explains this one: its "roots" are 12 bytes, which a verifier insisting on SHA-256 sizes rejects.
STRICTER = {"sizes-are-equal-one-and-proof-is-empty"}


@pytest.mark.parametrize("probe", CONSISTENCY_PROBES, ids=lambda p: p["file"])
def test_consistency_probes(probe: dict[str, Any]) -> None:
    args = (
        probe["size1"],
        probe["size2"],
        bytes.fromhex(probe["root1_hex"]),
        bytes.fromhex(probe["root2_hex"]),
        unhex(probe["proof_hex"]),
    )
    want_err = probe["wantErr"] or any(name in probe["file"] for name in STRICTER)
    if want_err:
        with pytest.raises(ProofError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)


def test_out_of_range_requests_name_the_problem() -> None:
    with pytest.raises(ProofError, match="index 3 is outside a tree of size 3"):
        merkle.inclusion_proof(REF_LEAVES[:3], 3)
    with pytest.raises(ProofError, match="from size 5 to size 4"):
        merkle.consistency_proof(REF_LEAVES[:4], 5)


# --- random trees -----------------------------------------------------------------------------------------------

leaves_st = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


def _flip(proof: list[bytes], i: int, bit: int) -> list[bytes]:
    altered = list(proof)
    b = bytearray(altered[i])
    b[bit // 8] ^= 1 << (bit % 8)
    altered[i] = bytes(b)
    return altered


@settings(max_examples=150, deadline=None)
@given(leaves=leaves_st, data=st.data())
def test_every_inclusion_proof_verifies_and_every_alteration_fails(leaves: list[bytes], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(leaves) - 1))
    root = merkle.root(leaves)
    proof = merkle.inclusion_proof(leaves, index)
    lh = merkle.leaf_hash(leaves[index])
    merkle.verify_inclusion(lh, index, len(leaves), proof, root)

    if proof:
        i = data.draw(st.integers(0, len(proof) - 1))
        with pytest.raises(ProofError):
            merkle.verify_inclusion(lh, index, len(leaves), _flip(proof, i, data.draw(st.integers(0, 255))), root)
        with pytest.raises(ProofError):
            merkle.verify_inclusion(lh, index, len(leaves), proof[:-1], root)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(lh, index, len(leaves), [*proof, root], root)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(merkle.leaf_hash(leaves[index] + b"x"), index, len(leaves), proof, root)
    other = data.draw(st.integers(0, len(leaves)))
    if other != index and not (
        other < len(leaves) and leaves[other] == leaves[index] and merkle.inclusion_proof(leaves, other) == proof
    ):
        with pytest.raises(ProofError):
            merkle.verify_inclusion(lh, other, len(leaves), proof, root)


@settings(max_examples=150, deadline=None)
@given(leaves=leaves_st, data=st.data())
def test_every_consistency_proof_verifies_and_every_alteration_fails(leaves: list[bytes], data: st.DataObject) -> None:
    old = data.draw(st.integers(0, len(leaves)))
    old_root, new_root = merkle.root(leaves[:old]), merkle.root(leaves)
    proof = merkle.consistency_proof(leaves, old)
    merkle.verify_consistency(old, len(leaves), old_root, new_root, proof)
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1))
        with pytest.raises(ProofError):
            merkle.verify_consistency(
                old, len(leaves), old_root, new_root, _flip(proof, i, data.draw(st.integers(0, 255)))
            )
        with pytest.raises(ProofError):
            merkle.verify_consistency(old, len(leaves), old_root, new_root, proof[1:])
    with pytest.raises(ProofError):
        merkle.verify_consistency(old, len(leaves), old_root, new_root, [*proof, new_root])
    if 0 < old < len(leaves):
        with pytest.raises(ProofError):
            merkle.verify_consistency(old, len(leaves), new_root, new_root, proof)


@settings(max_examples=100, deadline=None)
@given(leaves=leaves_st, data=st.data())
def test_stored_node_proofs_equal_reference_proofs(leaves: list[bytes], data: st.DataObject) -> None:
    """The store's path (perfect nodes kept as the frontier completes them) gives the RFC's proofs."""
    store: dict[merkle.NodeId, bytes] = {}
    frontier = merkle.Frontier()
    for i, leaf in enumerate(leaves):
        h = merkle.leaf_hash(leaf)
        store[(0, i)] = h
        store.update(frontier.append(h))

    def fetch(ids: Any) -> dict[merkle.NodeId, bytes]:
        return {n: store[n] for n in ids}

    n = len(leaves)
    assert frontier.root() == merkle.root(leaves) == merkle.root_from_nodes(n, fetch)
    index = data.draw(st.integers(0, n - 1))
    old = data.draw(st.integers(0, n))
    assert merkle.inclusion_proof_nodes(index, n, fetch) == merkle.inclusion_proof(leaves, index)
    assert merkle.consistency_proof_nodes(old, n, fetch) == merkle.consistency_proof(leaves, old)
    resumed = merkle.Frontier(old, [store[x] for x in merkle.frontier_nodes(old)])
    assert resumed.root() == merkle.root(leaves[:old])
