"""Strict loading of the policy YAML: an unknown key, a bad date or a wrong type names file and key.

Layout, beside this module:

- ``sources.yaml``: the documents cited (id -> title, name, href, and for a link that is not the issuing
  authority's own page ``reprint: true`` with its ``publisher``);
- ``versions.yaml``: the points scheme texts and their effective dates;
- ``readings.yaml``: open questions where sources disagree, each with a default and alternatives;
- ``parameters/<group>/<name>.yaml``: one parameter each, named ``<group>.<name>``, with values keyed
  by effective date, each value with its source, confidence tag and optional variants per reading, and
  for a value set every year, ``yearly: {since, source, note}`` (see :mod:`jifen.policy.staleness`); an
  optional ``label: {zh, en}`` names it in words for the text a holder reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from functools import cache
from pathlib import Path

from jifen.policy.model import (
    CONFIDENCE_TAGS,
    Choice,
    DatedValue,
    Document,
    Parameter,
    Policy,
    PolicyError,
    PolicyVersion,
    Reading,
    Record,
    Scalar,
    Source,
    Value,
    Yearly,
)
from jifen.policy.strict import StrictFile

POLICY_DIR = Path(__file__).parent  # the policy data bundled with jifen
POLICY_DIR_VARIABLE = "JIFEN_POLICY_DIR"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


class _File(StrictFile):
    """A file of the policy data, named relative to the folder that holds ``root``."""

    def __init__(self, path: Path, root: Path) -> None:
        try:
            name = str(path.relative_to(root.parent))
        except ValueError:
            name = str(path)
        super().__init__(path, name)


def _scalar_reader(f: _File, kind: str) -> Callable[[object, str], Scalar]:
    optional = kind.endswith("?")
    base = kind.rstrip("?")

    def read(value: object, key: str) -> Scalar:
        if value is None and optional:
            return None
        if base == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if base == "decimal" and isinstance(value, int | str) and not isinstance(value, bool):
            if _DECIMAL.fullmatch(str(value)):
                return Fraction(str(value))
        if base == "str" and isinstance(value, str):
            return value
        if base == "bool" and isinstance(value, bool):
            return value
        raise f.error(key, f"expected {kind}, got {value!r}")

    if base not in ("int", "decimal", "str", "bool"):
        raise f.error("type", f"unknown type {kind!r}")
    return read


def _value_reader(f: _File, kind: str, fields: Mapping[str, str] | None) -> Callable[[object, str], Value]:
    if kind == "record":
        if not fields:
            raise f.error("fields", "type record needs fields")
        record_readers = {name: _scalar_reader(f, t) for name, t in fields.items()}

        def read_record(value: object, key: str) -> Value:
            item_map = f.mapping(value, key, tuple(record_readers))
            return ({name: record_readers[name](item_map[name], f"{key}.{name}") for name in record_readers},)

        return read_record
    if kind == "records":
        if not fields:
            raise f.error("fields", "type records needs fields")
        readers = {name: _scalar_reader(f, t) for name, t in fields.items()}

        def read_records(value: object, key: str) -> Value:
            if not isinstance(value, list) or not value:
                raise f.error(key, f"expected a non-empty list of records, got {value!r}")
            out: list[Record] = []
            for i, item in enumerate(value):
                item_map = f.mapping(item, f"{key}[{i}]", tuple(readers))
                out.append({name: readers[name](item_map[name], f"{key}[{i}].{name}") for name in readers})
            return tuple(out)

        return read_records
    if fields:
        raise f.error("fields", f"only types record and records take fields, not {kind}")
    if kind in ("str[]", "int[]"):
        element = _scalar_reader(f, kind[:-2])

        def read_list(value: object, key: str) -> Value:
            if not isinstance(value, list):
                raise f.error(key, f"expected a list, got {value!r}")
            items = [element(v, f"{key}[{i}]") for i, v in enumerate(value)]
            return tuple(items)  # type: ignore[return-value]

        return read_list
    if kind == "map<int>":
        element = _scalar_reader(f, "int")

        def read_map(value: object, key: str) -> Value:
            if not isinstance(value, Mapping) or not value:
                raise f.error(key, f"expected a non-empty mapping, got {value!r}")
            out: dict[str, int] = {}
            for k, v in value.items():
                checked = element(v, f"{key}.{k}")
                assert isinstance(checked, int)  # noqa: S101 - the element reader returns int
                out[str(k)] = checked
            return out

        return read_map
    return _scalar_reader(f, kind)


def _source(f: _File, value: object, key: str, documents: Mapping[str, Document]) -> Source:
    d = f.mapping(value, key, ("document",), ("article", "href"))
    doc_id = f.text(d["document"], f"{key}.document")
    if doc_id not in documents:
        raise f.error(f"{key}.document", f"unknown document {doc_id!r} (see sources.yaml)")
    document = documents[doc_id]
    article = f.text(d["article"], f"{key}.article") if "article" in d else None
    href = f.text(d["href"], f"{key}.href") if "href" in d else document.href
    return Source(document, article, href)


def _parameter(f: _File, name: str, documents: Mapping[str, Document], readings: Mapping[str, Reading]) -> Parameter:
    top = f.mapping(f.load(), "", ("description", "unit", "type", "values"), ("fields", "note", "yearly", "label"))
    description = f.mapping(top["description"], "description", ("zh", "en"))
    label = None
    if "label" in top:
        words = f.mapping(top["label"], "label", ("zh", "en"))
        label = {lang: f.text(words[lang], f"label.{lang}") for lang in ("zh", "en")}
    kind = f.text(top["type"], "type")
    fields = top.get("fields")
    if fields is not None:
        fields = {str(k): f.text(v, f"fields.{k}") for k, v in f.mapping(fields, "fields", tuple(fields)).items()}
    read = _value_reader(f, kind, fields)
    raw_values = top["values"]
    if not isinstance(raw_values, Mapping) or not raw_values:
        raise f.error("values", "expected a mapping of effective dates to values")
    entries: list[DatedValue] = []
    for raw_day, raw in raw_values.items():
        key = f"values.{raw_day}"
        day = f.date(raw_day, key)
        d = f.mapping(raw, key, ("value", "source", "confidence"), ("note", "also", "provisional", "variants"))
        confidence = d["confidence"]
        if confidence not in CONFIDENCE_TAGS:
            raise f.error(f"{key}.confidence", f"expected one of {', '.join(CONFIDENCE_TAGS)}, got {confidence!r}")
        also = d.get("also", [])
        if not isinstance(also, list):
            raise f.error(f"{key}.also", "expected a list of sources")
        provisional = d.get("provisional", False)
        if not isinstance(provisional, bool):
            raise f.error(f"{key}.provisional", f"expected true or false, got {provisional!r}")
        variants: dict[str, dict[str, Value]] = {}
        raw_variants = d.get("variants") or {}
        if not isinstance(raw_variants, Mapping):
            raise f.error(f"{key}.variants", "expected a mapping of reading ids to alternatives")
        for reading_id, alternatives in raw_variants.items():
            vkey = f"{key}.variants.{reading_id}"
            if reading_id not in readings:
                raise f.error(vkey, f"unknown reading {reading_id!r} (see readings.yaml)")
            choices = f.mapping(alternatives, vkey, (), tuple(readings[reading_id].choices))
            variants[reading_id] = {c: read(v, f"{vkey}.{c}") for c, v in choices.items()}
        note = d.get("note")
        entries.append(
            DatedValue(
                effective_from=day,
                value=read(d["value"], f"{key}.value"),
                source=_source(f, d["source"], f"{key}.source", documents),
                confidence=confidence,
                note=f.text(note, f"{key}.note") if note is not None else None,
                also=tuple(_source(f, s, f"{key}.also[{i}]", documents) for i, s in enumerate(also)),
                provisional=provisional,
                variants=variants,
            )
        )
    starts = [e.effective_from for e in entries]
    if starts != sorted(starts):
        raise f.error("values", "effective dates must be in ascending order")
    return Parameter(
        name=name,
        description_zh=f.text(description["zh"], "description.zh"),
        description_en=f.text(description["en"], "description.en"),
        unit=f.text(top["unit"], "unit"),
        type=kind,
        values=tuple(entries),
        starts=tuple(starts),
        yearly=_yearly(f, top["yearly"], documents) if "yearly" in top else None,
        label=label,
    )


def _yearly(f: _File, value: object, documents: Mapping[str, Document]) -> Yearly:
    d = f.mapping(value, "yearly", ("since", "source"), ("note",))
    since = f.date(d["since"], "yearly.since")
    if (since.month, since.day) == (2, 29):
        raise f.error("yearly.since", "a yearly date needs a day every year has, not 29 February")
    source = _source(f, d["source"], "yearly.source", documents)
    return Yearly(since, source, f.text(d["note"], "yearly.note") if "note" in d else None)


def _documents(root: Path) -> dict[str, Document]:
    f = _File(root / "sources.yaml", root)
    data = f.mapping(f.load(), "", ("documents",))
    out: dict[str, Document] = {}
    for doc_id, raw in f.mapping(data["documents"], "documents", tuple(data["documents"])).items():
        key = f"documents.{doc_id}"
        d = f.mapping(raw, key, ("title", "name", "href"), ("reprint", "publisher"))
        reprint = d.get("reprint", False)
        if not isinstance(reprint, bool):
            raise f.error(f"{key}.reprint", f"expected true or false, got {reprint!r}")
        if reprint != ("publisher" in d):
            raise f.error(f"{key}.publisher", "a reprint names its publisher, and only a reprint has one")
        out[str(doc_id)] = Document(
            str(doc_id),
            f.text(d["title"], f"{key}.title"),
            f.text(d["name"], f"{key}.name"),
            f.text(d["href"], f"{key}.href"),
            reprint,
            f.text(d["publisher"], f"{key}.publisher") if reprint else None,
        )
    return out


def load_documents(root: Path) -> dict[str, Document]:
    """The documents of ``sources.yaml`` under ``root`` (id -> document), checked as the loader checks them."""
    return _documents(root)


def _versions(root: Path, documents: Mapping[str, Document]) -> tuple[PolicyVersion, ...]:
    f = _File(root / "versions.yaml", root)
    data = f.mapping(f.load(), "", ("versions",))
    if not isinstance(data["versions"], list) or not data["versions"]:
        raise f.error("versions", "expected a non-empty list")
    out = []
    for i, raw in enumerate(data["versions"]):
        key = f"versions[{i}]"
        d = f.mapping(raw, key, ("id", "document", "effective_from"), ("valid_until",))
        doc_id = f.text(d["document"], f"{key}.document")
        if doc_id not in documents:
            raise f.error(f"{key}.document", f"unknown document {doc_id!r} (see sources.yaml)")
        doc = documents[doc_id]
        until = d.get("valid_until")
        out.append(
            PolicyVersion(
                id=f.text(d["id"], f"{key}.id"),
                title=doc.title,
                name=doc.name,
                effective_from=f.date(d["effective_from"], f"{key}.effective_from"),
                valid_until=f.date(until, f"{key}.valid_until") if until is not None else None,
                href=doc.href,
            )
        )
    if [v.effective_from for v in out] != sorted(v.effective_from for v in out):
        raise f.error("versions", "effective dates must be in ascending order")
    return tuple(out)


def _readings(root: Path, documents: Mapping[str, Document]) -> dict[str, Reading]:
    f = _File(root / "readings.yaml", root)
    data = f.mapping(f.load(), "", ("readings",))
    out: dict[str, Reading] = {}
    for reading_id, raw in f.mapping(data["readings"], "readings", tuple(data["readings"])).items():
        key = f"readings.{reading_id}"
        d = f.mapping(raw, key, ("question", "default", "choices"))
        question = f.mapping(d["question"], f"{key}.question", ("zh", "en"))
        choices: dict[str, Choice] = {}
        for choice_id, craw in f.mapping(d["choices"], f"{key}.choices", tuple(d["choices"])).items():
            ckey = f"{key}.choices.{choice_id}"
            c = f.mapping(craw, ckey, ("zh", "en", "reason", "sources"))
            if not isinstance(c["sources"], list) or not c["sources"]:
                raise f.error(f"{ckey}.sources", "expected a non-empty list of links")
            choices[str(choice_id)] = Choice(
                str(choice_id),
                f.text(c["zh"], f"{ckey}.zh"),
                f.text(c["en"], f"{ckey}.en"),
                f.text(c["reason"], f"{ckey}.reason"),
                tuple(f.text(s, f"{ckey}.sources[{i}]") for i, s in enumerate(c["sources"])),
            )
        default = f.text(d["default"], f"{key}.default")
        if default not in choices:
            raise f.error(f"{key}.default", f"{default!r} is not one of the choices")
        out[str(reading_id)] = Reading(
            str(reading_id),
            f.text(question["zh"], f"{key}.question.zh"),
            f.text(question["en"], f"{key}.question.en"),
            default,
            choices,
        )
    return out


def load_policy_from(root: Path, readings: Mapping[str, str] | None = None, overlay: Path | None = None) -> Policy:
    """Load and validate the policy data under ``root``; raises :class:`PolicyError`.

    ``overlay``: a folder with ``parameters/<group>/<name>.yaml`` files of proposed changes. Each names a
    parameter of ``root`` and its dated values are added to (or replace, on the same date) the values
    there: a new reference wage from a date, say. Overlay values cite the documents of ``root``.
    """
    documents = _documents(root)
    versions = _versions(root, documents)
    reading_defs = _readings(root, documents)
    parameters: dict[str, Parameter] = {}
    base = root / "parameters"
    for path in sorted(base.rglob("*")):
        if path.is_dir():
            continue
        if path.suffix != ".yaml":
            raise PolicyError(f"{path.relative_to(root.parent)}: only .yaml files belong under parameters/")
        name = ".".join(path.relative_to(base).with_suffix("").parts)
        parameters[name] = _parameter(_File(path, root), name, documents, reading_defs)
    if overlay is not None:
        _apply_overlay(parameters, overlay, documents, reading_defs)
    return Policy(parameters, versions, reading_defs, dict(readings or {}))


def _apply_overlay(
    parameters: dict[str, Parameter], overlay: Path, documents: Mapping[str, Document], readings: Mapping[str, Reading]
) -> None:
    base = overlay / "parameters"
    files = sorted(p for p in base.rglob("*.yaml")) if base.is_dir() else []
    if not files:
        raise PolicyError(f"{overlay}: no parameters/<group>/<name>.yaml files to overlay")
    for path in files:
        name = ".".join(path.relative_to(base).with_suffix("").parts)
        if name not in parameters:
            raise PolicyError(f"{path}: no parameter named {name!r} to change")
        change = _parameter(_File(path, overlay), name, documents, readings)
        original = parameters[name]
        if change.type != original.type:
            raise PolicyError(f"{path}: type: {change.type!r} differs from {original.type!r}")
        merged = {v.effective_from: v for v in original.values} | {v.effective_from: v for v in change.values}
        values = tuple(merged[d] for d in sorted(merged))
        parameters[name] = replace(original, values=values, starts=tuple(sorted(merged)))


def policy_dir() -> Path:
    """The policy data in use: the folder named by ``JIFEN_POLICY_DIR`` when it is set (a test's frozen
    copy, a staging deployment trying out data before it ships), else the data bundled with jifen."""
    return Path(os.environ.get(POLICY_DIR_VARIABLE) or POLICY_DIR)


def default_policy() -> Policy:
    """The policy data in use (see :func:`policy_dir`) with the default readings, loaded once per folder."""
    return _policy_in(os.environ.get(POLICY_DIR_VARIABLE) or "")


@cache
def _policy_in(folder: str) -> Policy:
    return load_policy_from(Path(folder) if folder else POLICY_DIR)


def load_policy(readings: Mapping[str, str] | None = None) -> Policy:
    """The bundled policy data, with some readings switched from their defaults."""
    if not readings:
        return default_policy()
    return default_policy().with_readings(**readings)
