"""Scoring with the model: a whole batch file, or one holder through a one-person simulation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from jifen.batch.layout import INPUT_SCHEMA, to_row
from openfisca_jifen.dates import Array
from openfisca_jifen.inputs import Inputs, build_simulation, load_population, load_table
from openfisca_jifen.system import tax_benefit_system
from openfisca_jifen.variables import INDICATORS


def points(simulation: Any, on: date, *, counted: bool = False) -> dict[str, Array]:
    """Each indicator's points (by indicator id) and ``"total"`` of a simulation scored on ``on``; with
    ``counted``, also whether each item counts in the total (``"<indicator>_counted"``)."""
    scoring_day = on.isoformat()
    out = {indicator: np.asarray(simulation.calculate(f"{indicator}_points", scoring_day)) for indicator in INDICATORS}
    out["total"] = np.asarray(simulation.calculate("total_points", scoring_day))
    if counted:
        for indicator in INDICATORS:
            name = f"{indicator}_counted"
            out[name] = np.asarray(simulation.calculate(name, scoring_day))
    return out


def simulate(inputs: Inputs) -> Any:
    """A simulation of prepared inputs on the (cached) system with enough penalty slots."""
    return build_simulation(tax_benefit_system(inputs.penalty_slots), inputs, inputs.on)


def batch_totals(path: Path, on: date, *, counted: bool = False) -> dict[str, Array]:
    """Score every holder of a batch Parquet file on ``on``: per indicator id and ``"total"``, in file order
    (with ``counted``, also ``"<indicator>_counted"``)."""
    _, inputs = load_population(path, on)
    return points(simulate(inputs), on, counted=counted)


def one_holder(facts: Mapping[str, Any], on: date) -> int:
    """The total of one holder (a ``jifen.facts/1`` document) on ``on``, through a fresh one-person simulation."""
    table = pa.Table.from_pylist([to_row("holder", dict(facts))], schema=INPUT_SCHEMA)
    simulation = simulate(load_table(table, on))
    return int(simulation.calculate("total_points", on.isoformat())[0])
