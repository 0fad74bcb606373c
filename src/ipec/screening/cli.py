"""The `ipec screening` commands."""

import typer

app = typer.Typer(help="Border screening workers and runs.", no_args_is_help=True)
