"""`ipec ledger audit`: recompute the whole tree from the stored entries and check everything stored against it.

What is checked, each failure named precisely (entry index, node level and index, checkpoint size):

* entries are numbered 0..n-1 with no gap; each is canonical JSON whose "type" matches its entry_type column, and
  its stored leaf hash is SHA-256(0x00 || bytes);
* every stored node hash equals the hash recomputed from the entries, none is missing, none is extra;
* every checkpoint is a well-formed signed note for this log's origin, signed by a key the log announced in a
  `ledger.key` entry within the tree it covers; its root column equals its note; its root equals the recomputed
  root at its size; the latest checkpoint is signed by a key the auditor trusts (the node's own key by default);
* every cosignature verifies against its witness key and the checkpoint text;
* personal data still held matches the commitment it is stored under.

Entries are streamed in chunks, so memory stays flat however long the log is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipec.ledger import merkle
from ipec.ledger.entries import canonical_json
from ipec.ledger.models import CheckpointRow, Cosignature, Node, PersonalData
from ipec.ledger.note import NoteError, Verifier, open_checkpoint, split_note

CHUNK = 8192
MAX_FINDINGS = 200  # past this, the report says how many more there were instead of listing them


def _bytes(value: object) -> bytes:
    """Stored bytes as bytes, whatever an intruder left: SQLite lets a raw UPDATE turn a BLOB into TEXT or NULL."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    return b""


@dataclass
class AuditReport:
    size: int = 0
    checkpoints: int = 0
    findings: list[str] = field(default_factory=list)
    more: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def fail(self, message: str) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(message)
        else:
            self.more += 1


def _check_entry(report: AuditReport, idx: int, entry_type: str, data: bytes, stored_leaf: bytes) -> bytes:
    leaf = merkle.leaf_hash(data)
    if stored_leaf != leaf:
        report.fail(f"entry {idx}: stored leaf hash {stored_leaf.hex()} != SHA-256(0x00 || entry) {leaf.hex()}")
    try:
        value = json.loads(data)
    except ValueError:
        report.fail(f"entry {idx}: bytes are not JSON")
        return leaf
    if not isinstance(value, dict) or value.get("type") != entry_type:
        report.fail(f"entry {idx}: JSON type does not match its entry_type column {entry_type!r}")
    elif canonical_json(value) != data:
        report.fail(f"entry {idx}: bytes are not RFC 8785 canonical JSON")
    return leaf


def audit(session: Session, origin: str, trusted: Sequence[Verifier]) -> AuditReport:
    report = AuditReport()
    conn = session.connection()
    checkpoints = list(session.scalars(select(CheckpointRow).order_by(CheckpointRow.size)))
    wanted = {cp.size for cp in checkpoints}
    roots: dict[int, bytes] = {0: merkle.EMPTY_ROOT}
    announced: dict[str, int] = {}  # vkey -> index of the ledger.key entry announcing it

    frontier = merkle.Frontier()
    expected_nodes = 0
    last = -1
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT idx, entry_type, data, leaf_hash FROM ledger_entries WHERE idx > {int(last)} "
            f"ORDER BY idx LIMIT {CHUNK}"
        ).all()
        if not rows:
            break
        made: dict[merkle.NodeId, bytes] = {}
        for idx, entry_type, data, stored_leaf in rows:
            data, stored_leaf = _bytes(data), _bytes(stored_leaf)
            if idx != frontier.size:
                report.fail(f"entry {frontier.size} is missing (next stored entry is {idx})")
                report.size = frontier.size
                return _finish(session, report, checkpoints, roots, announced, origin, trusted)
            leaf = _check_entry(report, idx, entry_type, data, stored_leaf)
            if entry_type == "ledger.key":
                try:
                    announced.setdefault(json.loads(data)["vkey"], idx)
                except (ValueError, KeyError, TypeError):
                    report.fail(f"entry {idx}: ledger.key entry has no vkey")
            for node, h in frontier.append(leaf):
                made[node] = h
            if frontier.size in wanted:
                roots[frontier.size] = frontier.root()
        last = rows[-1][0]
        expected_nodes += len(made)
        _compare_nodes(session, report, made)
    report.size = frontier.size
    stored_count = session.scalar(select(func.count()).select_from(Node)) or 0
    if stored_count != expected_nodes:
        # Missing nodes were named chunk by chunk; name the extra ones (beyond the tree's complete subtrees).
        for level in range(1, 64):
            limit = frontier.size >> level
            for (idx,) in session.execute(
                select(Node.idx).where(Node.level == level, Node.idx >= limit).order_by(Node.idx).limit(10)
            ):
                report.fail(f"node (level {level}, index {idx}) is stored but the tree has no such complete subtree")
    return _finish(session, report, checkpoints, roots, announced, origin, trusted)


def _compare_nodes(session: Session, report: AuditReport, made: dict[merkle.NodeId, bytes]) -> None:
    if not made:
        return
    by_level: dict[int, list[int]] = {}
    for level, idx in made:
        by_level.setdefault(level, []).append(idx)
    stored: dict[merkle.NodeId, bytes] = {}
    for level, idxs in by_level.items():
        q = select(Node.idx, Node.hash).where(Node.level == level, Node.idx >= min(idxs), Node.idx <= max(idxs))
        for idx, h in session.execute(q):
            stored[(level, idx)] = _bytes(h)
    for node, h in made.items():
        got = stored.get(node)
        if got is None:
            report.fail(f"node (level {node[0]}, index {node[1]}) is missing")
        elif got != h:
            report.fail(f"node (level {node[0]}, index {node[1]}): stored {got.hex()} != recomputed {h.hex()}")


def _finish(
    session: Session,
    report: AuditReport,
    checkpoints: Sequence[CheckpointRow],
    roots: dict[int, bytes],
    announced: dict[str, int],
    origin: str,
    trusted: Sequence[Verifier],
) -> AuditReport:
    log_keys: list[Verifier] = []
    for vkey, idx in announced.items():
        try:
            log_keys.append(Verifier.from_vkey(vkey))
        except NoteError as exc:
            report.fail(f"entry {idx}: announced key is invalid: {exc}")
    first_seen = {(v.name, v.key_id): announced[v.vkey] for v in log_keys}
    report.checkpoints = len(checkpoints)
    for row in checkpoints:
        where = f"checkpoint {row.size}"
        try:
            cp, note = open_checkpoint(row.note, log_keys, origin)
        except NoteError as exc:
            report.fail(f"{where}: {exc}")
            continue
        if cp.size != row.size:
            report.fail(f"{where}: its note says size {cp.size}")
        if _bytes(row.root_hash) != cp.root_hash:
            report.fail(f"{where}: root_hash column {_bytes(row.root_hash).hex()} != signed root {cp.root_hash.hex()}")
        if row.size > report.size:
            report.fail(f"{where}: covers {row.size} entries but only {report.size} are stored")
        elif roots.get(row.size) != cp.root_hash:
            got = roots.get(row.size)
            report.fail(
                f"{where}: signed root {cp.root_hash.hex()} != root recomputed from entries {got.hex() if got else '?'}"
            )
        for sig in note.verified:
            seen_at = first_seen.get((sig.name, sig.key_id))
            if seen_at is not None and seen_at >= row.size:
                report.fail(f"{where}: signed by key {sig.key_id.hex()} announced only at entry {seen_at}")
    if checkpoints:
        latest = checkpoints[-1]
        try:
            open_checkpoint(latest.note, trusted, origin)
        except NoteError as exc:
            report.fail(f"checkpoint {latest.size} (the latest) is not signed by a trusted key: {exc}")
    elif report.size:
        report.fail(f"{report.size} entries are stored but no checkpoint covers them")
    _check_cosignatures(session, report)
    _check_personal(session, report)
    return report


def _check_cosignatures(session: Session, report: AuditReport) -> None:
    q = select(Cosignature.checkpoint_size, Cosignature.witness_vkey, Cosignature.signature_line, CheckpointRow.note)
    q = q.join(CheckpointRow, CheckpointRow.size == Cosignature.checkpoint_size).order_by(Cosignature.id)
    for size, vkey, line, note in session.execute(q):
        try:
            text, _ = split_note(note)
            open_checkpoint(text + "\n" + line, [Verifier.from_vkey(vkey)])
        except NoteError as exc:
            report.fail(f"cosignature on checkpoint {size} by {vkey.split('+', 1)[0]}: {exc}")


def _check_personal(session: Session, report: AuditReport) -> None:
    for row in session.scalars(select(PersonalData)):
        if hashlib.sha256(_bytes(row.salt) + _bytes(row.data)).hexdigest() != row.commitment:
            report.fail(f"personal data under commitment {row.commitment[:16]}…: does not match its commitment")
