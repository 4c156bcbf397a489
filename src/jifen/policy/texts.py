"""Texts kept as policy data beside the parameters (after_filing.yaml, after_decision.yaml): each file read
and checked against the parameters of the policy in use once, and read again when either changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from jifen.policy.loader import policy_dir
from jifen.policy.model import Parameter, Policy

T = TypeVar("T")
_LOADED: dict[tuple[Path, int], tuple[Mapping[str, Parameter], Any]] = {}
_MOST = 16  # policies held at once (proposals in the impact page make new ones)


def policy_text(policy: Policy, name: str, load: Callable[[Path, Mapping[str, Parameter]], T]) -> T:
    """The text file ``name`` of the policy data in use (see ``policy_dir``), loaded by ``load`` and checked
    against ``policy``'s parameters (shared by all its readings), read once for each."""
    path = policy_dir() / name
    key = (path, id(policy.parameters))
    found = _LOADED.get(key)
    if found is None or found[0] is not policy.parameters:
        if len(_LOADED) >= _MOST:
            _LOADED.clear()
        found = _LOADED[key] = (policy.parameters, load(path, policy.parameters))
    loaded: T = found[1]
    return loaded
