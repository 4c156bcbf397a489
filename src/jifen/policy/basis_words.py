"""Parameter values and basis lines in words, for what a person reads (pages, the notice, the CLI table).

A basis line reads as a sentence: "年龄指标满分获得的最高周岁 43周岁 · 沪府发〔2017〕98号 第六条 · 2018年1月起".
The ids inside values (table keys, list members, modes) take their words from ``vocabulary.yaml``;
consecutive reads of one parameter with the same value and source fold into one line with its date range.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from jifen.policy.loader import policy_dir
from jifen.policy.model import Parameter, Policy
from jifen.policy.wording import day_words, value_words
from jifen.yamlio import load_yaml

Words = dict[str, str]
LANGUAGES = ("zh", "en")
_LIST = {"zh": "、", "en": ", "}
_ENTRIES = {"zh": "；", "en": "; "}
_NONE = {"zh": "无", "en": "none"}
_UNIT_ZH = {"multiple": "{n}倍"}
_UNIT_EN = {"multiple": "{n} times"}


class UnknownTermError(LookupError):
    """A value holds an id that ``vocabulary.yaml`` has no words for."""


@dataclass(frozen=True, slots=True)
class BasisLine:
    """One sentence of an item's basis, with the link to its source."""

    text: Words
    href: str
    parameter: str  # the id, for a technical reference only (inside <code>)
    provisional: bool


@dataclass(frozen=True, slots=True)
class Vocabulary:
    terms: Mapping[str, Mapping[str, Words]]  # parameter -> id -> words
    confidence: Mapping[str, Words]  # tag -> words


@lru_cache(maxsize=8)
def _load(path: Path, stamp: float) -> Vocabulary:
    raw = load_yaml(path)
    return Vocabulary(
        terms={str(n): {str(k): dict(v) for k, v in entries.items()} for n, entries in raw["terms"].items()},
        confidence={str(k): dict(v) for k, v in raw["confidence"].items()},
    )


def _vocabulary_file() -> Vocabulary:
    path = policy_dir() / "vocabulary.yaml"
    return _load(path, path.stat().st_mtime)


def vocabulary() -> Mapping[str, Mapping[str, Words]]:
    """The words of every id inside parameter values, by parameter (read again when the file changes)."""
    return _vocabulary_file().terms


def confidence_words(tag: str) -> Words:
    """A confidence tag (A to D) in words."""
    return dict(_vocabulary_file().confidence[tag])


def term(parameter: str, id_: object) -> Words:
    """The words for ``id_`` inside the value of ``parameter``."""
    found = vocabulary().get(parameter, {}).get(str(id_))
    if found is None:
        raise UnknownTermError(f"vocabulary.yaml has no words for {id_!r} in {parameter}")
    return found


def _number(parameter: Parameter, value: int | float | Fraction) -> Words:
    if isinstance(value, int) and not isinstance(value, bool):
        words = value_words(parameter, value)
        if words is not None:
            return words
    shown = f"{float(value):g}" if not isinstance(value, int) else f"{value:,}"
    return {
        "zh": _UNIT_ZH.get(parameter.unit, "{n}").format(n=shown),
        "en": _UNIT_EN.get(parameter.unit, "{n}").format(n=shown),
    }


def value_in_words(parameter: Parameter, value: object) -> Words:
    """A parameter's value as a person reads it: numbers with their unit, ids as words, tables entry by entry."""
    if value is None:
        return dict(_NONE)
    if isinstance(value, bool):
        return {"zh": "是" if value else "否", "en": "yes" if value else "no"}
    if isinstance(value, int | float | Fraction):
        return _number(parameter, value)
    if isinstance(value, str):
        return _text(parameter, value)
    if isinstance(value, Mapping):
        return _join(
            (_entry(parameter, key, item) for key, item in value.items()),
            _ENTRIES,
        )
    if isinstance(value, Sequence):
        if value and isinstance(value[0], Mapping):
            return _join((_record(parameter, record) for record in value), _ENTRIES)
        return _join((_text(parameter, item) for item in value), _LIST)
    return {"zh": str(value), "en": str(value)}


def _text(parameter: Parameter, item: object) -> Words:
    if isinstance(item, str) and item.replace(".", "", 1).isdigit() and parameter.name not in vocabulary():
        return {"zh": item, "en": item}
    return term(parameter.name, item)


def _entry(parameter: Parameter, key: object, item: object) -> Words:
    name = term(parameter.name, key)
    if isinstance(item, Mapping):
        inner = _join((_field(parameter, k, v) for k, v in item.items()), _LIST)
        return {lang: f"{name[lang]} {inner[lang]}" for lang in LANGUAGES}
    shown = value_in_words(parameter, item)
    return {lang: f"{name[lang]} {shown[lang]}" for lang in LANGUAGES}


def _record(parameter: Parameter, record: Mapping[str, Any]) -> Words:
    """A record by its sentence in the vocabulary (``_record``), else field by field."""
    sentence = vocabulary().get(parameter.name, {}).get("_record")
    if sentence is None:
        return _join((_field(parameter, key, item) for key, item in record.items()), _LIST)
    fields = {lang: {k: _plain(parameter, v, lang) for k, v in record.items()} for lang in LANGUAGES}
    return {lang: sentence[lang].format(**fields[lang]) for lang in LANGUAGES}


def _plain(parameter: Parameter, item: object, lang: str) -> str:
    if isinstance(item, Fraction | float):
        return f"{float(item):g}"
    if isinstance(item, str) and not item.replace(".", "", 1).isdigit():
        return term(parameter.name, item)[lang]
    return str(item)


def _field(parameter: Parameter, key: str, item: object) -> Words:
    name = term(parameter.name, key)
    if isinstance(item, str) and not item.replace(".", "", 1).isdigit():
        shown = term(parameter.name, item)
    elif isinstance(item, int | float | Fraction | str):
        shown = {lang: _plain(parameter, item, lang) for lang in LANGUAGES}
    else:
        shown = value_in_words(parameter, item)
    return {lang: f"{name[lang]} {shown[lang]}" for lang in LANGUAGES}


def _join(parts: Iterable[Words], glue: Words) -> Words:
    listed = list(parts)
    return {lang: glue[lang].join(p[lang] for p in listed) for lang in LANGUAGES}


def parameter_words(policy: Policy, name: str) -> tuple[Parameter, Words]:
    """The parameter behind a basis line's id ("education.points.bachelor_with_degree" is the table
    ``education.points`` at one key) and its name in words."""
    parameter = policy.parameters.get(name)
    if parameter is not None:
        return parameter, parameter.words()
    table, _, key = name.rpartition(".")
    parameter = policy.parameters[table]
    label = parameter.words()
    entry = term(table, key)
    return parameter, {"zh": f"{label['zh']}：{entry['zh']}", "en": f"{label['en']}: {entry['en']}"}


def basis_lines(basis: Iterable[Mapping[str, Any]], policy: Policy) -> list[BasisLine]:
    """An item's basis (``Basis.to_dict()`` rows) as sentences, identical consecutive values folded."""
    groups: list[list[Mapping[str, Any]]] = []
    for row in basis:
        last = groups[-1][-1] if groups else None
        if last is not None and all(last.get(k) == row.get(k) for k in ("parameter", "value", "source")):
            groups[-1].append(row)
        else:
            groups.append([row])
    return [_line(group, policy) for group in groups]


def _line(group: Sequence[Mapping[str, Any]], policy: Policy) -> BasisLine:
    first, last = group[0], group[-1]
    parameter, name = parameter_words(policy, str(first["parameter"]))
    shown = value_in_words(parameter, first["value"])
    start, end = day_words(_day(first["effective_from"])), day_words(_day(last["effective_from"]))
    provisional = any(bool(row.get("provisional")) for row in group)
    if len(group) == 1:
        when = {"zh": f"{start['zh']}起", "en": f"from {start['en']}"}
    else:
        when = {"zh": f"{start['zh']}至{end['zh']}各期", "en": f"each period from {start['en']} to {end['en']}"}
    if provisional:
        when = {"zh": when["zh"] + "（最近一期暂定）", "en": when["en"] + " (the latest provisional)"}
    text = {lang: f"{name[lang]} {shown[lang]} · {first['source']} · {when[lang]}" for lang in LANGUAGES}
    return BasisLine(
        text=text, href=str(first.get("href") or ""), parameter=str(first["parameter"]), provisional=provisional
    )


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
