"""Refresh advice (``jifen.advice/1``) as typed objects with a JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jifen.rules.result import Score

ADVICE_SCHEMA = "jifen.advice/1"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str
    on: date
    points_delta: int
    total_after: int
    indicator: str | None
    explanation: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "points_delta": self.points_delta,
            "total_after": self.total_after,
            "indicator": self.indicator,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """When approved points can be expected after filing on ``filed``, in working days."""

    filed: date
    earliest: date
    latest: date
    working_days: tuple[int, int]
    provisional: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "filed": self.filed.isoformat(),
            "from": self.earliest.isoformat(),
            "to": self.latest.isoformat(),
            "working_days": list(self.working_days),
            "provisional": self.provisional,
        }


@dataclass(frozen=True, slots=True)
class TargetPlan:
    target: date
    latest_filing: date
    possible: bool
    provisional: bool
    assumption: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.isoformat(),
            "latest_filing": self.latest_filing.isoformat(),
            "possible": self.possible,
            "provisional": self.provisional,
            "assumption": self.assumption,
        }


@dataclass(frozen=True, slots=True)
class Recommendation:
    refresh: bool
    earliest: date | None
    latest: date | None
    reason: dict[str, str]
    expected_decision: Decision | None
    target: TargetPlan | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "refresh": self.refresh,
            "earliest": _iso(self.earliest),
            "latest": _iso(self.latest),
            "reason": self.reason,
            "expected_decision": None if self.expected_decision is None else self.expected_decision.to_dict(),
            "target": None if self.target is None else self.target.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Advice:
    as_of: date
    current: Score
    change_since_last_approved: int | None
    triggers: tuple[Trigger, ...]
    projection: tuple[tuple[date, int], ...]
    reaches_standard_on: date | None
    recommendation: Recommendation
    materials: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": ADVICE_SCHEMA,
            "as_of": self.as_of.isoformat(),
            "current": self.current.to_dict(),
            "change_since_last_approved": self.change_since_last_approved,
            "triggers": [t.to_dict() for t in self.triggers],
            "projection": [{"date": d.isoformat(), "total": total} for d, total in self.projection],
            "reaches_standard_on": _iso(self.reaches_standard_on),
            "recommendation": self.recommendation.to_dict(),
            "materials": self.materials,
        }
