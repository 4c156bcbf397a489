"""An OpenFisca model of jifen's scoring indicators, used only by the benchmarks to compare speed with jifen.

It computes, for holders scored on one date, the same points per indicator and the same total as
``jifen.rules.engine.score(facts, on=day, explain=False)`` (no explanations, no eligibility), with
OpenFisca variables and vectorised formulas over parameters built from jifen's own policy data.
``benchmarks/check_openfisca.py`` checks that the results agree holder by holder.

Modules: :mod:`~openfisca_jifen.entities` (the person), :mod:`~openfisca_jifen.parameters` (jifen's
policy as OpenFisca parameters), :mod:`~openfisca_jifen.variables` (inputs and formulas),
:mod:`~openfisca_jifen.system` (the tax-benefit system, built once), :mod:`~openfisca_jifen.inputs`
(the batch Parquet layout to inputs and a simulation), :mod:`~openfisca_jifen.scoring` (entry points),
:mod:`~openfisca_jifen.dates` (calendar arithmetic on numpy arrays).

Needs ``openfisca-core`` (``pip install -e '.[bench]'``); importing this package without it fails.
"""

from __future__ import annotations

from openfisca_jifen.inputs import Inputs, build_simulation, load_population, load_table
from openfisca_jifen.scoring import batch_totals, one_holder, points, simulate
from openfisca_jifen.system import tax_benefit_system
from openfisca_jifen.variables import INDICATORS

__all__ = [
    "INDICATORS",
    "Inputs",
    "batch_totals",
    "build_simulation",
    "load_population",
    "load_table",
    "one_holder",
    "points",
    "simulate",
    "tax_benefit_system",
]
