"""The `ipec customs` commands.

`deadlines` is also a contract with outside checks: one JSON object on stdout, errors on stderr, exit 2 on bad
input. Keep its output shape stable.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated

import typer

from ipec.customs import clock, profiles
from ipec.kernel.calendars import UnknownCalendar
from ipec.kernel.errors import DomainError

app = typer.Typer(help="Customs enforcement: legal clocks, applications for action, detentions.", no_args_is_help=True)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _parse_date(text: str) -> dt.date:
    # date.fromisoformat also takes "20261224" and week dates; the contract says YYYY-MM-DD only.
    if not _ISO_DATE.match(text):
        raise _fail(f"--at: {text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise _fail(f"--at: {text!r} is not a valid date ({exc})") from None


@app.command()
def deadlines(
    profile: Annotated[str, typer.Option(help="Jurisdiction profile, e.g. eu-608 or us-cbp.")],
    jurisdiction: Annotated[str, typer.Option(help="ISO 3166 country whose customs authority acts, e.g. FR.")],
    event: Annotated[str, typer.Option(help="The event that starts the periods, e.g. notified.")],
    at: Annotated[str, typer.Option(help="Date of the event, YYYY-MM-DD.")],
    perishable: Annotated[bool, typer.Option("--perishable", help="The goods are perishable.")] = False,
    goods_detained: Annotated[
        bool, typer.Option("--goods-detained", help="Goods are already detained (application decisions).")
    ] = False,
) -> None:
    """Print the deadlines an event starts, as one JSON object {name: last day of the period}."""
    when = _parse_date(at)
    conditions = {}
    if perishable:
        conditions["perishable"] = True
    if goods_detained:
        conditions["goods_detained"] = True
    try:
        prof = profiles.load(profile)
        result = clock.deadlines(prof, event, when, jurisdiction, conditions)
    except (DomainError, UnknownCalendar, profiles.ProfileError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps({name: day.isoformat() for name, day in result.items()}))


@app.command("profiles")
def list_profiles() -> None:
    """List the jurisdiction profiles, the countries they cover and their events."""
    for name in profiles.available():
        prof = profiles.load(name)
        typer.echo(f"{name}: {prof.title}")
        typer.echo(f"  jurisdictions: {', '.join(prof.jurisdictions)} ({len(prof.countries)} countries)")
        typer.echo(f"  legal basis: {prof.legal_basis}")
        for ev in prof.events.values():
            names = ", ".join(dict.fromkeys(d.name for d in ev.deadlines))
            typer.echo(f"  {ev.name} -> {names}")


@app.command()
def tick() -> None:
    """Run the scheduled customs work once: close expired periods, flag overdue detentions, remind holders of
    extensions due, send notices."""
    from ipec.config import load_settings
    from ipec.customs import tasks
    from ipec.db.session import make_engine, make_session_factory
    from ipec.kernel.clock import SystemClock

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        report = tasks.run_once(make_session_factory(engine), settings, SystemClock())
    finally:
        engine.dispose()
    typer.echo(
        json.dumps(
            {
                "detentions_checked": report.advanced,
                "steps": report.steps,
                "newly_overdue": report.newly_overdue,
                "notices_sent": report.sent,
                "notices_failed": report.failed,
                "extension_reminders": report.reminded,
            }
        )
    )
