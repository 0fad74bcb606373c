"""`ipec cases …` and `ipec evidence …`.

The commands act as the node operator unless `--as USERNAME` names a user, whose handling rules then apply.
`evidence verify` works offline: no database, no node, only the package and (ideally) the log's public key.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ipec.cases.package import PackageError, verify_package
from ipec.ledger.note import NoteError, Verifier

app = typer.Typer(help="Cases and joint operations across agencies and countries.", no_args_is_help=True)
evidence_app = typer.Typer(help="Evidence packages: export with hashes, custody chain and ledger receipts; verify "
                                "offline.", no_args_is_help=True)

AsUser = Annotated[str | None, typer.Option("--as", help="act as this user (their handling rules apply)")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _context(as_user: str | None) -> Iterator[Any]:
    from sqlalchemy import select

    from ipec.accounts.models import User
    from ipec.accounts.services import actor_of, system_context
    from ipec.cli import settings

    with system_context(settings()) as ctx:
        if as_user:
            user = ctx.session.scalar(select(User).where(User.username == as_user))
            if user is None or not user.active:
                raise _fail(f"--as: no active user {as_user!r}", 2)
            ctx.actor = actor_of(user)
        yield ctx


@app.command("list")
def list_cases(
    output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    operation: Annotated[str | None, typer.Option(help="only cases of this operation (id or reference)")] = None,
    state: Annotated[str | None, typer.Option(help="open or closed")] = None,
    as_user: AsUser = None,
) -> None:
    """List cases with their ids (only those the acting user may see)."""
    from ipec.cases import services
    from ipec.kernel.errors import DomainError

    if output not in ("table", "json"):
        raise _fail("--format: table or json", 2)
    with _context(as_user) as ctx:
        try:
            op_id = services.get_operation(ctx, operation).id if operation else None
            rows = [services.case_summary(ctx, c) for c in services.visible_cases(ctx, operation_id=op_id,
                                                                                   state=state)]
        except DomainError as exc:
            raise _fail(exc.message) from None
    if output == "json":
        typer.echo(json.dumps(rows, default=str, indent=1, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['id']}  {r['reference']:<15} {r['state']:<7} {r['tlp']:<12} {','.join(r['countries']):<18} "
                   f"{r['title']}")
    typer.echo(f"{len(rows)} case(s)")


@evidence_app.command("export")
def export(
    case: Annotated[str, typer.Option("--case", help="case id or reference")],
    out: Annotated[Path, typer.Option("--out", help="package file to write (.zip)")],
    as_user: AsUser = None,
) -> None:
    """Write a case's evidence package: files, manifest with hashes, custody chain, ledger receipts."""
    from ipec.cases import evidence
    from ipec.cli import settings
    from ipec.db.session import make_engine, make_session_factory
    from ipec.kernel.errors import DomainError

    s = settings()
    engine = make_engine(s.database_url)
    try:
        with _context(as_user) as ctx:
            try:
                data = evidence.export_package(ctx, s, make_session_factory(engine), case)
            except DomainError as exc:
                raise _fail(exc.message) from None
    finally:
        engine.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(f"wrote {out} ({len(data)} bytes)")


@evidence_app.command("verify")
def verify(
    package_file: Annotated[Path, typer.Argument(metavar="PACKAGE.zip", help="evidence package to check")],
    key: Annotated[str | None, typer.Option("--key", help="the log's public key, or a file holding it")] = None,
) -> None:
    """Check a package offline: every file's hash, every manifest line, every custody step, every receipt."""
    try:
        data = package_file.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {package_file}: {exc}", 2) from None
    verifier = None
    if key is not None:
        text = Path(key).read_text("ascii").strip() if Path(key).is_file() else key.strip()
        try:
            verifier = Verifier.from_vkey(text)
        except NoteError as exc:
            raise _fail(f"--key: {exc}", 2) from None
    try:
        result = verify_package(data, verifier)
    except PackageError as exc:
        raise _fail(f"{package_file} does not verify: {exc}") from None
    typer.echo(f"OK: {result.case_reference}: {result.files} file(s), {result.steps} custody step(s), "
               f"{result.receipts} receipt(s) at tree size {result.tree_size}")
    typer.echo(f"log key {result.key}")
    if result.key_from_package:
        print("warning: no --key given; checked against the key inside the package, which proves only that the "
              "package is consistent with itself", file=sys.stderr)
