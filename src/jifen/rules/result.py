"""The score of one holder (``jifen.score/1``) as typed objects with a JSON form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jifen.policy.model import PolicyVersion
from jifen.rules.context import Basis

SCORE_SCHEMA = "jifen.score/1"


@dataclass(slots=True)  # not frozen: 17 per score, and frozen dataclasses are slow to build
class Item:
    indicator: str
    label: dict[str, str]
    points: int
    counted: bool
    explanation: dict[str, str] | None
    basis: tuple[Basis, ...]
    # Renders the explanation when the score was made with its basis but without texts (never serialised).
    render: Callable[[], dict[str, str]] | None = field(default=None, repr=False, compare=False)

    def text(self) -> dict[str, str] | None:
        """The explanation: as scored, else rendered now (a score with its basis but no texts)."""
        if self.explanation is None and self.render is not None:
            return self.render()
        return self.explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "label": self.label,
            "points": self.points,
            "counted": self.counted,
            "explanation": self.explanation,
            "basis": [b.to_dict() for b in self.basis],
        }


@dataclass(frozen=True, slots=True)
class EligibilityCheck:
    check: str
    met: bool
    explanation: dict[str, str] | None
    basis: tuple[Basis, ...]
    render: Callable[[], dict[str, str]] | None = field(default=None, repr=False, compare=False)

    def text(self) -> dict[str, str] | None:
        """The explanation: as scored, else rendered now (a score with its basis but no texts)."""
        if self.explanation is None and self.render is not None:
            return self.render()
        return self.explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "met": self.met,
            "explanation": self.explanation,
            "basis": [b.to_dict() for b in self.basis],
        }


@dataclass(frozen=True, slots=True)
class Score:
    as_of: date
    policy: PolicyVersion
    readings: dict[str, str]
    eligible: bool
    vetoed: bool
    total: int
    standard: int
    items: tuple[Item, ...]
    eligibility: tuple[EligibilityCheck, ...]
    warnings: tuple[dict[str, str], ...]

    @property
    def meets_standard(self) -> bool:
        return self.total >= self.standard

    def item(self, indicator: str) -> Item:
        for item in self.items:
            if item.indicator == indicator:
                return item
        raise KeyError(indicator)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCORE_SCHEMA,
            "as_of": self.as_of.isoformat(),
            "policy": {
                "id": self.policy.id,
                "effective_from": self.policy.effective_from.isoformat(),
                "title": self.policy.title,
                "readings": self.readings,
            },
            "eligible": self.eligible,
            "vetoed": self.vetoed,
            "total": self.total,
            "standard": self.standard,
            "meets_standard": self.meets_standard,
            "items": [i.to_dict() for i in self.items],
            "eligibility": [c.to_dict() for c in self.eligibility],
            "warnings": list(self.warnings),
        }
