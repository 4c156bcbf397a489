"""Whether a notice still stands: current, superseded by a later approval, expired, or withdrawn.

A notice (积分通知书) is a snapshot of one approval. It stops standing when

- a re-check (复核) changed the decision it states: it was **withdrawn** (``Notice.withdrawn_at``);
- another notice of the same holder, not withdrawn, states a later approval (its application decided later;
  on the same instant, the one issued later): it is **superseded** on that approval's date (in Shanghai);
- its validity (the permit's, ``valid_until``) ended before today: it has **expired**.

The first that applies, in this order, is its status; otherwise it is **current**. A holder has at most one
current notice: the latest approval's, while the permit lasts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from jifen.dates import SHANGHAI
from jifen.policy.wording import date_words
from jifen.service.applications.models import Application
from jifen.service.notices.models import Notice

StatusCode = Literal["current", "superseded", "expired", "withdrawn"]

_EARLIEST = datetime.min.replace(tzinfo=SHANGHAI)


@dataclass(frozen=True)
class NoticeStatus:
    status: StatusCode
    superseded_on: date | None  # the Shanghai date of the approval that superseded the notice
    words: dict[str, str]  # the status as a sentence: {"zh": ..., "en": ...}


def notice_status(notice: Notice, today: date) -> NoticeStatus:
    """The status of ``notice`` on ``today`` (the holder's other notices are read from the database)."""
    rivals = Notice.objects.filter(application__holder_id=notice.application.holder_id).select_related("application")
    return _status(notice, today, rivals)


def holder_notices(holder_id: int, today: date) -> list[tuple[Notice, NoticeStatus]]:
    """Every notice of the holder with its status on ``today``, the latest approval first."""
    notices = list(Notice.objects.filter(application__holder_id=holder_id).select_related("application"))
    notices.sort(key=_order, reverse=True)
    return [(n, _status(n, today, notices)) for n in notices]


def latest_notice(app: Application) -> Notice | None:
    """The application's notice not withdrawn (the latest issued, should there be several), if any."""
    return Notice.objects.filter(application=app, withdrawn_at=None).order_by("-issued_on", "-pk").first()


def _order(notice: Notice) -> tuple[int, datetime, date, int]:
    """Later approvals sort later: the holder's later decision (then decided later, issued later, created
    later, for rows from before decisions were numbered)."""
    app = notice.application
    return (app.decision_number or 0, app.decided_at or _EARLIEST, notice.issued_on, notice.pk)


def _approved_on(notice: Notice) -> date:
    decided = notice.application.decided_at
    return decided.astimezone(SHANGHAI).date() if decided is not None else notice.issued_on


def _status(notice: Notice, today: date, rivals: Iterable[Notice]) -> NoticeStatus:
    if notice.withdrawn_at is not None:
        return NoticeStatus(
            "withdrawn", None, {"zh": "已撤销（复核改变了原核定）", "en": "withdrawn: a re-check changed the decision"}
        )
    mine = _order(notice)
    later = [r for r in rivals if r.pk != notice.pk and r.withdrawn_at is None and _order(r) > mine]
    if later:
        on = _approved_on(min(later, key=_order))
        day = date_words(on)
        return NoticeStatus(
            "superseded",
            on,
            {"zh": f"已被{day['zh']}核定的积分取代", "en": f"superseded by the points approved on {day['en']}"},
        )
    if notice.valid_until is not None and notice.valid_until < today:
        day = date_words(notice.valid_until)
        return NoticeStatus(
            "expired",
            None,
            {"zh": f"已过期（居住证有效期至{day['zh']}）", "en": f"expired: the permit ran until {day['en']}"},
        )
    return NoticeStatus("current", None, {"zh": "有效", "en": "current"})
