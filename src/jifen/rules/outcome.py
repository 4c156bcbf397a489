"""What a rule returns: its points and a message, rendered in Chinese and English only on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Message:
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Outcome:
    points: int
    message: Message
    args: dict[str, Any] = field(default_factory=dict)

    def render(self) -> dict[str, str]:
        en = self.message.en.format(**self.args)
        return {"zh": self.message.zh.format(**self.args), "en": en[:1].upper() + en[1:]}
