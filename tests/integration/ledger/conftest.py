"""Ledger fixtures on top of the shared `session` (rolled back after each test) and fixed `clock`."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from ipec.kernel.clock import FixedClock
from ipec.ledger import services
from ipec.ledger.note import Signer

ORIGIN = "test.ipec/ledger"


class Log:
    """A node's ledger inside the test transaction: append, then integrate as the sequencer would."""

    def __init__(self, session: Session, clock: FixedClock) -> None:
        self.session = session
        self.clock = clock
        self.signer = Signer.generate(ORIGIN)
        self.origin = ORIGIN
        services.announce_key(session, self.signer, clock)

    def fill(self, n: int, entry_type: str = "custody.event", start: int = 0) -> None:
        services.append_many(self.session, [(entry_type, {"item": f"E-{start + i}", "n": start + i}) for i in range(n)])

    # Small batches here so a few hundred entries make several checkpoints to check against each other.
    def integrate(self, max_entries: int = 256) -> list[services.Batch]:
        batches = []
        while (
            batch := services.integrate_batch(self.session, self.signer, ORIGIN, self.clock, max_entries=max_entries)
        ) is not None:
            batches.append(batch)
        return batches

    def tamper(self, table: str, sql: str, **params: object) -> None:
        """Change stored bytes the way an intruder with database access would: remove the guard, then write."""
        conn = self.session.connection()
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        else:
            conn.execute(text(f"DROP TRIGGER {table}_no_update"))
        conn.execute(text(sql), params)


@pytest.fixture
def log(session: Session, clock: FixedClock) -> Log:
    return Log(session, clock)
