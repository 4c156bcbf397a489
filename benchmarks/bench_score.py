"""Time to score one holder with ten years of monthly contributions (120 one-month segments).

Usage: python benchmarks/bench_score.py [--rounds N]

Prints the median time per holder, over N rounds of repeated calls, for: scoring parsed facts with
explanations, without explanations, and validating the JSON facts then scoring with explanations.
When OpenFisca's country template is installed (``pip install -e '.[bench]'``), the same process also
times its one-household simulation, the reference the issue names (a different, smaller model: a point
of comparison for the cost of one evaluation, not a like-for-like race).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import timeit
from collections.abc import Callable
from datetime import date
from typing import Any

from jifen import parse_facts, score
from jifen.dates import month_from_parts, month_str

ON = date(2026, 11, 27)


def holder() -> dict[str, Any]:
    """The contract's example holder, with a base that changes every month for the last ten years."""
    start = month_from_parts(2016, 11)
    months = [
        {"from": month_str(m), "to": month_str(m), "base": 9000 + 37 * (m - start)} for m in range(start, start + 120)
    ]
    return {
        "schema": "jifen.facts/1",
        "birth_date": "1990-05-01",
        "id_number": "310115199005010018",
        "residence_permit": {"valid_from": "2026-03-01", "valid_until": "2027-02-28"},
        "education": [{"level": "bachelor", "degree": True, "graduated_on": "2012-07-01", "full_time": True}],
        "qualifications": [
            {
                "kind": "title",
                "level": "intermediate",
                "obtained_on": "2019-12-01",
                "obtained_in_shanghai": True,
                "matches_post": True,
            }
        ],
        "social_insurance": months,
        "hukou_spouse_married_on": "2018-05-20",
        "remote_area": [{"area": "lingang", "from": "2022-03-01", "to": None}],
        "public_service": [{"from": "2015-01-01", "to": "2019-12-31"}],
        "awards": [{"level": "municipal_special", "awarded_on": "2021-04-30"}],
        "penalties": [{"kind": "administrative_detention", "on": "2023-02-01"}],
    }


def median_us(call: Callable[[], object], rounds: int, number: int) -> float:
    call()  # warm the policy caches once, as a running service has them
    times = timeit.repeat(call, repeat=rounds, number=number)
    return statistics.median(times) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    data = holder()
    facts = parse_facts(data)
    total = score(facts, on=ON).total
    print(
        f"python {platform.python_version()} on {platform.machine()}; holder total {total}; "
        f"{args.rounds} rounds x {args.number} calls; median per holder:"
    )
    rows = [
        ("score, with explanations", lambda: score(facts, on=ON)),
        ("score, without explanations", lambda: score(facts, on=ON, explain=False)),
        ("validate JSON facts + score with explanations", lambda: score(data, on=ON)),
        ("validate + score + to_dict (the API's work)", lambda: score(data, on=ON).to_dict()),
    ]
    openfisca = openfisca_household()
    if openfisca is not None:
        rows.append(("OpenFisca country template, one household", openfisca))
    for label, call in rows:
        number = args.number if "OpenFisca" not in label else max(args.number // 10, 1)
        print(f"  {label:<48} {median_us(call, args.rounds, number):8.1f} us")
    sys.stdout.flush()


def openfisca_household() -> Callable[[], object] | None:
    """OpenFisca's documented one-household calculation, or None when it is not installed."""
    try:
        from openfisca_core.simulation_builder import SimulationBuilder  # type: ignore[import-untyped, import-not-found, unused-ignore]
        from openfisca_country_template import CountryTaxBenefitSystem  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    system = CountryTaxBenefitSystem()
    situation = {
        "persons": {"Ari": {"salary": {"2026-11": 3000}}, "Paul": {"salary": {"2026-11": 1000}}},
        "households": {"h": {"adults": ["Ari", "Paul"], "rent": {"2026-11": 500}}},
    }

    def call() -> object:
        simulation = SimulationBuilder().build_from_entities(system, situation)
        return simulation.calculate("disposable_income", "2026-11")

    return call


if __name__ == "__main__":
    main()
