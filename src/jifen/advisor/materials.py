"""The materials checklist for a filing (policy/materials.yaml), in Chinese and English.

Only what the filing needs: the basic set, then, for each indicator claimed, its items whose ``when``
conditions hold for the facts (a degree certificate only with the degree, the certification of a foreign
degree only for one, title or skill papers for the qualification claimed, a marriage certificate only
with a hukou spouse). Each group carries its label in words; the id stays in ``indicator`` (contract §5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jifen.facts.model import Education, Facts, Qualification
from jifen.policy.loader import POLICY_DIR, policy_dir
from jifen.policy.model import Policy, PolicyError
from jifen.rules.indicators import INDICATOR_IDS, LABELS
from jifen.rules.result import Score
from jifen.yamlio import load_yaml

MATERIALS_FILE = POLICY_DIR / "materials.yaml"
BASIC_LABEL = {"zh": "基本材料", "en": "Basic materials"}


@dataclass(frozen=True, slots=True)
class Subject:
    """What the conditions look at: the facts, and the education entry and qualification claimed."""

    facts: Facts
    education: Education | None
    qualification: Qualification | None


def _education(test: Callable[[Education, Subject], bool]) -> Callable[[Subject], bool]:
    return lambda s: s.education is not None and test(s.education, s)


def _after_junior_college(e: Education, s: Subject) -> bool:
    return e.level == "bachelor" and any(
        o.level == "junior_college" and o.graduated_on <= e.graduated_on for o in s.facts.education
    )


CONDITIONS: dict[str, Callable[[Subject], bool]] = {
    "degree": _education(lambda e, _: e.degree),
    "domestic": _education(lambda e, _: not e.foreign),
    "foreign": _education(lambda e, _: e.foreign),
    "not_full_time": _education(lambda e, _: not e.full_time),
    "after_junior_college": _education(_after_junior_college),
    "title": lambda s: s.qualification is not None and s.qualification.kind == "title",
    "skill": lambda s: s.qualification is not None and s.qualification.kind == "skill",
    "married": lambda s: s.facts.hukou_spouse_married_on is not None,
}


@dataclass(frozen=True, slots=True)
class Material:
    zh: str
    en: str
    start: date | None
    until: date | None
    when: tuple[str, ...] = ()

    def applies(self, day: date, subject: Subject) -> bool:
        dated = (self.start is None or self.start <= day) and (self.until is None or day <= self.until)
        return dated and all(CONDITIONS[c](subject) for c in self.when)


@dataclass(frozen=True, slots=True)
class Checklist:
    basic: tuple[Material, ...]
    indicators: dict[str, tuple[Material, ...]]
    sources: tuple[str, ...]

    def for_filing(self, facts: Facts, claimed: Score, policy: Policy, on: date) -> list[dict[str, Any]]:
        """The basic set, then each indicator counted with points in ``claimed`` (the score filed), with
        the items the facts need on ``on``; groups left empty are dropped."""
        subject = Subject(facts, claimed_education(facts, policy, on), claimed_qualification(facts, policy, on))
        names = [i.indicator for i in claimed.items if i.counted and i.points > 0]
        out = [_group("basic", self.basic, on, subject)]
        out.extend(_group(name, self.indicators[name], on, subject) for name in names if name in self.indicators)
        return [g for g in out if g["items"]["zh"]]


def _group(name: str, materials: tuple[Material, ...], on: date, subject: Subject) -> dict[str, Any]:
    applying = [m for m in materials if m.applies(on, subject)]
    return {
        "indicator": name,
        "label": BASIC_LABEL if name == "basic" else LABELS[name],
        "items": {"zh": [m.zh for m in applying], "en": [m.en for m in applying]},
    }


def claimed_education(facts: Facts, policy: Policy, on: date) -> Education | None:
    """The education entry the score counts on ``on``: the most points, the first listed on a tie (as the
    education rule picks it); None without any entry completed by then."""
    table = policy.resolve("education.points", on).value
    assert isinstance(table, dict)  # noqa: S101 - a map<int>
    best: tuple[int, Education] | None = None
    for entry in facts.education:
        if entry.graduated_on > on:
            continue
        with_degree = f"{entry.level}_with_degree"
        points = table.get(with_degree if entry.degree and with_degree in table else entry.level, 0)
        if best is None or points > best[0]:
            best = (points, entry)
    return None if best is None else best[1]


def claimed_qualification(facts: Facts, policy: Policy, on: date) -> Qualification | None:
    """The title or skill level with the most points on ``on`` among those obtained in Shanghai and
    matching the post (the only ones that count); None without one."""
    best: tuple[int, Qualification] | None = None
    for q in facts.qualifications:
        if q.obtained_on > on or not (q.obtained_in_shanghai and q.matches_post):
            continue
        table = policy.resolve(f"qualification.{q.kind}_points", on).value
        assert isinstance(table, dict)  # noqa: S101 - a map<int>
        points = table.get(str(q.level), 0)
        if best is None or points > best[0]:
            best = (points, q)
    return None if best is None else best[1]


def _conditions(raw: object, key: str) -> tuple[str, ...]:
    names: Iterable[object] = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else [None]
    out = []
    for name in names:
        if not isinstance(name, str) or name not in CONDITIONS:
            raise PolicyError(f"policy/materials.yaml: {key}.when: expected one or more of {', '.join(CONDITIONS)}")
        out.append(name)
    return tuple(out)


def _materials(raw: object, where: str) -> tuple[Material, ...]:
    if not isinstance(raw, list):
        raise PolicyError(f"policy/materials.yaml: {where}: expected a list")
    out = []
    for i, item in enumerate(raw):
        key = f"{where}[{i}]"
        if not isinstance(item, dict) or not {"zh", "en"} <= set(item) <= {"zh", "en", "from", "until", "when"}:
            raise PolicyError(f"policy/materials.yaml: {key}: expected zh, en and optional from, until, when")
        try:
            start = date.fromisoformat(item["from"]) if "from" in item else None
            until = date.fromisoformat(item["until"]) if "until" in item else None
        except (TypeError, ValueError):
            raise PolicyError(f"policy/materials.yaml: {key}: from/until must be dates YYYY-MM-DD") from None
        when = _conditions(item["when"], key) if "when" in item else ()
        out.append(Material(str(item["zh"]), str(item["en"]), start, until, when))
    return tuple(out)


def load_checklist(path: Path = MATERIALS_FILE) -> Checklist:
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != {"sources", "basic", "indicators"}:
        raise PolicyError("policy/materials.yaml: expected exactly sources, basic and indicators")
    indicators = data["indicators"]
    if not isinstance(indicators, dict):
        raise PolicyError("policy/materials.yaml: indicators: expected a mapping")
    unknown = sorted(set(indicators) - set(INDICATOR_IDS))
    if unknown:
        raise PolicyError(f"policy/materials.yaml: indicators.{unknown[0]}: unknown indicator")
    return Checklist(
        basic=_materials(data["basic"], "basic"),
        indicators={k: _materials(v, f"indicators.{k}") for k, v in indicators.items()},
        sources=tuple(str(s) for s in data["sources"]),
    )


def default_checklist() -> Checklist:
    """The materials list of the policy data in use (see ``policy_dir``)."""
    return _checklist_in(policy_dir() / "materials.yaml")


@cache
def _checklist_in(path: Path) -> Checklist:
    return load_checklist(path)
