"""Shared test helpers: YAML without implicit dates, the bundled contract example, the frozen policy data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import jifen
from jifen.policy.loader import POLICY_DIR_VARIABLE
from jifen.yamlio import load_yaml

__all__ = ["EXAMPLES", "FROZEN_POLICY", "contract_example", "load_yaml"]

EXAMPLES = Path(jifen.__file__).parent / "examples"
FROZEN_POLICY = Path(__file__).parent / "policy" / "data"  # see tests/policy/README.md


def contract_example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "contract.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def example() -> dict[str, Any]:
    return contract_example()


@pytest.fixture
def frozen_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run against the frozen copy of the policy data: for tests about mechanisms, not about the law."""
    monkeypatch.setenv(POLICY_DIR_VARIABLE, str(FROZEN_POLICY))
