"""Time of one ``advise`` against one ``score`` of the same holder, in the same process (issue 11, item 9).

Usage: python benchmarks/bench_advise.py [--rounds N] [--number N]

The holder is the contract's example (src/jifen/examples/contract.json) on its own ``as_of``. Prints the
median per call of ``score`` (with explanations, as the advice's current score is) and of ``advise``, and
the median of their ratio round by round (each round times both, one right after the other, so that a
noisy machine slows both alike); the goal is a ratio of at most 20.
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
    scores, advices, ratios = [], [], []
    for _ in range(args.rounds):  # interleaved, so that both see the same moment of a noisy machine
        one_score = timeit.timeit(lambda: score(facts), number=args.number) / args.number
        one_advice = timeit.timeit(lambda: advise(facts), number=args.number) / args.number
        scores.append(one_score)
        advices.append(one_advice)
        ratios.append(one_advice / one_score)
    print(f"python {sys.version.split()[0]} on {platform.machine()}; {args.rounds} rounds x {args.number} calls")
    print(f"  score    {statistics.median(scores) * 1e3:8.2f} ms")
    print(f"  advise   {statistics.median(advices) * 1e3:8.2f} ms")
    spread = f"rounds {min(ratios):.1f}x to {max(ratios):.1f}x"
    print(f"  advise / score: median {statistics.median(ratios):.1f}x ({spread})")


if __name__ == "__main__":
    main()
