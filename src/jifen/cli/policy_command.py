"""``jifen policy check``: is the policy data current (yearly values, the working-day calendar)?"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from jifen.cli.inputs import fail, parse_on
from jifen.dates import today_in_shanghai
from jifen.policy.loader import default_policy, policy_dir
from jifen.policy.staleness import CURRENT, overdue
from jifen.workdays import default_calendar

app = typer.Typer(help="The policy data (政策数据): is it current?", no_args_is_help=True)

OVERDUE = 1


@app.command("check")
def check_command(
    today: Annotated[str | None, typer.Option(help="check as of this date (default: today in Shanghai)")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Exit 1 and say what to add, and where, when policy data is overdue.

    Overdue: a yearly value (the reference wage, the insurance wage: from 1 July) missing or provisional;
    this year's working-day calendar, or from 1 November next year's, without official data."""
    if lang not in ("zh", "en"):
        fail(f"--lang: expected zh or en, got {lang!r}")
    day = parse_on(today, "--today") or today_in_shanghai()
    found = overdue(default_policy(), default_calendar(), day, policy_dir())
    if as_json:
        items = [{"subject": o.subject, "period": o.period, "state": o.state, "file": str(o.file)} for o in found]
        typer.echo(json.dumps({"today": day.isoformat(), "overdue": items}, ensure_ascii=False))
    elif found:
        for item in found:
            typer.echo(item.message[lang])
    else:
        typer.echo(CURRENT[lang])
    if found:
        raise typer.Exit(OVERDUE)
