"""What a rule returns: its points and a message, rendered in Chinese and English only on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from jifen.dates import Month
from jifen.policy.wording import date_words, month_words


@dataclass(frozen=True, slots=True)
class Message:
    zh: str
    en: str


@dataclass(slots=True)  # not frozen: made for every indicator of every score, and never changed
class Outcome:
    points: int
    message: Message
    args: dict[str, Any] = field(default_factory=dict)

    def render(self) -> dict[str, str]:
        """The message in both languages; a day or a month argument as each language says it."""
        zh_args = en_args = self.args
        for value in self.args.values():
            if isinstance(value, _SAID):
                zh_args, en_args = _said(self.args)
                break
        en = self.message.en.format_map(en_args)
        return {"zh": self.message.zh.format_map(zh_args), "en": en[:1].upper() + en[1:]}


@dataclass(frozen=True, slots=True)
class InMonth:
    """A month as a message argument ("2026年10月", "October 2026")."""

    month: Month


@dataclass(frozen=True, slots=True)
class OnDays:
    """Several days as one message argument ("2024年3月1日、2025年5月6日")."""

    days: tuple[date, ...]


_SAID = (date, InMonth, OnDays)  # arguments each language says in its own words


def _said(args: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``args`` for the Chinese text and for the English one."""
    zh, en = dict(args), dict(args)
    for key, value in args.items():
        if isinstance(value, date):
            zh[key], en[key] = _date_said(value)
        elif isinstance(value, InMonth):
            zh[key], en[key] = _month_said(value.month)
        elif isinstance(value, OnDays):
            said = [_date_said(day) for day in value.days]
            zh[key] = "、".join(words[0] for words in said)
            en[key] = ", ".join(words[1] for words in said)
    return zh, en


@lru_cache(maxsize=4096)
def _date_said(day: date) -> tuple[str, str]:
    words = date_words(day)
    return words["zh"], words["en"]


@lru_cache(maxsize=4096)
def _month_said(month: Month) -> tuple[str, str]:
    words = month_words(month)
    return words["zh"], words["en"]
