"""The ledger's only writers and its read side: append, sequence into the Merkle tree, prove, cosign.

Other features call `append(session, entry_type, record, personal=...)` inside their own transaction; the entry waits
in `ledger_queue` and becomes part of the tree when the sequencer integrates it (`integrate_batch`, at most 1,024
entries per transaction, each batch ending in a newly signed checkpoint). A checkpoint is signed only after the
stored tree is shown consistent with the previous checkpoint.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from ipec.config import Settings
from ipec.db.session import unit_of_work
from ipec.kernel.clock import Clock, SystemClock
from ipec.kernel.errors import Conflict, NotFound, Problem, ValidationFailed
from ipec.ledger import keys, merkle
from ipec.ledger.entries import BuiltEntry, build_entry, canonical_json
from ipec.ledger.models import (
    CheckpointRow,
    Cosignature,
    Entry,
    LedgerKey,
    PersonalData,
    QueuedEntry,
)
from ipec.ledger.note import (
    Checkpoint,
    NoteError,
    Signature,
    Signer,
    Verifier,
    add_signatures,
    open_checkpoint,
    sign_note,
    split_note,
)
from ipec.ledger.receipts import build_receipt

# Entries per sequencer transaction. Each batch pays a fixed cost (checking the previous checkpoint, a consistency
# proof, a signature); 1,024 spreads it thinly enough for ~60k entries/s on SQLite here, where 256 gave ~45k/s.
# Batches only grow this large when the queue is deep: a quiet node signs after each 250 ms pass whatever it has.
BATCH_SIZE = 1024
MAX_RANGE = 1000  # entries per page of GET /entries
MAX_COSIGNATURES = 32  # per checkpoint: enough for any witness set, bounded so nobody can bloat receipts
KEY_ENTRY = "ledger.key"


class LedgerCorrupted(Exception):
    """The stored log disagrees with itself or with its signed checkpoints; the sequencer refuses to sign."""


@dataclass(frozen=True)
class Batch:
    """One integrated batch: how many entries it added and the checkpoint signed for it."""

    count: int
    checkpoint: Checkpoint


@dataclass(frozen=True)
class Appended:
    """What `append` returns: the queue id (the entry's index is known once sequenced) and the exact bytes."""

    queue_id: int
    entry_type: str
    data: bytes
    leaf_hash: bytes
    personal_commitment: str | None


# --- append ------------------------------------------------------------------------------------------------------


def _insert_rows(session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT many rows through the DBAPI's executemany, skipping SQLAlchemy's per-row parameter processing.

    The ledger writes hundreds of small rows per batch; this halves the cost per row. Only plain values (int, str,
    bytes) go through here, which SQLite and psycopg bind alike.
    """
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, list(rows))


def _save_personal(session: Session, built: Sequence[BuiltEntry]) -> None:
    personal = [
        {"commitment": b.commitment, "salt": b.salt, "data": b.personal_data, "created_at": _now()}
        for b in built
        if b.commitment is not None
    ]
    if personal:
        session.execute(insert(PersonalData), personal)


def _queue_one(session: Session, built: BuiltEntry) -> Appended:
    qid = session.scalar(
        insert(QueuedEntry).values(entry_type=built.entry_type, data=built.data).returning(QueuedEntry.id)
    )
    assert qid is not None
    _save_personal(session, [built])
    return Appended(qid, built.entry_type, built.data, merkle.leaf_hash(built.data), built.commitment)


def _now() -> dt.datetime:
    # `append` has no clock parameter (its signature is promised to every feature); the time personal data was
    # stored is bookkeeping only (never part of an entry), so wall-clock time from the kernel's clock is right here.
    return SystemClock().now()


def _refuse_reserved(entry_type: str) -> None:
    if isinstance(entry_type, str) and entry_type.startswith("ledger."):
        raise ValidationFailed([Problem("entry_type", f"{entry_type!r}: ledger.* types are written by the ledger")])


def append(
    session: Session, entry_type: str, record: dict[str, Any], *, personal: dict[str, Any] | None = None
) -> Appended:
    """Queue one entry in the caller's transaction (not committed here). Raises ValidationFailed on bad input."""
    _refuse_reserved(entry_type)
    return _queue_one(session, build_entry(entry_type, record, personal))


def append_many(session: Session, items: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Queue many entries in one statement (imports, benchmarks); returns how many. Same rules as `append`,
    without personal data; entries are queued in the order given. Their queue ids are not returned (the DBAPI
    cannot report them for an executemany): find an entry later by its leaf hash or content.
    """
    rows = []
    for entry_type, record in items:
        _refuse_reserved(entry_type)
        built = build_entry(entry_type, record)
        rows.append((built.entry_type, built.data))
    if rows:
        _insert_rows(session, "ledger_queue", ("entry_type", "data"), rows)
    return len(rows)


def opening(session: Session, commitment: str) -> tuple[bytes, dict[str, Any]] | None:
    """The salt and personal data behind a commitment, to prove to an entitled reader what an entry commits to;
    None once erased."""
    row = session.get(PersonalData, commitment)
    if row is None:
        return None
    return row.salt, json.loads(row.data)


def erase_personal(session: Session, commitment: str) -> bool:
    """Erase the personal data behind a commitment (the entry and the tree are unchanged). True if it existed."""
    result = session.execute(delete(PersonalData).where(PersonalData.commitment == commitment))
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- node hashes -------------------------------------------------------------------------------------------------


def fetch_nodes(session: Session, ids: Collection[merkle.NodeId]) -> dict[merkle.NodeId, bytes]:
    """Stored perfect-subtree hashes: level 0 from the entries' leaf hashes, higher levels from ledger_nodes.

    Raw SQL with one point lookup per node: a row-value `(level, idx) IN (...)` is not matched to the primary key
    by SQLite and scans the table, which made proofs take milliseconds.
    """
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    leaves = [i for level, i in ids if level == 0]
    inner = [(level, i) for level, i in ids if level > 0]
    out: dict[merkle.NodeId, bytes] = {}
    if leaves:
        sql = f"SELECT idx, leaf_hash FROM ledger_entries WHERE idx IN ({', '.join([mark] * len(leaves))})"
        for idx, h in conn.exec_driver_sql(sql, tuple(leaves)):
            out[(0, idx)] = bytes(h)
    if inner:
        where = " OR ".join([f"(level = {mark} AND idx = {mark})"] * len(inner))
        params = tuple(x for node in inner for x in node)
        for level, idx, h in conn.exec_driver_sql(f"SELECT level, idx, hash FROM ledger_nodes WHERE {where}", params):
            out[(level, idx)] = bytes(h)
    return out


def tree_size(session: Session) -> int:
    top = session.scalar(select(func.max(Entry.idx)))
    return 0 if top is None else int(top) + 1


def _fetcher(session: Session) -> merkle.NodeFetcher:
    return lambda ids: fetch_nodes(session, ids)


# --- keys --------------------------------------------------------------------------------------------------------


def known_verifiers(session: Session) -> list[Verifier]:
    return [Verifier.from_vkey(v) for v in session.scalars(select(LedgerKey.vkey))]


def announce_key(session: Session, signer: Signer, clock: Clock) -> bool:
    """Record the node key and log a `ledger.key` entry for it, once. True when it was new."""
    vkey = signer.vkey
    if session.get(LedgerKey, vkey) is not None:
        return False
    latest = session.execute(select(CheckpointRow.key_id).order_by(CheckpointRow.size.desc()).limit(1)).scalar()
    previous = None
    if latest is not None:
        previous = session.scalar(select(LedgerKey.vkey).where(LedgerKey.key_id == latest))
    session.add(LedgerKey(vkey=vkey, key_id=signer.key_id.hex(), created_at=clock.now()))
    _queue_one(session, build_entry(KEY_ENTRY, {"vkey": vkey, "previous_vkey": previous}))
    return True


def ensure_node_key(session_factory: sessionmaker[Session], settings: Settings, clock: Clock) -> Signer:
    """Load (or on first start create) the node's key and make sure the log announces it."""
    signer, _ = keys.load_or_create_signer(settings)
    with unit_of_work(session_factory) as session:
        announce_key(session, signer, clock)
    return signer


def rotate_key(session_factory: sessionmaker[Session], settings: Settings, clock: Clock) -> tuple[Signer, Signer]:
    """A new node key; the change is a `ledger.key` entry naming the previous key, integrated by the old key."""
    integrate_pending(session_factory, settings, clock)
    old, new = keys.rotate_signer(settings)
    with unit_of_work(session_factory) as session:
        announce_key(session, new, clock)
    return old, new


# --- the sequencer -----------------------------------------------------------------------------------------------


def _latest_checkpoint(session: Session) -> CheckpointRow | None:
    return session.execute(select(CheckpointRow).order_by(CheckpointRow.size.desc()).limit(1)).scalar()


def integrate_batch(
    session: Session, signer: Signer, origin: str, clock: Clock, *, max_entries: int = BATCH_SIZE
) -> Batch | None:
    """Move up to `max_entries` queued entries into the tree and sign a checkpoint; None when nothing is queued.

    Runs in the caller's transaction (one batch, one transaction). Raises LedgerCorrupted, signing nothing, when
    the stored tree does not extend the previous checkpoint.
    """
    # Raw SQL: the batch is read once, and SQLAlchemy's per-row result processing would cost more than SQLite does.
    pending = (
        session.connection()
        .exec_driver_sql(f"SELECT id, entry_type, data FROM ledger_queue ORDER BY id LIMIT {int(max_entries)}")
        .all()
    )
    if not pending:
        return None
    size = tree_size(session)
    prev = _latest_checkpoint(session)
    if (prev.size if prev else 0) != size:
        raise LedgerCorrupted(
            f"the log holds {size} entries but its latest checkpoint is for {prev.size if prev else 0}"
        )
    frontier_ids = merkle.frontier_nodes(size)
    stored = fetch_nodes(session, frontier_ids)
    missing = [n for n in frontier_ids if n not in stored]
    if missing:
        raise LedgerCorrupted(f"node hashes {missing} of the tree's right edge are missing")
    frontier = merkle.Frontier(size, [stored[n] for n in frontier_ids])

    if prev is not None:
        try:
            prev_cp, _ = open_checkpoint(prev.note, [*known_verifiers(session), signer.verifier()], origin)
        except NoteError as exc:
            raise LedgerCorrupted(f"checkpoint {prev.size} does not verify: {exc}") from None
        if frontier.root() != prev_cp.root_hash or prev.root_hash != prev_cp.root_hash:
            raise LedgerCorrupted(f"stored tree of size {size} does not match its signed checkpoint's root hash")

    now = clock.now()
    entries: list[tuple[int, str, bytes, bytes, int]] = []
    new_nodes: dict[merkle.NodeId, bytes] = {}
    for qid, entry_type, data in pending:
        lh = merkle.leaf_hash(data)
        idx = frontier.size
        entries.append((idx, entry_type, data, lh, qid))
        new_nodes[(0, idx)] = lh
        new_nodes.update(frontier.append(lh))
    new_size, new_root = frontier.size, frontier.root()

    if prev is not None:
        # The RFC 9162 check a witness would make, on the hashes as they will be stored.
        def fetch(ids: Collection[merkle.NodeId]) -> dict[merkle.NodeId, bytes]:
            found = {n: new_nodes[n] for n in ids if n in new_nodes}
            found.update(fetch_nodes(session, [n for n in ids if n not in new_nodes]))
            return found

        try:
            proof = merkle.consistency_proof_nodes(prev.size, new_size, fetch)
            merkle.verify_consistency(prev.size, new_size, prev.root_hash, new_root, proof)
        except merkle.ProofError as exc:
            raise LedgerCorrupted(
                f"new tree of size {new_size} is not consistent with checkpoint {prev.size}: {exc}"
            ) from None

    checkpoint = Checkpoint(origin, new_size, new_root)
    note = sign_note(checkpoint.text(), [signer])
    _insert_rows(session, "ledger_entries", ("idx", "entry_type", "data", "leaf_hash", "queue_id"), entries)
    inner = [(lv, i, h) for (lv, i), h in new_nodes.items() if lv > 0]
    if inner:
        _insert_rows(session, "ledger_nodes", ("level", "idx", "hash"), inner)
    session.execute(delete(QueuedEntry).where(QueuedEntry.id.in_([row[0] for row in pending])))
    session.execute(
        insert(CheckpointRow),
        [{"size": new_size, "root_hash": new_root, "note": note, "key_id": signer.key_id.hex(), "created_at": now}],
    )
    return Batch(len(entries), checkpoint)


def integrate_pending(session_factory: sessionmaker[Session], settings: Settings, clock: Clock) -> int:
    """Integrate everything queued, one transaction per batch; return how many entries were integrated."""
    signer = ensure_node_key(session_factory, settings, clock)
    origin = keys.origin(settings)
    total = 0
    while True:
        with unit_of_work(session_factory) as session:
            batch = integrate_batch(session, signer, origin, clock)
        if batch is None:
            return total
        total += batch.count


# --- reading -----------------------------------------------------------------------------------------------------


def latest_checkpoint(session: Session) -> CheckpointRow:
    row = _latest_checkpoint(session)
    if row is None:
        raise NotFound("the ledger has no checkpoint yet")
    return row


def checkpoint_at(session: Session, size: int) -> CheckpointRow:
    row = session.get(CheckpointRow, size)
    if row is None:
        raise NotFound(f"no checkpoint for tree size {size}")
    return row


def cosigned_note(session: Session, row: CheckpointRow) -> str:
    """The checkpoint's signed note with every stored witness cosignature appended."""
    lines = session.scalars(
        select(Cosignature.signature_line).where(Cosignature.checkpoint_size == row.size).order_by(Cosignature.id)
    ).all()
    if not lines:
        return row.note
    sigs: list[Signature] = []
    for line in lines:
        sigs.extend(split_note("x\n\n" + line)[1])
    return add_signatures(row.note, sigs)


def signed_checkpoint(session: Session, size: int) -> str | None:
    """The cosigned checkpoint note for `size`, or None when no batch ended at that size."""
    row = session.get(CheckpointRow, size)
    return None if row is None else cosigned_note(session, row)


def get_entry(session: Session, index: int) -> Entry:
    row = session.get(Entry, index)
    if row is None:
        raise NotFound(f"no ledger entry at index {index}")
    return row


def entries_range(session: Session, start: int, end: int) -> list[Entry]:
    if start < 0 or end <= start:
        raise ValidationFailed([Problem("end", f"range [{start}, {end}) is empty or negative")])
    end = min(end, start + MAX_RANGE)
    return list(session.scalars(select(Entry).where(Entry.idx >= start, Entry.idx < end).order_by(Entry.idx)))


def index_of(session: Session, queue_id: int) -> int | None:
    """The index of the entry `append` returned `queue_id` for, or None while it is still queued."""
    idx = session.scalar(select(Entry.idx).where(Entry.queue_id == queue_id))
    if idx is not None:
        return int(idx)
    if session.get(QueuedEntry, queue_id) is None:
        raise NotFound(f"no ledger entry was queued with id {queue_id}")
    return None


def _checked_size(session: Session, size: int | None) -> int:
    latest = latest_checkpoint(session)
    if size is None:
        return latest.size
    if not 0 < size <= latest.size:
        raise ValidationFailed([Problem("tree_size", f"{size} is not between 1 and the latest size {latest.size}")])
    return size


def inclusion_proof(session: Session, index: int, size: int | None = None) -> tuple[int, list[bytes]]:
    size = _checked_size(session, size)
    if not 0 <= index < size:
        raise NotFound(f"no ledger entry at index {index} in a tree of size {size}")
    return size, merkle.inclusion_proof_nodes(index, size, _fetcher(session))


def consistency_proof(session: Session, old_size: int, new_size: int) -> list[bytes]:
    latest = latest_checkpoint(session).size
    if not 0 <= old_size <= new_size <= latest:
        raise ValidationFailed(
            [Problem("first", f"need 0 <= first ({old_size}) <= second ({new_size}) <= tree size {latest}")]
        )
    return merkle.consistency_proof_nodes(old_size, new_size, _fetcher(session))


def receipt(session: Session, index: int, origin: str, size: int | None = None) -> dict[str, Any]:
    """A receipt for entry `index` against the checkpoint of `size` (the latest by default)."""
    size = _checked_size(session, size)
    row = checkpoint_at(session, size)
    entry = get_entry(session, index)
    _, proof = inclusion_proof(session, index, size)
    return build_receipt(origin, index, entry.data, size, proof, cosigned_note(session, row))


def add_cosignature(session: Session, size: int, witness_vkey: str, signature_line: str, clock: Clock) -> Cosignature:
    """Store a witness's cosignature after checking it signs this node's checkpoint of `size`."""
    row = checkpoint_at(session, size)
    try:
        witness = Verifier.from_vkey(witness_vkey)
        text, _ = split_note(row.note)
        _, sigs = split_note(text + "\n" + signature_line.strip() + "\n")
        open_checkpoint(text + "\n" + sigs[0].line, [witness])
    except NoteError as exc:
        raise ValidationFailed([Problem("signature", str(exc))]) from None
    if len(sigs) != 1:
        raise ValidationFailed([Problem("signature", "send exactly one signature line")])
    if session.scalar(
        select(Cosignature.id).where(Cosignature.checkpoint_size == size, Cosignature.witness_vkey == witness.vkey)
    ):
        raise Conflict(f"witness {witness.name} already cosigned checkpoint {size}")
    count = session.scalar(select(func.count()).select_from(Cosignature).where(Cosignature.checkpoint_size == size))
    if (count or 0) >= MAX_COSIGNATURES:
        raise Conflict(f"checkpoint {size} already has {MAX_COSIGNATURES} cosignatures")
    cosig = Cosignature(
        checkpoint_size=size, witness_vkey=witness.vkey, signature_line=sigs[0].line, received_at=clock.now()
    )
    session.add(cosig)
    session.commit()
    return cosig


def personal_data(session: Session, commitment: str) -> dict[str, Any] | None:
    row = session.get(PersonalData, commitment)
    return None if row is None else json.loads(row.data)


__all__ = [
    "Appended",
    "LedgerCorrupted",
    "add_cosignature",
    "append",
    "append_many",
    "canonical_json",
    "consistency_proof",
    "ensure_node_key",
    "erase_personal",
    "inclusion_proof",
    "integrate_batch",
    "integrate_pending",
    "receipt",
]
