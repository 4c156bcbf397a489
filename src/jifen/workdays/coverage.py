"""Is the working-day calendar known for this year, and from 1 November for next year?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jifen.workdays.counting import WorkdayCalendar

WARN_FROM_MONTH = 11  # the State Council notice for next year usually comes in October or November


@dataclass(frozen=True, slots=True)
class Coverage:
    today: date
    official_years: list[int]
    missing_years: list[int]

    @property
    def message(self) -> dict[str, str]:
        known = f"{self.official_years[0]}-{self.official_years[-1]}"
        if not self.missing_years:
            return {
                "zh": f"工作日日历：官方数据覆盖{known}年。",
                "en": f"working-day calendar: official data for {known}.",
            }
        missing = ", ".join(str(y) for y in self.missing_years)
        return {
            "zh": f"警告：尚无{missing}年的官方放假安排（已有{known}年），这些年份的工作日为估算。"
            "国务院通知发布后，请升级 chinesecalendar 或添加 policy/calendar/<年份>.yaml。",
            "en": f"warning: no official holiday arrangement for {missing} (official data: {known}); working days "
            "there are estimates. Once the State Council notice is out, upgrade chinesecalendar or add "
            "policy/calendar/<year>.yaml.",
        }


def check_coverage(calendar: WorkdayCalendar, today: date) -> Coverage:
    years = calendar.official_years()
    missing = [] if today.year in years else [today.year]
    if today.month >= WARN_FROM_MONTH and today.year + 1 not in years:
        missing.append(today.year + 1)
    return Coverage(today, years, missing)
