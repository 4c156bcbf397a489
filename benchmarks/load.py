"""An open-loop load generator: requests at a fixed rate, latency counted from when each was due.

Usage: python benchmarks/load.py URL [--rate 200] [--seconds 10] [--connections 8] [--method POST]
       [--body FILE] [--header "Name: value"]... [--json]

Request i is due at start + i / rate, whatever happened to the ones before (open loop: a slow answer does
not slow the sending down, as wrk's closed loop does). ``--connections`` threads each take the next due
request, sleep until it is due, send it, and read the answer; when every connection is busy a due request
waits for one, and that wait is part of its latency (measured from the moment it was due, not from the
moment it was sent, so queueing shows in p99 instead of hiding as "coordinated omission"). A connection is
reused while the server keeps it alive (gunicorn's sync workers close it after each answer).

Prints the requests a second achieved (answers / time from the first due moment to the last answer),
p50 / p99 / max latency in milliseconds (of the requests sent) and the count of each status (``error`` for
a failed connection; ``unsent`` for requests still waiting for a connection twice the run's length after
it started, when the server cannot keep up: they are dropped so that a run ends).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TIMEOUT = 30.0  # seconds for one request before it counts as an error
LATE = 2.0  # a request still unsent this many run lengths after the start is not sent: counted "unsent"


@dataclass
class Run:
    """What a run measured: one (latency in seconds, status) per request, and when it started and ended."""

    rate: float
    seconds: float
    started: float = 0.0
    ended: float = 0.0
    results: list[tuple[float, str]] = field(default_factory=list)
    unsent: int = 0

    def summary(self) -> dict[str, Any]:
        latencies = sorted(latency for latency, _ in self.results)
        elapsed = max(self.ended - self.started, 1e-9)
        return {
            "target_rate": self.rate,
            "requests": len(self.results),
            "achieved_rate": round(len(self.results) / elapsed, 1),
            "p50_ms": round(_percentile(latencies, 50) * 1000, 2),
            "p99_ms": round(_percentile(latencies, 99) * 1000, 2),
            "max_ms": round((latencies[-1] if latencies else 0.0) * 1000, 2),
            "statuses": dict(sorted(Counter(status for _, status in self.results).items()))
            | ({"unsent": self.unsent} if self.unsent else {}),
        }


def _percentile(ordered: list[float], percent: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def run(
    url: str,
    *,
    rate: float,
    seconds: float,
    connections: int,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Run:
    """Send ``rate * seconds`` requests at ``rate`` a second over ``connections`` connections."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "") or "/"
    sent_headers = {"Connection": "keep-alive", **(headers or {})}
    if body is not None:
        sent_headers.setdefault("Content-Length", str(len(body)))
    total = int(rate * seconds)
    measured = Run(rate=rate, seconds=seconds)
    lock = threading.Lock()
    next_index = [0]
    measured.started = time.perf_counter() + 0.05  # every thread is waiting by then

    def due() -> float | None:
        with lock:
            index = next_index[0]
            if index >= total:
                return None
            next_index[0] += 1
        return measured.started + index / rate

    def connection_loop() -> None:
        conn: http.client.HTTPConnection | None = None
        while (when := due()) is not None:
            if time.perf_counter() > measured.started + LATE * seconds:  # the server fell far behind
                with lock:
                    measured.unsent += 1
                continue
            pause = when - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            status = "error"
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
                conn.request(method, target, body=body, headers=sent_headers)
                response = conn.getresponse()
                response.read()
                status = str(response.status)
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
            finished = time.perf_counter()
            with lock:
                measured.results.append((finished - when, status))
                measured.ended = max(measured.ended, finished)
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=connection_loop, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, default=200.0, help="requests a second (default 200)")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to send (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="connections, one thread each (default 8)")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", type=Path, help="a file sent as the body (Content-Type: application/json)")
    parser.add_argument("--header", action="append", default=[], help='"Name: value", repeatable')
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    args = parser.parse_args()
    headers = dict(tuple(part.strip() for part in h.split(":", 1)) for h in args.header)
    body = args.body.read_bytes() if args.body else None
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    measured = run(
        args.url,
        rate=args.rate,
        seconds=args.seconds,
        connections=args.connections,
        method=args.method,
        body=body,
        headers=headers,
    )
    summary = measured.summary()
    if args.json:
        print(json.dumps(summary))
        return
    print(
        f"{args.method} {args.url}: {summary['requests']} requests at {args.rate:g}/s over {args.connections} "
        f"connections: achieved {summary['achieved_rate']}/s, p50 {summary['p50_ms']} ms, "
        f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms; statuses {summary['statuses']}"
    )


if __name__ == "__main__":
    main()
