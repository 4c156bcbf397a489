"""OpenFisca parameters read from jifen's own policy data: no point value, date or wage is typed here.

Each jifen parameter ``group.name`` becomes the OpenFisca parameter (or node) ``group.name``, with one
dated value per ``effective_from`` of the jifen parameter, taken as ``policy.resolve(name, day).value``
so that the selected readings apply. Values are mapped as follows:

- int, bool, str: a parameter; ``None`` (an ``int?`` such as ``public_service.cap``) is a null value,
  which OpenFisca reads as "no value in force": the node at that date lacks the child
  (``"cap" in node`` is false);
- a decimal (:class:`~fractions.Fraction`): a node ``numerator`` / ``denominator`` of ints, so the
  formulas compare bases with multiples of the reference wage exactly, in integers;
- a table (``map<int>``, key -> int): a node with a child per key; a key missing at a date is null
  there, so ``key in table`` is the table's own membership test;
- a list of names or levels (``str[]``, ``int[]``, e.g. ``scheme.choose_one``): a list value;
- records (``si_base.tiers``, ``social_insurance.wage``): a node per record index ``"0"``, ``"1"``, ...
  with the fields as above; an index missing at a date is null there.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from openfisca_core.parameters import ParameterNode  # type: ignore[import-untyped, import-not-found, unused-ignore]

from jifen.policy.model import Policy, Value

Leaf = int | bool | str | list[Any] | None
# OpenFisca keeps these keys of a parameter's data for itself: no child may be named so.
_RESERVED = frozenset({"description", "metadata", "unit", "reference", "documentation", "values", "brackets"})


def _leaves(value: Value | object, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Leaf]:
    """The OpenFisca leaves of one jifen value: path below the parameter -> scalar or list."""
    if isinstance(value, Fraction):
        return {(*path, "numerator"): value.numerator, (*path, "denominator"): value.denominator}
    if isinstance(value, dict):
        out: dict[tuple[str, ...], Leaf] = {}
        for key, item in value.items():
            out.update(_leaves(item, (*path, str(key))))
        return out
    if isinstance(value, tuple):
        if value and all(isinstance(item, dict) for item in value):
            out = {}
            for index, record in enumerate(value):
                out.update(_leaves(record, (*path, str(index))))
            return out
        return {path: list(value)}
    if value is None or isinstance(value, int | str):  # bool is an int
        return {path: value}
    raise TypeError(f"unexpected policy value {value!r}")


def parameter_data(policy: Policy) -> dict[str, Any]:
    """The whole policy as the dict an OpenFisca :class:`ParameterNode` is built from."""
    root: dict[str, Any] = {}
    for name, parameter in sorted(policy.parameters.items()):
        dated = [
            (entry.effective_from, _leaves(policy.resolve(name, entry.effective_from).value))
            for entry in parameter.values
        ]
        paths = sorted({path for _, leaves in dated for path in leaves})
        *groups, last = name.split(".")
        parent = _node(root, tuple(groups))
        if paths == [()]:
            parent[last] = {"description": parameter.description_en, "values": _values(dated, ())}
            continue
        node = _node(parent, (last,))
        node["description"] = parameter.description_en
        for path in paths:
            _node(node, path[:-1])[_key(path[-1])] = {"values": _values(dated, path)}
    return root


def _values(dated: list[tuple[date, dict[tuple[str, ...], Leaf]]], path: tuple[str, ...]) -> dict[str, Any]:
    """The dated values of one leaf; null where the leaf is absent on that date (no value in force)."""
    return {day.isoformat(): {"value": leaves.get(path)} for day, leaves in dated}


def _key(part: str) -> str:
    if part in _RESERVED:
        raise ValueError(f"the key {part!r} is reserved by OpenFisca")
    return part


def _node(root: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    node = root
    for part in path:
        node = node.setdefault(_key(part), {})
    return node


def openfisca_parameters(policy: Policy) -> Any:
    """The OpenFisca parameter tree of ``policy``."""
    return ParameterNode("", data=parameter_data(policy))
