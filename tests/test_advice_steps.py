"""The advisor in ordinary lives (issue 11): what a filing changes, the dated steps around it (endorsement,
renewal, filing, waiting, a change of employer) and the choice between filing now and waiting.

The golden cases (tests/golden/advice/cases.yaml) assert dates and step kinds, not prose. They run on the frozen
policy data (tests/policy/README.md): they are about the advisor's mechanics, not about this year's law.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jifen.advisor import advise
from jifen.advisor.recommendation import planning
from jifen.facts.parse import FactsError
from jifen.policy.loader import default_policy
from jifen.workdays import default_calendar
from tests.conftest import load_yaml
from tests.strategies import facts as facts_strategy

pytestmark = pytest.mark.usefixtures("frozen_policy")

CASES = load_yaml(Path(__file__).parent / "golden" / "advice" / "cases.yaml")["cases"]


def _iso(value: object) -> str | None:
    return None if value is None else str(value)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_advice(case: dict[str, Any]) -> None:
    advice = advise(case["facts"], on=date.fromisoformat(str(case["on"])))
    rec = advice.recommendation
    want = case["expect"]
    assert (rec.effect, rec.refresh) == (want["effect"], want["refresh"])
    assert (_iso(rec.earliest), _iso(rec.latest)) == (_iso(want["earliest"]), _iso(want["latest"]))
    steps = [[s.kind, str(s.start), _iso(s.until)] for s in rec.steps]
    assert steps == [[str(k), str(f), _iso(u)] for k, f, u in want["steps"]]
    assert [s.kind for s in rec.steps if s.would_fail] == want.get("would_fail", [])
    options = [[str(o.file_on), o.points, o.chosen] for o in rec.options]
    assert options == [[str(f), p, c] for f, p, c in want.get("options", [])]
    assert advice.current.eligible is want["eligible"]
    decision = rec.expected_decision
    got = None if decision is None else [str(decision.earliest), str(decision.latest), decision.provisional]
    assert got == (
        None if want.get("decision") is None else [str(v) if isinstance(v, str) else v for v in want["decision"]]
    )


def test_steps_are_in_date_order_and_of_the_contract_kinds() -> None:
    kinds = {"check_records", "endorse", "renew", "file_first", "file_change", "update_registration", "wait"}
    for case in CASES:
        steps = advise(case["facts"], on=date.fromisoformat(str(case["on"]))).recommendation.steps
        assert [s.start for s in steps] == sorted(s.start for s in steps), case["name"]
        assert {s.kind for s in steps} <= kinds


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    facts_strategy(complete=True),
    st.dates(date(2024, 1, 1), date(2027, 6, 30)),
    st.dates(date(2024, 1, 1), date(2028, 12, 31)),
)
def test_no_filing_falls_outside_the_permit_unless_an_endorsement_precedes_it(
    data: dict[str, Any], on: date, permit_end: date
) -> None:
    """A filing whose decision could come after the permit's end is preceded by the endorsement."""
    assume(date.fromisoformat(data["birth_date"]) <= on <= permit_end)
    data = {
        **data,
        "residence_permit": {"valid_from": min(on, date(2024, 1, 1)).isoformat(), "valid_until": str(permit_end)},
    }
    data.pop("as_of", None)
    try:
        advice = advise(data, on=on)
    except FactsError:
        assume(False)
        return
    plan = planning(default_policy(), on)
    calendar = default_calendar()
    steps = advice.recommendation.steps
    for step in steps:
        if not step.kind.startswith("file_"):
            continue
        decided = calendar.add(step.start, plan.longest).date
        endorsed_before = any(s.kind == "endorse" and s.start <= step.start for s in steps)
        assert decided <= permit_end or endorsed_before, (step, permit_end)
