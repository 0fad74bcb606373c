"""The node's log signing key: one Ed25519 key in a 0600 file under `var/ledger/`, created on first start.

The key file holds the Go-format signer key (`PRIVATE+KEY+name+id+base64`). Rotating moves the old file aside (kept,
so old checkpoints can still be re-verified by hand) and writes a new one; the change is announced in the log by the
service layer.
"""

from __future__ import annotations

import os
from pathlib import Path

from ipec.config import Settings
from ipec.ledger.note import NoteError, Signer


def origin(settings: Settings) -> str:
    """The checkpoint origin line, and the name of the node's log key."""
    return f"{settings.node_name}/ledger"


def key_path(settings: Settings) -> Path:
    return settings.var_dir / "ledger" / "log.key"


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    # O_EXCL: never overwrite a key that appeared meanwhile (two processes starting at once keep the first key).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text + "\n")


def load_signer(settings: Settings) -> Signer | None:
    path = key_path(settings)
    if not path.exists():
        return None
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise PermissionError(f"ledger key {path} is readable by others (mode {mode:o}); chmod 600 it")
    try:
        signer = Signer.from_skey(path.read_text(encoding="ascii"))
    except (NoteError, UnicodeDecodeError) as exc:
        raise ValueError(f"ledger key {path} is not a valid signer key: {exc}") from None
    if signer.name != origin(settings):
        raise ValueError(f"ledger key {path} is named {signer.name!r} but this node's log is {origin(settings)!r}")
    return signer


def load_or_create_signer(settings: Settings) -> tuple[Signer, bool]:
    """The node's signer, and whether it was created just now."""
    existing = load_signer(settings)
    if existing is not None:
        return existing, False
    signer = Signer.generate(origin(settings))
    try:
        _write_private(key_path(settings), signer.skey)
    except FileExistsError:
        found = load_signer(settings)
        assert found is not None
        return found, False
    return signer, True


def rotate_signer(settings: Settings) -> tuple[Signer, Signer]:
    """Replace the key file with a new key; return (old, new). The old file is kept as log.key.<id>.retired."""
    old = load_signer(settings)
    if old is None:
        raise FileNotFoundError(f"no ledger key at {key_path(settings)} to rotate")
    path = key_path(settings)
    path.rename(path.with_name(f"log.key.{old.key_id.hex()}.retired"))
    new = Signer.generate(origin(settings))
    _write_private(path, new.skey)
    return old, new
