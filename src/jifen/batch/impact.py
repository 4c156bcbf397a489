"""Who gains and who loses under a proposed policy change: every holder scored twice, streamed.

The report counts gainers, losers, those crossing the standard (120) either way, and the distribution
of changes; each affected holder (id, before, after, change) goes to a sink: a CSV for files, a list for
the service. :func:`compare` is the core and takes holders from anywhere as ``(id, facts)`` pairs;
:func:`impact` feeds it a Parquet or JSON lines file.
"""

from __future__ import annotations

import contextlib
import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from jifen.batch.layout import read_holders, read_table_chunks
from jifen.batch.vectorised.engine import score_table
from jifen.charting import SIZE, check_format, check_language, drawing, save, svg_text
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


# the chart's words, zh and en
CHART_WORDS: dict[str, dict[str, str]] = {
    "title": {"zh": "积分变化分布（已计分 {holders} 人）", "en": "Changes in points of {holders} scored holders"},
    "change": {"zh": "积分变化", "en": "change in points"},
    "holders": {"zh": "人数", "en": "holders"},
}
_LABELLED = 12  # bars up to which each is labelled with its count and every change is named


def draw_changes(report: ImpactReport, path: Path, *, language: str) -> None:
    """A bar chart of how many holders change by how many points (.svg or .png), in ``language`` (zh, en)."""
    kind = check_format(path)
    check_language(language)
    with drawing() as plt:
        fig, title = _draw(plt, report, language)
        save(plt, fig, path, kind, title)


def changes_svg(report: ImpactReport, *, language: str) -> str:
    """The bar chart of :func:`draw_changes` as an ``<svg>`` element for a page."""
    check_language(language)
    with drawing() as plt:
        fig, title = _draw(plt, report, language)
        return svg_text(plt, fig, title)


def _draw(plt: Any, report: ImpactReport, language: str) -> tuple[Any, str]:
    from matplotlib.ticker import FixedLocator, MaxNLocator

    changes = report.distribution()
    title = CHART_WORDS["title"][language].format(holders=sum(n for _, n in changes))
    fig, ax = plt.subplots(figsize=SIZE)
    colors = ["#1e7b34" if c > 0 else "#b3261e" if c < 0 else "#6b7280" for c, _ in changes]
    bars = ax.bar(range(len(changes)), [n for _, n in changes], color=colors, width=0.7)
    every = max(1, -(-len(changes) // 8))  # at most 8 changes named under the bars
    ax.xaxis.set_major_locator(FixedLocator(range(0, len(changes), every)))
    ax.set_xticklabels([f"{c:+d}" if c else "0" for c, _ in changes][::every])
    if len(changes) <= _LABELLED:
        ax.bar_label(bars, fontsize=12)
        ax.margins(y=0.15)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_xlabel(CHART_WORDS["change"][language])
    ax.set_ylabel(CHART_WORDS["holders"][language])
    ax.set_title(title, loc="left")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout(pad=0.4)
    return fig, title
