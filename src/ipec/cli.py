"""The `ipec` command: serve the node, migrate, load the demo, import rights, manage users; each feature's
commands are mounted from its own cli.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ipec.accounts.services import system_context
from ipec.cases import cli as cases_cli
from ipec.config import Settings, load_settings
from ipec.customs import cli as customs_cli
from ipec.ledger import cli as ledger_cli
from ipec.screening import cli as screening_cli

app = typer.Typer(help="ipec: international IP-enforcement cooperation node.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo scenario.", no_args_is_help=True)
rights_app = typer.Typer(help="The rights register.", no_args_is_help=True)
users_app = typer.Typer(help="Organisations and users.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(rights_app, name="rights")
app.add_typer(users_app, name="users")
app.add_typer(ledger_cli.app, name="ledger")
app.add_typer(customs_cli.app, name="customs")
app.add_typer(cases_cli.app, name="cases")
app.add_typer(cases_cli.evidence_app, name="evidence")
app.command("screen")(screening_cli.screen)
app.command("screen-worker")(screening_cli.screen_worker)

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def settings() -> Settings:
    return load_settings()


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to the newest version (every feature's migrations)."""
    from ipec.db.migrate import upgrade

    s = settings()
    upgrade(s.database_url)
    console.print(f"database at the newest schema: {s.database_url}")


@demo_app.command("load")
def demo_load(if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing if the node has users")] = False
              ) -> None:
    """Load the demo world (organisations in 8+ countries, 11 holders, 330 rights, users for each role)."""
    from ipec.demo import scenario
    from ipec.kernel.errors import DomainError

    s = settings()
    with system_context(s) as ctx:
        if scenario.is_loaded(ctx):
            if not if_empty:
                fail("the node already has data; the demo loads only into an empty node")
            console.print("demo data already present; nothing loaded")
            _print_logins(scenario.logins())
            return
        try:
            report = scenario.load(ctx, s.blob_dir)
        except DomainError as exc:
            fail(f"demo load failed, nothing was written: {exc.message}")
            return
    console.print(f"loaded {report.organisations} organisations, {report.users} users, {report.rights} rights"
                  + "".join(f", {n} {k}" for k, n in report.extra.items()))
    _print_logins(report.logins)


def _print_logins(logins: list[Any]) -> None:
    table = Table(title="Demo logins (password for all: " + (logins[0].password if logins else "") + ")")
    for col in ("username", "role", "organisation"):
        table.add_column(col)
    for login in logins:
        table.add_row(login.username, str(login.role), login.organisation)
    console.print(table)


@rights_app.command("import")
def rights_import(
    file: Annotated[Path, typer.Argument(help="CSV with the columns right_id,kind,mark,nice_classes,"
                                              "jurisdictions,owner,authorized_parties")],
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the good rows; list the bad ones "
                                                                      "in a rejects file")] = False,
    rejects: Annotated[Path | None, typer.Option(help="Where to write refused rows (default FILE.rejects.csv)")] = None,
) -> None:
    """Import rights from a CSV file. All or nothing, unless --skip-invalid. Re-importing changes nothing."""
    from ipec.kernel.errors import ValidationFailed
    from ipec.rights import services as rights

    if not file.exists():
        fail(f"{file}: no such file", 2)
    try:
        text = file.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"{file}: not UTF-8 text (byte {exc.start})", 2)
        return
    s = settings()
    with system_context(s) as ctx:
        try:
            report = rights.import_csv(ctx, text, skip_invalid=skip_invalid)
        except ValidationFailed as exc:
            for p in exc.problems:
                where = f"line {p.line}, column {p.field}" if p.line else p.field
                err.print(f"{file}: {where}: {p.reason}")
            fail(f"{len(exc.problems)} problem(s) in {file}; nothing was imported", 1)
            return
    console.print(f"{file}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
                  f"{len(report.rejects)} rejected")
    if report.organisations_created:
        console.print("new holder organisations: " + ", ".join(report.organisations_created))
    if report.rejects:
        target = rejects or file.with_suffix(".rejects.csv")
        rights.write_rejects(report.rejects, target)
        err.print(f"{len(report.rejects)} refused row(s) listed in {target}")


@users_app.command("list")
def users_list() -> None:
    """List users and their organisations."""
    from ipec.accounts import services as accounts

    with system_context(settings()) as ctx:
        table = Table("username", "name", "role", "organisation", "active")
        for u in accounts.list_users(ctx):
            table.add_row(u.username, u.display_name, u.role, u.organisation.name, "yes" if u.active else "no")
        console.print(table)


@users_app.command("create")
def users_create(
    username: str,
    organisation: Annotated[str, typer.Option(help="Organisation name")],
    role: Annotated[str, typer.Option(help="admin, officer, analyst, holder or viewer")],
    name: Annotated[str, typer.Option(help="Full name")] = "",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a user in an existing organisation."""
    from ipec.accounts import services as accounts
    from ipec.kernel.errors import DomainError

    with system_context(settings()) as ctx:
        org = accounts.organisation_by_name(ctx.session, organisation)
        if org is None:
            fail(f"no organisation named {organisation!r}")
            return
        try:
            accounts.create_user(ctx, username, name, org.id, role, password)
        except DomainError as exc:
            fail(exc.message)
    console.print(f"user {username} created")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Serve the node's pages and API."""
    import uvicorn

    from ipec.app import create_app

    s = settings()
    console.print(f"ipec node on http://{host or s.host}:{port or s.port}  (database {s.database_url}); Ctrl-C stops")
    uvicorn.run(create_app(s), host=host or s.host, port=port or s.port, log_level="info")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
