"""The `ipec ledger` commands."""

import typer

app = typer.Typer(help="Tamper-evident ledger: checkpoints, proofs, receipts, audit, witness.", no_args_is_help=True)
