"""The model's one entity: the permit holder, an OpenFisca person. Scoring needs no group entity."""

from __future__ import annotations

from typing import Any

from openfisca_core.entities import build_entity  # type: ignore[import-untyped, import-not-found, unused-ignore]

Person: Any = build_entity(
    key="person",
    plural="persons",
    label="A Shanghai residence permit holder",
    doc="Every fact and every indicator of jifen is about one holder.",
    is_person=True,
)

ENTITIES: list[Any] = [Person]
