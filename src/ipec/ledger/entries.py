"""What a ledger entry is: the RFC 8785 canonical JSON of a typed record, and the salted commitment to personal data.

An entry is ``{"type": <entry type>, ...record, "personal_commitment": <hex>}`` in RFC 8785 form (the commitment only
when personal data was given). The commitment is ``SHA-256(salt || canonical JSON of the personal data)`` with a
random 32-byte salt; salt and data are kept beside the log so they can be erased without touching the tree.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import rfc8785

from ipec.kernel.errors import Problem, ValidationFailed

TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MAX_ENTRY_BYTES = 64 * 1024
RESERVED_KEYS = ("type", "personal_commitment")
MAX_SAFE_INTEGER = 2**53 - 1  # RFC 8785 numbers are IEEE doubles; larger integers would silently change


def _plain(value: Any) -> bool:
    """True when stdlib json with sorted keys gives exactly RFC 8785's bytes for `value`.

    That holds for strings, booleans, null and integers within 2**53 nested in lists and dicts whose keys are below
    U+D800 (Python sorts keys by code point, RFC 8785 by UTF-16 unit; the two agree there). Floats, huge integers
    and other keys go through the rfc8785 package, which is four times slower.
    """
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str) or v is None or isinstance(v, bool):
            continue
        if isinstance(v, int):
            if -MAX_SAFE_INTEGER <= v <= MAX_SAFE_INTEGER:
                continue
            return False
        if isinstance(v, dict):
            for k, item in v.items():
                if not isinstance(k, str) or (k and max(k) >= "\ud800"):
                    return False
                stack.append(item)
            continue
        if isinstance(v, list):
            stack.extend(v)
            continue
        return False
    return True


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) bytes of `value`; raises ValidationFailed for values JSON cannot carry faithfully."""
    if _plain(value):
        try:
            return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            pass  # lone surrogates: let rfc8785 report them
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise ValidationFailed([Problem("record", f"cannot be written as canonical JSON: {exc}")]) from None


@dataclass(frozen=True)
class BuiltEntry:
    entry_type: str
    data: bytes
    commitment: str | None = None
    salt: bytes | None = None
    personal_data: bytes | None = None


def commitment(salt: bytes, personal_data: bytes) -> str:
    return hashlib.sha256(salt + personal_data).hexdigest()


def build_entry(entry_type: str, record: dict[str, Any], personal: dict[str, Any] | None = None) -> BuiltEntry:
    problems: list[Problem] = []
    if not isinstance(entry_type, str) or len(entry_type) > 80 or not TYPE_PATTERN.match(entry_type):
        problems.append(Problem("entry_type", f"{entry_type!r} must be dotted lower-case words, e.g. right.registered"))
    if not isinstance(record, dict):
        problems.append(Problem("record", f"must be a JSON object, got {type(record).__name__}"))
    else:
        problems.extend(Problem(f"record.{k}", "is reserved for the ledger") for k in RESERVED_KEYS if k in record)
    if personal is not None and not isinstance(personal, dict):
        problems.append(Problem("personal", f"must be a JSON object, got {type(personal).__name__}"))
    if problems:
        raise ValidationFailed(problems)
    body: dict[str, Any] = {"type": entry_type, **record}
    salt = personal_data = commit = None
    if personal:
        personal_data = canonical_json(personal)
        salt = secrets.token_bytes(32)
        commit = commitment(salt, personal_data)
        body["personal_commitment"] = commit
    data = canonical_json(body)
    if len(data) > MAX_ENTRY_BYTES:
        raise ValidationFailed([Problem("record", f"is {len(data)} bytes as canonical JSON; the limit is 65536")])
    return BuiltEntry(entry_type, data, commit, salt, personal_data)
