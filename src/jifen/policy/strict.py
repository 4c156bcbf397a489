"""Strict reading of one YAML file of the policy data: an unknown key, a missing one, a bad date or a
wrong type is refused with the file's name and the key's path (shared by the loader and the text files:
after_decision.yaml, help.yaml)."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from jifen.policy.model import PolicyError
from jifen.yamlio import load_yaml

LANGUAGES = ("zh", "en")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class StrictFile:
    """One YAML file being read; every error names the file and the key path."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name

    def load(self) -> Any:
        try:
            return load_yaml(self.path)
        except yaml.YAMLError as exc:
            raise PolicyError(f"{self.name}: not valid YAML: {exc}") from None

    def error(self, key: str, message: str) -> PolicyError:
        return PolicyError(f"{self.name}: {key}: {message}")

    def mapping(
        self, value: object, key: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(key, f"expected a mapping, got {type(value).__name__}")
        for k in value:
            if k not in required and k not in optional:
                raise self.error(f"{key}.{k}" if key else str(k), "unknown key")
        for k in required:
            if k not in value:
                raise self.error(f"{key}.{k}" if key else k, "missing")
        return value

    def text(self, value: object, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"expected text, got {value!r}")
        return value

    def languages(self, value: object, key: str) -> dict[str, str]:
        """A text in Chinese and English (``{zh, en}``), each stripped."""
        d = self.mapping(value, key, LANGUAGES)
        return {lang: self.text(d[lang], f"{key}.{lang}").strip() for lang in LANGUAGES}

    def date(self, value: object, key: str) -> date:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise self.error(key, f"expected a date YYYY-MM-DD, got {value!r}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(key, f"no such date: {value}") from None


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
