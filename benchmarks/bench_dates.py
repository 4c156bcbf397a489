"""The vectorised engine when holders are scored on their own dates (``as_of``), not one ``--on`` date.

Usage: python benchmarks/bench_dates.py POPULATION.parquet [--holders N] [--rounds R]

Gives the first N holders (default 20,000) of a ``jifen synth`` file 1, 30 and 365 distinct as_of dates
and prints the median time to score them (``score_table``, in memory), each against the single-date case.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa

from jifen.batch.layout import read_table_chunks
from jifen.batch.vectorised.engine import score_table
from jifen.policy.loader import default_policy

FIRST = date(2025, 12, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--holders", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    policy = default_policy()
    table = next(read_table_chunks(args.population, args.holders))
    column = table.schema.get_field_index("as_of")
    baseline = None
    for distinct in (1, 30, 365):
        days = pa.array([FIRST + timedelta(days=i % distinct) for i in range(table.num_rows)], pa.date32())
        dated = table.set_column(column, "as_of", days)
        score_table(dated, None, policy)
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            score_table(dated, None, policy)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        baseline = baseline or median
        ratio = median / baseline
        print(f"{table.num_rows:,} holders on {distinct:3d} dates: {median:6.3f} s ({ratio:4.1f}x one date)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
