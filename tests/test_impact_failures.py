"""The impact of a proposal when the rules fail on one holder's facts (issue 10, item 4): with ``on_failure``
that holder is counted as failed and the others are compared; without it, or when only the proposal fails,
the error is raised as before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jifen.batch import impact as batch_impact
from jifen.batch.impact import compare
from jifen.policy.loader import default_policy
from jifen.policy.model import Policy
from jifen.rules.engine import score

ON = date(2026, 11, 27)


def holder(birth: str) -> dict[str, object]:
    return {"schema": "jifen.facts/1", "birth_date": birth, "social_insurance": [{"from": "2019-07", "base": 12000}]}


HOLDERS = [("1", holder("1990-05-01")), ("2", holder("1985-01-01")), ("3", {"schema": "jifen.facts/1"})]


@pytest.fixture
def proposed() -> Policy:
    return default_policy().with_readings(points_reference_wage="si_wage")


def failing_for(monkeypatch: pytest.MonkeyPatch, birth: date, policy: Policy | None = None) -> None:
    def scored(facts: Any, **kwargs: Any) -> Any:
        if facts.birth_date == birth and (policy is None or kwargs["policy"] is policy):
            raise OverflowError("date value out of range")
        return score(facts, **kwargs)

    monkeypatch.setattr(batch_impact, "score", scored)


def test_a_holder_the_rules_fail_on_is_counted_and_the_others_compared(
    monkeypatch: pytest.MonkeyPatch, proposed: Policy
) -> None:
    failing_for(monkeypatch, date(1990, 5, 1))
    failures: list[tuple[str, str]] = []
    report = compare(HOLDERS, ON, default_policy(), proposed, on_failure=lambda i, e: failures.append((i, repr(e))))
    assert (report.holders, report.refused, report.failed) == (3, 1, 1)
    assert sum(report.changes.values()) == 1  # holder 2 was compared
    assert failures == [("1", "OverflowError('date value out of range')")]


def test_without_on_failure_the_error_is_raised(monkeypatch: pytest.MonkeyPatch, proposed: Policy) -> None:
    failing_for(monkeypatch, date(1990, 5, 1))
    with pytest.raises(OverflowError):
        compare(HOLDERS, ON, default_policy(), proposed)


def test_a_failure_under_the_proposal_alone_is_the_proposals(monkeypatch: pytest.MonkeyPatch, proposed: Policy) -> None:
    failing_for(monkeypatch, date(1990, 5, 1), proposed)
    with pytest.raises(OverflowError):
        compare(HOLDERS, ON, default_policy(), proposed, on_failure=lambda i, e: None)
