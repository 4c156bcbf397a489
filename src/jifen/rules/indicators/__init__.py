"""The indicators, one module each (or one per tight family), listed once in the contract's order.

An indicator is whole in its module: the scalar rule (one holder, with its explanation), the column rule
(the same rule over a chunk of the batch layout, with numpy) and the days on which it can change for a
holder (what the advisor scores on); its label is policy data (``policy/indicators.yaml``). The scalar
engine (:mod:`jifen.rules.engine`), the vectorised engine (:mod:`jifen.batch.vectorised.engine`), the
advisor's events (:mod:`jifen.advisor.events`) and the property test holding the two forms equal all
loop over :data:`REGISTRY`. A new indicator is a new module, its parameters, its label, its golden cases
(``tests/golden/<id>.yaml``) and one line below.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from jifen.rules.indicators import (
    age,
    awards,
    deductions,
    education,
    flag_bonus,
    investment,
    period_bonus,
    qualification,
    si_base,
    si_years,
)
from jifen.rules.indicators.indicator import Changes, Column, Indicator, Scalar
from jifen.rules.indicators.labels import indicator_labels

__all__ = [
    "INDICATORS",
    "INDICATOR_IDS",
    "LABELS",
    "REGISTRY",
    "Changes",
    "Column",
    "Indicator",
    "Scalar",
    "indicator_labels",
]

REGISTRY: tuple[Indicator, ...] = (
    age.AGE,
    education.EDUCATION,
    qualification.QUALIFICATION,
    si_years.SI_YEARS,
    si_base.SI_BASE,
    flag_bonus.SHORTAGE_MAJOR,
    investment.INVESTMENT,
    period_bonus.PUBLIC_SERVICE,
    period_bonus.REMOTE_AREA,
    flag_bonus.FRESH_GRADUATE,
    awards.AWARDS,
    period_bonus.HUKOU_SPOUSE,
    flag_bonus.ENTREPRENEUR,
    flag_bonus.INNOVATION_INTERMEDIARY,
    deductions.FALSE_MATERIAL,
    deductions.ADMINISTRATIVE_DETENTION,
    deductions.CRIMINAL_RECORD,
)

INDICATOR_IDS: tuple[str, ...] = tuple(indicator.id for indicator in REGISTRY)

INDICATORS: tuple[tuple[str, Scalar], ...] = tuple((indicator.id, indicator.scalar) for indicator in REGISTRY)
"""Each id with its scalar rule (as before the registry)."""


class _Labels(Mapping[str, dict[str, str]]):
    """Each indicator's label by id, from the policy data in use when asked (see :func:`indicator_labels`)."""

    def __getitem__(self, indicator: str) -> dict[str, str]:
        return indicator_labels()[indicator]

    def __iter__(self) -> Iterator[str]:
        return iter(indicator_labels())

    def __len__(self) -> int:
        return len(indicator_labels())


LABELS: Mapping[str, dict[str, str]] = _Labels()
