"""The OpenFisca tax-benefit system of the model: the person entity, jifen's policy as parameters, the variables.

Built once per process and per number of penalty slots (one unless a population holds more penalties
of one kind than :data:`PENALTY_SLOTS`), then reused by every simulation.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from openfisca_core.taxbenefitsystems import TaxBenefitSystem  # type: ignore[import-untyped, import-not-found, unused-ignore]

from jifen.policy.loader import default_policy
from openfisca_jifen.entities import ENTITIES
from openfisca_jifen.parameters import openfisca_parameters
from openfisca_jifen.variables import variables

PENALTY_SLOTS = 4  # date inputs per kind of penalty; more are added (in steps of this) when a holder needs them


def slots_for(most_penalties_of_one_kind: int) -> int:
    """The number of penalty slots of the system able to hold that many penalties of one kind."""
    steps = max(1, -(-most_penalties_of_one_kind // PENALTY_SLOTS))
    return steps * PENALTY_SLOTS


@cache
def tax_benefit_system(penalty_slots: int = PENALTY_SLOTS) -> Any:
    """The tax-benefit system (cached): jifen's default policy, and the variables of the model."""
    system = TaxBenefitSystem(ENTITIES)
    system.parameters = openfisca_parameters(default_policy())
    for variable in variables(penalty_slots):
        system.add_variable(variable)
    return system
