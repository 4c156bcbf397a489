"""After a decision: the routes in order, each last day counted from the decision date (days, or months to
the corresponding day and the month's end where it has none), the texts, and the strict data file.

The figures are law, so these tests read the real policy data (tests/policy/README.md)."""

from __future__ import annotations

import filecmp
import shutil
from datetime import date
from pathlib import Path

import pytest

from jifen.advisor.after_decision import ROUTE_KINDS, Route, load_after_decision, routes_after
from jifen.policy.loader import POLICY_DIR, default_policy
from jifen.policy.model import PolicyError
from tests.conftest import FROZEN_POLICY

VIA_GOV_CN = "https://www.gov.cn/yaowen/liebiao/202309/content_6901384.htm"
FUYI_2023 = "https://github.com/LawRefBook/Laws/blob/2f4c5c23/诉讼与非诉讼程序法/行政复议法(2023-09-01).md"


def routes(day: str, decision: str = "rejected") -> list[Route]:
    return routes_after(decision, date.fromisoformat(day), default_policy())


def last_days(day: str) -> list[tuple[str, str | None]]:
    return [(r.kind, r.last_day.isoformat() if r.last_day else None) for r in routes(day)]


@pytest.mark.parametrize(
    ("decided", "expected"),
    [
        # 60 days for the re-check and reconsideration; 6 months to the corresponding day for a suit
        ("2026-08-30", ("2026-10-29", "2026-10-29", "2027-02-28")),  # no 30 February: the month's last day
        ("2026-08-31", ("2026-10-30", "2026-10-30", "2027-02-28")),
        ("2026-09-01", ("2026-10-31", "2026-10-31", "2027-03-01")),
        ("2026-12-31", ("2027-03-01", "2027-03-01", "2027-06-30")),
        ("2027-08-31", ("2027-10-30", "2027-10-30", "2028-02-29")),  # a leap year
    ],
)
def test_the_last_days_are_counted_from_the_decision_date(decided: str, expected: tuple[str, str, str]) -> None:
    recheck, reconsideration, litigation = expected
    assert last_days(decided) == [
        ("refile", None),
        ("recheck", recheck),
        ("reconsideration", reconsideration),
        ("litigation", litigation),
    ]


def test_the_routes_in_order_with_their_confidence_and_sources() -> None:
    found = routes("2026-08-31")
    assert tuple(r.kind for r in found) == ROUTE_KINDS == ("refile", "recheck", "reconsideration", "litigation")
    assert [r.confidence for r in found] == ["C", "C", "D", "D"]
    by_kind = {r.kind: r.sources for r in found}
    assert by_kind["refile"] == (
        "http://iybg.cn/lhqt/qt2186.html",
        "http://hahafu.net.cn/html/shlhzx/jzz/71787.html",
        "http://www.51luohu.com/news/193033.html",
    )
    assert by_kind["recheck"] == (FUYI_2023, VIA_GOV_CN)  # the text's, then review.appeal_days's
    assert by_kind["reconsideration"] == (FUYI_2023,)  # procedure.reconsideration_days cites the same page
    assert by_kind["litigation"] == (
        "https://github.com/LawRefBook/Laws/blob/2f4c5c23/诉讼与非诉讼程序法/行政诉讼法(2017-06-27).md",
        "https://github.com/LawRefBook/Laws/blob/2f4c5c23/司法解释/最高人民法院关于适用《行政诉讼法》的解释(2018-02-06).md",
    )


def test_the_texts_say_who_does_what_by_when() -> None:
    text = {r.kind: r.text for r in routes("2026-08-31")}
    assert text["refile"]["zh"].startswith("重新申请：") and "个人不能自行申请" in text["refile"]["zh"]
    assert "holders cannot apply themselves" in text["refile"]["en"] and "no last day" in text["refile"]["en"]
    assert "须在核定之日（2026年8月31日）起60日内提出，最后一日为2026年10月30日。" in text["recheck"]["zh"]
    assert "不是法律规定的程序" in text["recheck"]["zh"] and "经办人" in text["recheck"]["zh"]
    assert "jifen's own procedure, not one set by law" in text["recheck"]["en"]
    assert (
        "Ask within 60 days of the decision date (31 August 2026): the last day is 30 October 2026."
        in text["recheck"]["en"]
    )
    zh, en = text["reconsideration"]["zh"], text["reconsideration"]["en"]
    assert "自知道核定结果之日起60日内" in zh and "区人民政府" in zh
    assert "这里的最后一日2026年10月30日从核定之日（2026年8月31日）起算，这是最早可能知道核定结果的日子" in zh
    assert "is counted from the decision date (31 August 2026), the earliest the holder could have learned of it" in en
    assert (
        "6个月内直接向人民法院起诉；从核定之日（2026年8月31日）起算，最后一日为2027年2月28日。"
        in text["litigation"]["zh"]
    )
    assert "15日内起诉" in text["litigation"]["zh"]
    assert "the last day is 28 February 2027" in text["litigation"]["en"]
    for kind in ("reconsideration", "litigation"):
        assert "不构成法律意见" in text[kind]["zh"] and "Not legal advice" in text[kind]["en"]
    for kind in ("refile", "recheck"):
        assert "不构成法律意见" not in text[kind]["zh"]


def test_an_approval_the_holder_disputes_has_the_same_routes() -> None:
    assert routes("2026-08-31", "approved") == routes("2026-08-31", "rejected")
    with pytest.raises(ValueError, match="decision: expected one of approved, rejected, got 'withdrawn'"):
        routes("2026-08-31", "withdrawn")


def test_the_frozen_copy_has_the_same_file() -> None:
    assert filecmp.cmp(POLICY_DIR / "after_decision.yaml", FROZEN_POLICY / "after_decision.yaml", shallow=False)


class TestTheDataFileIsReadStrictly:
    def copy(self, tmp_path: Path, old: str, new: str) -> Path:
        path = tmp_path / "after_decision.yaml"
        shutil.copy(POLICY_DIR / "after_decision.yaml", path)
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            ("    last_day: days\n", "    last_day: days\n    deadline: 3\n", "routes[1].deadline: unknown key"),
            ("days: review.appeal_days", "days: review.appeal_weeks", "no parameter named 'review.appeal_weeks'"),
            ("days: review.appeal_days", "days: scheme.standard", "scheme.standard is counted in points"),
            ("    last_day: days\n", "    last_day: weeks\n", "routes[1].last_day: 'weeks' is not one of the figures"),
            ("最后一日为{last_day}。复核", "最后一日为{last}。复核", "routes[1].zh: {last} is not defined here"),
            ("the last day is {last_day}. The re-check", "The re-check", "routes[1].en: the text does not give"),
            ("kind: recheck", "kind: appeal", "expected the kinds refile, recheck, reconsideration, litigation"),
            ("confidence: C\n    figures", "confidence: E\n    figures", "routes[1].confidence: expected one of"),
        ],
    )
    def test_a_mistake_names_the_file_and_the_key(self, tmp_path: Path, old: str, new: str, message: str) -> None:
        path = self.copy(tmp_path, old, new)
        with pytest.raises(PolicyError) as caught:
            load_after_decision(path, default_policy().parameters)
        assert str(caught.value).startswith("policy/after_decision.yaml: ")
        assert message in str(caught.value)

    def test_the_file_as_shipped_loads(self) -> None:
        loaded = load_after_decision(POLICY_DIR / "after_decision.yaml", default_policy().parameters)
        assert [(r.kind, r.last_day) for r in loaded.routes] == [
            ("refile", None),
            ("recheck", "days"),
            ("reconsideration", "days"),
            ("litigation", "months"),
        ]
