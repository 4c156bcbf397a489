"""Shared test helpers: YAML without implicit dates, and the bundled contract example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import jifen
from jifen.yamlio import load_yaml

__all__ = ["EXAMPLES", "contract_example", "load_yaml"]

EXAMPLES = Path(jifen.__file__).parent / "examples"


def contract_example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "contract.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def example() -> dict[str, Any]:
    return contract_example()
