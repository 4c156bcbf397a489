"""Who gains and who loses under a proposed policy change: every holder scored twice, streamed.

The report counts gainers, losers, those crossing the standard (120) either way, and the distribution
of changes; each affected holder (id, before, after, change) goes to a sink: a CSV for files, a list for
the service. :func:`compare` is the core and takes holders from anywhere as ``(id, facts)`` pairs;
:func:`impact` feeds it a Parquet or JSON lines file.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa

from jifen.batch.layout import read_holders, read_table_chunks
from jifen.batch.vectorised.engine import score_table
from jifen.dates import today_in_shanghai
from jifen.facts.parse import FactsError, parse_facts
from jifen.policy.model import Policy
from jifen.rules.engine import score

CSV_HEADER = ("id", "before", "after", "change")


@dataclass
class ImpactReport:
    holders: int = 0
    refused: int = 0
    failed: int = 0  # facts the parser accepted but the rules could not score (see ``on_failure``)
    gainers: int = 0
    losers: int = 0
    crossing_up: int = 0  # below the standard now, at or above it (the proposal's) under the proposal
    crossing_down: int = 0
    changes: Counter[int] = field(default_factory=Counter)  # change in points -> holders
    standard: int | None = None  # the standard under the current policy, once a holder was scored

    def distribution(self) -> list[tuple[int, int]]:
        """(change in points, holders) pairs, from the largest loss to the largest gain."""
        return sorted(self.changes.items())


@dataclass(frozen=True)
class Affected:
    """A holder whose total differs under the proposal."""

    holder_id: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before

    def row(self) -> tuple[str, int, int, int]:
        return (self.holder_id, self.before, self.after, self.change)


def compare(
    holders: Iterable[tuple[str, object]],
    on: date | None,
    current: Policy,
    proposed: Policy,
    *,
    sink: Callable[[Affected], object] | None = None,
    on_failure: Callable[[str, Exception], object] | None = None,
) -> ImpactReport:
    """Score each ``(holder id, jifen.facts/1 document)`` under both policies and count the changes.

    Facts that do not validate are counted as refused. ``sink`` receives every affected holder, in the
    order given. With ``on_failure``, a holder the rules fail on under the current policy is counted as
    failed and passed to it with the exception, and the others are scored; without it the error is raised,
    as is any error under the proposed policy alone (the proposal's, not the holder's).
    """
    report = ImpactReport()
    for holder_id, data in holders:
        report.holders += 1
        try:
            facts = parse_facts(data)
            before = score(facts, on=on, policy=current, explain=False)
        except FactsError:
            report.refused += 1
            continue
        except Exception as exc:
            if on_failure is None:
                raise
            report.failed += 1
            on_failure(holder_id, exc)
            continue
        try:
            after = score(facts, on=on, policy=proposed, explain=False)
        except FactsError:
            report.refused += 1
            continue
        report.standard = before.standard
        change = after.total - before.total
        report.changes[change] += 1
        report.crossing_up += not before.meets_standard and after.meets_standard
        report.crossing_down += before.meets_standard and not after.meets_standard
        if change == 0:
            continue
        report.gainers += change > 0
        report.losers += change < 0
        if sink is not None:
            sink(Affected(holder_id, before.total, after.total))
    return report


def compare_all(
    holders: Iterable[tuple[str, object]],
    on: date | None,
    current: Policy,
    proposed: Policy,
    *,
    on_failure: Callable[[str, Exception], object] | None = None,
) -> tuple[ImpactReport, list[Affected]]:
    """:func:`compare`, keeping the affected holders in memory (for a population that fits in it)."""
    affected: list[Affected] = []
    return compare(holders, on, current, proposed, sink=affected.append, on_failure=on_failure), affected


def compare_tables(
    tables: Iterable[pa.Table],
    on: date | None,
    current: Policy,
    proposed: Policy,
    *,
    sink: Callable[[Affected], object] | None = None,
) -> ImpactReport:
    """:func:`compare` over chunks of the batch layout, scored by the vectorised engine."""
    report = ImpactReport()
    report.standard = int(str(current.resolve("scheme.standard", on or today_in_shanghai()).value))
    for table in tables:
        before, after = score_table(table, on, current), score_table(table, on, proposed)
        report.holders += table.num_rows
        scored = before.column("error").is_null().to_numpy(zero_copy_only=False)
        scored &= after.column("error").is_null().to_numpy(zero_copy_only=False)
        report.refused += int(np.count_nonzero(~scored))
        old = before.column("total").to_numpy(zero_copy_only=False)[scored].astype(np.int64)
        new = after.column("total").to_numpy(zero_copy_only=False)[scored].astype(np.int64)
        met = before.column("meets_standard").to_numpy(zero_copy_only=False)[scored].astype(bool)
        meets = after.column("meets_standard").to_numpy(zero_copy_only=False)[scored].astype(bool)
        change = new - old
        report.changes.update(dict(zip(*(v.tolist() for v in np.unique(change, return_counts=True)), strict=True)))
        report.gainers += int(np.count_nonzero(change > 0))
        report.losers += int(np.count_nonzero(change < 0))
        report.crossing_up += int(np.count_nonzero(~met & meets))
        report.crossing_down += int(np.count_nonzero(met & ~meets))
        if sink is not None:
            ids = table.column("id").to_numpy(zero_copy_only=False)[scored]
            for i in np.flatnonzero(change):
                sink(Affected(str(ids[i]), int(old[i]), int(new[i])))
    return report


def impact(
    source: Path,
    on: date | None,
    current: Policy,
    proposed: Policy,
    *,
    csv_path: Path | None = None,
    chunk: int = 100_000,
) -> ImpactReport:
    """Every holder of a Parquet file (vectorised) or JSON lines file (one by one) scored under both
    policies; the affected holders go to ``csv_path``."""
    with contextlib.ExitStack() as stack:
        sink = None
        if csv_path is not None:
            writer = csv.writer(stack.enter_context(csv_path.open("w", newline="", encoding="utf-8")))
            writer.writerow(CSV_HEADER)
            sink = lambda a: writer.writerow(a.row())  # noqa: E731
        if source.suffix == ".parquet":
            return compare_tables(read_table_chunks(source, chunk), on, current, proposed, sink=sink)
        return compare(_stream(source, chunk), on, current, proposed, sink=sink)


def _stream(source: Path, chunk: int) -> Iterator[tuple[str, object]]:
    for holders in read_holders(source, chunk):
        yield from holders


def draw_changes(report: ImpactReport, path: Path) -> None:
    """A bar chart of how many holders change by how many points (.svg or .png)."""
    _draw(report, path, None)  # the format follows the file's suffix


def changes_svg(report: ImpactReport) -> str:
    """The bar chart of :func:`draw_changes` as SVG text, for a page."""
    buffer = io.BytesIO()
    _draw(report, buffer, "svg")
    return buffer.getvalue().decode("utf-8")


def _draw(report: ImpactReport, target: Path | IO[bytes], kind: str | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    changes = report.distribution()
    standard = report.standard if report.standard is not None else "the standard"
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    ax.bar([str(c) for c, _ in changes], [n for _, n in changes], color="#1f5fa8")
    ax.set_xlabel("change in points")
    ax.set_ylabel("holders")
    ax.set_title(
        f"{report.gainers} gain, {report.losers} lose; {report.crossing_up} cross {standard} upwards, "
        f"{report.crossing_down} downwards (of {report.holders})"
    )
    fig.tight_layout()
    fig.savefig(target, format=kind)
    plt.close(fig)
