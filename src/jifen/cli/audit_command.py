"""``jifen audit verify``: is the audit trail as it was written?"""

from __future__ import annotations

import typer

app = typer.Typer(help="The audit trail (审计记录): append-only, hash-chained.", no_args_is_help=True)

BROKEN = 1


@app.command("verify")
def verify_command() -> None:
    """Walk the hash chain from the first audit row to the last; exit 1 at the first row that does not match
    (changed, or a row before it changed, removed or inserted), or when the triggers that refuse changes to
    audit rows are missing. Print the last row's hash, to be kept elsewhere: rows removed from the end, or a
    chain rewritten from some row on, show only against a hash kept outside the database."""
    from jifen.service.runtime import setup

    setup()
    from jifen.service.audit.verify import missing_triggers, walk_trail

    result = walk_trail()
    missing = missing_triggers()
    if result.broken is not None:
        typer.echo(result.broken.message(), err=True)
    else:
        typer.echo(f"audit trail intact: {result.rows} rows")
        if result.last_id is not None:
            typer.echo(f"last row {result.last_id}, hash {result.last_hash}")
    if missing:
        typer.echo(
            f"audit rows are not protected: the trigger(s) {', '.join(missing)} refusing UPDATE and DELETE are "
            "missing (`jifen manage migrate audit 0002` then `jifen manage migrate` creates them again)",
            err=True,
        )
    if result.broken is not None or missing:
        raise typer.Exit(BROKEN)
