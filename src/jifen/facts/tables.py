"""The facts of a filing (``jifen.facts/1``) as tables a person reads, and what changed against earlier facts.

``fact_tables(facts, today)`` turns a facts document into sections (基本情况, 教育背景, 社会保险缴费, ...), each
of groups (one per entry of a list: 第1段缴费, ...) of rows: a label and a value, both in Chinese and English,
the words coming from the policy data (``policy/facts_labels.yaml``: every key of the schema has its label,
every enumerated value its words). A date keeps the day itself beside its words, for the page's ``<time>``.
A key the schema does not know is still shown, in a last section, under "其他字段：key".

``compare(now, before)`` marks the rows of ``now`` against the tables of earlier facts (the approval a
change replaces): a row whose value differs is "changed" and carries the value before; rows and entries only
in ``now`` are "added", those only in ``before`` come back "removed", each where it stood.

Rows are keyed by the facts path they show (``social_insurance[1].base``), so entries of a list are compared
by their position: a run split in two shows its end changed and the second half added.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from jifen.facts.model import (
    AWARD_LEVELS,
    EDUCATION_LEVELS,
    FACTS_SCHEMA,
    PENALTY_KINDS,
    REMOTE_AREAS,
    SKILL_LEVELS,
    TITLE_LEVELS,
    VETO_KINDS,
)
from jifen.policy.loader import policy_dir
from jifen.policy.model import PolicyError
from jifen.policy.wording import date_words, day_words
from jifen.yamlio import load_yaml

LABELS_FILE = "facts_labels.yaml"

Words = Mapping[str, str]  # {"zh": ..., "en": ...}
T = TypeVar("T")

# How each key of jifen.facts/1 is shown: the kind of its value. Objects and list entries list their keys;
# two rows of an entry stand for two keys each (the title or skill with its kind, the months paid from-to).
_TOP: dict[str, str] = {
    "schema": "enum",  # the format's version, in words
    "as_of": "date",
    "birth_date": "date",
    "id_number": "text",
    "hukou_spouse_married_on": "date",
    "shortage_major_matching_post": "flag",
    "entrepreneur_talent": "flag",
    "innovation_intermediary_talent": "flag",
    "fresh_graduate": "flag",
}
_OBJECTS: dict[str, dict[str, str]] = {
    "residence_permit": {"valid_from": "date", "valid_until": "date"},
    "investment": {"avg_annual_tax_yuan": "yuan", "avg_annual_hukou_employees": "persons"},
    "last_approved": {"total": "points", "on": "date"},
}
_LISTS: dict[str, dict[str, str]] = {
    "education": {"level": "enum", "degree": "flag", "graduated_on": "date", "full_time": "flag", "foreign": "flag"},
    "qualifications": {
        "level": "qualification",
        "obtained_on": "date",
        "obtained_in_shanghai": "flag",
        "matches_post": "flag",
    },
    "social_insurance": {
        "months": "months",
        "base": "yuan_per_month",
        "back_paid": "flag",
        "employer_matches_contract": "flag",
        "employer_uscc": "text",
    },
    "remote_area": {"area": "enum", "from": "date", "to": "until"},
    "public_service": {"from": "date", "to": "until"},
    "awards": {"level": "enum", "awarded_on": "date"},
    "penalties": {"kind": "enum", "on": "date"},
    "vetoes": {"kind": "enum", "on": "date"},
}
# The keys of an entry a row shows besides its own: (list, row) -> the entry's keys it reads
_READS: dict[tuple[str, str], tuple[str, ...]] = {
    ("qualifications", "level"): ("kind", "level"),
    ("social_insurance", "months"): ("from", "to"),
}
TOP_KEYS = (*_TOP, *_OBJECTS, *_LISTS)
ROW_IDS = (
    *_TOP,
    *_OBJECTS,
    *(f"{o}.{k}" for o, keys in _OBJECTS.items() for k in keys),
    *_LISTS,
    *(f"{name}[].{k}" for name, keys in _LISTS.items() for k in keys),
)
ENUMS: dict[str, tuple[str, ...]] = {
    "schema": (FACTS_SCHEMA,),
    "education[].level": EDUCATION_LEVELS,
    "qualifications[].level": (*(f"title:{t}" for t in TITLE_LEVELS), *(f"skill:{s}" for s in SKILL_LEVELS)),
    "remote_area[].area": REMOTE_AREAS,
    "awards[].level": AWARD_LEVELS,
    "penalties[].kind": PENALTY_KINDS,
    "vetoes[].kind": VETO_KINDS,
}
WORDS = (
    "yes",
    "no",
    "ongoing",
    "none",
    "not_given",
    "other",
    "other_section",
    "months",
    "months_one",
    "months_ongoing",
    "months_ongoing_one",
    "yuan_per_month",
    "yuan",
    "persons",
    "points",
)
OTHER = "other"  # the id of the last section, of keys the schema does not know


@dataclass(frozen=True, slots=True)
class Value:
    """A value in words; ``day`` is the date itself when it is one (words then the date in words)."""

    text: Words
    day: date | None = None


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # the facts path shown: "birth_date", "social_insurance[1].base", "awards" (an empty list)
    label: Words
    value: Value
    change: str = ""  # against earlier facts: "", "changed", "added" or "removed"
    before: Value | None = None  # the value in the earlier facts, for a changed row

    @property
    def marked(self) -> bool:
        return self.change != ""


@dataclass(frozen=True, slots=True)
class Group:
    """The rows of one entry of a list (with its ``title``), or of the keys of a section that is no list."""

    key: str  # "social_insurance[1]"; the section's id for rows outside a list
    title: Words | None
    rows: tuple[Row, ...]
    change: str = ""  # "added" or "removed" when the whole entry is


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Words
    groups: tuple[Group, ...]
    order: int = 0  # its place on the page

    @property
    def changed(self) -> bool:
        return any(g.change or any(r.marked for r in g.rows) for g in self.groups)


@dataclass(frozen=True, slots=True)
class FactLabels:
    sections: tuple[tuple[str, Words, tuple[str, ...]], ...]  # (id, title, top-level keys)
    labels: Mapping[str, Words]  # row id ("education[].level") -> label
    entries: Mapping[str, Words]  # list -> the name of one entry, with {n}
    values: Mapping[str, Mapping[str, Words]]  # row id -> enumerated value -> words
    words: Mapping[str, Words]


# -- the labels ----------------------------------------------------------------------------------------------


def default_labels() -> FactLabels:
    """The labels of the policy data in use (see ``policy_dir``)."""
    return _labels_in(policy_dir() / LABELS_FILE)


@cache
def _labels_in(path: Path) -> FactLabels:
    return load_labels(path)


def load_labels(path: Path) -> FactLabels:
    """Read and check ``facts_labels.yaml``: every key of the schema labelled, every value in words."""
    name = f"policy/{path.name}"
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != {"sections", "labels", "entries", "values", "words"}:
        raise PolicyError(f"{name}: expected exactly sections, labels, entries, values and words")

    def words(value: object, where: str, fields: tuple[str, ...] = ()) -> Words:
        if (
            not isinstance(value, dict)
            or set(value) != {"zh", "en"}
            or not all(isinstance(v, str) for v in value.values())
        ):
            raise PolicyError(f"{name}: {where}: expected zh and en texts")
        for field in fields:
            if not all("{" + field + "}" in text for text in value.values()):
                raise PolicyError(f"{name}: {where}: both texts must contain {{{field}}}")
        return {"zh": value["zh"], "en": value["en"]}

    def exactly(found: object, expected: Iterable[str], where: str) -> Mapping[str, Any]:
        if not isinstance(found, dict):
            raise PolicyError(f"{name}: {where}: expected a mapping")
        wanted = list(expected)
        missing = [k for k in wanted if k not in found]
        unknown = [str(k) for k in found if k not in wanted]
        if missing or unknown:
            raise PolicyError(
                f"{name}: {where}: "
                + "; ".join([*(f"no words for {k}" for k in missing[:1]), *(f"unknown key {k}" for k in unknown[:1])])
            )
        return found

    sections = []
    placed: list[str] = []
    raw_sections = data["sections"]
    if not isinstance(raw_sections, list):
        raise PolicyError(f"{name}: sections: expected a list")
    for i, raw in enumerate(raw_sections):
        where = f"sections[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"id", "title", "keys"} or not isinstance(raw["keys"], list):
            raise PolicyError(f"{name}: {where}: expected id, title and a list of keys")
        keys = tuple(str(k) for k in raw["keys"])
        for key in keys:
            if key not in TOP_KEYS or key in placed:
                raise PolicyError(f"{name}: {where}.keys: {key} is not a key of the facts, or placed twice")
        placed.extend(keys)
        sections.append((str(raw["id"]), words(raw["title"], f"{where}.title"), keys))
    unplaced = [k for k in TOP_KEYS if k not in placed]
    if unplaced:
        raise PolicyError(f"{name}: sections: no section shows {unplaced[0]}")
    labels = exactly(data["labels"], ROW_IDS, "labels")
    entries = exactly(data["entries"], _LISTS, "entries")
    values = exactly(data["values"], ENUMS, "values")
    said = exactly(data["words"], WORDS, "words")
    placeholders = {
        "other": ("key",),
        "months": ("from", "to", "n"),
        "months_one": ("from", "to", "n"),
        "months_ongoing": ("from", "upto", "n"),
        "months_ongoing_one": ("from", "upto", "n"),
    }
    return FactLabels(
        sections=tuple(sections),
        labels={k: words(v, f"labels.{k}") for k, v in labels.items()},
        entries={k: words(v, f"entries.{k}", ("n",)) for k, v in entries.items()},
        values={
            k: {str(v): words(w, f"values.{k}.{v}") for v, w in exactly(found, ENUMS[k], f"values.{k}").items()}
            for k, found in values.items()
        },
        words={
            k: words(v, f"words.{k}", placeholders.get(k, ("n",) if k in _UNIT_WORDS else ())) for k, v in said.items()
        },
    )


_UNIT_WORDS = ("yuan_per_month", "yuan", "persons", "points")


# -- the tables ----------------------------------------------------------------------------------------------


def fact_tables(facts: Mapping[str, Any], today: date, labels: FactLabels | None = None) -> tuple[Section, ...]:
    """``facts`` (a ``jifen.facts/1`` document as filed) as sections of labelled rows; sections without any
    of their keys in ``facts`` are left out. ``today`` ends the months of a run still being paid (the
    facts' ``as_of`` when they give one)."""
    shown = _Shower(labels or default_labels(), facts, today)
    out = []
    for order, (section_id, title, keys) in enumerate(shown.labels.sections):
        groups: list[Group] = []
        plain: list[Row] = []
        for key in keys:
            if key not in facts:
                continue
            if key in _LISTS:
                groups.extend(shown.entries(key, facts[key]))
            elif key in _OBJECTS:
                plain.extend(shown.obj(key, facts[key]))
            else:
                plain.append(shown.row(key, key, _TOP[key], facts[key]))
        if plain:
            groups.insert(0, Group(section_id, None, tuple(plain)))
        if groups:
            out.append(Section(section_id, title, tuple(groups), order))
    unknown = [k for k in facts if k not in TOP_KEYS]
    if unknown:
        rows = tuple(shown.other(str(k), facts[k], str(k)) for k in unknown)
        out.append(Section(OTHER, shown.word("other_section"), (Group(OTHER, None, rows),), len(out) + 1000))
    return tuple(out)


class _Shower:
    def __init__(self, labels: FactLabels, facts: Mapping[str, Any], today: date) -> None:
        self.labels = labels
        as_of = _iso_date(facts.get("as_of"))
        self.upto = _month_number(as_of or today)

    def word(self, name: str, **fields: Words | str) -> Words:
        return {lang: _fill(text, lang, fields) for lang, text in self.labels.words[name].items()}

    def row(self, key: str, row_id: str, kind: str, value: Any) -> Row:
        return Row(key, self.labels.labels[row_id], self.value(row_id, kind, value))

    def other(self, key: str, value: Any, name: str) -> Row:
        label = {lang: text.replace("{key}", name) for lang, text in self.labels.words["other"].items()}
        return Row(key, label, _text(_json(value)))

    def obj(self, key: str, value: Any) -> list[Row]:
        if not isinstance(value, Mapping):  # null: the object is not given
            return [Row(key, self.labels.labels[key], self.not_given(value))]
        kinds = _OBJECTS[key]
        rows = [self.row(f"{key}.{k}", f"{key}.{k}", kinds[k], value[k]) for k in kinds if k in value]
        rows += [self.other(f"{key}.{k}", v, f"{key}.{k}") for k, v in value.items() if k not in kinds]
        return rows

    def entries(self, name: str, value: Any) -> list[Group]:
        if not isinstance(value, list):
            return [Group(name, None, (Row(name, self.labels.labels[name], self.not_given(value)),))]
        if not value:  # an empty list: said so, never marked as a change (see compare)
            return [Group(name, None, (Row(f"{name}#none", self.labels.labels[name], Value(self.word("none"))),))]
        kinds = _LISTS[name]
        groups = []
        for i, entry in enumerate(value):
            path = f"{name}[{i}]"
            title = {lang: text.replace("{n}", str(i + 1)) for lang, text in self.labels.entries[name].items()}
            if not isinstance(entry, Mapping):
                groups.append(Group(path, title, (self.other(path, entry, path),)))
                continue
            rows: list[Row] = []
            read: set[str] = set()
            for k, kind in kinds.items():
                keys = _READS.get((name, k), (k,))
                if not any(key in entry for key in keys):
                    continue
                read.update(keys)
                shown = {key: entry.get(key) for key in keys} if len(keys) > 1 else entry[k]
                rows.append(
                    Row(f"{path}.{k}", self.labels.labels[f"{name}[].{k}"], self.value(f"{name}[].{k}", kind, shown))
                )
            rows += [self.other(f"{path}.{k}", v, f"{path}.{k}") for k, v in entry.items() if k not in read]
            groups.append(Group(path, title, tuple(rows)))
        return groups

    def not_given(self, value: Any) -> Value:
        return Value(self.word("not_given")) if value is None else _text(_json(value))

    def value(self, row_id: str, kind: str, value: Any) -> Value:
        if value is None and kind not in ("until", "months", "qualification"):
            return Value(self.word("not_given"))
        if kind == "date" or kind == "until":
            if value is None:
                return Value(self.word("ongoing"))
            day = _iso_date(value)
            return Value(date_words(day), day) if day is not None else _text(_json(value))
        if kind == "flag":
            return Value(self.word("yes" if value else "no")) if isinstance(value, bool) else _text(_json(value))
        if kind == "enum":
            found = self.labels.values[row_id].get(str(value)) if isinstance(value, str) else None
            return Value(found) if found is not None else _text(_json(value))
        if kind == "qualification":
            kind_level = f"{value.get('kind')}:{value.get('level')}"
            found = self.labels.values[row_id].get(kind_level)
            return Value(found) if found is not None else _text(_json(value))
        if kind == "months":
            return self.months(value)
        if kind in _UNIT_WORDS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return _text(_json(value))
            return Value(self.word(kind, n=_number(value)))
        return _text(value if isinstance(value, str) else _json(value))

    def months(self, value: Mapping[str, Any]) -> Value:
        first, last = _month(value.get("from")), _month(value.get("to"))
        if first is None or (last is None and value.get("to") is not None):
            return _text(_json(value))
        end = self.upto if last is None else last
        n = max(end - first + 1, 0)
        fields = {"from": _month_words(first), "n": {"zh": str(n), "en": str(n)}}
        if last is None:
            name = "months_ongoing_one" if n == 1 else "months_ongoing"
            return Value(self.word(name, **(fields | {"upto": _month_words(self.upto)})))
        return Value(self.word("months_one" if n == 1 else "months", **(fields | {"to": _month_words(last)})))


def _fill(text: str, lang: str, fields: Mapping[str, Any]) -> str:
    for name, value in fields.items():
        text = text.replace("{" + name + "}", value[lang] if isinstance(value, Mapping) else str(value))
    return text


def _text(text: str) -> Value:
    return Value({"zh": text, "en": text})


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _month(value: object) -> int | None:
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        return None
    try:
        year, month = int(value[:4]), int(value[5:])
    except ValueError:
        return None
    return year * 12 + month - 1 if 1 <= month <= 12 else None


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_words(month: int) -> Words:
    return day_words(date(month // 12, month % 12 + 1, 1))


# -- against earlier facts -----------------------------------------------------------------------------------


def compare(now: Sequence[Section], before: Sequence[Section]) -> tuple[Section, ...]:
    """``now`` with its rows marked against ``before`` (see the module's text); sections, entries and rows only
    in ``before`` are put back, marked "removed", after what preceded them there."""
    earlier = {s.id: s for s in before}
    later = {s.id: s for s in now}
    out = []
    for section_id in _union([s.id for s in now], [s.id for s in before]):
        section, old = later.get(section_id), earlier.get(section_id)
        if section is None:
            assert old is not None  # noqa: S101 - from one of the two
            out.append(replace(old, groups=_kept(_removed_group(g) for g in old.groups)))
            continue
        old_groups = {g.key: g for g in old.groups} if old is not None else {}
        new_groups = {g.key: g for g in section.groups}
        groups = []
        for key in _union(list(new_groups), list(old_groups)):
            group, was = new_groups.get(key), old_groups.get(key)
            if group is None:
                assert was is not None  # noqa: S101
                groups.append(_removed_group(was))
            elif was is None:
                added = group.title is not None  # an entry of a list; else the rows say it one by one
                rows = tuple(_marked(r, "added") for r in group.rows)
                groups.append(replace(group, rows=rows, change="added" if added else ""))
            else:
                groups.append(replace(group, rows=_rows(group.rows, was.rows)))
        out.append(replace(section, groups=_kept(groups)))
    return tuple(sorted(out, key=lambda s: s.order))


def _rows(now: tuple[Row, ...], before: tuple[Row, ...]) -> tuple[Row, ...]:
    old = {r.key: r for r in before}
    new = {r.key: r for r in now}
    out = []
    for key in _union(list(new), list(old)):
        row, was = new.get(key), old.get(key)
        if row is None:
            assert was is not None  # noqa: S101
            out.append(_marked(was, "removed"))
        elif was is None:
            out.append(_marked(row, "added"))
        elif row.value.text != was.value.text:
            out.append(replace(row, change="changed", before=was.value))
        else:
            out.append(row)
    return tuple(out)


def _marked(row: Row, change: str) -> Row:
    return row if row.key.endswith("#none") else replace(row, change=change)


def _removed_group(group: Group) -> Group:
    rows = tuple(_marked(r, "removed") for r in group.rows if not r.key.endswith("#none"))
    return replace(group, rows=rows, change="removed" if group.title is not None else "")


def _kept(groups: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(g for g in groups if g.rows)


def _union(now: list[T], before: list[T]) -> list[T]:
    """The items of ``now`` in order, each item only in ``before`` after the item that precedes it there."""
    out = list(now)
    present = set(now)
    for i, item in enumerate(before):
        if item in present:
            continue
        previous = next((before[j] for j in range(i - 1, -1, -1) if before[j] in present), None)
        out.insert(0 if previous is None else out.index(previous) + 1, item)
        present.add(item)
    return out


def changed(sections: Iterable[Section]) -> bool:
    """Whether any row of ``sections`` is marked."""
    return any(s.changed for s in sections)
