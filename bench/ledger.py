"""Ledger benchmark (not a test): prints its figures and saves them to bench/results/ledger.json.

    .venv/bin/python bench/ledger.py [--entries 50000] [--pg-entries 20000] [--big 10000000] [--skip-pg]

Measured, with pymerkle 7.0.0 as the side-by-side baseline in the same run:

* appends/s batched on SQLite (and PostgreSQL when reachable): entries queued by `services.append_many` in
  transactions of 256, then integrated by the sequencer (`integrate_pending`: batches of
  `services.BATCH_SIZE`, each a transaction with a signed checkpoint). Reported separately (queue, integrate)
  and end to end.
* inclusion and consistency proof time at 1M entries, read from the real SQLite store (proof nodes fetched from
  `ledger_nodes`/`ledger_entries`), and at 10M entries from the same node layout held in memory (one bytearray
  per tree level): storing 10M rows here takes longer than the benchmark budget, the proof code path is the same.
* receipt verifications/s (`receipts.verify_receipt`: Ed25519 checkpoint signature + inclusion proof).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ipec.config import Settings
from ipec.db.migrate import upgrade
from ipec.db.session import make_engine, make_session_factory, unit_of_work
from ipec.kernel.clock import SystemClock
from ipec.ledger import keys, merkle, services
from ipec.ledger.receipts import verify_receipt

RESULTS = Path(__file__).resolve().parent / "results" / "ledger.json"
PG_URL = "postgresql://root@127.0.0.1:5432/ipec_ledger_bench"


def record(i: int) -> tuple[str, dict[str, Any]]:
    return "custody.event", {"item": f"EV-{i:08d}", "seal": f"S{i * 7919 % 1000003:07d}", "from": "FR", "to": "DE"}


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bench_store(url: str, var_dir: Path, n: int) -> dict[str, Any]:
    settings = Settings(database_url=url, var_dir=var_dir, node_name="bench.ipec")
    engine = make_engine(url)
    factory = make_session_factory(engine)
    clock = SystemClock()
    services.ensure_node_key(factory, settings, clock)
    services.integrate_pending(factory, settings, clock)

    def queue() -> None:
        for start in range(0, n, 256):
            with unit_of_work(factory) as s:
                services.append_many(s, [record(i) for i in range(start, min(n, start + 256))])

    t_queue = timed(queue)
    t_integrate = timed(lambda: services.integrate_pending(factory, settings, clock))
    out = {
        "entries": n,
        "queue_per_s": round(n / t_queue),
        "integrate_per_s": round(n / t_integrate),
        "end_to_end_per_s": round(n / (t_queue + t_integrate)),
    }
    engine.dispose()
    return out


def proof_times_db(url: str, n_target: int, var_dir: Path) -> dict[str, Any]:
    """Fill a SQLite store to n_target entries, then time proofs served from it."""
    settings = Settings(database_url=url, var_dir=var_dir, node_name="bench.ipec")
    engine = make_engine(url)
    factory = make_session_factory(engine)
    clock = SystemClock()
    with factory() as s:
        have = services.tree_size(s)
    t = time.perf_counter()
    for start in range(have, n_target, 25600):
        with unit_of_work(factory) as s:
            services.append_many(s, [record(i) for i in range(start, min(n_target, start + 25600))])
        services.integrate_pending(factory, settings, clock)
    fill = time.perf_counter() - t
    rng = random.Random(7)
    with factory() as s:
        size = services.tree_size(s)
        samples_incl, samples_cons = [], []
        for _ in range(300):
            idx = rng.randrange(size)
            samples_incl.append(timed(lambda idx=idx: services.inclusion_proof(s, idx)))
            old = rng.randrange(1, size)
            samples_cons.append(timed(lambda old=old: services.consistency_proof(s, old, size)))
        rcpt = services.receipt(s, rng.randrange(size), keys.origin(settings))
    signer = keys.load_signer(settings)
    assert signer is not None
    verifier = signer.verifier()
    reps = 2000
    t_verify = timed(lambda: [verify_receipt(rcpt, verifier) for _ in range(reps)])
    engine.dispose()
    return {
        "entries": size,
        "fill_seconds": round(fill, 1),
        "inclusion_ms_median": round(statistics.median(samples_incl) * 1e3, 3),
        "inclusion_ms_p99": round(sorted(samples_incl)[int(len(samples_incl) * 0.99)] * 1e3, 3),
        "consistency_ms_median": round(statistics.median(samples_cons) * 1e3, 3),
        "consistency_ms_p99": round(sorted(samples_cons)[int(len(samples_cons) * 0.99)] * 1e3, 3),
        "receipt_verifications_per_s": round(reps / t_verify),
    }


def memory_levels(n: int) -> list[bytearray]:
    """Every perfect-subtree hash of an n-entry tree, one bytearray per level (the store's layout, in memory)."""
    level = bytearray()
    for i in range(n):
        level += merkle.leaf_hash(b"entry %d" % i)
    levels = [level]
    while len(levels[-1]) >= 64:
        prev = levels[-1]
        nxt = bytearray()
        for j in range(0, len(prev) - 63, 64):
            nxt += merkle.node_hash(bytes(prev[j : j + 32]), bytes(prev[j + 32 : j + 64]))
        levels.append(nxt)
    return levels


def proof_times_memory(n: int) -> dict[str, Any]:
    t = time.perf_counter()
    levels = memory_levels(n)
    build = time.perf_counter() - t

    def fetch(ids: Collection[merkle.NodeId]) -> dict[merkle.NodeId, bytes]:
        return {(lv, i): bytes(levels[lv][i * 32 : i * 32 + 32]) for lv, i in ids}

    rng = random.Random(11)
    root = merkle.root_from_nodes(n, fetch)
    incl, cons = [], []
    for _ in range(1000):
        idx = rng.randrange(n)
        incl.append(timed(lambda idx=idx: merkle.inclusion_proof_nodes(idx, n, fetch)))
        old = rng.randrange(1, n)
        cons.append(timed(lambda old=old: merkle.consistency_proof_nodes(old, n, fetch)))
    idx = rng.randrange(n)
    proof = merkle.inclusion_proof_nodes(idx, n, fetch)
    merkle.verify_inclusion(merkle.leaf_hash(b"entry %d" % idx), idx, n, proof, root)
    return {
        "entries": n,
        "build_seconds": round(build, 1),
        "inclusion_ms_median": round(statistics.median(incl) * 1e3, 4),
        "consistency_ms_median": round(statistics.median(cons) * 1e3, 4),
    }


def pymerkle_baseline(n: int, tmp: Path) -> dict[str, Any]:
    from pymerkle import InmemoryTree, SqliteTree, verify_inclusion

    data = [json.dumps(record(i)[1]).encode() for i in range(n)]
    db = tmp / "pymerkle.db"
    with SqliteTree(str(db)) as tree:
        t_append = timed(lambda: tree.append_entries(data, chunksize=256))
        rng = random.Random(3)
        incl, cons = [], []
        for _ in range(100):
            idx = rng.randrange(1, n + 1)
            incl.append(timed(lambda idx=idx: tree.prove_inclusion(idx, n)))
            old = rng.randrange(1, n)
            cons.append(timed(lambda old=old: tree.prove_consistency(old, n)))
    mem = InmemoryTree()
    for d in data[:20000]:
        mem.append_entry(d)
    size = mem.get_size()
    proof = mem.prove_inclusion(777, size)
    base, root = mem.get_leaf(777), mem.get_root()
    reps = 2000
    t_verify = timed(lambda: [verify_inclusion(base, root, proof) for _ in range(reps)])
    return {
        "library": "pymerkle 7.0.0 (SqliteTree for appends and proofs, InmemoryTree for verification)",
        "entries": n,
        "sqlite_appends_per_s": round(n / t_append),
        "inclusion_ms_median": round(statistics.median(incl) * 1e3, 3),
        "consistency_ms_median": round(statistics.median(cons) * 1e3, 3),
        "inclusion_verifications_per_s_no_signature": round(reps / t_verify),
    }


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://root@127.0.0.1:5432/test", autocommit=True, connect_timeout=3) as c:
            c.execute("DROP DATABASE IF EXISTS ipec_ledger_bench")
            c.execute("CREATE DATABASE ipec_ledger_bench")
        return True
    except Exception as exc:  # any failure means: report PostgreSQL as not measured, with the reason
        print(f"PostgreSQL not measured: {exc}", file=sys.stderr)
        return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=50_000, help="entries for the SQLite append figure")
    ap.add_argument("--pg-entries", type=int, default=20_000)
    ap.add_argument("--db-proof-entries", type=int, default=1_000_000, help="SQLite store size for proof times")
    ap.add_argument("--big", type=int, default=10_000_000, help="in-memory tree size for proof times")
    ap.add_argument("--baseline-entries", type=int, default=20_000)
    ap.add_argument("--skip-pg", action="store_true")
    args = ap.parse_args()

    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}",
        "command": "python " + " ".join(sys.argv),
    }
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        url = f"sqlite:///{tmp / 'append.db'}"
        upgrade(url)
        results["sqlite_append"] = bench_store(url, tmp / "var1", args.entries)
        print("SQLite appends:", results["sqlite_append"], flush=True)

        if not args.skip_pg and pg_reachable():
            upgrade(PG_URL)
            results["postgresql_append"] = bench_store(PG_URL, tmp / "var2", args.pg_entries)
            print("PostgreSQL appends:", results["postgresql_append"], flush=True)

        url = f"sqlite:///{tmp / 'proofs.db'}"
        upgrade(url)
        results["sqlite_proofs"] = proof_times_db(url, args.db_proof_entries, tmp / "var3")
        print("SQLite store proofs:", results["sqlite_proofs"], flush=True)

        results["pymerkle"] = pymerkle_baseline(args.baseline_entries, tmp)
        print("pymerkle baseline:", results["pymerkle"], flush=True)

    results["memory_proofs"] = proof_times_memory(args.big)
    print("In-memory node layout proofs:", results["memory_proofs"], flush=True)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"saved {RESULTS}")


if __name__ == "__main__":
    main()
