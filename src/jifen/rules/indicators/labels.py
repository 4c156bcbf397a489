"""The indicators' labels (zh/en), read strictly from the policy data in use (``policy/indicators.yaml``).

The file must name exactly the registry's indicators, in the registry's (the contract's) order.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from jifen.policy.loader import POLICY_DIR, POLICY_DIR_VARIABLE
from jifen.policy.strict import StrictFile

FILE = "indicators.yaml"


def indicator_labels() -> dict[str, dict[str, str]]:
    """Each indicator's label by id, from the policy data in use (see ``policy_dir``), read once per folder.

    Shared by every item of every score: read, never changed."""
    return _labels_in(os.environ.get(POLICY_DIR_VARIABLE) or "")


@cache
def _labels_in(folder: str) -> dict[str, dict[str, str]]:
    from jifen.rules.indicators import INDICATOR_IDS  # here: the registry imports this module

    return load_labels(Path(folder or POLICY_DIR) / FILE, INDICATOR_IDS)


def load_labels(path: Path, ids: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Read and check ``indicators.yaml``: every indicator of ``ids`` labelled in both languages, in that order."""
    file = StrictFile(path, f"policy/{FILE}")
    entries = file.mapping(file.load(), "", ("indicators",))["indicators"]
    found = file.mapping(entries, "indicators", ids)  # refuses an unknown id and a missing one
    if tuple(found) != ids:
        raise file.error("indicators", f"expected the registry's order: {', '.join(ids)}")
    return {id_: file.languages(found[id_], f"indicators.{id_}") for id_ in ids}
