"""``jifen workdays add|between|check``: Chinese working days with 调休, as contract section 4."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from jifen.cli.inputs import fail, parse_on
from jifen.dates import today_in_shanghai
from jifen.workdays import default_calendar
from jifen.workdays.coverage import check_coverage

app = typer.Typer(help="Chinese working days (工作日) with make-up days (调休).", no_args_is_help=True)

MISSING_DATA = 1


def _date(value: str, name: str) -> date:
    day = parse_on(value, name)
    assert day is not None  # noqa: S101 - parse_on returns a date for any given text, or exits
    return day


def _note(provisional: bool) -> str:
    return "  (provisional: a year with no official holiday arrangement; an estimate)" if provisional else ""


@app.command("add")
def add_command(
    start: Annotated[str, typer.Argument(help="the day counting starts after (never counted itself)")],
    n: Annotated[int, typer.Argument(help="how many working days")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The N-th working day after START."""
    begin = _date(start, "START")
    if n < 1:
        fail(f"N: expected a whole number of at least 1, got {n}")
    day = default_calendar().add(begin, n)
    if as_json:
        typer.echo(json.dumps({"date": day.date.isoformat(), "provisional": day.provisional}))
    else:
        typer.echo(f"{day.date.isoformat()}{_note(day.provisional)}")


@app.command("between")
def between_command(
    start: Annotated[str, typer.Argument(help="not counted")],
    end: Annotated[str, typer.Argument(help="counted")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Working days in (START, END]; END before START is refused."""
    begin, until = _date(start, "START"), _date(end, "END")
    if until < begin:
        fail(f"END {until.isoformat()} is before START {begin.isoformat()}")
    count = default_calendar().between(begin, until)
    if as_json:
        typer.echo(json.dumps({"working_days": count.working_days, "provisional": count.provisional}))
    else:
        typer.echo(f"{count.working_days}{_note(count.provisional)}")


@app.command("check")
def check_command(
    today: Annotated[str | None, typer.Option(help="check as of this date (default: today in Shanghai)")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Warn (exit 1) when this year, or from 1 November next year, has no official holiday data."""
    if lang not in ("zh", "en"):
        fail(f"--lang: expected zh or en, got {lang!r}")
    coverage = check_coverage(default_calendar(), _date(today, "--today") if today else today_in_shanghai())
    if as_json:
        typer.echo(json.dumps({"official_years": coverage.official_years, "missing_years": coverage.missing_years}))
    else:
        typer.echo(coverage.message[lang], err=bool(coverage.missing_years))
    if coverage.missing_years:
        raise typer.Exit(MISSING_DATA)
