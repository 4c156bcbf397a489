"""An item's basis is what its rule read: nothing more, nothing less (issue 15 item 2).

Each scalar rule of the registry runs on the contract example, the whole-person golden cases and a sample of
the per-indicator cases, on the frozen policy data and on copies of it with one parameter changed (an int
+1, one entry of a table +1, a fraction +1/10, every int of a table of records +1; lists of ids are left
alone). For each item:

- *complete*: changing a parameter the item did not record changes neither its points nor its explanation;
- *used*: changing a parameter the item recorded changes its points or its explanation, except for the
  values listed in :data:`COMPARED_ONLY` (compared with the holder's facts, neither named in the explanation
  nor decisive for these holders).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from functools import cache
from typing import Any

import pytest

from jifen import load_policy, parse_facts
from jifen.facts.model import Facts
from jifen.policy.model import Parameter, Policy, Scalar, Value
from jifen.rules.context import Context
from jifen.rules.indicators import REGISTRY
from tests.conftest import contract_example
from tests.test_golden import CASES as PERSON_CASES
from tests.test_golden_indicators import CASES as INDICATOR_CASES

pytestmark = pytest.mark.usefixtures("frozen_policy")  # mechanisms, not the law: tests/policy/README.md

PINNED = date(2026, 11, 27)  # the service clock the tests pin, for a case that names no date
INDICATOR_SAMPLE = 2  # every other per-indicator case (the whole-person cases all run)

COMPARED_ONLY: dict[tuple[str, str], str] = {
    ("age", "age.full_points_max_age"): "a bound of the full-points band: named only for a holder inside it",
    ("age", "age.band_min_age"): "a bound of the 56-60 band: named for a holder below or inside it, not above",
    ("age", "age.full_points"): "the cap of the slope below the band: named only when the holder is within it",
    ("qualification", "qualification.title_points"): "a title that fails its 1x base condition scores 0: the "
    "points it would score are in the basis, not in the text",
    ("qualification", "qualification.skill_points"): "as for titles: a skill level 2 or 1 failing its condition",
    ("qualification", "si_base.reference_wage"): "the 1x base condition compares each month with it, unnamed",
    ("si_base", "si_base.reference_wage"): "each month's base is compared with it; the text names the multiple",
    ("si_base", "social_insurance.wage"): "a base above the ceiling is scored as the ceiling; not named in the text",
}
"""(indicator, parameter) whose change by one unit need not show: a value the rule compares month by month or
uses as a cap, which the explanation does not name and which decides nothing for the holders here."""

Unit = tuple[str, str | None]  # (parameter, table key): what one perturbation changes


@dataclass(frozen=True)
class Seen:
    points: int
    text: dict[str, str]
    read: frozenset[Unit]
    values: dict[Unit, Value]


@dataclass(frozen=True)
class Holder:
    name: str
    facts: dict[str, Any]
    on: date | None
    readings: tuple[tuple[str, str], ...]


def _holders() -> list[Holder]:
    holders = [Holder("contract example", contract_example(), None, ())]
    for case in PERSON_CASES:
        on = date.fromisoformat(case.on) if case.on else None
        holders.append(Holder(case.name, case.build_facts(), on, tuple(sorted(case.readings.items()))))
    for sampled in INDICATOR_CASES[::INDICATOR_SAMPLE]:
        readings = tuple(sorted(sampled.readings.items()))
        holders.append(Holder(sampled.name, sampled.build_facts(), date.fromisoformat(sampled.on), readings))
    return holders


# -- perturbations -----------------------------------------------------------------------------------


def _plus_one(value: Value) -> Value:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, Fraction):
        return value + Fraction(1, 10)
    if isinstance(value, tuple) and value and isinstance(value[0], dict):
        return tuple({k: _bump(v) for k, v in record.items()} for record in value if isinstance(record, dict))
    return value  # a list of ids


def _bump(value: Scalar) -> Scalar:
    """One field of a record: an int +1 (not a bool), anything else as it is."""
    return value + 1 if isinstance(value, int) and not isinstance(value, bool) else value


def _changer(parameter: Parameter, key: str | None) -> Callable[[Value], Value]:
    if key is None:
        return _plus_one

    def change(value: Value) -> Value:
        if isinstance(value, dict) and key in value:
            return {**value, key: value[key] + 1}
        return value

    return change


def _units(parameter: Parameter) -> list[Unit]:
    """What can be changed in ``parameter``: each key of a table, else the whole value if a number is in it."""
    values = [v for entry in parameter.values for v in (entry.value, *_variants(entry.variants))]
    if any(isinstance(v, dict) for v in values):
        return [(parameter.name, key) for key in sorted({k for v in values if isinstance(v, dict) for k in v})]
    return [(parameter.name, None)] if any(_plus_one(v) != v for v in values) else []


def _variants(variants: dict[str, dict[str, Value]]) -> Iterator[Value]:
    for choices in variants.values():
        yield from choices.values()


def _perturbed(policy: Policy, unit: Unit) -> Policy:
    name, key = unit
    parameter = policy.parameters[name]
    change = _changer(parameter, key)
    values = tuple(
        replace(
            entry,
            value=change(entry.value),
            variants={r: {c: change(v) for c, v in choices.items()} for r, choices in entry.variants.items()},
        )
        for entry in parameter.values
    )
    parameters = {**policy.parameters, name: replace(parameter, values=values)}
    return Policy(parameters, policy.versions, policy.readings, policy.selected)


# -- what each rule gives and reads ---------------------------------------------------------------------


def _unit_of(policy: Policy, recorded: str) -> Unit:
    if recorded in policy.parameters:
        return recorded, None
    name, _, key = recorded.rpartition(".")
    return name, key


def _trace(facts: Facts, on: date, policy: Policy) -> dict[str, Seen]:
    ctx = Context(facts, on, policy, recording=True)
    seen = {}
    for indicator in REGISTRY:
        outcome = indicator.scalar(ctx)
        basis = ctx.take_basis()
        values = {_unit_of(policy, b.parameter): b.value for b in basis}
        seen[indicator.id] = Seen(outcome.points, outcome.render(), frozenset(values), values)
    return seen


@cache
def _policy(readings: tuple[tuple[str, str], ...]) -> Policy:
    return load_policy(dict(readings))


def test_each_item_records_exactly_what_decides_it() -> None:
    holders = []
    for holder in _holders():
        policy = _policy(holder.readings)
        facts = parse_facts(holder.facts, policy)
        on = holder.on or facts.as_of or PINNED
        if facts.birth_date > on:
            continue
        holders.append((holder.name, facts, on, policy, _trace(facts, on, policy)))
    assert len(holders) >= 100
    incomplete: list[str] = []
    unused: list[str] = []
    excused: set[tuple[str, str]] = set()
    for readings in {h.readings for h in _holders()}:
        policy = _policy(readings)
        for unit in (u for parameter in policy.parameters.values() for u in _units(parameter)):
            changed = _perturbed(policy, unit)
            for name, facts, on, used_policy, before in holders:
                if used_policy is not policy:
                    continue
                after = _trace(facts, on, changed)
                for indicator, seen in before.items():
                    shows = (after[indicator].points, after[indicator].text) != (seen.points, seen.text)
                    read = unit in seen.read or (unit[0], None) in seen.read
                    if shows and not read:
                        incomplete.append(f"{name}: {indicator} depends on {unit} without recording it")
                    elif read and not shows and seen.values.get(unit, 0) is not None:
                        if (indicator, unit[0]) in COMPARED_ONLY:
                            excused.add((indicator, unit[0]))
                        else:
                            unused.append(f"{name}: {indicator} recorded {unit} but does not show it")
    assert incomplete == []
    assert unused == [], "\n".join(unused)
    assert excused == set(COMPARED_ONLY), "an exception no longer needed: remove it"
