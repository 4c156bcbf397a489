"""Speed under load (issue 16, item 7): a real ``jifen serve --workers 2`` measured with wrk and load.py.

Usage: python benchmarks/bench_load.py [--seconds 10] [--rate 200] [--rounds 2] [--postgres]
       [--pythonpath DIR] [--json FILE]
       python benchmarks/bench_load.py --in-process   (where a /score goes, without HTTP)
       python benchmarks/bench_load.py --pairs-only [--rounds 3]   (only the /healthz-/score pairs)
       python benchmarks/bench_load.py --ceiling answer-ready|empty-answer|no-operation [--rounds 3]

Starts the service as tests/reliability/server.py's ``Service`` does (the product's settings, its own data
directory, the clock pinned), on SQLite, or with ``--postgres`` on a throwaway database of the server
DATABASE_URL names; seeds the demo; then measures

- ``GET /healthz``, ``POST /api/v1/score`` and ``POST /api/v1/advise`` (the contract's example holder,
  src/jifen/examples/contract.json), the empty calculator and advisor pages in Chinese and in English
  (the language cookie);
- with wrk at its maximum (``wrk -t2 -c8 -d10s --latency``, benchmarks/wrk_post.lua for the POST bodies):
  /healthz and /score alternately, back to back, ``--rounds`` times (their ratio is the one to read:
  both met the same machine in the same seconds), then the others once;
- with benchmarks/load.py at a fixed ``--rate`` over 8 connections (open loop, latency from the moment each
  request was due).

Each wrk run also gives the server's CPU time a request (its processes' user and system time from /proc over
the run, divided by the requests answered): what a request costs the server, whoever else used the cores.
``--ceiling VARIANT`` measures only the /healthz-/score pairs with part of /score taken away
(benchmarks/ceiling/sitecustomize.py): how near /score could come to /healthz without its engine, its answer
or django-ninja's work.

One address sends everything, so the service runs with its API rates raised through the environment
(JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE, JIFEN_USER_REQUESTS_PER_MINUTE): the throttles still count every call
in the shared cache, they just never refuse one. ``--pythonpath`` runs the server from another checkout's
``src`` (e.g. a git worktree of an earlier commit) with this one's virtual environment; the server's
``jifen`` module path is printed so that a run shows which code it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.reliability.server, when run as python benchmarks/bench_load.py
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.reliability.server import Service, postgres_url, throwaway_postgres  # noqa: E402

from load import run as load_run  # noqa: E402

BODY = ROOT / "src" / "jifen" / "examples" / "contract.json"
CEILING = ROOT / "benchmarks" / "ceiling"
VARIANTS = ("answer-ready", "empty-answer", "no-operation")  # benchmarks/ceiling/sitecustomize.py's
LUA = ROOT / "benchmarks" / "wrk_post.lua"
RAISED = "100000000"  # calls a minute: never reached, so every call is counted and none refused
THREADS, CONNECTIONS = 2, 8


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> bytes | None:
        return BODY.read_bytes() if self.method == "POST" else None


ENGLISH = {"Cookie": "django_language=en"}
HEALTHZ = Endpoint("GET /healthz", "GET", "/healthz")
SCORE = Endpoint("POST /api/v1/score", "POST", "/api/v1/score")
OTHERS = [
    Endpoint("POST /api/v1/advise", "POST", "/api/v1/advise"),
    Endpoint("GET /calculator (zh)", "GET", "/calculator"),
    Endpoint("GET /calculator (en)", "GET", "/calculator", ENGLISH),
    Endpoint("GET /advisor (zh)", "GET", "/advisor"),
    Endpoint("GET /advisor (en)", "GET", "/advisor", ENGLISH),
]


def wrk_command(svc: Service, endpoint: Endpoint, seconds: int) -> list[str]:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in endpoint.headers.items():
        command += ["-H", f"{name}: {value}"]
    if endpoint.method == "POST":
        command += ["-s", str(LUA.relative_to(ROOT))]
    return [*command, svc.url(endpoint.path)]


def shown(command: list[str], endpoint: Endpoint) -> str:
    prefix = f"JIFEN_WRK_BODY={BODY.relative_to(ROOT)} " if endpoint.method == "POST" else ""
    return prefix + " ".join(f"'{part}'" if " " in part else part for part in command)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return round(float(number) * _UNITS[unit], 2)


_TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(svc: Service) -> float:
    """The CPU time (user and system) used so far by the server's processes (gunicorn's master and workers,
    one process group), from /proc: divided by the requests of a run, what a request costs the server
    however busy the rest of the machine is (wrk's own share of the cores is not in it)."""
    assert svc.process is not None
    group, ticks = svc.process.pid, 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state, ppid, pgrp, ...
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / _TICKS


def wrk(svc: Service, endpoint: Endpoint, seconds: int) -> dict[str, Any]:
    command = wrk_command(svc, endpoint, seconds)
    env = {**os.environ, "JIFEN_WRK_BODY": str(BODY)}
    cpu_before = server_cpu_seconds(svc)
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout  # noqa: S603
    cpu = server_cpu_seconds(svc) - cpu_before
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "endpoint": endpoint.name,
        "command": shown(command, endpoint),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "server_cpu_ms": round(cpu / requests * 1000, 3),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def fixed_rate(svc: Service, endpoint: Endpoint, rate: float, seconds: int) -> dict[str, Any]:
    measured = load_run(
        svc.url(endpoint.path),
        rate=rate,
        seconds=seconds,
        connections=CONNECTIONS,
        method=endpoint.method,
        body=endpoint.body,
        headers={**endpoint.headers, **({"Content-Type": "application/json"} if endpoint.body else {})},
    )
    command = f"python benchmarks/load.py {svc.url(endpoint.path)} --rate {rate:g} --seconds {seconds}"
    command += f" --connections {CONNECTIONS}"
    if endpoint.method == "POST":
        command += f" --method POST --body {BODY.relative_to(ROOT)}"
    for name, value in endpoint.headers.items():
        command += f" --header '{name}: {value}'"
    return {"endpoint": endpoint.name, "command": command, **measured.summary()}


@contextmanager
def server(*, postgres: bool, pythonpath: str | None, ceiling: str | None = None) -> Iterator[Service]:
    extra = {"JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE": RAISED, "JIFEN_USER_REQUESTS_PER_MINUTE": RAISED}
    paths = [pythonpath] if pythonpath else []
    if ceiling:  # benchmarks/ceiling/sitecustomize.py takes parts of /score away
        paths.append(str(CEILING))
        extra["JIFEN_BENCH_CEILING"] = ceiling
    if paths:
        extra["PYTHONPATH"] = os.pathsep.join(paths)
    with tempfile.TemporaryDirectory(prefix="jifen-load-") as tmp:
        data_dir = Path(tmp)
        if not postgres:
            svc = Service(data_dir, None, env_extra=extra)
            yield from _served(svc, everything=ceiling is None)
            return
        url = postgres_url()
        if url is None:
            raise SystemExit('--postgres: set DATABASE_URL=postgres://… (e.g. eval "$(bash scripts/postgres)")')
        with throwaway_postgres(url) as database:
            svc = Service(data_dir, database, env_extra=extra)
            yield from _served(svc, everything=ceiling is None)


def _served(svc: Service, *, everything: bool = True) -> Iterator[Service]:
    svc.demo()
    where = svc.run(code="import jifen; print(jifen.__file__)").strip()
    print(f"server code: {where}", flush=True)
    svc.start(workers=2)
    try:
        for endpoint in [HEALTHZ, SCORE, *(OTHERS if everything else [])]:  # warm both workers; all 200s
            result = load_run(
                svc.url(endpoint.path),
                rate=10,
                seconds=2,
                connections=4,
                method=endpoint.method,
                body=endpoint.body,
                headers={**endpoint.headers, **({"Content-Type": "application/json"} if endpoint.body else {})},
            ).summary()
            assert set(result["statuses"]) == {"200"}, (endpoint.name, result, svc.log())
        yield svc
    finally:
        svc.stop()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with server(postgres=args.postgres, pythonpath=args.pythonpath, ceiling=args.ceiling) as svc:
        pairs = []
        for _ in range(args.rounds):
            pair = [wrk(svc, HEALTHZ, args.seconds), wrk(svc, SCORE, args.seconds)]
            pair.append({"ratio": round(pair[1]["rps"] / pair[0]["rps"], 3)})
            print(json.dumps(pair), flush=True)
            pairs.append(pair)
        if args.ceiling or args.pairs_only:
            return {"database": "PostgreSQL" if args.postgres else "SQLite", "ceiling": args.ceiling, "pairs": pairs}
        maximum = [wrk(svc, endpoint, args.seconds) for endpoint in OTHERS]
        for line in maximum:
            print(json.dumps(line), flush=True)
        rated = []
        for endpoint in [HEALTHZ, SCORE, *OTHERS]:
            rated.append(fixed_rate(svc, endpoint, args.rate, args.seconds))
            print(json.dumps(rated[-1]), flush=True)
    return {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "pairs": pairs,
        "maximum": maximum,
        "rated": rated,
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }


def table(results: dict[str, Any]) -> str:
    """The markdown table of BENCHMARKS.md: wrk's best requests a second per endpoint, and the fixed rate."""
    best: dict[str, dict[str, Any]] = {}
    for pair in results["pairs"]:
        for line in pair[:2]:
            best.setdefault(line["endpoint"], line)
            if line["rps"] > best[line["endpoint"]]["rps"]:
                best[line["endpoint"]] = line
    for line in results["maximum"]:
        best[line["endpoint"]] = line
    rated = {line["endpoint"]: line for line in results["rated"]}
    rows = [
        "| endpoint | wrk requests/s (max) | wrk p50 / p99 ms | achieved at the fixed rate | p50 ms | p99 ms "
        "| statuses |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, line in best.items():
        fixed = rated[name]
        rows.append(
            f"| {name} | {line['rps']:.0f} | {line['p50_ms']} / {line['p99_ms']} | {fixed['achieved_rate']} "
            f"| {fixed['p50_ms']} | {fixed['p99_ms']} | {fixed['statuses']} |"
        )
    rows.append("")
    rows.append(ratios(results))
    return "\n".join(rows)


def ratios(results: dict[str, Any]) -> str:
    """Each pair's requests a second and the server's CPU a request, /healthz then /score, and their ratio."""
    pairs = "; ".join(
        f"{health['rps']:.0f} ({health['server_cpu_ms']} ms) / {score['rps']:.0f} ({score['server_cpu_ms']} ms)"
        f" = {ratio['ratio']}"
        for health, score, ratio in results["pairs"]
    )
    return f"/healthz then /score, wrk requests/s (server CPU a request) = /score ÷ /healthz: {pairs}"


def in_process(rounds: int = 5, number: int = 400) -> None:
    """Where a /score goes without HTTP: Django's test client against the product's settings on a new SQLite
    database in this process, the limits raised; the median of ``rounds`` of ``number`` calls each."""
    import statistics

    os.environ.update(
        JIFEN_DATA_DIR=tempfile.mkdtemp(prefix="jifen-inprocess-"),
        JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE=RAISED,
        JIFEN_NOW="2026-11-27T10:00:00+08:00",
        DJANGO_SETTINGS_MODULE="jifen.service.settings",
    )
    from jifen.service.runtime import migrate

    migrate()  # sets Django up first
    from django.test import Client

    from jifen.service.api import public, throttles

    client, body = Client(), BODY.read_bytes()

    def score() -> None:
        assert client.post("/api/v1/score", data=body, content_type="application/json").status_code == 200

    def healthz() -> None:
        assert client.get("/healthz").status_code == 200

    def timed(label: str, call: Any) -> None:
        for _ in range(30):
            call()
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(number):
                call()
            times.append((time.perf_counter() - start) / number * 1000)
        print(f"{label}: {statistics.median(times):.3f} ms")

    timed("GET /healthz", healthz)
    timed("POST /api/v1/score", score)
    timed("count_call alone", lambda: throttles.count_call("bench:calls", throttles.MINUTE))

    class Empty:
        def to_dict(self) -> dict[str, Any]:
            return {}

    public.score = lambda facts, on=None: Empty()  # type: ignore[attr-defined,assignment,misc]
    timed("POST /api/v1/score answering {} at once (routing, middleware, ninja, body, throttle)", score)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="each wrk and load.py run (default 10)")
    parser.add_argument("--rate", type=float, default=200.0, help="load.py's fixed rate (default 200/s)")
    parser.add_argument("--rounds", type=int, default=2, help="/healthz-/score pairs (default 2)")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway database of DATABASE_URL")
    parser.add_argument("--pythonpath", help="run the server from this src directory (another checkout)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--in-process", action="store_true", help="only time /healthz and /score in process")
    parser.add_argument("--pairs-only", action="store_true", help="only the /healthz-/score pairs")
    parser.add_argument(
        "--ceiling",
        choices=VARIANTS,
        help="only the /healthz-/score pairs, with part of /score taken away (benchmarks/ceiling/sitecustomize.py)",
    )
    args = parser.parse_args()
    if args.in_process:
        in_process()
        return
    results = measure(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print()
    print(ratios(results) if args.ceiling or args.pairs_only else table(results))


if __name__ == "__main__":
    main()
