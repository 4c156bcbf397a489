"""What the advice rests on (contract §5 ``warnings``): every policy value it used that is not published,
and every calendar year whose working days it estimated, in words.

- A value marked ``provisional`` in the policy data that a score of the advice read (the basis of its items
  and eligibility checks): "2026年7月起的积分参考工资尚未公布，暂按11,396元/月估算".
- A value set every year (``yearly`` in its file) that the projection reads past the last published year:
  the latest value is carried forward (contract §5), and the warning says from when.
- A points scheme text applied after its stated end (the data has no newer text yet).
- A calendar year without the State Council's holiday arrangement that a date the advice shows was
  counted over: :class:`RecordingCalendar` notes every count while the recommendation works, and the
  years behind the dates shown are kept (a count whose answer was not used warns of nothing).

A provisional value is never called an adjustment: it is the previous value, assumed until the new one
is published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from jifen.dates import first_day, month_of
from jifen.policy.model import Parameter, Policy, PolicyVersion, Value
from jifen.policy.wording import date_words, not_published
from jifen.rules.result import Score
from jifen.workdays import Count, Day, WorkdayCalendar


@dataclass(frozen=True, slots=True)
class _Call:
    inputs: tuple[date, ...]  # the days the count started from
    result: date | None  # the day it answered (None for a count of days)
    estimated: frozenset[int]  # the estimated years it counted over


class RecordingCalendar(WorkdayCalendar):
    """The same working days as ``inner``, noting each answer and the estimated years it counted over, so
    that the advice can name the years behind the dates it shows (:meth:`estimated_years_behind`)."""

    def __init__(self, inner: WorkdayCalendar) -> None:  # shares the inner calendar's data, loads nothing
        self.__dict__.update(inner.__dict__)
        self.calls: list[_Call] = []

    def add(self, start: date, n: int) -> Day:
        day = super().add(start, n)
        self._note((start,), day.date, start, day.date)
        return day

    def between(self, start: date, end: date) -> Count:
        count = super().between(start, end)
        self._note((start, end), None, min(start, end), max(start, end))
        return count

    def latest_start_for(self, deadline: date, n: int) -> Day:
        day = super().latest_start_for(deadline, n)
        self._note((deadline,), day.date, day.date, deadline)
        return day

    def next_workday(self, day: date) -> date:
        found = super().next_workday(day)
        self._note((day,), found, day, found)
        return found

    def previous_workday(self, day: date) -> date:
        found = super().previous_workday(day)
        self._note((day,), found, found, day)
        return found

    def _note(self, inputs: tuple[date, ...], result: date | None, first: date, last: date) -> None:
        years = frozenset(y for y in range(first.year, last.year + 1) if self.is_provisional(date(y, 1, 1)))
        self.calls.append(_Call(inputs, result, years))

    def estimated_years_behind(self, shown: Iterable[date]) -> set[int]:
        """The estimated years counted over to reach the days ``shown``: by the answers that are shown, the
        answers those were counted from, and so on (a count of days, by the day it counts to)."""
        wanted = set(shown)
        kept: set[int] = set()
        changed = True
        while changed:
            changed = False
            for i, call in enumerate(self.calls):
                if i in kept:
                    continue
                reached = (call.result if call.result is not None else call.inputs[-1]) in wanted
                if reached:
                    kept.add(i)
                    wanted.update(call.inputs)
                    changed = True
        return {year for i in kept for year in self.calls[i].estimated}


def dates_in(document: object) -> set[date]:
    """Every ISO date (YYYY-MM-DD) in a JSON-like document: the days an advice shows."""
    out: set[date] = set()
    if isinstance(document, dict):
        for value in document.values():
            out |= dates_in(value)
    elif isinstance(document, list | tuple):
        for value in document:
            out |= dates_in(value)
    elif isinstance(document, str) and len(document) == 10 and document[4] == "-" and document[7] == "-":
        try:
            out.add(date.fromisoformat(document))
        except ValueError:
            pass
    return out


def advice_warnings(policy: Policy, scores: Iterable[Score], estimated_years: Iterable[int]) -> list[dict[str, str]]:
    """The warnings of an advice whose scores (the current one and the projection's) and counted dates are
    given, in order: values not published (by date), a scheme past its end, estimated years; no repeats."""
    last_read: dict[str, date] = {}  # parameter set every year -> the latest scoring date that read it
    provisional: dict[tuple[str, date], Value] = {}
    schemes: dict[str, tuple[PolicyVersion, date]] = {}
    names: dict[str, str | None] = {}  # as recorded in a basis -> the parameter
    for s in scores:
        bases = [b for item in s.items for b in item.basis]
        bases.extend(b for check in s.eligibility for b in check.basis)
        for recorded in {b.parameter for b in bases}:
            if recorded not in names:
                names[recorded] = _parameter_of(policy, recorded)
            name = names[recorded]
            if name is not None and policy.parameters[name].yearly is not None:
                last_read[name] = max(last_read.get(name, s.as_of), s.as_of)
        for basis in (b for b in bases if b.provisional):
            name = names[basis.parameter]
            if name is not None:
                provisional.setdefault((name, basis.effective_from), basis.value)
        version = s.policy
        if version.valid_until is not None and s.as_of > version.valid_until and version.id not in schemes:
            schemes[version.id] = (version, s.as_of)

    unpublished: dict[tuple[str, date], tuple[Value, date | None]] = {
        key: (value, None) for key, value in provisional.items()
    }
    for name, day in last_read.items():
        parameter = policy.parameters[name]
        carried = _carried_from(parameter, day)
        if carried is None:
            continue
        read_on = _last_month_read(day)
        entry = parameter.entry_at(read_on)
        value = policy.resolve(name, read_on).value
        if entry.provisional and (name, entry.effective_from) in unpublished:
            unpublished[(name, entry.effective_from)] = (unpublished[(name, entry.effective_from)][0], carried)
        else:
            unpublished.setdefault((name, carried), (value, None))

    out = [
        not_published(policy.parameters[name], since, value, later_years_from=later)
        for (name, since), (value, later) in sorted(unpublished.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    out.extend(_scheme_text(version, day) for version, day in schemes.values())
    out.extend(_year_text(year) for year in sorted(set(estimated_years)))
    unique: list[dict[str, str]] = []
    for warning in out:
        if warning not in unique:
            unique.append(warning)
    return unique


def _parameter_of(policy: Policy, recorded: str) -> str | None:
    """The parameter a basis names; a table's entry is recorded as ``<parameter>.<key>``."""
    name = recorded
    while name:
        if name in policy.parameters:
            return name
        name = name.rpartition(".")[0]
    return None


def _last_month_read(day: date) -> date:
    """The first day of the last month a score on ``day`` reads (contract 3.2: the month before ``day``'s)."""
    return first_day(month_of(day) - 1)


def _carried_from(parameter: Parameter, day: date) -> date | None:
    """For a value set every year: the first due date after the last value in force for the months a score
    on ``day`` reads, when that due date has come by then (the value is carried forward); else None."""
    yearly = parameter.yearly
    if yearly is None:
        return None
    read_on = _last_month_read(day)
    if read_on < parameter.starts[0]:
        return None
    entry = parameter.entry_at(read_on)
    due = yearly.due_on_or_before(read_on)
    if due is None or entry.effective_from >= due:
        return None
    last_due = yearly.due_on_or_before(entry.effective_from)
    following = yearly.since if last_due is None else last_due.replace(year=last_due.year + 1)
    return following if following <= read_on else None


def _scheme_text(version: PolicyVersion, day: date) -> dict[str, str]:
    assert version.valid_until is not None  # noqa: S101 - only a scheme past its stated end is named
    until, since = date_words(version.valid_until), date_words(day)
    return {
        "zh": f"积分办法（{version.title}）有效期至{until['zh']}，尚无新的办法；{since['zh']}起的预测按该办法继续计算",
        "en": f"The points scheme ({version.title}) was stated valid until {until['en']} and no newer text is "
        f"known; from {since['en']} the projection applies it as still in force",
    }


def _year_text(year: int) -> dict[str, str]:
    return {
        "zh": f"{year}年的放假调休安排尚未公布，涉及该年的工作日按估算计算，相关日期为估算",
        "en": f"The holiday arrangement for {year} has not been published; working days in {year} are estimated, "
        "so the dates counted over them are estimates",
    }
