"""Instructions per call of ``score`` and ``advise``, counted by valgrind's callgrind: a figure that does not
depend on what else the machine is doing, to compare two versions of the code on a shared machine.

Usage: python benchmarks/instructions.py [--src PATH] [--calls N] [--runs K]

For each case, a fresh interpreter (``PYTHONPATH=PATH``, the code to measure; by default this checkout's
``src``) imports jifen and warms its caches, then makes N calls (and, in a second interpreter, none); the
difference of the two totals over N is the cost of one call. Python's start and imports vary by a few
million instructions from one process to the next, so N must be large (the default makes that noise well
under 1%); K runs of each case print the spread. The garbage collector is off during the calls (it runs on
allocation counts, and so would land in one run and not the other). Needs Debian's valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import gc, json, sys
from pathlib import Path
sys.path.insert(0, {benchmarks!r})
from bench_score import ON, holder
import jifen
from jifen import parse_facts, score
from jifen.advisor import advise

data = holder()
facts = parse_facts(data)
contract = parse_facts(json.loads((Path(jifen.__file__).parent / "examples" / "contract.json").read_text("utf-8")))
for _ in range(3):
    score(facts, on=ON)
    score(facts, on=ON, explain=False)
    advise(contract)
case, calls = sys.argv[1], int(sys.argv[2])
gc.collect()
gc.disable()
if case == "score, with explanations":
    for _ in range(calls):
        score(facts, on=ON)
elif case == "score, without explanations":
    for _ in range(calls):
        score(facts, on=ON, explain=False)
elif case == "advise (the contract's example)":
    for _ in range(calls):
        advise(contract)
"""

CASES = {  # case: calls by default (one advice costs about 25x one score without explanations)
    "score, with explanations": 1000,
    "score, without explanations": 3000,
    "advise (the contract's example)": 100,
}


def instructions(src: Path, case: str, calls: int) -> int:
    """The total instructions of a child interpreter making ``calls`` calls of ``case``."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0"}
    code = CHILD.format(benchmarks=str(ROOT / "benchmarks"))
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code]
    done = subprocess.run([*command, case, str(calls)], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no total:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the code to measure (a checkout's src)")
    parser.add_argument("--calls", type=int, default=0, help="calls per case (default: the case's own)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"code: {args.src}; instructions per call (callgrind), {args.runs} run(s) each:")
    for case, default in CASES.items():
        calls = args.calls or default
        per_call = [
            (instructions(args.src, case, calls) - instructions(args.src, case, 0)) // calls for _ in range(args.runs)
        ]
        print(f"  {case:<34} {' '.join(f'{n:>12,}' for n in per_call)}   ({calls} calls)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
