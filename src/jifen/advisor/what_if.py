"""What-ifs for the calculator: how many points a change a holder might make would be worth now.

Each scenario rewrites the facts the way the change would, scores them on the same date with the same
policy, and reports the change in the total: "with the title's 1x condition met: +40".
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from jifen.dates import month_of, month_str
from jifen.policy.model import Policy
from jifen.rules.engine import score
from jifen.rules.tiers import tiers_of

Facts = dict[str, Any]


@dataclass(frozen=True, slots=True)
class WhatIf:
    key: str
    label: dict[str, str]
    delta: int
    total: int


def _recent_months_at(facts: Facts, on: date, months: int, base: int) -> Facts | None:
    """The facts with the last ``months`` months (before ``on``'s month) paid at ``base``."""
    last = month_of(on) - 1
    first = last - months + 1
    kept = []
    for segment in facts.get("social_insurance", []):
        start = _month(segment["from"])
        end = last if segment.get("to") is None else _month(segment["to"])
        if end < first:
            kept.append(segment)
        elif start < first:
            kept.append({**segment, "to": month_str(first - 1)})
    changed = copy.deepcopy(facts)
    changed["social_insurance"] = [*kept, {"from": month_str(first), "to": None, "base": base}]
    return changed


def _month(text: str) -> int:
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def _reference(policy: Policy, on: date) -> int:
    value = policy.resolve("si_base.reference_wage", on).value
    assert isinstance(value, int)  # noqa: S101
    return value


def _title_condition(facts: Facts, on: date, policy: Policy) -> Facts | None:
    if not facts.get("qualifications"):
        return None
    return _recent_months_at(facts, on, 12, _reference(policy, on))


def _degree(facts: Facts, on: date, policy: Policy) -> Facts | None:
    education = facts.get("education") or []
    if not any(e.get("level") in ("bachelor", "master", "doctor") and not e.get("degree") for e in education):
        return None
    changed = copy.deepcopy(facts)
    for entry in changed["education"]:
        entry["degree"] = True
    return changed


def _next_tier(facts: Facts, on: date, policy: Policy) -> Facts | None:
    current = score(facts, on=on, policy=policy, explain=False).item("si_base").points
    higher = [t for t in tiers_of(policy.resolve("si_base.tiers", on).value) if t.points > current]
    if not higher:
        return None
    tier = higher[-1]  # the next one up (tiers come highest first)
    base = -(-int(tier.multiple * _reference(policy, on) * 100) // 100)  # whole yuan at or above the multiple
    return _recent_months_at(facts, on, tier.window_months, base)


SCENARIOS: tuple[tuple[str, dict[str, str], Callable[[Facts, date, Policy], Facts | None]], ...] = (
    (
        "title_condition",
        {"zh": "职称/技能满足最近12个月1倍基数条件", "en": "with the title's 1x base condition met"},
        _title_condition,
    ),
    ("degree", {"zh": "取得学位", "en": "with the degree"}, _degree),
    ("next_tier", {"zh": "社保基数达到更高一档", "en": "with the next base tier reached"}, _next_tier),
)


def what_ifs(facts: Facts, on: date, policy: Policy) -> list[WhatIf]:
    """The scenarios that would change the total on ``on``, with their change."""
    now = score(facts, on=on, policy=policy, explain=False).total
    out = []
    for key, label, rewrite in SCENARIOS:
        changed = rewrite(facts, on, policy)
        if changed is None:
            continue
        total = score(changed, on=on, policy=policy, explain=False).total
        if total != now:
            out.append(WhatIf(key, label, total - now, total))
    return out
