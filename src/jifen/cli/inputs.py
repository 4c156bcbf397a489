"""Reading command-line inputs: facts files (or standard input), dates and readings, with exit 2 on error."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import typer

from jifen.facts.parse import FactsError
from jifen.policy.loader import load_policy
from jifen.policy.model import Policy, PolicyError

BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(BAD_INPUT)


def fail_facts(error: FactsError) -> NoReturn:
    for item in error.errors:
        typer.echo(f"error: {item}", err=True)
    raise typer.Exit(BAD_INPUT)


def read_json(source: str) -> Any:
    """The JSON document in file ``source``, or on standard input for ``-``."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{source}: {exc.strerror or exc}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{source}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")


def parse_on(value: str | None, option: str = "--on") -> date | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    fail(f"{option}: expected a date YYYY-MM-DD, got {value!r}")


def policy_with(readings: list[str]) -> Policy:
    selected: dict[str, str] = {}
    for item in readings:
        reading, sep, choice = item.partition("=")
        if not sep:
            fail(f"--reading: expected ID=CHOICE, got {item!r}")
        selected[reading] = choice
    try:
        return load_policy(selected)
    except PolicyError as exc:
        fail(f"--reading: {exc}")
