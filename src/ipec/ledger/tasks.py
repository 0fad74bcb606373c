"""Background work of the ledger: the node key on first start, and the sequencer.

The sequencer integrates queued entries in batches (at most `services.BATCH_SIZE` per transaction) and waits at
most 250 ms between passes, so an entry is in a signed checkpoint about a quarter of a second after its
transaction commits. Database work runs in a worker thread so the web server's event loop never blocks on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import OperationalError

from ipec.db.session import unit_of_work
from ipec.ledger import keys
from ipec.ledger.services import LedgerCorrupted, ensure_node_key, integrate_batch

log = logging.getLogger(__name__)

INTERVAL = 0.25  # seconds between passes when the queue is empty
ERROR_BACKOFF = 5.0  # seconds to wait after a failed pass (a corrupted log is not retried in a tight loop)


@dataclass
class Sequencer:
    state: Any
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    integrated: int = 0
    last_error: str | None = None

    def run_once(self) -> int:
        """One pass: integrate batches until the queue is empty. Returns how many entries went in."""
        settings, factory, clock = self.state.settings, self.state.session_factory, self.state.clock
        signer = ensure_node_key(factory, settings, clock)
        origin = keys.origin(settings)
        total = 0
        while not self.stop.is_set():
            with unit_of_work(factory) as session:
                batch = integrate_batch(session, signer, origin, clock)
            if batch is None:
                break
            total += batch.count
        return total

    async def loop(self) -> None:
        while not self.stop.is_set():
            delay = INTERVAL
            try:
                self.integrated += await asyncio.to_thread(self.run_once)
                self.last_error = None
            except LedgerCorrupted as exc:
                # Never sign over a log that disagrees with its checkpoints: say so loudly and wait for an operator.
                self.last_error = str(exc)
                log.error("ledger sequencer stopped signing: %s (run `ipec ledger audit`)", exc)
                delay = ERROR_BACKOFF
            except OperationalError as exc:  # database busy or gone: try again shortly
                self.last_error = str(exc)
                log.warning("ledger sequencer pass failed: %s", exc)
                delay = ERROR_BACKOFF
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), delay)


async def on_startup(state: Any) -> None:
    """Create the node key on first start (0600 file under var/ledger/), announce it, start the sequencer.

    `state` has `.settings`, `.session_factory` and `.clock`; the sequencer is not started when
    `state.start_background` is false (tests drive `services.integrate_pending` themselves).
    """
    await asyncio.to_thread(ensure_node_key, state.session_factory, state.settings, state.clock)
    if not getattr(state, "start_background", True):
        return
    sequencer = Sequencer(state)
    sequencer.task = asyncio.create_task(sequencer.loop(), name="ledger-sequencer")
    state.ledger_sequencer = sequencer


async def on_shutdown(state: Any) -> None:
    """Stop the sequencer after its current batch (a batch is one transaction: nothing is left half-written)."""
    sequencer: Sequencer | None = getattr(state, "ledger_sequencer", None)
    if sequencer is None or sequencer.task is None:
        return
    sequencer.stop.set()
    await sequencer.task
    state.ledger_sequencer = None
