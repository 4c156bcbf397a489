"""jifen against an OpenFisca model of the same indicators, on the same population, in one process.

Usage: python benchmarks/bench_batch.py POPULATION.parquet [--on DATE] [--rounds N] [--holders K] [--scalar]

POPULATION is a file of ``jifen synth`` (e.g. ``jifen synth 100000 /tmp/p100k.parquet --on 2026-11-27``).
Prints, each the median of N rounds:

- batch: jifen's vectorised engine, Parquet in to Parquet out (every indicator, eligibility, errors),
  against ``openfisca_jifen.batch_totals`` (Parquet in to every indicator and the total in memory);
- one holder: jifen's ``score(facts, explain=False)`` from the facts document (validation included),
  against ``openfisca_jifen.one_holder`` (a one-person simulation), over the first K holders;

and checks that both give the same totals, holder by holder. ``--scalar`` also times jifen's scalar
engine on the whole file. Needs the ``[bench]`` extra (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))

from jifen.batch.layout import read_holders
from jifen.batch.scoring import score_file
from jifen.policy.loader import default_policy
from jifen.rules.engine import score


def median_seconds(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--on", type=date.fromisoformat, default=date(2026, 11, 27))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--holders", type=int, default=300, help="holders for the one-holder comparison")
    parser.add_argument("--scalar", action="store_true", help="also time jifen's scalar engine on the file")
    args = parser.parse_args()

    import openfisca_jifen  # type: ignore[import-not-found, unused-ignore]

    policy = default_policy()
    n = pq.ParquetFile(args.population).metadata.num_rows
    out = Path(tempfile.mkdtemp()) / "scores.parquet"
    print(f"{n:,} holders from {args.population}, scored on {args.on}")
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")

    score_file(args.population, out, args.on, policy)  # warm: policy caches, imports
    jifen_batch = median_seconds(lambda: score_file(args.population, out, args.on, policy), args.rounds)
    theirs: dict[str, Any] = {}

    def openfisca_batch() -> None:
        theirs.update(openfisca_jifen.batch_totals(args.population, args.on))

    openfisca_batch()  # warm: the tax-benefit system is built once
    openfisca_seconds = median_seconds(openfisca_batch, args.rounds)
    ours = pq.read_table(out).column("total").to_numpy()
    differ = int(np.count_nonzero(ours != theirs["total"]))

    print("\nbatch (whole file)")
    print(f"  jifen vectorised, Parquet to Parquet  {jifen_batch:8.3f} s  {jifen_batch / n * 1e6:8.2f} µs/holder")
    per_holder = openfisca_seconds / n * 1e6
    print(f"  OpenFisca model, Parquet to arrays    {openfisca_seconds:8.3f} s  {per_holder:8.2f} µs/holder")
    print(f"  ratio                                 {openfisca_seconds / jifen_batch:8.1f}x")
    print(f"  totals that differ                    {differ:8d}")
    if args.scalar:
        scalar = median_seconds(lambda: score_file(args.population, out, args.on, policy, engine="scalar"), 1)
        print(f"  jifen scalar, Parquet to Parquet      {scalar:8.3f} s  {scalar / n * 1e6:8.2f} µs/holder")

    sample = next(read_holders(args.population, args.holders))
    facts = [f for _, f in sample]

    def ours_one() -> None:
        for f in facts:
            score(f, on=args.on, policy=policy, explain=False)

    def theirs_one() -> None:
        for f in facts:
            openfisca_jifen.one_holder(f, args.on)

    ours_one()
    theirs_one()
    one_ours = median_seconds(ours_one, args.rounds) / len(facts)
    one_theirs = median_seconds(theirs_one, args.rounds) / len(facts)
    mismatched = sum(
        score(f, on=args.on, policy=policy, explain=False).total != openfisca_jifen.one_holder(f, args.on)
        for f in facts
    )
    print(f"\none holder (median per holder over {len(facts)} holders)")
    print(f"  jifen score(), facts document         {one_ours * 1e3:8.3f} ms")
    print(f"  OpenFisca one-person simulation       {one_theirs * 1e3:8.3f} ms")
    print(f"  ratio                                 {one_theirs / one_ours:8.1f}x")
    print(f"  totals that differ                    {mismatched:8d}")
    return 1 if differ or mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
