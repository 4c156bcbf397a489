"""What every rule reads: the facts, the scoring date, and the policy, with each read recorded.

A rule asks for parameters through :meth:`Context.param`; when explanations are wanted, every value
read is recorded as a :class:`Basis` (parameter, value, effective date, source) of the indicator
being evaluated, so the trace is built by the engine and not by each rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any

from jifen.dates import Month, month_of
from jifen.facts.model import Facts
from jifen.policy.model import Policy, Resolved, Value
from jifen.rules.contributions import Contributions
from jifen.rules.tiers import tiers_of


@dataclass(frozen=True, slots=True)
class Basis:
    parameter: str
    value: Value
    effective_from: date
    source: str
    href: str
    confidence: str
    reading: str | None = None
    provisional: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "parameter": self.parameter,
            "value": _json_value(self.value),
            "effective_from": self.effective_from.isoformat(),
            "source": self.source,
            "href": self.href,
            "confidence": self.confidence,
        }
        if self.reading:
            out["reading"] = self.reading
        if self.provisional:
            out["provisional"] = True
        return out


def _json_value(value: Value) -> object:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, tuple):
        return [_json_value(v) if not isinstance(v, dict) else {k: _json_value(x) for k, x in v.items()} for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


class Context:
    """Facts and policy on one scoring date, shared by the rules of one score."""

    def __init__(self, facts: Facts, as_of: date, policy: Policy, *, recording: bool) -> None:
        self.facts = facts
        self.as_of = as_of
        self.policy = policy
        self.recording = recording  # keep the basis of each item (what it read)
        self.last_month: Month = month_of(as_of) - 1  # contract 3.2: up to the month before as_of
        self.basis: list[Basis] = []
        self.provisional: dict[str, Resolved] = {}
        self.values = policy.view(as_of)
        self.contributions = Contributions(facts.history, self.last_month, policy, horizon_months(policy, as_of))

    # -- parameters ------------------------------------------------------------------------------
    def param(self, name: str, key: str | None = None) -> Value:
        """The value of ``name`` in force on as_of (``key``: one entry of a table), recorded."""
        resolved = self.values[name]
        value = resolved.value
        if key is not None:
            assert isinstance(value, dict)  # noqa: S101 - tables are map<int>
            value = value.get(key)
        self.record(resolved, key)
        return value

    def peek(self, name: str) -> Value:
        """The value of ``name`` on as_of without recording it (for alternatives not taken)."""
        return self.values[name].value

    def table(self, name: str) -> tuple[dict[str, int], Resolved]:
        """A ``map<int>`` table, not yet recorded: record the entry used with :meth:`record`."""
        resolved = self.values[name]
        assert isinstance(resolved.value, dict)  # noqa: S101
        return resolved.value, resolved

    def int_param(self, name: str, key: str | None = None) -> int:
        value = self.param(name, key)
        assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
        return value

    def record(self, resolved: Resolved, key: str | None = None) -> None:
        """Record ``resolved`` (or one ``key`` of its table) as part of the current indicator's basis."""
        if resolved.entry.provisional:
            self.provisional[resolved.parameter] = resolved
        if self.recording:
            self.basis.append(_basis(resolved, key))

    def take_basis(self) -> tuple[Basis, ...]:
        taken = tuple(self.basis)
        self.basis.clear()
        return taken


@lru_cache(maxsize=1024)
def horizon_months(policy: Policy, as_of: date) -> int:
    """The most months any rule looks back on ``as_of``: the contribution months to lay out."""
    windows: list[object] = [t.window_months for t in tiers_of(policy.resolve("si_base.tiers", as_of).value)]
    windows.append(policy.resolve("eligibility.insurance_window_months", as_of).value)
    windows.append(policy.resolve("qualification.base_condition_window_months", as_of).value)
    return max(w for w in windows if isinstance(w, int))


@lru_cache(maxsize=4096)
def _basis(resolved: Resolved, key: str | None) -> Basis:
    entry = resolved.entry
    value = resolved.value
    if key is not None:
        assert isinstance(value, dict)  # noqa: S101 - only tables are recorded by key
        value = value.get(key)
    return Basis(
        parameter=f"{resolved.parameter}.{key}" if key is not None else resolved.parameter,
        value=value,
        effective_from=entry.effective_from,
        source=entry.source.cite(),
        href=entry.source.href,
        confidence=entry.confidence,
        reading=resolved.reading,
        provisional=entry.provisional,
    )
