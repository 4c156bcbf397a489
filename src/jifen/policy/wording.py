"""Policy values in words, for text a holder reads: a parameter's label (never its id), a value with its
unit ("11,396元/月"), a day ("2026年7月起"), and the sentence for a value not yet published."""

from __future__ import annotations

from datetime import date

from jifen.policy.model import Parameter, Value

# unit -> (Chinese, English) with {n} for the number; units not listed are left out of the words
_UNITS: dict[str, tuple[str, str]] = {
    "yuan_per_month": ("{n}元/月", "{n} yuan a month"),
    "yuan": ("{n}元", "{n} yuan"),
    "points": ("{n}分", "{n} points"),
    "days": ("{n}日", "{n} days"),
    "working_days": ("{n}个工作日", "{n} working days"),
    "months": ("{n}个月", "{n} months"),
    "years": ("{n}年", "{n} years"),
    "age": ("{n}周岁", "age {n}"),
    "multiple": ("{n}倍", "{n} times"),
    "persons": ("{n}人", "{n} persons"),
}
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_words(day: date) -> dict[str, str]:
    """A day as a reader says it: a month when it is the 1st ("2026年7月", "July 2026"), else the date."""
    if day.day == 1:
        return {"zh": f"{day.year}年{day.month}月", "en": f"{_MONTHS_EN[day.month - 1]} {day.year}"}
    return {"zh": f"{day.year}年{day.month}月{day.day}日", "en": f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"}


def date_words(day: date) -> dict[str, str]:
    """A date in full, one style per language: "2018年1月1日", "1 January 2018"."""
    return {"zh": f"{day.year}年{day.month}月{day.day}日", "en": f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"}


def month_words(month: int) -> dict[str, str]:
    """A month (``jifen.dates.Month``: year * 12 + month - 1) as a reader says it: "2026年10月", "October 2026"."""
    year, index = divmod(month, 12)
    return {"zh": f"{year}年{index + 1}月", "en": f"{_MONTHS_EN[index]} {year}"}


def value_words(parameter: Parameter, value: Value) -> dict[str, str] | None:
    """A number with its unit ("11,396元/月"); None for a value that is not one number (a table, a list)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    zh, en = _UNITS.get(parameter.unit, ("{n}", "{n}"))
    english = en.format(n=f"{value:,}")
    if value == 1 and english.endswith("s"):
        english = english[:-1]  # 1 year, 1 working day
    return {"zh": zh.format(n=f"{value:,}"), "en": english}


def not_published(
    parameter: Parameter, since: date, value: Value, *, later_years_from: date | None = None
) -> dict[str, str]:
    """ "2026年7月起的积分参考工资尚未公布，暂按11,396元/月估算": a value carried forward or marked provisional.

    ``later_years_from``: the value is also assumed for the years due from that day on (a projection)."""
    label = parameter.words()
    when = day_words(since)
    amount = value_words(parameter, value)
    zh = f"{when['zh']}起的{label['zh']}尚未公布，暂按{amount['zh'] if amount else '此前的数值'}估算"
    en = (
        f"{_capital(label['en'])} from {when['en']} has not been published; "
        f"{amount['en'] if amount else 'the previous value'} is assumed"
    )
    if later_years_from is not None:
        later = day_words(later_years_from)
        zh += f"，预测中{later['zh']}及以后各年也按此计算"
        en += f", and the projection keeps it from {later['en']} on"
    return {"zh": zh, "en": en}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
