"""Receipts: one JSON file that proves an entry is in the log, checkable offline with only the log's public key.

    {
      "format": "ipec-ledger-receipt/v1",
      "origin": "<log origin>",
      "index": <0-based entry index>,
      "entry": "<base64 of the entry bytes, exactly as logged>",
      "record": <the entry decoded, for people; never used to verify>,
      "tree_size": <size of the checkpoint>,
      "inclusion_proof": ["<base64 hash>", ...],
      "checkpoint": "<C2SP signed checkpoint, with any witness cosignatures>"
    }

Verification: the checkpoint must be signed by the log key (and by at least k of the given witness keys when asked),
its origin and size must match, and the inclusion proof must lead from SHA-256(0x00 || entry) to its root hash.
Pure: no database, no web.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ipec.ledger import merkle
from ipec.ledger.note import Checkpoint, NoteError, Verifier, open_checkpoint

FORMAT = "ipec-ledger-receipt/v1"


class ReceiptError(ValueError):
    """The receipt is malformed or does not verify; the message says which part and why."""


def build_receipt(
    origin: str, index: int, entry: bytes, size: int, proof: Sequence[bytes], checkpoint: str
) -> dict[str, Any]:
    try:
        record: Any = json.loads(entry)
    except ValueError:
        record = None
    return {
        "format": FORMAT,
        "origin": origin,
        "index": index,
        "entry": base64.b64encode(entry).decode(),
        "record": record,
        "tree_size": size,
        "inclusion_proof": [base64.b64encode(h).decode() for h in proof],
        "checkpoint": checkpoint,
    }


@dataclass(frozen=True)
class VerifiedReceipt:
    index: int
    entry: bytes
    checkpoint: Checkpoint
    log_key: str
    witnesses: tuple[str, ...]  # names of the witnesses whose cosignatures verified


def _field(receipt: dict[str, Any], name: str, kind: type) -> Any:
    if name not in receipt:
        raise ReceiptError(f"receipt has no {name!r} field")
    value = receipt[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ReceiptError(f"receipt field {name!r} must be {kind.__name__}, got {type(value).__name__}")
    return value


def _b64(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise ReceiptError(f"{what} must be a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ReceiptError(f"{what} is not valid base64") from None


def parse_receipt(text: str | bytes) -> dict[str, Any]:
    try:
        receipt = json.loads(text)
    except ValueError as exc:
        raise ReceiptError(f"receipt is not JSON: {exc}") from None
    if not isinstance(receipt, dict):
        raise ReceiptError("receipt must be a JSON object")
    return receipt


def verify_receipt(
    receipt: dict[str, Any],
    log_key: Verifier,
    witnesses: Sequence[Verifier] = (),
    min_witnesses: int = 0,
) -> VerifiedReceipt:
    if receipt.get("format") != FORMAT:
        raise ReceiptError(f"receipt format is {receipt.get('format')!r}, expected {FORMAT!r}")
    origin = _field(receipt, "origin", str)
    index = _field(receipt, "index", int)
    size = _field(receipt, "tree_size", int)
    entry = _b64(_field(receipt, "entry", str), "receipt field 'entry'")
    proof_items = _field(receipt, "inclusion_proof", list)
    proof = [_b64(p, f"inclusion proof hash {i}") for i, p in enumerate(proof_items)]
    signed = _field(receipt, "checkpoint", str)
    if min_witnesses > len(witnesses):
        raise ReceiptError(
            f"asked for {min_witnesses} witness cosignatures but gave only {len(witnesses)} witness keys"
        )
    if log_key.name != origin:
        raise ReceiptError(f"the key given is for log {log_key.name!r}, the receipt is from {origin!r}")
    try:
        cp, note = open_checkpoint(signed, [log_key, *witnesses], origin=origin)
    except NoteError as exc:
        raise ReceiptError(f"checkpoint: {exc}") from None
    if not note.verified_by(log_key):
        raise ReceiptError(f"checkpoint is not signed by the log key {log_key.name}+{log_key.key_id.hex()}")
    cosigned = tuple(w.name for w in witnesses if note.verified_by(w))
    if len(cosigned) < min_witnesses:
        raise ReceiptError(
            f"checkpoint has {len(cosigned)} valid witness cosignatures ({', '.join(cosigned) or 'none'}), "
            f"{min_witnesses} required"
        )
    if cp.size != size:
        raise ReceiptError(f"receipt says tree size {size} but its checkpoint is for size {cp.size}")
    try:
        merkle.verify_inclusion(merkle.leaf_hash(entry), index, size, proof, cp.root_hash)
    except merkle.ProofError as exc:
        raise ReceiptError(str(exc)) from None  # merkle names the proof, index and roots
    return VerifiedReceipt(index, entry, cp, log_key.vkey, cosigned)
