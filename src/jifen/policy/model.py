"""The law as data: dated parameter values with sources, policy versions and switchable readings."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TypeAlias
from urllib.parse import urlsplit

from jifen.dates import Month, first_day

Record: TypeAlias = dict[str, "Scalar"]
Scalar: TypeAlias = int | str | bool | Fraction | None
Value: TypeAlias = Scalar | tuple[str, ...] | tuple[int, ...] | dict[str, int] | tuple[Record, ...]

CONFIDENCE_TAGS = ("A", "B", "C", "D")


class PolicyError(ValueError):
    """The policy data is wrong; the message names the file and the key."""


class NotInForceError(LookupError):
    """A parameter or policy version is asked for on a date before its first value."""


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str  # e.g. 沪府发〔2017〕98号
    name: str  # e.g. 上海市居住证积分管理办法
    href: str
    reprint: bool = False  # ``href`` is a copy published by someone other than the issuing authority
    publisher: str | None = None  # who published that copy (set exactly when ``reprint``)


@dataclass(frozen=True, slots=True)
class Source:
    document: Document
    article: str | None
    href: str

    def cite(self) -> str:
        return f"{self.document.title} {self.article}" if self.article else self.document.title

    @property
    def publisher(self) -> str | None:
        """Who published the page linked when it is a reprint; None for the issuing authority's own page.

        The document's own link is a reprint when sources.yaml says so; another link is the authority's own
        only on the same site as the document's official link, and otherwise a reprint by its site."""
        if self.href == self.document.href:
            return self.document.publisher if self.document.reprint else None
        site = site_of(self.href)
        if not self.document.reprint and site == site_of(self.document.href):
            return None
        return site


def site_of(href: str) -> str:
    """A link's site as a reader names it: its host without ``www.`` or a mobile ``m.``."""
    host = urlsplit(href).hostname or href
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


@dataclass(frozen=True, slots=True)
class DatedValue:
    effective_from: date
    value: Value
    source: Source
    confidence: str
    note: str | None = None
    also: tuple[Source, ...] = ()
    provisional: bool = False
    # reading id -> choice -> value used instead of ``value`` when that choice is selected
    variants: dict[str, dict[str, Value]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Yearly:
    """A parameter given a new value every year: one is due on the month and day of ``since``, every year
    from ``since`` on (``jifen policy check`` says when it is missing or still provisional)."""

    since: date
    source: Source
    note: str | None = None

    def due_on_or_before(self, day: date) -> date | None:
        """The latest day a yearly value was due on or before ``day``; None before ``since``."""
        if day < self.since:
            return None
        due = self.since.replace(year=day.year)
        return due if due <= day else self.since.replace(year=day.year - 1)


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # dotted path, e.g. "age.full_points_max_age"
    description_zh: str
    description_en: str
    unit: str
    type: str
    values: tuple[DatedValue, ...]  # oldest first
    starts: tuple[date, ...]  # effective_from of each value, for bisect
    yearly: Yearly | None = None  # a new value is due every year
    label: dict[str, str] | None = None  # a short name in words, zh and en, for text the holder reads

    def entry_at(self, day: date) -> DatedValue:
        """The value in force on ``day``: the latest whose effective date is not after it."""
        index = bisect_right(self.starts, day) - 1
        if index < 0:
            raise NotInForceError(f"{self.name} has no value before {self.starts[0]}, asked for {day}")
        return self.values[index]

    def words(self) -> dict[str, str]:
        """The parameter named in words (its ``label``, else its description), never its id."""
        return self.label or {"zh": self.description_zh, "en": self.description_en}


@dataclass(frozen=True, slots=True, eq=False)  # identity: cached per policy, so usable as a cache key
class Resolved:
    """A parameter's value on a date, under the selected readings, with where it came from."""

    parameter: str
    value: Value
    entry: DatedValue
    reading: str | None  # "reading_id=choice" when a variant replaced the default value


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    id: str
    title: str
    name: str
    effective_from: date
    valid_until: date | None
    href: str


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    zh: str
    en: str
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    """An open question where sources disagree, with the chosen default and its alternatives."""

    id: str
    question_zh: str
    question_en: str
    default: str
    choices: dict[str, Choice]


class Policy:
    """All parameters, versions and readings, loaded once; ``readings`` selects among variants."""

    def __init__(
        self,
        parameters: dict[str, Parameter],
        versions: tuple[PolicyVersion, ...],
        readings: dict[str, Reading],
        selected: dict[str, str] | None = None,
    ) -> None:
        self.parameters = parameters
        self.versions = versions
        self.readings = readings
        self.selected = {r.id: r.default for r in readings.values()}
        for reading, choice in (selected or {}).items():
            if reading not in readings:
                raise PolicyError(f"unknown reading {reading!r}; known: {', '.join(sorted(readings))}")
            if choice not in readings[reading].choices:
                known = ", ".join(readings[reading].choices)
                raise PolicyError(f"reading {reading!r} has no choice {choice!r}; choices: {known}")
            self.selected[reading] = choice
        # Caches: scoring many holders on one date reads the same values again and again.
        self._resolve_cache: dict[tuple[str, date], Resolved] = {}
        self._month_cache: dict[tuple[str, Month], Resolved] = {}
        self._window_cache: dict[tuple[str, Month, int, int, int], tuple[int, ...]] = {}
        self._distinct_cache: dict[tuple[str, Month, int], tuple[Resolved, ...]] = {}
        self._view_cache: dict[date, dict[str, Resolved]] = {}
        self._interned: dict[tuple[str, date], Resolved] = {}  # by parameter and the date its value took effect
        self._field_cache: dict[tuple[str, str, Month, int], tuple[tuple[int, Resolved] | None, ...]] = {}

    def with_readings(self, **selected: str) -> Policy:
        """The same data with other readings selected (those not named keep their current choice)."""
        return Policy(self.parameters, self.versions, self.readings, {**self.selected, **selected})

    def non_default_readings(self) -> dict[str, str]:
        return {k: v for k, v in self.selected.items() if v != self.readings[k].default}

    def version_at(self, day: date) -> PolicyVersion:
        """The points scheme text in force on ``day``; the latest one continues past its stated end."""
        current = None
        for version in self.versions:
            if version.effective_from <= day:
                current = version
        if current is None:
            raise NotInForceError(f"no points scheme in the policy data before {self.versions[0].effective_from}")
        return current

    def resolve(self, name: str, day: date) -> Resolved:
        """The value of parameter ``name`` in force on ``day`` under the selected readings."""
        key = (name, day)
        found = self._resolve_cache.get(key)
        if found is None:
            found = self._resolve_cache[key] = self._resolve(name, day)
        return found

    def view(self, day: date) -> dict[str, Resolved]:
        """Every parameter in force on ``day`` (those not yet in force are left out), cached per day."""
        found = self._view_cache.get(day)
        if found is None:
            found = {}
            for name, parameter in self.parameters.items():
                if parameter.starts[0] <= day:
                    found[name] = self.resolve(name, day)
            self._view_cache[day] = found
        return found

    def _resolve(self, name: str, day: date) -> Resolved:
        try:
            parameter = self.parameters[name]
        except KeyError:
            raise PolicyError(f"no parameter named {name!r}") from None
        entry = parameter.entry_at(day)
        value, reading_text = entry.value, None
        for reading, alternatives in entry.variants.items():
            choice = self.selected[reading]
            if choice in alternatives:
                value, reading_text = alternatives[choice], f"{reading}={choice}"
                break
        # One object per value in force, whatever the day asked: the caches keyed by a Resolved (the rules'
        # basis, the advisor's base multiples) then hit on every day the value stays in force.
        key = (name, entry.effective_from)
        found = self._interned.get(key)
        if found is None:
            found = self._interned[key] = Resolved(name, value, entry, reading_text)
        return found

    def resolve_for_month(self, name: str, month: Month) -> Resolved:
        """The value in force on the first day of ``month``."""
        key = (name, month)
        found = self._month_cache.get(key)
        if found is None:
            found = self._month_cache[key] = self._resolve(name, first_day(month))
        return found

    def references_fen(self, name: str, last_month: Month, window: int) -> tuple[int, ...]:
        """The monthly reference wage in fen of each month of the window ending with ``last_month``."""
        key = (name, last_month, window, 0, 0)
        found = self._window_cache.get(key)
        if found is None:
            values = []
            for month in range(last_month - window + 1, last_month + 1):
                value = self.resolve_for_month(name, month).value
                if not isinstance(value, int):
                    raise PolicyError(f"{name} must be a whole number of yuan, got {value!r}")
                values.append(value * 100)
            found = self._window_cache[key] = tuple(values)
        return found

    def thresholds_fen(self, name: str, last_month: Month, window: int, multiple: Fraction) -> tuple[int, ...]:
        """The lowest whole number of fen at or above ``multiple`` x the reference, month by month."""
        key = (name, last_month, window, multiple.numerator, multiple.denominator)  # Fraction hashes slowly
        found = self._window_cache.get(key)
        if found is None:
            references = self.references_fen(name, last_month, window)
            found = self._window_cache[key] = tuple(math.ceil(multiple * r) for r in references)
        return found

    def field_fen_in_window(
        self, name: str, field: str, last_month: Month, window: int
    ) -> tuple[tuple[int, Resolved] | None, ...]:
        """A whole-yuan ``field`` of a record parameter in fen, with the value it came from, for each month
        of the window ending with ``last_month`` (in force on the month's first day); None for a month
        before the parameter's first value."""
        key = (name, field, last_month, window)
        found = self._field_cache.get(key)
        if found is None:
            out: list[tuple[int, Resolved] | None] = []
            for month in range(last_month - window + 1, last_month + 1):
                if first_day(month) < self.parameters[name].starts[0]:
                    out.append(None)
                    continue
                resolved = self.resolve_for_month(name, month)
                records = resolved.value
                value = records[0].get(field) if isinstance(records, tuple) and isinstance(records[0], dict) else None
                if not isinstance(value, int):
                    raise PolicyError(f"{name}.{field} must be a whole number of yuan, got {value!r}")
                out.append((value * 100, resolved))
            found = self._field_cache[key] = tuple(out)
        return found

    def distinct_in_window(self, name: str, last_month: Month, window: int) -> tuple[Resolved, ...]:
        """The distinct values in force over the window's months, oldest first."""
        key = (name, last_month, window)
        found = self._distinct_cache.get(key)
        if found is None:
            seen: dict[date, Resolved] = {}
            for month in range(last_month - window + 1, last_month + 1):
                resolved = self.resolve_for_month(name, month)
                seen.setdefault(resolved.entry.effective_from, resolved)
            found = self._distinct_cache[key] = tuple(seen.values())
        return found
