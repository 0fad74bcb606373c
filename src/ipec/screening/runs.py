"""Screening runs of the page: a long upload is screened in a background thread while the officer's page polls
its progress. Progress lives in memory, per node process; a finished run is kept on the node
(`services.record_run`) the first time the page sees it finished.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ipec.kernel.errors import Problem
from ipec.screening.engine import Hit, Screener
from ipec.screening.rules import Declaration

# Declarations screened between two progress updates.
STEP = 500
# Runs kept in memory (the oldest finished ones are dropped first).
KEEP = 20


@dataclass
class Run:
    id: str
    owner: str  # the user who started it: nobody else may see it
    declarations: Sequence[Declaration]
    problems: list[Problem]
    done: int = 0
    hits: list[Hit] = field(default_factory=list)
    finished: bool = False
    error: str | None = None
    # What the run screened against and with which threshold; set by the page so the run can be kept.
    basis: Any = None
    threshold: float = 0.0
    kept_id: str | None = None  # the run as kept on the node, once finished

    @property
    def total(self) -> int:
        return len(self.declarations)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class Runs:
    """The runs of one node process."""

    def __init__(self) -> None:
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, owner: str, screener: Screener, declarations: Sequence[Declaration],
              problems: list[Problem]) -> Run:
        run = Run(uuid.uuid4().hex, owner, declarations, problems)
        with self._lock:
            self._runs[run.id] = run
            while len(self._runs) > KEEP:
                oldest = next((k for k, r in self._runs.items() if r.finished), None)
                if oldest is None:
                    break
                del self._runs[oldest]
        threading.Thread(target=self._screen, args=(run, screener), daemon=True, name=f"screening-{run.id}").start()
        return run

    def get(self, run_id: str, owner: str) -> Run | None:
        with self._lock:
            run = self._runs.get(run_id)
        return run if run is not None and run.owner == owner else None

    @staticmethod
    def _screen(run: Run, screener: Screener) -> None:
        try:
            for start in range(0, run.total, STEP):
                chunk = run.declarations[start : start + STEP]
                run.hits.extend(screener.screen_many(chunk))
                run.done = start + len(chunk)
        except Exception as exc:  # shown on the page instead of a run that never ends
            run.error = f"{type(exc).__name__}: {exc}"
        finally:
            run.finished = True
