"""C2SP signed notes and tlog-checkpoints.

A signed note is UTF-8 text ending in a newline, a blank line, then one line per signature:
``— <key name> base64(key id (4 bytes) || signature)``. The key id binds the signature to a key and its name:

* Ed25519 (algorithm 0x01, the only kind this node signs with): ``SHA-256(name || 0x0A || 0x01 || pubkey)[:4]``;
* ECDSA P-256 (0x02, verify only, as Rekor and the Pixel log publish): ``SHA-256(DER SPKI)[:4]``;
* RFC 6962 tree-head signatures (0x05, verify only, static CT logs): ``SHA-256(name || 0x0A || 0x05 ||
  SHA-256(DER SPKI))[:4]``; the signature carries a timestamp and signs the RFC 6962 TreeHeadSignature.

Keys are written as Go's x/mod/sumdb/note does: verifier keys ``name+hexid+base64(alg || key)`` and signer keys
``PRIVATE+KEY+name+hexid+base64(0x01 || seed)``.

A checkpoint (C2SP tlog-checkpoint) is a note whose text is the log origin, the tree size in decimal, the base64
root hash, and optional extension lines.

Pure: standard library and cryptography only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
ALG_ECDSA = 0x02
ALG_RFC6962 = 0x05

SIG_PREFIX = "\u2014 "  # em dash and a space start every signature line
MAX_SIGNATURES = 100  # as Go's note package: a bound on work done for a hostile note


class NoteError(ValueError):
    """A note, key or checkpoint is malformed, or a signature does not verify."""


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise NoteError(f"{what} is not valid base64: {text[:40]!r}") from None


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")


def key_id(name: str, alg: int, key: bytes) -> bytes:
    """The 4-byte id of a key as the signed-note spec (or, for ECDSA, transparency-dev) defines it."""
    if alg == ALG_ECDSA:
        return hashlib.sha256(key).digest()[:4]
    if alg == ALG_RFC6962:
        key = hashlib.sha256(key).digest()
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + key).digest()[:4]


# --- keys --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verifier:
    """A public key with its name and id; `verify(message, signature)` checks one signature."""

    name: str
    key_id: bytes
    alg: int
    key: bytes
    _check: Callable[[bytes, bytes], bool] = field(repr=False, compare=False)

    def verify(self, message: bytes, signature: bytes) -> bool:
        return self._check(message, signature)

    @property
    def vkey(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([self.alg]) + self.key).decode()}"

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError(f"verifier key {vkey[:60]!r} must look like name+hexid+base64key")
        name, hex_id, b64 = parts
        _check_name(name)
        raw = _b64decode(b64, "verifier key")
        if len(hex_id) != 8:
            raise NoteError(f"verifier key id {hex_id!r} must be 8 hex digits")
        try:
            claimed = bytes.fromhex(hex_id)
        except ValueError:
            raise NoteError(f"verifier key id {hex_id!r} is not hex") from None
        if not raw:
            raise NoteError("verifier key is empty")
        alg, key = raw[0], raw[1:]
        check = _make_check(alg, key)
        if key_id(name, alg, key) != claimed:
            raise NoteError(f"verifier key id {hex_id} does not match the key for {name!r}")
        return cls(name, claimed, alg, key, check)


def _make_check(alg: int, key: bytes) -> Callable[[bytes, bytes], bool]:
    if alg == ALG_ED25519:
        if len(key) != 32:
            raise NoteError(f"Ed25519 public key is {len(key)} bytes, expected 32")
        pub = Ed25519PublicKey.from_public_bytes(key)

        def check_ed25519(message: bytes, signature: bytes) -> bool:
            try:
                pub.verify(signature, message)
            except InvalidSignature:
                return False
            return True

        return check_ed25519
    if alg in (ALG_ECDSA, ALG_RFC6962):
        try:
            ec_pub = serialization.load_der_public_key(key)
        except ValueError:
            raise NoteError("ECDSA verifier key is not a DER SubjectPublicKeyInfo") from None
        if not isinstance(ec_pub, ec.EllipticCurvePublicKey) or not isinstance(ec_pub.curve, ec.SECP256R1):
            raise NoteError("ECDSA verifier key must be a P-256 public key")
        return _rfc6962_check(ec_pub) if alg == ALG_RFC6962 else _ecdsa_check(ec_pub)
    raise NoteError(f"unknown signature algorithm 0x{alg:02x} in verifier key")


def _ecdsa_check(pub: ec.EllipticCurvePublicKey) -> Callable[[bytes, bytes], bool]:
    def check_ecdsa(message: bytes, signature: bytes) -> bool:
        try:
            pub.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True

    return check_ecdsa


def _rfc6962_check(pub: ec.EllipticCurvePublicKey) -> Callable[[bytes, bytes], bool]:
    # The note signature is timestamp (ms, 8 bytes) || TLS DigitallySigned(SHA-256, ECDSA); what is signed is the
    # RFC 6962 TreeHeadSignature rebuilt from the checkpoint body, not the note text itself.
    def check_rfc6962(message: bytes, signature: bytes) -> bool:
        if len(signature) < 12:
            return False
        timestamp = signature[:8]
        hash_alg, sig_alg, length = struct.unpack(">BBH", signature[8:12])
        der = signature[12:]
        if (hash_alg, sig_alg) != (4, 3) or length != len(der):
            return False
        try:
            cp = parse_checkpoint(message.decode("utf-8"))
        except (NoteError, UnicodeDecodeError):
            return False
        if len(cp.root_hash) != 32:
            return False
        tbs = b"\x00\x01" + timestamp + struct.pack(">Q", cp.size) + cp.root_hash
        try:
            pub.verify(der, tbs, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True

    return check_rfc6962


@dataclass(frozen=True)
class Signer:
    """An Ed25519 private key with its name; the node's log key and witness keys are Signers."""

    name: str
    private_key: Ed25519PrivateKey = field(repr=False)

    @property
    def public_key(self) -> bytes:
        return self.private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, ALG_ED25519, self.public_key)

    @property
    def vkey(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode()}"

    @property
    def skey(self) -> str:
        seed = self.private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([ALG_ED25519]) + seed).decode()}"

    def verifier(self) -> Verifier:
        return Verifier.from_vkey(self.vkey)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)

    @classmethod
    def generate(cls, name: str) -> Signer:
        _check_name(name)
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> Signer:
        _check_name(name)
        if len(seed) != 32:
            raise NoteError(f"Ed25519 seed is {len(seed)} bytes, expected 32")
        return cls(name, Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_skey(cls, skey: str) -> Signer:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("signer key must look like PRIVATE+KEY+name+hexid+base64key")
        _, _, name, hex_id, b64 = parts
        raw = _b64decode(b64, "signer key")
        if not raw or raw[0] != ALG_ED25519:
            raise NoteError("only Ed25519 signer keys (algorithm 0x01) are supported")
        signer = cls.from_seed(name, raw[1:])
        if signer.key_id.hex() != hex_id.lower():
            raise NoteError(f"signer key id {hex_id} does not match the key for {name!r}")
        return signer


# --- notes -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes

    @property
    def line(self) -> str:
        return f"{SIG_PREFIX}{self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


@dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures that verified, and those by keys the caller did not know."""

    text: str
    verified: tuple[Signature, ...]
    unverified: tuple[Signature, ...]

    def verified_by(self, verifier: Verifier) -> bool:
        return any(s.name == verifier.name and s.key_id == verifier.key_id for s in self.verified)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    for i, ch in enumerate(text):
        # Control characters other than newline could hide text from a human reader of the note.
        if ch != "\n" and (ord(ch) < 0x20 or ord(ch) == 0x7F):
            raise NoteError(f"note text has control character U+{ord(ch):04X} at offset {i}")


def split_note(signed: str) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and its signature lines (no verification)."""
    if not signed.endswith("\n"):
        raise NoteError("signed note must end with a newline")
    cut = signed.rfind("\n\n")
    if cut < 0:
        raise NoteError("signed note has no blank line before its signatures")
    text, block = signed[: cut + 1], signed[cut + 2 :]
    _check_text(text)
    sigs: list[Signature] = []
    for n, line in enumerate(block.splitlines(), start=1):
        if not line.startswith(SIG_PREFIX):
            raise NoteError(f"signature line {n} does not start with '\u2014 ': {line[:60]!r}")
        name, _, b64 = line[len(SIG_PREFIX) :].partition(" ")
        _check_name(name)
        raw = _b64decode(b64, f"signature line {n}")
        if len(raw) < 5:
            raise NoteError(f"signature line {n} is too short to hold a key id and a signature")
        sigs.append(Signature(name, raw[:4], raw[4:]))
        if len(sigs) > MAX_SIGNATURES:
            raise NoteError(f"signed note has more than {MAX_SIGNATURES} signatures")
    if not sigs:
        raise NoteError("signed note has no signatures")
    return text, sigs


def sign_note(text: str, signers: Sequence[Signer], existing: Iterable[Signature] = ()) -> str:
    """Sign `text` with each signer; signatures already on the note (`existing`) are kept first."""
    _check_text(text)
    message = text.encode("utf-8")
    lines = [s.line for s in existing]
    for signer in signers:
        lines.append(Signature(signer.name, signer.key_id, signer.sign(message)).line)
    if not lines:
        raise NoteError("a note needs at least one signature")
    return text + "\n" + "".join(lines)


def open_note(signed: str, verifiers: Sequence[Verifier]) -> Note:
    """Verify a signed note. Every signature by a known key must verify, and at least one must be known."""
    text, sigs = split_note(signed)
    message = text.encode("utf-8")
    by_id = {(v.name, v.key_id): v for v in verifiers}
    verified: list[Signature] = []
    unverified: list[Signature] = []
    for sig in sigs:
        verifier = by_id.get((sig.name, sig.key_id))
        if verifier is None:
            unverified.append(sig)
        elif verifier.verify(message, sig.signature):
            verified.append(sig)
        else:
            raise NoteError(f"signature by {sig.name} (key {sig.key_id.hex()}) does not verify")
    if not verified:
        names = ", ".join(f"{s.name}+{s.key_id.hex()}" for s in sigs)
        raise NoteError(f"no signature by a known key (note is signed by {names})")
    return Note(text, tuple(verified), tuple(unverified))


def add_signatures(signed: str, extra: Iterable[Signature]) -> str:
    """Append signatures (e.g. witness cosignatures) to a signed note, skipping any already present."""
    text, sigs = split_note(signed)
    seen = {(s.name, s.key_id) for s in sigs}
    merged = list(sigs)
    for sig in extra:
        if (sig.name, sig.key_id) not in seen:
            merged.append(sig)
            seen.add((sig.name, sig.key_id))
    return text + "\n" + "".join(s.line for s in merged)


# --- checkpoints -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        body = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode(), *self.extensions]
        return "".join(line + "\n" for line in body)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse checkpoint text (the note body, without signatures)."""
    if not text.endswith("\n"):
        raise NoteError("checkpoint must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError(f"checkpoint has {len(lines)} lines, needs origin, size and root hash")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise NoteError("checkpoint origin line is empty")
    if not size_text.isdigit() or not size_text.isascii() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError(f"checkpoint size {size_text!r} is not a decimal number without leading zeros")
    root_hash = _b64decode(root_text, "checkpoint root hash")
    if any(not line for line in extensions):
        raise NoteError("checkpoint extension lines must not be empty")
    return Checkpoint(origin, int(size_text), root_hash, tuple(extensions))


def open_checkpoint(signed: str, verifiers: Sequence[Verifier], origin: str | None = None) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint and parse it; `origin`, when given, must match."""
    note = open_note(signed, verifiers)
    cp = parse_checkpoint(note.text)
    if origin is not None and cp.origin != origin:
        raise NoteError(f"checkpoint origin is {cp.origin!r}, expected {origin!r}")
    if len(cp.root_hash) != 32:
        raise NoteError(f"checkpoint root hash is {len(cp.root_hash)} bytes, expected 32")
    return cp, note
