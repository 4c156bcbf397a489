"""The materials checklist for the indicators claimed (policy/materials.yaml), in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jifen.policy.loader import POLICY_DIR, policy_dir
from jifen.policy.model import PolicyError
from jifen.rules.indicators import INDICATOR_IDS, LABELS
from jifen.yamlio import load_yaml

MATERIALS_FILE = POLICY_DIR / "materials.yaml"


@dataclass(frozen=True, slots=True)
class Material:
    zh: str
    en: str
    start: date | None
    until: date | None

    def applies_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True, slots=True)
class Checklist:
    basic: tuple[Material, ...]
    indicators: dict[str, tuple[Material, ...]]
    sources: tuple[str, ...]

    def for_claims(self, claimed: list[str], on: date) -> list[dict[str, Any]]:
        """The basic set, then the items of each claimed indicator, as they apply on ``on``."""
        out = [_group("basic", self.basic, on)]
        out.extend(_group(name, self.indicators[name], on) for name in claimed if name in self.indicators)
        return [g for g in out if g["items"]["zh"]]


BASIC_LABEL = {"zh": "基本材料", "en": "Basic materials"}


def _group(name: str, materials: tuple[Material, ...], on: date) -> dict[str, Any]:
    applying = [m for m in materials if m.applies_on(on)]
    label = BASIC_LABEL if name == "basic" else LABELS[name]
    return {
        "indicator": name,
        "label": label,
        "items": {"zh": [m.zh for m in applying], "en": [m.en for m in applying]},
    }


def _materials(raw: object, where: str) -> tuple[Material, ...]:
    if not isinstance(raw, list):
        raise PolicyError(f"policy/materials.yaml: {where}: expected a list")
    out = []
    for i, item in enumerate(raw):
        key = f"{where}[{i}]"
        if not isinstance(item, dict) or not {"zh", "en"} <= set(item) <= {"zh", "en", "from", "until"}:
            raise PolicyError(f"policy/materials.yaml: {key}: expected zh, en and optional from, until")
        try:
            start = date.fromisoformat(item["from"]) if "from" in item else None
            until = date.fromisoformat(item["until"]) if "until" in item else None
        except (TypeError, ValueError):
            raise PolicyError(f"policy/materials.yaml: {key}: from/until must be dates YYYY-MM-DD") from None
        out.append(Material(str(item["zh"]), str(item["en"]), start, until))
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
