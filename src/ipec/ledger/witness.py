"""A witness: cosigns a log's checkpoint only after checking it extends the last checkpoint it cosigned.

Its memory is one small JSON file (origin, size, root of the last cosigned checkpoint), replaced atomically. The
first checkpoint seen is trusted as is (trust on first use); after that a checkpoint that is smaller, or of the
same size with another root, or not proven consistent, is refused, so a log cannot show different histories to
different parties without one witness refusing. Cosignatures are ordinary Ed25519 note signatures by the witness
key, appended to the checkpoint note.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ipec.ledger import merkle
from ipec.ledger.note import NoteError, Signature, Signer, Verifier, open_checkpoint


class WitnessRefused(ValueError):
    """The witness will not cosign: the message says why (bad signature, rollback, fork, bad proof)."""


@dataclass(frozen=True)
class WitnessState:
    origin: str
    size: int
    root_hash: bytes

    def to_json(self) -> str:
        return json.dumps(
            {"origin": self.origin, "size": self.size, "root_hash": base64.b64encode(self.root_hash).decode()}
        )

    @classmethod
    def from_json(cls, text: str) -> WitnessState:
        try:
            raw = json.loads(text)
            return cls(raw["origin"], int(raw["size"]), base64.b64decode(raw["root_hash"], validate=True))
        except (ValueError, KeyError, TypeError) as exc:
            raise WitnessRefused(f"witness state is unreadable: {exc}") from None


class Witness:
    def __init__(self, signer: Signer, log_key: Verifier, state_path: Path) -> None:
        self.signer = signer
        self.log_key = log_key
        self.state_path = state_path

    def state(self) -> WitnessState | None:
        if not self.state_path.exists():
            return None
        return WitnessState.from_json(self.state_path.read_text(encoding="utf-8"))

    def _save(self, state: WitnessState) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(state.to_json(), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def cosign(self, signed_checkpoint: str, proof: Sequence[bytes]) -> Signature:
        """Check and cosign; `proof` proves consistency from the last cosigned size to this checkpoint's size."""
        try:
            cp, note = open_checkpoint(signed_checkpoint, [self.log_key], origin=self.log_key.name)
        except NoteError as exc:
            raise WitnessRefused(f"checkpoint: {exc}") from None
        last = self.state()
        if last is not None:
            if last.origin != cp.origin:
                raise WitnessRefused(f"this witness follows {last.origin!r}, not {cp.origin!r}")
            if cp.size < last.size:
                raise WitnessRefused(f"checkpoint size {cp.size} is smaller than the last cosigned size {last.size}")
            try:
                merkle.verify_consistency(last.size, cp.size, last.root_hash, cp.root_hash, proof)
            except merkle.ProofError as exc:
                raise WitnessRefused(f"not consistent with the last cosigned checkpoint ({last.size}): {exc}") from None
        sig = Signature(self.signer.name, self.signer.key_id, self.signer.sign(note.text.encode("utf-8")))
        self._save(WitnessState(cp.origin, cp.size, cp.root_hash))
        return sig
