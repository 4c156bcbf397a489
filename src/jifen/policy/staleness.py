"""Is the policy data current? Values that are due every year, and the working-day calendar.

- A parameter with ``yearly: {since: …}`` in its file needs a new value every year on the month and day of
  ``since``: from that day on, a value effective in the year that began then must be there and not marked
  ``provisional: true`` (the reference wage and the insurance wage: every 1 July).
- The working-day calendar must know this year and, from 1 November, next year
  (:func:`jifen.workdays.coverage.check_coverage`).

``jifen policy check`` prints what is overdue and ``jifen tick`` tells the maintainers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jifen.policy.model import Parameter, Policy
from jifen.policy.wording import date_words
from jifen.workdays.counting import WorkdayCalendar
from jifen.workdays.coverage import check_coverage


@dataclass(frozen=True, slots=True)
class Overdue:
    """One thing the policy data lacks on a day, with what to do about it."""

    subject: str  # the parameter's name, or "calendar"
    period: str  # the due date of a yearly value (YYYY-MM-DD), or a calendar year
    state: str  # "missing", "provisional" (a yearly value), or "estimated" (a calendar year)
    file: Path  # the file to edit or add
    message: dict[str, str]  # zh and en, one line each (for the CLI: ids and paths as they are)
    words: dict[str, str] | None = None  # the same for a page: names in words, ids and paths in `backticks`

    @property
    def key(self) -> str:
        """The same for the same gap on every day it lasts (for telling people once)."""
        return f"{self.subject}:{self.period}"


def overdue_values(policy: Policy, today: date, root: Path) -> list[Overdue]:
    """The yearly values due on or before ``today`` that are missing or provisional in ``policy`` (whose
    files are under ``root``)."""
    out = []
    for name in sorted(policy.parameters):
        parameter = policy.parameters[name]
        if parameter.yearly is None:
            continue
        due = parameter.yearly.due_on_or_before(today)
        if due is None:
            continue
        end = _year_end(due)
        values = [v for v in parameter.values if due <= v.effective_from <= end]
        if any(not v.provisional for v in values):
            continue
        out.append(_value_overdue(parameter, due, end, "provisional" if values else "missing", root))
    return out


def _year_end(due: date) -> date:
    """The last day of the year that begins on ``due``."""
    if due.year == date.max.year:
        return date.max
    return date.fromordinal(due.replace(year=due.year + 1).toordinal() - 1)


def _value_overdue(parameter: Parameter, due: date, end: date, state: str, root: Path) -> Overdue:
    file = root.joinpath("parameters", *parameter.name.split(".")).with_suffix(".yaml")
    name, shown = parameter.name, display(file)
    if state == "missing":
        message = {
            "zh": f"{name}：缺少{due}至{end}的年度取值（自{due}起应有）。请在 {shown} 中添加该取值及其来源。",
            "en": f"{name}: no value for {due} to {end} (due from {due}). Add it, with its source, to {shown}.",
        }
    else:
        message = {
            "zh": f"{name}：{due}至{end}的取值仍为暂定（provisional: true，自{due}起应有正式取值）。"
            f"公布后请在 {shown} 中替换该取值及其来源，并删除 provisional。",
            "en": f"{name}: the value for {due} to {end} is still provisional (due from {due}). Once it is "
            f"published, replace it and its source in {shown} and remove `provisional: true`.",
        }
    label, since, until = parameter.words(), date_words(due), date_words(end)
    what = {
        "missing": (
            "缺少{a}至{b}的年度取值，请在 `{f}` 中添加该取值及其来源",
            "no value for {a} to {b}: add it, with its source, to `{f}`",
        ),
        "provisional": (
            "{a}至{b}的取值仍为暂定，公布后请在 `{f}` 中替换该取值及其来源",
            "the value for {a} to {b} is still provisional: once published, replace it and its source in `{f}`",
        ),
    }[state]
    words = {
        lang: f"{label[lang][:1].upper() if lang == 'en' else label[lang][:1]}{label[lang][1:]} `{name}`: "
        + template.format(a=since[lang], b=until[lang], f=shown)
        for lang, template in zip(("zh", "en"), what, strict=True)
    }
    words["zh"] = words["zh"].replace("`: ", "`：", 1)
    return Overdue(name, due.isoformat(), state, file, message, words)


def overdue_calendar(calendar: WorkdayCalendar, today: date, root: Path) -> list[Overdue]:
    """This year, or from 1 November next year, without an official holiday arrangement."""
    out = []
    for year in check_coverage(calendar, today).missing_years:
        file = root / "calendar" / f"{year}.yaml"
        shown = display(file)
        message = {
            "zh": f"工作日日历：尚无{year}年的官方放假安排，该年工作日为估算。国务院通知发布后，请升级 "
            f"chinesecalendar 或添加 {shown}。",
            "en": f"working-day calendar: no official holiday arrangement for {year}; its working days are "
            f"estimates. Once the State Council notice is out, upgrade chinesecalendar or add {shown}.",
        }
        words = {
            "zh": f"工作日日历：尚无{year}年的官方放假安排，该年工作日为估算。"
            f"国务院通知发布后，请升级日历数据或添加 `{shown}`。",
            "en": f"Working-day calendar: no official holiday arrangement for {year}; its working days are estimates. "
            f"Once the State Council notice is out, update the calendar data or add `{shown}`.",
        }
        out.append(Overdue("calendar", str(year), "estimated", file, message, words))
    return out


def overdue(policy: Policy, calendar: WorkdayCalendar, today: date, root: Path) -> list[Overdue]:
    """Everything the policy data under ``root`` lacks on ``today``: yearly values, then calendar years."""
    return overdue_values(policy, today, root) + overdue_calendar(calendar, today, root)


CURRENT = {"zh": "政策数据是最新的。", "en": "policy data is current"}


def display(path: Path) -> str:
    """``path`` relative to the working directory when it is below it, else in full."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
