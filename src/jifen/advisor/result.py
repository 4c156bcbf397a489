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


STEP_LABELS: dict[str, dict[str, str]] = {
    "check_records": {"zh": "核对社保记录", "en": "Check the insurance record"},
    "endorse": {"zh": "居住证签注", "en": "Endorse the permit"},
    "renew": {"zh": "积分续办", "en": "Renew the points"},
    "file_first": {"zh": "首次申请", "en": "First application"},
    "file_change": {"zh": "申请变更", "en": "File a change"},
    "update_registration": {"zh": "居住登记变更", "en": "Register the change of employer"},
    "wait": {"zh": "暂不递交", "en": "Wait"},
}
STEP_KINDS = tuple(STEP_LABELS)
EFFECTS = ("entitlement", "validity", "optional", "none")


@dataclass(frozen=True, slots=True)
class Step:
    """One dated thing to do (contract §5 ``steps``): ``kind`` from STEP_KINDS, in the window [from, until]."""

    kind: str
    start: date
    until: date | None
    explanation: dict[str, str]
    would_fail: bool = False

    @property
    def label(self) -> dict[str, str]:
        return STEP_LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "from": self.start.isoformat(),
            "until": _iso(self.until),
            "explanation": self.explanation,
        }
        if self.would_fail:
            out["would_fail"] = True
        return out


@dataclass(frozen=True, slots=True)
class Option:
    """Filing on ``file_on`` for ``points``, decided between ``decision_from`` and ``decision_to``."""

    file_on: date
    points: int
    decision_from: date
    decision_to: date
    provisional: bool
    chosen: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "file_on": self.file_on.isoformat(),
            "points": self.points,
            "decision_from": self.decision_from.isoformat(),
            "decision_to": self.decision_to.isoformat(),
            "provisional": self.provisional,
            "chosen": self.chosen,
        }


@dataclass(frozen=True, slots=True)
class Recommendation:
    refresh: bool
    earliest: date | None
    latest: date | None
    reason: dict[str, str]
    expected_decision: Decision | None
    target: TargetPlan | None
    effect: str = "none"  # EFFECTS: what the filing changes (entitlement, validity, optional) or none
    steps: tuple[Step, ...] = ()
    options: tuple[Option, ...] = ()
    latest_provisional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "refresh": self.refresh,
            "effect": self.effect,
            "earliest": _iso(self.earliest),
            "latest": _iso(self.latest),
            "latest_provisional": self.latest_provisional,
            "reason": self.reason,
            "steps": [s.to_dict() for s in self.steps],
            "options": [o.to_dict() for o in self.options],
            "expected_decision": None if self.expected_decision is None else self.expected_decision.to_dict(),
            "target": None if self.target is None else self.target.to_dict(),
        }


AFTER_FILING_LABELS: dict[str, dict[str, str]] = {
    "acceptance": {"zh": "受理", "en": "Acceptance"},
    "verification": {"zh": "材料核查", "en": "Verification"},
    "review": {"zh": "积分核定", "en": "Decision"},
    "return": {"zh": "退回补正", "en": "Returned for correction"},
    "rejection": {"zh": "不予核定", "en": "Rejection"},
    "reconsideration": {"zh": "行政复议", "en": "Administrative reconsideration"},
    "litigation": {"zh": "行政诉讼", "en": "Administrative litigation"},
}
AFTER_FILING_KINDS = tuple(AFTER_FILING_LABELS)


@dataclass(frozen=True, slots=True)
class AfterFiling:
    """What happens after filing (contract §5 ``after_filing``), with the figure the step rests on, if any:
    (json key, value, source), e.g. ("working_days", 20, "沪人社规〔2017〕43号 第七条")."""

    kind: str
    explanation: dict[str, str]
    figure: tuple[str, int, str] | None
    confidence: str

    @property
    def label(self) -> dict[str, str]:
        return AFTER_FILING_LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "explanation": self.explanation}
        if self.figure is not None:
            key, value, source = self.figure
            out[key] = value
            out["source"] = source
        out["confidence"] = self.confidence
        return out


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
    warnings: tuple[dict[str, str], ...] = ()  # in words: each value not published, each estimated year
    after_filing: tuple[AfterFiling, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": ADVICE_SCHEMA,
            "as_of": self.as_of.isoformat(),
            "current": self.current.to_dict(),
            "change_since_last_approved": self.change_since_last_approved,
            "triggers": [t.to_dict() for t in self.triggers],
            "projection": [{"date": d.isoformat(), "total": total} for d, total in self.projection],
            "reaches_standard_on": _iso(self.reaches_standard_on),
            "warnings": list(self.warnings),
            "recommendation": self.recommendation.to_dict(),
            "materials": self.materials,
            "after_filing": [a.to_dict() for a in self.after_filing],
        }
