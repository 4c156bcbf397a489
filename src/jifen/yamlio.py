"""YAML as this project writes it: dates stay text (checked by the reader), and only true/false are booleans.

PyYAML follows YAML 1.1, where ``on``, ``off``, ``yes`` and ``no`` are booleans and unquoted dates become
``date`` objects; both surprise a reader of policy data and test cases.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class PlainLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps, with booleans only for true/false."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PlainLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=PlainLoader)  # noqa: S506 - PlainLoader is a SafeLoader
