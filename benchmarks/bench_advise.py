"""Time of one ``advise`` against one ``score`` of the same holder, in the same process (issue 11, item 9).

Usage: python benchmarks/bench_advise.py [--rounds N] [--number N]

The holder is the contract's example (src/jifen/examples/contract.json) on its own ``as_of``. Prints the
median per call of ``score`` (with explanations, as the advice's current score is) and of ``advise``, and
their ratio; the goal is a ratio of at most 20.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import timeit
from pathlib import Path

import jifen
from jifen import parse_facts, score
from jifen.advisor import advise


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--number", type=int, default=50)
    args = parser.parse_args()
    facts = parse_facts(json.loads((Path(jifen.__file__).parent / "examples" / "contract.json").read_text("utf-8")))
    advise(facts)  # warm the caches both use
    times = {}
    for name, call in (("score", lambda: score(facts)), ("advise", lambda: advise(facts))):
        runs = timeit.repeat(call, number=args.number, repeat=args.rounds)
        times[name] = statistics.median(runs) / args.number
    print(f"python {sys.version.split()[0]} on {platform.machine()}; {args.rounds} rounds x {args.number} calls")
    for name, seconds in times.items():
        print(f"  {name:<8} {seconds * 1e3:8.2f} ms")
    print(f"  advise / score: {times['advise'] / times['score']:.1f}x")


if __name__ == "__main__":
    main()
