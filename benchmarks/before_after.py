"""Run one benchmark against two source trees, alternately, in one session (a change's before and after).

Usage: python benchmarks/before_after.py BEFORE_SRC [--runs N] -- BENCHMARK.py [ARGS...]

BEFORE_SRC is the ``src`` folder of a checkout of the commit before the change (``git worktree add
/tmp/before <commit>``); the after is this checkout's ``src``. Each run starts a fresh interpreter for the
before, then one for the after (so a noisy machine slows both alike), with ``PYTHONPATH`` naming the tree;
the benchmark script itself is this checkout's in both. Prints every run's output, labelled.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

AFTER_SRC = Path(__file__).resolve().parents[1] / "src"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before", type=Path, help="the src folder of the checkout before the change")
    parser.add_argument("--runs", type=int, default=3)
    argv = sys.argv[1:]
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        parser.error("give the benchmark after --")
    cut = argv.index("--")
    args = parser.parse_args(argv[:cut])
    command = argv[cut + 1 :]
    for run in range(1, args.runs + 1):
        for label, src in (("before", args.before.resolve()), ("after", AFTER_SRC)):
            env = {**os.environ, "PYTHONPATH": str(src)}
            done = subprocess.run(  # noqa: S603 - the benchmark the user named, on this interpreter
                [sys.executable, *command], env=env, capture_output=True, text=True, check=True
            )
            for line in done.stdout.splitlines():
                print(f"run {run} {label:6} | {line}")


if __name__ == "__main__":
    main()
