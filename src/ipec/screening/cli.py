"""The screening commands: `ipec screen` (file mode) and `ipec screen-worker` (NATS JetStream worker).

`screen` and `screen_worker` are plain functions with typer annotations; the root cli registers them as
top-level commands (`root.command("screen")(screen)`).
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ipec.screening import csvio, services
from ipec.screening.engine import DEFAULT_THRESHOLD, Hit, Screener
from ipec.screening.rules import Declaration

app = typer.Typer(help="Border screening workers and runs.", no_args_is_help=True)

err = Console(stderr=True, soft_wrap=True)

# Declarations per unit of work handed to a worker process, and per progress-bar step.
CHUNK = 2_000
# Show a progress bar only for files long enough to make one wait.
PROGRESS_FROM = 5_000


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


# The screener of a --workers run: built once in the parent, inherited by forked workers (copy on write), so
# the index is built once however many processes screen.
_shared: Screener | None = None


def _screen_chunk(chunk: Sequence[Declaration]) -> list[Hit]:
    assert _shared is not None
    return _shared.screen_many(chunk)


def _chunks(items: Sequence[Declaration], size: int) -> Iterator[Sequence[Declaration]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def run(screener: Screener, declarations: Sequence[Declaration], workers: int, progress: Progress | None) -> list[Hit]:
    """Screen in order; with workers > 1, chunks go to forked processes that share the parent's index."""
    global _shared
    task = progress.add_task("screening", total=len(declarations)) if progress else None
    hits: list[Hit] = []
    # Keep the collector off the index, which lives as long as the run: full collections would walk it again
    # and again (10% of one core), and in forked workers they would touch, and so copy, every page the parent
    # shares with them (two workers gave 1.45x one without this, 1.8x with it).
    gc.freeze()
    if workers <= 1 or len(declarations) <= CHUNK:
        for chunk in _chunks(declarations, CHUNK):
            hits.extend(screener.screen_many(chunk))
            if progress is not None and task is not None:
                progress.advance(task, len(chunk))
        gc.unfreeze()
        return hits
    _shared = screener
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = list(_chunks(declarations, CHUNK))
            for chunk, found in zip(chunks, pool.imap(_screen_chunk, chunks), strict=True):
                hits.extend(found)
                if progress is not None and task is not None:
                    progress.advance(task, len(chunk))
    finally:
        _shared = None
        gc.unfreeze()
    return hits


def _register_basis() -> services.RightsBasis:
    from ipec.accounts.services import system_context
    from ipec.config import load_settings

    with system_context(load_settings()) as ctx:
        return services.rights_basis(ctx)


def _keep_run(declarations: Sequence[Declaration], hits: Sequence[Hit], threshold: float, rejected: int,
              basis: services.RightsBasis) -> str:
    """Keep a run against the node's register on the node, as the issue's operators expect of the register mode."""
    from ipec.accounts.services import system_context
    from ipec.config import load_settings

    with system_context(load_settings()) as ctx:
        return services.record_run(ctx, "cli", threshold, declarations, hits, rejected, basis).id


def _report(rejected: Sequence[csvio.Rejected]) -> None:
    shown = 0
    for item in rejected:
        for problem in item.problems:
            if shown < 50:
                err.print(f"{item.file}: line {item.line}, column {problem.field}: {problem.reason}", markup=False)
            shown += 1
    if shown > 50:
        err.print(f"... and {shown - 50} more problems")


def screen(
    declarations: Annotated[Path, typer.Argument(help="DECLARATIONS.csv", exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", help="Where to write the hits (HITS.csv or .jsonl)")],
    rights: Annotated[
        Path | None,
        typer.Option("--rights", help="RIGHTS.csv; without it, the node's register", exists=True, dir_okay=False),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="csv or jsonl")] = Format.csv,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Lowest score reported")
    ] = DEFAULT_THRESHOLD,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Screen the valid rows; list refused rows in a rejects file")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Rejects file (default: OUT with .rejects.csv)")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes screening in parallel")] = 1,
) -> None:
    """Screen declarations against rights; write one row per flagged (declaration, right)."""
    try:
        basis = None
        if rights is not None:
            right_list, bad_rights = csvio.read_rights(rights)
        else:
            basis = _register_basis()
            right_list, bad_rights = services.rights_from_records(basis.records), []
        declaration_list, bad_declarations = csvio.read_declarations(declarations)
    except csvio.HeaderError as exc:
        err.print(f"refused: {exc}", markup=False)
        raise typer.Exit(1) from exc
    except UnicodeDecodeError as exc:
        err.print(f"refused: not UTF-8 text ({exc.reason} at byte {exc.start})", markup=False)
        raise typer.Exit(1) from exc
    rejected = [*bad_rights, *bad_declarations]
    if rejected and not skip_invalid:
        _report(rejected)
        err.print(f"refused: {len(rejected)} invalid row(s); nothing written (use --skip-invalid to go on)")
        raise typer.Exit(1)
    screener = Screener(right_list, threshold=threshold)
    show = len(declaration_list) >= PROGRESS_FROM
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, disable=not show, transient=False,
    ) as progress:
        hits = run(screener, declaration_list, workers, progress if show else None)

    def write_out(handle: IO[str]) -> None:
        csvio.write_hits(hits, handle, fmt.value)

    csvio.replace_atomically(out, write_out)
    if rejected:
        target = rejects or out.with_name(out.stem + ".rejects.csv")

        def write_rejected(handle: IO[str]) -> None:
            csvio.write_rejects(rejected, handle)

        csvio.replace_atomically(target, write_rejected)
        err.print(f"{len(rejected)} row(s) refused, listed in {target}", markup=False)
    against = f"{len(right_list)} right(s)"
    if basis is not None:
        against += " under an application for action" if basis.kind == "recorded" else " of the register"
    err.print(f"screened {len(declaration_list)} declaration(s) against {against}: {len(hits)} hit(s) → {out}",
              markup=False)
    if basis is not None:
        run_id = _keep_run(declaration_list, hits, threshold, len(rejected), basis)
        err.print(f"kept on the node as screening run {run_id}", markup=False)


def screen_worker(
    stream: Annotated[str, typer.Option(help="JetStream stream holding declarations")] = "DECLARATIONS",
    subject: Annotated[str, typer.Option(help="Subject declarations are published on")] = "ipec.declarations",
    durable: Annotated[str, typer.Option(help="Durable pull consumer shared by all workers")] = "screeners",
    hits_stream: Annotated[str, typer.Option(help="JetStream stream receiving hits")] = "SCREENING_HITS",
    hits_subject: Annotated[str, typer.Option(help="Subject hits are published on")] = "ipec.screening.hits",
    rights: Annotated[
        Path | None, typer.Option("--rights", help="RIGHTS.csv; without it, the node's register", exists=True)
    ] = None,
    nats_url: Annotated[str | None, typer.Option(help="NATS server (default: IPEC_NATS_URL)")] = None,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0)] = DEFAULT_THRESHOLD,
    batch: Annotated[int, typer.Option(min=1, help="Messages fetched per pull")] = 100,
) -> None:
    """Consume declarations from NATS JetStream, publish hits; run several to share the load."""
    import asyncio

    from ipec.screening.worker import WorkerConfig, serve

    if rights is not None:
        right_list, bad = csvio.read_rights(rights)
        if bad:
            _report(bad)
            raise typer.Exit(1)
    else:
        right_list = services.rights_from_records(_register_basis().records)
    if nats_url is None:
        from ipec.config import load_settings

        nats_url = load_settings().nats_url
    config = WorkerConfig(
        url=nats_url, stream=stream, subject=subject, durable=durable, hits_stream=hits_stream,
        hits_subject=hits_subject, batch=batch,
    )
    screener = Screener(right_list, threshold=threshold)
    gc.freeze()  # the index lives as long as the worker: keep the collector from walking it (see run())
    err.print(f"screen-worker: {len(right_list)} rights, consuming {subject} as {durable} on {nats_url}")
    try:
        asyncio.run(serve(screener, config))
    except KeyboardInterrupt:
        sys.exit(0)
