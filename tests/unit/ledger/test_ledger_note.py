"""Signed notes and checkpoints against ../shared/testdata/merkle/signed_note_vectors.json and sumdb goldens."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ipec.ledger import merkle
from ipec.ledger.note import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    add_signatures,
    open_checkpoint,
    open_note,
    parse_checkpoint,
    sign_note,
    split_note,
)
from tests.conftest import merkle_vectors

VECTORS = merkle_vectors()
DATA = json.loads((VECTORS / "signed_note_vectors.json").read_text(encoding="utf-8"))
NOTES = {n["id"]: n for n in DATA["notes"]}
KEYPAIRS = {k["label"]: k for k in DATA["ed25519_keypairs"]}


@pytest.mark.parametrize("pair", DATA["ed25519_keypairs"], ids=lambda k: k["label"])
def test_signer_keys_round_trip_and_derive_the_published_verifier_key(pair: dict[str, str]) -> None:
    signer = Signer.from_skey(pair["skey"])
    assert signer.skey == pair["skey"]
    assert signer.vkey == pair["vkey"]
    assert Verifier.from_vkey(pair["vkey"]).key_id == signer.key_id


def test_signing_reproduces_the_go_note_exactly() -> None:
    vector = NOTES["go-note-peterneumann"]
    signer = Signer.from_skey(vector["skey"])
    assert sign_note(vector["text"], [signer]) == vector["signed_note"]


def test_all_zero_seed_gives_the_enochroot_key_and_signature() -> None:
    vector = NOTES["go-note-enochroot"]
    signer = Signer.from_seed("EnochRoot", bytes.fromhex(vector["seed_hex"]))
    assert signer.vkey == vector["vkey"]
    peter = Signer.from_skey(NOTES["go-note-peterneumann"]["skey"])
    assert sign_note(vector["text"], [peter, signer]) == vector["signed_note"]


VALID = [n for n in DATA["notes"] if n["expect"].startswith(("valid", "both", "all"))]


@pytest.mark.parametrize("vector", VALID, ids=lambda n: n["id"])
def test_published_notes_verify(vector: dict[str, Any]) -> None:
    keys = [vector["vkey"], *vector.get("extra_vkeys", [])]
    if vector["id"] == "go-note-enochroot":
        keys.append(NOTES["go-note-peterneumann"]["vkey"])
    verifiers = [Verifier.from_vkey(k) for k in keys]
    note = open_note(vector["signed_note"], verifiers)
    assert len(note.verified) == len(keys)
    assert not note.unverified
    if "origin" in vector:
        cp, _ = open_checkpoint(vector["signed_note"], verifiers, origin=vector["origin"])
        assert cp.size == 6476701


def test_corrupted_signature_is_rejected_naming_the_signer() -> None:
    vector = NOTES["rekor.sigstore.dev-ecdsa-checkpoint-corrupted"]
    with pytest.raises(NoteError, match=r"rekor\.sigstore\.dev"):
        open_note(vector["signed_note"], [Verifier.from_vkey(vector["vkey"])])


def test_format_only_note_parses_but_cannot_verify() -> None:
    vector = NOTES["c2sp-signed-note-intro"]
    text, sigs = split_note(vector["signed_note"])
    assert text.endswith("ed è subito sera.\n")
    assert [s.name for s in sigs] == ["quasimodo.example/salvatore"]
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(vector["signed_note"], [Verifier.from_vkey(NOTES["c2sp-signed-note-example"]["vkey"])])


def test_unknown_signers_are_kept_apart_from_verified_ones() -> None:
    vector = NOTES["sum.golang.org-checkpoint-with-3-extra-sigs"]
    note = open_note(vector["signed_note"], [Verifier.from_vkey(vector["vkey"])])
    assert [s.name for s in note.verified] == ["sum.golang.org"]
    assert [s.name for s in note.unverified] == ["monkeys", "bananas", "witness"]


def test_altered_text_fails_every_known_signature() -> None:
    vector = NOTES["go-note-peterneumann"]
    with pytest.raises(NoteError, match="PeterNeumann"):
        open_note(vector["signed_note"].replace("answer", "Answer"), [Verifier.from_vkey(vector["vkey"])])


def test_key_with_wrong_id_is_refused() -> None:
    vkey = KEYPAIRS["log"]["vkey"].replace("2271c621", "2271c622")
    with pytest.raises(NoteError, match="does not match"):
        Verifier.from_vkey(vkey)


@pytest.mark.parametrize(
    ("signed", "reason"),
    [
        ("no newline at end", "end with a newline"),
        ("text only\n", "no blank line"),
        ("text\n\nnot a signature\n", "does not start"),
        ("text\n\n\u2014 name !!!notbase64\n", "not valid base64"),
        ("text\n\n\u2014 name AAAA\n", "too short"),
    ],
)
def test_malformed_notes_say_what_is_wrong(signed: str, reason: str) -> None:
    with pytest.raises(NoteError, match=reason):
        split_note(signed)


def test_checkpoint_matches_the_sumdb_golden() -> None:
    golden = json.loads((VECTORS / "sumdb_tlog_vectors.json").read_text(encoding="utf-8"))["format_tree"]
    cp = Checkpoint("go.sum database tree", golden["size"], merkle.leaf_hash(golden["record"].encode()))
    assert cp.text() == golden["golden_note_text"]
    assert parse_checkpoint(golden["golden_note_text"]) == cp


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("origin\n12\n", "needs origin, size and root hash"),
        ("origin\n012\nAAAA\n", "leading zeros"),
        ("origin\n-1\nAAAA\n", "decimal"),
        ("\n1\nAAAA\n", "origin line is empty"),
        ("origin\n1\n@@@\n", "base64"),
    ],
)
def test_malformed_checkpoints_say_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(NoteError, match=reason):
        parse_checkpoint(text)


def test_witness_cosignatures_are_added_once_and_verify() -> None:
    log = Signer.from_skey(KEYPAIRS["log"]["skey"])
    wit1, wit2 = (Signer.from_skey(KEYPAIRS[k]["skey"]) for k in ("wit1", "wit2"))
    cp = Checkpoint("example.org/log", 3, merkle.root([b"a", b"b", b"c"]))
    signed = sign_note(cp.text(), [log])
    cosigned = sign_note(cp.text(), [wit1, wit2])
    merged = add_signatures(signed, split_note(cosigned)[1])
    assert add_signatures(merged, split_note(cosigned)[1]) == merged
    note = open_note(merged, [log.verifier(), wit1.verifier(), wit2.verifier()])
    assert [s.name for s in note.verified] == ["Log", "Wit1", "Wit2"]
    with pytest.raises(NoteError, match="origin"):
        open_checkpoint(merged, [log.verifier()], origin="other.org/log")
