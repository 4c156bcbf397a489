"""Who gains and who loses under a proposed policy change: every holder scored twice, streamed.

The report counts gainers, losers, those crossing the standard (120) either way, and the distribution
of changes; the affected holders go to a CSV (id, before, after, change).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jifen.batch.layout import read_holders
from jifen.facts.parse import FactsError, parse_facts
from jifen.policy.model import Policy
from jifen.rules.engine import score


@dataclass
class ImpactReport:
    holders: int = 0
    refused: int = 0
    gainers: int = 0
    losers: int = 0
    crossing_up: int = 0  # below the standard now, at or above it under the proposal
    crossing_down: int = 0
    changes: Counter[int] = field(default_factory=Counter)  # change in points -> holders


def impact(
    source: Path,
    on: date | None,
    current: Policy,
    proposed: Policy,
    *,
    csv_path: Path | None = None,
    chunk: int = 20_000,
) -> ImpactReport:
    report = ImpactReport()
    handle = csv_path.open("w", newline="", encoding="utf-8") if csv_path is not None else None
    writer = csv.writer(handle) if handle is not None else None
    if writer is not None:
        writer.writerow(["id", "before", "after", "change"])
    try:
        for holders in read_holders(source, chunk):
            for holder_id, data in holders:
                report.holders += 1
                try:
                    facts = parse_facts(data)
                    before = score(facts, on=on, policy=current, explain=False)
                    after = score(facts, on=on, policy=proposed, explain=False)
                except FactsError:
                    report.refused += 1
                    continue
                change = after.total - before.total
                report.changes[change] += 1
                if change == 0:
                    continue
                report.gainers += change > 0
                report.losers += change < 0
                report.crossing_up += before.total < before.standard <= after.total
                report.crossing_down += after.total < after.standard <= before.total
                if writer is not None:
                    writer.writerow([holder_id, before.total, after.total, change])
    finally:
        if handle is not None:
            handle.close()
    return report


def draw_changes(report: ImpactReport, path: Path) -> None:
    """A bar chart of how many holders change by how many points (.svg or .png)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    changes = sorted(report.changes.items())
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    ax.bar([str(c) for c, _ in changes], [n for _, n in changes], color="#1f5fa8")
    ax.set_xlabel("change in points")
    ax.set_ylabel("holders")
    ax.set_title(
        f"{report.gainers} gain, {report.losers} lose; {report.crossing_up} cross 120 upwards, "
        f"{report.crossing_down} downwards (of {report.holders})"
    )
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
