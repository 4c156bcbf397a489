"""What a rule returns: its points and a message, rendered in Chinese and English only on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
        zh_args, en_args = self.args, self.args
        if any(isinstance(v, date | InMonth | OnDays) for v in self.args.values()):
            zh_args, en_args = _said(self.args, "zh"), _said(self.args, "en")
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


def _said(args: dict[str, Any], language: str) -> dict[str, Any]:
    out = dict(args)
    for key, value in args.items():
        if isinstance(value, date):
            out[key] = date_words(value)[language]
        elif isinstance(value, InMonth):
            out[key] = month_words(value.month)[language]
        elif isinstance(value, OnDays):
            out[key] = ("、" if language == "zh" else ", ").join(date_words(d)[language] for d in value.days)
    return out
