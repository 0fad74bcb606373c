"""Content-addressed storage: a file is named by the SHA-256 of its bytes, so it is stored once and any
change to it is visible as a different name."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy.orm import Session

from ipec.files.models import Blob
from ipec.kernel.clock import Clock
from ipec.kernel.errors import NotFound, Problem, ValidationFailed

MAX_BYTES = 50 * 1024 * 1024


def path_for(blob_dir: Path, sha256: str) -> Path:
    return blob_dir / sha256[:2] / sha256


def store(session: Session, blob_dir: Path, clock: Clock, data: bytes, media_type: str) -> Blob:
    if not data:
        raise ValidationFailed([Problem("file", "is empty")])
    if len(data) > MAX_BYTES:
        raise ValidationFailed([Problem("file", f"is larger than {MAX_BYTES // (1024 * 1024)} MiB")])
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(blob_dir, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # atomic: a reader never sees half a file
    blob = session.get(Blob, digest)
    if blob is None:
        blob = Blob(sha256=digest, size=len(data), media_type=media_type, created_at=clock.now())
        session.add(blob)
    return blob


def read(session: Session, blob_dir: Path, sha256: str) -> tuple[Blob, bytes]:
    blob = session.get(Blob, sha256)
    target = path_for(blob_dir, sha256)
    if blob is None or not target.exists():
        raise NotFound(f"no file {sha256}")
    data = target.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise NotFound(f"file {sha256} is damaged on disk (hash mismatch)")
    return blob, data
