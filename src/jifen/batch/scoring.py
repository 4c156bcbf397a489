"""Score many holders in chunks: memory stays bounded by the chunk, whatever the population's size.

Two engines give the same rows (tests/test_vectorised.py holds them to it): ``vectorised`` scores a
whole Parquet chunk at once with numpy (:mod:`jifen.batch.vectorised`); ``scalar`` scores holder by
holder with :func:`jifen.rules.engine.score`. JSON lines are always scored by the scalar engine.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from jifen.batch.layout import read_holders, read_table_chunks
from jifen.batch.output import OUTPUT_SCHEMA, score_row
from jifen.batch.vectorised.engine import score_table
from jifen.policy.model import Policy

ENGINES = ("vectorised", "scalar")
DEFAULT_CHUNK = {"vectorised": 100_000, "scalar": 20_000}
SMALLEST_CHUNK = 10_000  # below this, a chunk's fixed cost outweighs a second thread


@dataclass
class BatchReport:
    holders: int = 0
    refused: int = 0


def scored_chunks(
    source: Path, on: date | None, policy: Policy, *, engine: str = "vectorised", chunk: int | None = None
) -> Iterator[pa.Table]:
    """The output rows of ``source``, a chunk at a time, in :data:`OUTPUT_SCHEMA`."""
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}; got {engine!r}")
    size = chunk or DEFAULT_CHUNK[engine]
    if engine == "vectorised" and source.suffix == ".parquet":
        if chunk is None:  # a small file is cut in as many chunks as there are threads, to use them all
            rows = pq.ParquetFile(source).metadata.num_rows
            size = min(size, max(SMALLEST_CHUNK, -(-rows // _workers())))
        yield from _in_threads(read_table_chunks(source, size), on, policy)
        return
    for holders in read_holders(source, size):
        rows = [score_row(holder_id, facts, on, policy) for holder_id, facts in holders]
        yield pa.Table.from_pylist(rows, schema=OUTPUT_SCHEMA)


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _in_threads(tables: Iterator[pa.Table], on: date | None, policy: Policy) -> Iterator[pa.Table]:
    """Score chunks on as many threads as there are cores (numpy and Arrow release the GIL in their loops),
    in order, holding at most one chunk per thread besides the one being written."""
    workers = _workers()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[pa.Table]] = deque()
        for table in tables:
            pending.append(pool.submit(score_table, table, on, policy))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def score_file(
    source: Path,
    target: Path,
    on: date | None,
    policy: Policy,
    *,
    engine: str = "vectorised",
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    report = BatchReport()
    writer = pq.ParquetWriter(target, OUTPUT_SCHEMA)
    try:
        for table in scored_chunks(source, on, policy, engine=engine, chunk=chunk):
            writer.write_table(table)
            report.holders += table.num_rows
            report.refused += table.num_rows - pc.sum(pc.is_null(table.column("error"))).as_py()
            if progress is not None:
                progress(table.num_rows)
    finally:
        writer.close()
    return report
