"""Ledger tables. The log tables are append-only: migration ledger_0001 adds triggers that reject UPDATE and DELETE.

* `ledger_queue`: entries appended by services, waiting for the sequencer (rows are deleted once integrated);
* `ledger_entries`: the log itself, entry bytes exactly as appended, with their RFC 9162 leaf hash;
* `ledger_nodes`: the hash of every complete perfect subtree above the leaves, so proofs need O(log n) lookups;
* `ledger_checkpoints`: one signed C2SP checkpoint per integrated batch;
* `ledger_cosignatures`: witness signatures on checkpoints;
* `ledger_keys`: every key the node has signed checkpoints with (each also announced by a `ledger.key` entry);
* `ledger_personal`: personal data committed to by entries, with its salt; erasable, never part of the tree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipec.db.base import Base
from ipec.db.types import UTCDateTime

# SQLite only auto-increments (and uses as the rowid, saving an index) an INTEGER PRIMARY KEY, which is 64-bit
# there anyway; PostgreSQL gets BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")
BigIndex = BigId


class QueuedEntry(Base):
    __tablename__ = "ledger_queue"
    # AUTOINCREMENT: SQLite must never reuse an id once the sequencer has deleted the row (ids are receipts).
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_type: Mapped[str] = mapped_column(String(80))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Entry(Base):
    __tablename__ = "ledger_entries"

    idx: Mapped[int] = mapped_column(BigIndex, primary_key=True, autoincrement=False)
    entry_type: Mapped[str] = mapped_column(String(80))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary)
    # The id `append` returned, so a caller can find its entry once sequenced.
    queue_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    # No timestamp per entry: the checkpoint that first covers an entry says when it was sequenced, and keeping
    # rows small keeps batched appends fast.


class Node(Base):
    __tablename__ = "ledger_nodes"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 (SQLAlchemy reads it once, at class creation)

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary)


class CheckpointRow(Base):
    __tablename__ = "ledger_checkpoints"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary)
    note: Mapped[str] = mapped_column(Text)  # the signed note, exactly as signed
    key_id: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Cosignature(Base):
    __tablename__ = "ledger_cosignatures"
    __table_args__ = (UniqueConstraint("checkpoint_size", "witness_vkey"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    checkpoint_size: Mapped[int] = mapped_column(ForeignKey("ledger_checkpoints.size"), index=True)
    witness_vkey: Mapped[str] = mapped_column(String(300))
    signature_line: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class LedgerKey(Base):
    __tablename__ = "ledger_keys"

    vkey: Mapped[str] = mapped_column(String(300), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class PersonalData(Base):
    __tablename__ = "ledger_personal"

    # hex SHA-256(salt || canonical JSON of the personal data), as written in the entry's personal_commitment
    commitment: Mapped[str] = mapped_column(String(64), primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    data: Mapped[bytes] = mapped_column(LargeBinary)  # canonical JSON
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
