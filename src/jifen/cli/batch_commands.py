"""``jifen batch`` and ``jifen synth``: many holders, Parquet or JSON lines (layout in docs/batch.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from jifen.cli.inputs import fail, parse_on, policy_with


def batch_command(
    source: Annotated[Path, typer.Argument(help="holders: .parquet or JSON lines")],
    target: Annotated[Path, typer.Argument(help="scores: a .parquet file")],
    on: Annotated[str | None, typer.Option(help="score every holder on this date (YYYY-MM-DD)")] = None,
    chunk: Annotated[
        int | None, typer.Option(help="holders held in memory at once [default: 100000 vectorised, 20000 scalar]")
    ] = None,
    engine: Annotated[str, typer.Option(help="vectorised (numpy) or scalar (one holder at a time)")] = "vectorised",
    reading: Annotated[list[str] | None, typer.Option(help="switch a disputed reading: ID=CHOICE")] = None,
) -> None:
    """Score many holders, streaming in chunks; one output row per holder."""
    from jifen.batch.layout import LayoutError
    from jifen.batch.scoring import ENGINES, score_file

    if not source.exists():
        fail(f"{source}: No such file or directory")
    if target.suffix != ".parquet":
        fail(f"OUTPUT: expected a .parquet file, got {target.name!r}")
    if engine not in ENGINES:
        fail(f"--engine: expected one of {', '.join(ENGINES)}; got {engine!r}")
    if chunk is not None and chunk < 1:
        fail(f"--chunk: expected at least 1, got {chunk}")
    day = parse_on(on)
    policy = policy_with(reading or [])
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("scoring", total=None)
        try:
            report = score_file(
                source, target, day, policy, engine=engine, chunk=chunk, progress=lambda n: bar.advance(task, n)
            )
        except LayoutError as exc:
            target.unlink(missing_ok=True)
            fail(str(exc))
    typer.echo(f"{report.holders} holders scored into {target} ({report.refused} refused: see the error column)")


def synth_command(
    n: Annotated[int, typer.Argument(help="how many holders")],
    target: Annotated[Path, typer.Argument(help=".parquet or JSON lines")],
    on: Annotated[str | None, typer.Option(help="the date the population is built for")] = None,
    seed: Annotated[int, typer.Option(help="random seed (the same seed gives the same population)")] = 2026,
    years: Annotated[int, typer.Option(help="years of contribution history")] = 10,
) -> None:
    """A synthetic population of N holders in the batch input layout."""
    from jifen.batch.layout import write_holders
    from jifen.batch.synth import population
    from jifen.dates import today_in_shanghai

    if n < 1:
        fail(f"N: expected at least 1, got {n}")
    day = parse_on(on) or today_in_shanghai()
    count = write_holders(target, population(n, day, seed=seed, years=years))
    typer.echo(f"{count} holders written to {target}")


def impact_command(
    source: Annotated[Path, typer.Argument(help="holders: .parquet or JSON lines")],
    overlay: Annotated[Path, typer.Option(help="folder with parameters/<group>/<name>.yaml of the proposal")],
    on: Annotated[str | None, typer.Option(help="score on this date (YYYY-MM-DD)")] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="write the affected holders here")] = None,
    chart: Annotated[Path | None, typer.Option(help="draw the distribution of changes (.svg or .png)")] = None,
) -> None:
    """Who gains and who loses under a proposed change of the policy data."""
    from jifen.batch.impact import draw_changes, impact
    from jifen.batch.layout import LayoutError
    from jifen.policy.loader import default_policy, load_policy_from, policy_dir
    from jifen.policy.model import PolicyError

    if not source.exists():
        fail(f"{source}: No such file or directory")
    if chart is not None and chart.suffix not in (".svg", ".png"):
        fail(f"--chart: the file must end in .svg or .png, got {chart.name!r}")
    try:
        proposed = load_policy_from(policy_dir(), overlay=overlay)
    except PolicyError as exc:
        fail(f"--overlay: {exc}")
    try:
        report = impact(source, parse_on(on), default_policy(), proposed, csv_path=csv_path)
    except LayoutError as exc:
        if csv_path is not None:
            csv_path.unlink(missing_ok=True)
        fail(str(exc))
    if chart is not None:
        draw_changes(report, chart, language="en")  # as the summary printed below
    typer.echo(
        f"{report.holders} holders: {report.gainers} gain, {report.losers} lose, "
        f"{report.crossing_up} cross 120 upwards, {report.crossing_down} downwards, "
        f"{report.refused} refused"
    )
