"""An application's materials as its page shows them: grouped by the item they support, each group named in
words (the groups of ``policy/materials.yaml``: 基本材料, then the indicators), a replaced file beside the one
that replaced it; and the categories an upload offers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jifen.advisor.materials import BASIC_LABEL, default_checklist
from jifen.rules.indicators import INDICATOR_IDS, LABELS
from jifen.service.applications.models import Application, CorrectionRequest, Material


@dataclass(frozen=True)
class Category:
    id: str  # "basic" or an indicator id
    label: Mapping[str, str]  # {"zh": ..., "en": ...}


def categories() -> list[Category]:
    """The categories of materials an upload offers: the groups of the policy data's materials list."""
    checklist = default_checklist()
    return [_category("basic"), *(_category(name) for name in checklist.indicators)]


def _category(name: str) -> Category:
    return Category(name, BASIC_LABEL if name == "basic" else LABELS.get(name, {"zh": name, "en": name}))


@dataclass(frozen=True)
class ShownMaterial:
    material: Material
    replaced_by: Material | None  # the later file that took its place; None while it is current
    replaces: Material | None  # the earlier file it took the place of


@dataclass
class MaterialGroup:
    category: Category
    materials: list[ShownMaterial] = field(default_factory=list)


def material_groups(materials: Iterable[Material]) -> list[MaterialGroup]:
    """``materials`` by category, in the order of the materials list (basic first), each in upload order."""
    found = list(materials)
    by_pk = {m.pk: m for m in found}
    later = {m.replaces_id: m for m in found if m.replaces_id is not None}
    order = [c.id for c in categories()]
    order += [i for i in INDICATOR_IDS if i not in order]
    groups: dict[str, MaterialGroup] = {}
    for material in sorted(found, key=lambda m: (_place(order, m.indicator), m.uploaded_at)):
        group = groups.setdefault(material.indicator, MaterialGroup(_category(material.indicator)))
        earlier = by_pk.get(material.replaces_id) if material.replaces_id is not None else None
        group.materials.append(ShownMaterial(material, later.get(material.pk), earlier))
    return list(groups.values())


def _place(order: list[str], indicator: str) -> int:
    return order.index(indicator) if indicator in order else len(order)


def replaceable(materials: Iterable[Material]) -> list[Material]:
    """The files an upload may replace: those no later file has replaced yet."""
    found = list(materials)
    replaced = {m.replaces_id for m in found if m.replaces_id is not None}
    return [m for m in found if m.pk not in replaced]


def asked_to_replace(app: Application, current: Iterable[Material]) -> str | None:
    """The id of the file the open correction request names (the first one still current), so that the upload
    answering it replaces that file unless the agent chooses otherwise; None without one."""
    ids = {str(m.pk) for m in current}
    request = app.corrections.filter(answered_at=None).order_by("-id").first()
    reasons: Any = request.reasons if isinstance(request, CorrectionRequest) else []
    for reason in reasons if isinstance(reasons, list) else []:
        named = reason.get("material") if isinstance(reason, Mapping) else None
        if isinstance(named, str) and named in ids:
            return named
    return None
