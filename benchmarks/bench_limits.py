"""The slowest valid request the anonymous ``/score`` and ``/advise`` accept: every list at its cap.

Usage: python benchmarks/bench_limits.py [--rounds N]

Builds the largest facts the limits allow (jifen.facts.limits: 1,200 insurance runs of one month each,
100 penalties, 100 awards, 100 remote-area and public-service periods, 50 qualifications, 20 degrees),
then times, in this process, through the Django test client against the real URL routing, middleware
and JSON encoding: ``POST /api/v1/score`` and ``POST /api/v1/advise`` with it, and with the contract's
example holder for comparison; also a body one byte over the size limit, refused before it is parsed.
Prints the median and the slowest of N rounds for each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jifen
from jifen.dates import month_from_parts, month_str
from jifen.facts.limits import MAX_ITEMS

ON = "2026-11-27"


def largest_facts() -> dict[str, Any]:
    """Every list at its cap, with values a parser accepts and a rule reads."""
    runs = MAX_ITEMS["social_insurance"]
    first = month_from_parts(2026, 10) - runs + 1
    insurance = [
        {"from": month_str(m), "to": month_str(m), "base": 9000 + (m - first) % 30000}
        for m in range(first, first + runs)
    ]
    start = date(1926, 1, 1)
    periods = [
        {
            "from": (start + timedelta(days=300 * i)).isoformat(),
            "to": (start + timedelta(days=300 * i + 200)).isoformat(),
        }
        for i in range(MAX_ITEMS["public_service"])
    ]
    remote = [{"area": "other", **p} for p in periods[: MAX_ITEMS["remote_area"]]]
    days = [(date(2020, 1, 1) + timedelta(days=7 * i)).isoformat() for i in range(100)]
    return {
        "schema": "jifen.facts/1",
        "as_of": ON,
        "birth_date": "1905-01-01",  # insurance from 1926 (1,200 monthly runs to 2026-10), at 21
        "residence_permit": {"valid_from": "2026-03-01", "valid_until": "2027-02-28"},
        "education": [
            {"level": "bachelor", "degree": True, "graduated_on": days[i], "full_time": True}
            for i in range(MAX_ITEMS["education"])
        ],
        "qualifications": [
            {
                "kind": "title",
                "level": "senior",
                "obtained_on": days[i],
                "obtained_in_shanghai": True,
                "matches_post": True,
            }
            for i in range(MAX_ITEMS["qualifications"])
        ],
        "social_insurance": insurance,
        "hukou_spouse_married_on": "1950-05-20",
        "remote_area": remote,
        "public_service": periods,
        "awards": [{"level": "national", "awarded_on": d} for d in days[: MAX_ITEMS["awards"]]],
        "penalties": [{"kind": "administrative_detention", "on": d} for d in days[: MAX_ITEMS["penalties"]]],
        "vetoes": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("JIFEN_DATA_DIR", tempfile.mkdtemp(prefix="jifen-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen.service.settings")
    os.environ["JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE"] = "100000"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    client = Client()
    big = json.dumps(largest_facts())
    example = json.loads((Path(jifen.__file__).parent / "examples" / "contract.json").read_text(encoding="utf-8"))
    small = json.dumps(example)
    too_large = "x" * (int(settings.JIFEN_MAX_JSON_BYTES) + 1)

    def post(path: str, body: str, expect: int) -> Callable[[], None]:
        def call() -> None:
            response = client.post(path, data=body, content_type="application/json")
            assert response.status_code == expect, (path, response.status_code, response.content[:300])

        return call

    cases = [
        ("score, contract example", post("/api/v1/score", small, 200)),
        ("score, every list at its cap", post("/api/v1/score", big, 200)),
        ("advise, contract example", post("/api/v1/advise", small, 200)),
        ("advise, every list at its cap", post("/api/v1/advise", big, 200)),
        ("a body one byte over the limit (413)", post("/api/v1/score", too_large, 413)),
    ]
    print(f"python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} cores; body {len(big):,} bytes")
    for name, call in cases:
        call()  # warm caches
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        print(f"{name:<40} median {statistics.median(times) * 1000:8.1f} ms   slowest {max(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
