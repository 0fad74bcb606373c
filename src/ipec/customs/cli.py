"""The `ipec customs` commands."""

import typer

app = typer.Typer(help="Customs enforcement: legal clocks, applications for action, detentions.", no_args_is_help=True)
