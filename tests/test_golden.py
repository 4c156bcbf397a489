"""The golden case table (tests/golden/*.yaml): each case pins a rule, cites its clause, and fixes the total."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jifen import load_policy, score
from jifen.rules.indicators import INDICATOR_IDS
from tests.conftest import EXAMPLES, load_yaml

GOLDEN = Path(__file__).parent / "golden"
DEFAULT_BIRTH_DATE = "1990-05-01"


@dataclass(frozen=True)
class Expect:
    total: int
    items: dict[str, int] = field(default_factory=dict)
    counted: dict[str, bool] = field(default_factory=dict)
    eligible: bool | None = None
    vetoed: bool | None = None
    meets_standard: bool | None = None
    policy: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    clause: str
    expect: Expect
    on: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)
    example: str | None = None

    def build_facts(self) -> dict[str, Any]:
        if self.example:
            base: dict[str, Any] = load_yaml(EXAMPLES / self.example)
            return {**base, **self.facts}
        return {"schema": "jifen.facts/1", "birth_date": DEFAULT_BIRTH_DATE, **self.facts}


def _cases() -> list[Case]:
    cases = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        if path.stem in INDICATOR_IDS:  # per-indicator cases: tests/test_golden_indicators.py
            continue
        for raw in load_yaml(path):
            expect = Expect(**raw.pop("expect"))  # an unknown key fails here, at collection
            cases.append(Case(expect=expect, **raw))
    return cases


CASES = _cases()


def test_the_table_has_at_least_sixty_uniquely_named_cases() -> None:
    names = [c.name for c in CASES]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Case) -> None:
    policy = load_policy(case.readings)
    on = date.fromisoformat(case.on) if case.on else None
    result = score(case.build_facts(), on=on, policy=policy)
    got_items = {i.indicator: i.points for i in result.items}
    assert {k: got_items[k] for k in case.expect.items} == case.expect.items
    got_counted = {i.indicator: i.counted for i in result.items}
    assert {k: got_counted[k] for k in case.expect.counted} == case.expect.counted
    assert result.total == case.expect.total
    for attribute in ("eligible", "vetoed", "meets_standard"):
        wanted = getattr(case.expect, attribute)
        if wanted is not None:
            assert getattr(result, attribute) is wanted, attribute
    if case.expect.policy is not None:
        assert result.policy.id == case.expect.policy


def test_every_reading_of_contract_section_3_is_pinned_by_a_named_case() -> None:
    cited: set[int] = set()
    for case in CASES:
        for numbers in re.findall(r"contract readings? (\d+(?: and \d+)*)", case.clause):
            cited.update(int(n) for n in numbers.split(" and "))
    assert cited == set(range(1, 11))
