"""The `ipec ledger` commands.

`verify` and `witness cosign` (file mode) work offline, with no database and no node: only files and keys.
Every failure exits non-zero with a message naming what is wrong.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ipec.ledger.note import NoteError, Signer, Verifier, add_signatures
from ipec.ledger.receipts import ReceiptError, parse_receipt, verify_receipt
from ipec.ledger.witness import Witness, WitnessRefused

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from ipec.config import Settings
    from ipec.kernel.clock import Clock

app = typer.Typer(help="Tamper-evident ledger: checkpoints, proofs, receipts, audit, witness.", no_args_is_help=True)
witness_app = typer.Typer(help="Act as a witness: cosign another node's checkpoints.", no_args_is_help=True)
app.add_typer(witness_app, name="witness")



def _say(text: str, end: str = "\n") -> None:
    # Plain echo, not Rich: receipts, keys and notes must come out byte for byte, never wrapped or styled.
    typer.echo(text + end, nl=False)


def _warn(text: str) -> None:
    typer.echo(text, err=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    _warn(f"error: {message}")
    return typer.Exit(code)


def _key_text(value: str, what: str) -> str:
    """A key given inline or as a file holding it."""
    path = Path(value)
    if path.exists():
        try:
            return path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"{what} file {path}: {exc}") from None
    return value.strip()


def _verifier(value: str, what: str) -> Verifier:
    try:
        return Verifier.from_vkey(_key_text(value, what))
    except NoteError as exc:
        raise _fail(f"{what}: {exc}") from None


def _signer(value: str, what: str) -> Signer:
    try:
        return Signer.from_skey(_key_text(value, what))
    except NoteError as exc:
        raise _fail(f"{what}: {exc}") from None


# --- offline ------------------------------------------------------------------------------------------------------


@app.command()
def verify(
    receipt: Annotated[Path, typer.Argument(help="receipt file (JSON) downloaded from a node")],
    key: Annotated[str, typer.Option("--key", help="the log's public key, or a file holding it")],
    witness_key: Annotated[
        list[str] | None, typer.Option("--witness-key", help="a trusted witness key (repeat for n witnesses)")
    ] = None,
    min_witnesses: Annotated[int, typer.Option("--min-witnesses", "-k", help="cosignatures required (k of n)")] = 0,
) -> None:
    """Verify a receipt offline: signed checkpoint, witness cosignatures, inclusion proof."""
    try:
        text = receipt.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read receipt {receipt}: {exc}") from None
    log_key = _verifier(key, "--key")
    witnesses = [_verifier(w, "--witness-key") for w in witness_key or []]
    try:
        result = verify_receipt(parse_receipt(text), log_key, witnesses, min_witnesses)
    except ReceiptError as exc:
        raise _fail(f"receipt {receipt} does not verify: {exc}") from None
    _say(f"OK: entry {result.index} is in {result.checkpoint.origin} at tree size {result.checkpoint.size}")
    _say(
        f"root {base64.b64encode(result.checkpoint.root_hash).decode()} signed by {log_key.name}+{log_key.key_id.hex()}"
    )
    if witnesses:
        _say(f"cosigned by {len(result.witnesses)} of {len(witnesses)} witnesses: {', '.join(result.witnesses)}")
    _say(result.entry.decode("utf-8", errors="replace"))


@witness_app.command("keygen")
def witness_keygen(
    name: Annotated[str, typer.Argument(help="witness name, e.g. customs.example.de/witness")],
    output: Annotated[Path, typer.Option("--output", "-o", help="private key file to create (mode 0600)")],
) -> None:
    """Create a witness key; prints the public key to give to verifiers."""
    try:
        signer = Signer.generate(name)
    except NoteError as exc:
        raise _fail(str(exc)) from None
    if output.exists():
        raise _fail(f"{output} exists; not overwriting a key")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.touch(mode=0o600)
    output.write_text(signer.skey + "\n", encoding="ascii")
    _say(signer.vkey)


@witness_app.command("cosign")
def witness_cosign(
    log_key: Annotated[str, typer.Option("--log-key", help="the log's public key, or a file holding it")],
    key: Annotated[str, typer.Option("--key", help="this witness's private key file")],
    state: Annotated[Path, typer.Option("--state", help="file remembering the last cosigned checkpoint")],
    checkpoint: Annotated[Path | None, typer.Option("--checkpoint", help="signed checkpoint file (offline)")] = None,
    proof: Annotated[
        Path | None, typer.Option("--proof", help="consistency proof JSON from the last cosigned size (offline)")
    ] = None,
    node: Annotated[str | None, typer.Option("--node", help="node base URL: fetch, cosign and submit")] = None,
) -> None:
    """Cosign a checkpoint only if it extends the last one this witness cosigned."""
    witness = Witness(_signer(key, "--key"), _verifier(log_key, "--log-key"), state)
    try:
        last = witness.state()
    except WitnessRefused as exc:
        raise _fail(str(exc)) from None
    if node:
        _cosign_from_node(witness, node.rstrip("/"), last.size if last else None)
        return
    if checkpoint is None:
        raise _fail("give --checkpoint (and --proof) for offline use, or --node URL")
    signed = checkpoint.read_text(encoding="utf-8")
    hashes = _read_proof(proof) if proof else []
    try:
        sig = witness.cosign(signed, hashes)
    except WitnessRefused as exc:
        raise _fail(f"refused: {exc}") from None
    _say(add_signatures(signed, [sig]), end="")


def _read_proof(path: Path) -> list[bytes]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [base64.b64decode(h, validate=True) for h in raw["consistency_proof"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _fail(f"consistency proof file {path}: {exc}") from None


def _cosign_from_node(witness: Witness, base: str, last_size: int | None) -> None:
    import httpx

    from ipec.ledger.note import parse_checkpoint, split_note

    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            signed = client.get("/api/v1/ledger/checkpoint").raise_for_status().text
            size = parse_checkpoint(split_note(signed)[0]).size
            hashes: list[bytes] = []
            if last_size is not None:
                r = client.get("/api/v1/ledger/proof/consistency", params={"first": last_size, "second": size})
                hashes = [base64.b64decode(h) for h in r.raise_for_status().json()["consistency_proof"]]
            sig = witness.cosign(signed, hashes)
            client.post(
                f"/api/v1/ledger/checkpoints/{size}/cosignatures",
                json={"witness_key": witness.signer.vkey, "signature": sig.line},
            ).raise_for_status()
    except (httpx.HTTPError, NoteError) as exc:
        raise _fail(f"node {base}: {exc}") from None
    except WitnessRefused as exc:
        raise _fail(f"refused: {exc}") from None
    _say(f"cosigned {witness.log_key.name} at size {size}")


# --- against this node's database ---------------------------------------------------------------------------------


def _node() -> tuple[Settings, sessionmaker[Session], Clock]:
    # Imported here so `verify` and `witness` run without touching settings or a database.
    from ipec.config import load_settings
    from ipec.db.session import make_engine, make_session_factory
    from ipec.kernel.clock import SystemClock

    settings = load_settings()
    return settings, make_session_factory(make_engine(settings.database_url)), SystemClock()


@app.command()
def integrate() -> None:
    """Integrate every queued entry now (the running node does this by itself every 250 ms)."""
    from ipec.ledger import services

    settings, factory, clock = _node()
    try:
        n = services.integrate_pending(factory, settings, clock)
    except services.LedgerCorrupted as exc:
        raise _fail(f"refusing to sign: {exc}") from None
    _say(f"integrated {n} entries")


@app.command()
def checkpoint() -> None:
    """Print the latest signed checkpoint."""
    from ipec.kernel.errors import NotFound
    from ipec.ledger import services

    _, factory, _ = _node()
    with factory() as session:
        try:
            row = services.latest_checkpoint(session)
        except NotFound as exc:
            raise _fail(exc.message) from None
        _say(services.cosigned_note(session, row), end="")


@app.command("public-key")
def public_key() -> None:
    """Print this node's log public key (create it first with `ipec ledger integrate` or by starting the node)."""
    from ipec.ledger import keys

    settings, _, _ = _node()
    signer = keys.load_signer(settings)
    if signer is None:
        raise _fail(f"no ledger key at {keys.key_path(settings)} yet")
    _say(signer.vkey)


@app.command()
def receipt(
    index: Annotated[int, typer.Argument(help="entry index")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")] = None,
) -> None:
    """Export the receipt of an entry against the latest checkpoint."""
    from ipec.kernel.errors import DomainError
    from ipec.ledger import keys, services

    settings, factory, _ = _node()
    with factory() as session:
        try:
            body = services.receipt(session, index, keys.origin(settings))
        except DomainError as exc:
            raise _fail(exc.message) from None
    text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        _say(f"wrote {output}")
    else:
        _say(text, end="")


@app.command()
def audit(
    key: Annotated[
        list[str] | None, typer.Option("--key", help="trusted log key(s); default: this node's own key file")
    ] = None,
) -> None:
    """Recompute the whole tree from the stored entries and check every node hash, checkpoint and cosignature."""
    from ipec.ledger import keys
    from ipec.ledger.audit import audit as run_audit

    settings, factory, _ = _node()
    if key:
        trusted = [_verifier(k, "--key") for k in key]
    else:
        signer = keys.load_signer(settings)
        if signer is None:
            raise _fail(f"no ledger key at {keys.key_path(settings)}; pass --key PUBLIC_KEY")
        trusted = [signer.verifier()]
    with factory() as session:
        report = run_audit(session, keys.origin(settings), trusted)
    if not report.ok:
        for finding in report.findings:
            _warn(f"FAIL {finding}")
        if report.more:
            _warn(f"… and {report.more} more")
        raise _fail(f"audit failed: {len(report.findings) + report.more} problems in a log of {report.size} entries")
    _say(f"OK: {report.size} entries, {report.checkpoints} checkpoints, every hash and signature checks out")


@app.command("rotate-key")
def rotate_key() -> None:
    """Replace the node's log key; the change is logged as a `ledger.key` entry naming the previous key."""
    from ipec.ledger import services

    settings, factory, clock = _node()
    try:
        old, new = services.rotate_key(factory, settings, clock)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    services.integrate_pending(factory, settings, clock)
    _say(f"old key {old.vkey}\nnew key {new.vkey}")
