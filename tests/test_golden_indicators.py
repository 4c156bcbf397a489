"""Golden cases per indicator (tests/golden/<indicator>.yaml): each fixes one indicator's points on the real policy.

One file per id of :data:`jifen.rules.indicators.INDICATOR_IDS`; a missing file fails, naming it. Each case gives
``id``, ``on`` (the scoring date), ``facts`` (``schema`` and the whole-person cases' default ``birth_date`` are
added), the indicator's expected ``points``, optionally ``counted`` (choose-one), ``readings`` and ``xfail`` (a
reason, for a hand-worked value the engine is believed to get wrong), and a one-line ``why``: the clause or
parameter and the arithmetic. Every case is worked out by hand from the policy text and values; it runs through the
scalar engine and through the vectorised engine, which must give the same points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from jifen import load_policy, score
from jifen.batch.layout import INPUT_SCHEMA, to_row
from jifen.batch.vectorised.engine import score_table
from jifen.policy.model import Policy
from jifen.rules.indicators import INDICATOR_IDS
from tests.conftest import load_yaml
from tests.test_golden import DEFAULT_BIRTH_DATE, GOLDEN


@dataclass(frozen=True)
class IndicatorCase:
    indicator: str
    id: str
    on: str
    points: int
    why: str
    facts: dict[str, Any] = field(default_factory=dict)
    counted: bool | None = None
    readings: dict[str, str] = field(default_factory=dict)
    xfail: str | None = None

    @property
    def name(self) -> str:
        return f"{self.indicator}/{self.id}"

    def build_facts(self) -> dict[str, Any]:
        return {"schema": "jifen.facts/1", "birth_date": DEFAULT_BIRTH_DATE, **self.facts}


def _params(cases: list[IndicatorCase]) -> list[Any]:
    """The cases as pytest parameters, each named indicator/id; a case with ``xfail`` must fail (strict)."""
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [])
        for c in cases
    ]


def path_of(indicator: str) -> Path:
    return GOLDEN / f"{indicator}.yaml"


def _cases() -> list[IndicatorCase]:
    cases: list[IndicatorCase] = []
    for indicator in INDICATOR_IDS:
        path = path_of(indicator)
        if path.exists():  # a missing file fails in test_every_indicator_has_its_golden_cases
            cases.extend(IndicatorCase(indicator=indicator, **raw) for raw in load_yaml(path) or [])
    return cases


CASES = _cases()


@cache
def _policy(readings: tuple[tuple[str, str], ...]) -> Policy:
    return load_policy(dict(readings))


def _policy_of(case: IndicatorCase) -> Policy:
    return _policy(tuple(sorted(case.readings.items())))


@pytest.mark.parametrize("indicator", INDICATOR_IDS)
def test_every_indicator_has_its_golden_cases(indicator: str) -> None:
    path = path_of(indicator)
    assert path.exists(), f"no golden cases for indicator {indicator!r}: {path} is missing"
    ids = [c.id for c in CASES if c.indicator == indicator]
    assert len(ids) >= 6, f"{path.name}: {len(ids)} cases, at least 6 expected"
    assert len(set(ids)) == len(ids), f"{path.name}: case ids repeat"
    assert all(c.why.strip() for c in CASES if c.indicator == indicator), f"{path.name}: a case has no why"


@pytest.mark.parametrize("case", _params(CASES))
def test_scalar_engine(case: IndicatorCase) -> None:
    result = score(case.build_facts(), on=date.fromisoformat(case.on), policy=_policy_of(case), explain=False)
    item = next(i for i in result.items if i.indicator == case.indicator)
    assert item.points == case.points, case.why
    if case.counted is not None:
        assert item.counted is case.counted, case.why


@pytest.mark.parametrize("case", _params(CASES))
def test_vectorised_engine(case: IndicatorCase) -> None:
    table = pa.Table.from_pylist([to_row(case.id, case.build_facts())], schema=INPUT_SCHEMA)
    (row,) = score_table(table, date.fromisoformat(case.on), _policy_of(case)).to_pylist()
    assert row["error"] is None
    assert row[case.indicator] == case.points, case.why
