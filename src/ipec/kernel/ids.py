"""Identifiers. Records get random UUIDs as text so they travel unchanged between nodes and databases."""

from __future__ import annotations

import secrets
import uuid


def new_id() -> str:
    return str(uuid.uuid4())


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random secret (session ids, API tokens)."""
    return secrets.token_urlsafe(nbytes)
