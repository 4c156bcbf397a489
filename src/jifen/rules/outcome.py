"""What a rule returns: its points and a message, rendered in Chinese and English only on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
        en = self.message.en.format_map(self.args)
        return {"zh": self.message.zh.format_map(self.args), "en": en[:1].upper() + en[1:]}
