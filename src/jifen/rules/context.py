"""What every rule reads: the facts, the scoring date, and the policy, with each read recorded.

A rule reads the policy only through its :class:`Context`: :meth:`Context.param` (a value, or one entry of a
table), :meth:`Context.first_entry` and :meth:`Context.tiers`, and the contributions'
:meth:`Contributions.count_meeting`, which reads the reference wages and ceilings of its window. Every read
goes into the *current scope*: the basis of the item being evaluated, or the :data:`Attempt` the rule is
trying (``with ctx.trying as attempt: ...``) when it weighs alternatives (the best qualification, the best
area, the tiers in turn); the winner's reads join the enclosing scope with :meth:`Context.keep`, the others
are dropped. So an item's basis (parameter, value, effective date, source) is complete by construction, and
a rule has no way to read a value without it.

A provisional value read into an item's basis (directly or through a kept attempt) is kept for the score's
warning whether or not the basis is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any, Protocol, TypeAlias

from jifen.dates import Month, month_of
from jifen.facts.model import Facts
from jifen.policy.model import Policy, Resolved, Value
from jifen.rules.contributions import Capped
from jifen.rules.contributions import Contributions as CountedMonths
from jifen.rules.tiers import Tier, tiers_in_force, tiers_of


@dataclass(frozen=True, slots=True)
class Basis:
    parameter: str
    value: Value
    effective_from: date
    source: str
    href: str
    confidence: str
    reading: str | None = None
    provisional: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "parameter": self.parameter,
            "value": _json_value(self.value),
            "effective_from": self.effective_from.isoformat(),
            "source": self.source,
            "href": self.href,
            "confidence": self.confidence,
        }
        if self.reading:
            out["reading"] = self.reading
        if self.provisional:
            out["provisional"] = True
        return out


def _json_value(value: Value) -> object:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, tuple):
        return [_json_value(v) if not isinstance(v, dict) else {k: _json_value(x) for k, x in v.items()} for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


Attempt: TypeAlias = list[tuple[Resolved, str | None]]
"""The reads of one alternative a rule weighs (:attr:`Context.trying`), kept if it wins (:meth:`Context.keep`)."""


class Context:
    """Facts and policy on one scoring date, shared by the rules of one score."""

    def __init__(self, facts: Facts, as_of: date, policy: Policy, *, recording: bool) -> None:
        self.facts = facts
        self.as_of = as_of
        self.policy = policy
        self.recording = recording  # keep the basis of each item (what it read)
        self.last_month: Month = month_of(as_of) - 1  # contract 3.2: up to the month before as_of
        self.basis: list[Basis] = []
        self.provisional: dict[str, Resolved] = {}
        self._values = policy.view(as_of)
        self._scopes: list[Attempt] = []  # the attempts being tried, innermost last
        self.trying = _Trying(self._scopes)
        """A scope for one alternative: ``with ctx.trying as attempt:`` collects its reads (an attribute, not a
        method: entered several times by every score)."""
        counted = CountedMonths(facts.history, self.last_month, policy, horizon_months(policy, as_of))
        self.contributions = Contributions(self, counted)

    # -- reading the policy ------------------------------------------------------------------------
    def param(self, name: str, key: str | None = None) -> Value:
        """The value of ``name`` in force on as_of (``key``: one entry of a table, None when absent), read."""
        resolved = self._values[name]
        if self.recording or resolved.entry.provisional:  # else a read leaves no trace: skip the call
            self._read(resolved, key)
        value = resolved.value
        if key is not None:
            assert isinstance(value, dict)  # noqa: S101 - tables are map<int>
            return value.get(key)
        return value

    def int_param(self, name: str, key: str | None = None) -> int:
        """:meth:`param` for a whole number (its body repeated: a third of the reads of a score go through here)."""
        resolved = self._values[name]
        if self.recording or resolved.entry.provisional:
            self._read(resolved, key)
        value = resolved.value
        if key is not None:
            assert isinstance(value, dict)  # noqa: S101 - tables are map<int>
            value = value.get(key)
        assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
        return value

    def first_entry(self, name: str, *keys: str) -> tuple[str, int | None]:
        """The first of ``keys`` the table ``name`` has, with its value, read; else the last key, None."""
        resolved = self._values[name]
        table = resolved.value
        assert isinstance(table, dict)  # noqa: S101 - tables are map<int>
        for key in keys:  # the last one stands when none is in the table
            if key in table:
                break
        if self.recording or resolved.entry.provisional:
            self._read(resolved, key)
        return key, table.get(key)

    def tiers(self, name: str) -> tuple[Tier, ...]:
        """The tiers of a tier table (``si_base.tiers``) in force on as_of, highest points first, read."""
        resolved = self._values[name]
        if self.recording or resolved.entry.provisional:
            self._read(resolved, None)
        return tiers_in_force(resolved)

    # -- scopes ------------------------------------------------------------------------------------
    def keep(self, attempt: Attempt) -> None:
        """The reads of the alternative taken, into the enclosing scope."""
        if attempt:
            self._read_all(attempt)

    def _read(self, resolved: Resolved, key: str | None) -> None:
        scopes = self._scopes
        if scopes:
            if self.recording or resolved.entry.provisional:
                scopes[-1].append((resolved, key))
            return
        if resolved.entry.provisional:
            self.provisional[resolved.parameter] = resolved
        if self.recording:
            self.basis.append(_basis(resolved, key))

    def _read_all(self, reads: Attempt) -> None:
        """``_read`` of each of ``reads`` (already kept only if recording or provisional)."""
        if self._scopes:
            self._scopes[-1].extend(reads)
            return
        for resolved, _ in reads:
            if resolved.entry.provisional:
                self.provisional[resolved.parameter] = resolved
        if self.recording:
            self.basis.extend([_basis(resolved, key) for resolved, key in reads])

    def take_basis(self) -> tuple[Basis, ...]:
        """The reads since the last call (the basis of the item or check just evaluated)."""
        taken = tuple(self.basis)
        self.basis.clear()
        return taken


class _Trying:
    """``with ctx.trying as attempt:``: a new scope for the block's reads (one per context, reentrant)."""

    __slots__ = ("_scopes",)

    def __init__(self, scopes: list[Attempt]) -> None:
        self._scopes = scopes

    def __enter__(self) -> Attempt:
        attempt: Attempt = []
        self._scopes.append(attempt)
        return attempt

    def __exit__(self, *_: object) -> None:
        self._scopes.pop()


class _Count(Protocol):
    def __call__(self, window: int, multiple: Fraction, comparison: str = "at_least", /) -> int: ...


class Contributions:
    """The holder's contributions as the rules ask for them: a count that compares bases with the reference
    wage records the reference wages of its window, and the ceilings that capped a base in it, into the
    context's current scope (when the basis is kept)."""

    __slots__ = ("_context", "_of", "_reads", "count_meeting")

    count_meeting: _Count
    """Counted months in the window whose base is at or above (or exactly) multiple x reference; the reference
    wages of the window and the ceilings that capped a base in it are read (and recorded). Without a basis to
    keep, the count itself: no read leaves a trace then (the reference wage's provisional warning is the
    score's own, see ``rules.engine``)."""

    def __init__(self, context: Context, contributions: CountedMonths) -> None:
        self._context = context
        self._of = contributions
        self._reads: dict[int, Attempt] = {}  # by window
        self.count_meeting = self._count_recorded if context.recording else contributions.count_meeting

    def _window_reads(self, window: int) -> Attempt:
        """The reference wages in force over the window (oldest first), then the ceilings that capped a base in it."""
        reads: Attempt = [(r, None) for r in self._of.references_in_window(window)]
        if self._of.capped:  # a base above the ceiling was scored as the ceiling
            ceilings = {c.ceiling.entry.effective_from: c.ceiling for c in self._of.capped_in_window(window)}
            reads.extend((resolved, None) for resolved in ceilings.values())
        return reads

    @property
    def capped(self) -> tuple[Capped, ...]:
        """Every capped month over the horizon, for the score's warning (not a rule's read)."""
        return self._of.capped

    def total_months(self) -> int:
        """All counted months over the whole history (gaps allowed, contract reading 3)."""
        return self._of.total

    def months_in_window(self, window: int) -> int:
        """How many counted months fall within the ``window`` months ending at last_month."""
        return self._of.months_in_window(window)

    def _count_recorded(self, window: int, multiple: Fraction, comparison: str = "at_least") -> int:
        reads = self._reads.get(window)
        if reads is None:
            reads = self._reads[window] = self._window_reads(window)
        self._context._read_all(reads)
        return self._of.count_meeting(window, multiple, comparison)


@lru_cache(maxsize=1024)
def horizon_months(policy: Policy, as_of: date) -> int:
    """The most months any rule looks back on ``as_of``: the contribution months to lay out."""
    windows: list[object] = [t.window_months for t in tiers_of(policy.resolve("si_base.tiers", as_of).value)]
    windows.append(policy.resolve("eligibility.insurance_window_months", as_of).value)
    windows.append(policy.resolve("qualification.base_condition_window_months", as_of).value)
    return max(w for w in windows if isinstance(w, int))


@lru_cache(maxsize=4096)
def _basis(resolved: Resolved, key: str | None) -> Basis:
    entry = resolved.entry
    value = resolved.value
    if key is not None:
        assert isinstance(value, dict)  # noqa: S101 - only tables are recorded by key
        value = value.get(key)
    return Basis(
        parameter=f"{resolved.parameter}.{key}" if key is not None else resolved.parameter,
        value=value,
        effective_from=entry.effective_from,
        source=entry.source.cite(),
        href=entry.source.href,
        confidence=entry.confidence,
        reading=resolved.reading,
        provisional=entry.provisional,
    )
