"""One holder never takes down the rest.

Pages that list many holders (an employer's employees, the reviewer's queue), ``jifen tick`` and the impact
of a proposed change compute each holder's figures apart: a failure on one holder's data is logged at
ERROR with the holder's id and the exception, that row says "could not be computed" (无法计算), and the
others are served.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

logger = logging.getLogger("jifen.service.per_holder")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NotComputed:
    """A holder's figures that could not be computed; the exception is in the log."""

    holder_id: int
    what: str


def log_failure(holder_id: int, what: str, exc: BaseException) -> None:
    logger.error("holder %s: could not compute %s: %r", holder_id, what, exc, exc_info=exc)


def computed(holder_id: int, what: str, compute: Callable[[], T]) -> T | NotComputed:
    """``compute()``, or :class:`NotComputed` (logged with ``holder_id``) when it raises."""
    try:
        return compute()
    except Exception as exc:  # any failure on one holder's data: the rest are served
        log_failure(holder_id, what, exc)
        return NotComputed(holder_id, what)
