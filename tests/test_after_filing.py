"""After filing (contract §5 ``after_filing``): the kinds in order, the figures with their sources, the
return that follows the reading ``return_clock``, the advice's own estimate, and the strict data file.

The figures are law, so these tests read the real policy data (tests/policy/README.md)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jifen.advisor import advise
from jifen.advisor.after_filing import after_filing, load_after_filing
from jifen.advisor.result import AFTER_FILING_KINDS
from jifen.policy.loader import POLICY_DIR, default_policy, load_policy
from jifen.policy.model import PolicyError
from jifen.policy.wording import date_words

ON = date(2026, 11, 30)


def holder(**fields: Any) -> dict[str, Any]:
    return {"schema": "jifen.facts/1", "birth_date": "1990-05-01", **fields}


def test_the_steps_in_the_order_of_the_contract_with_their_figures_and_sources(example: dict[str, Any]) -> None:
    items = advise(example, on=ON).to_dict()["after_filing"]
    assert [i["kind"] for i in items] == [
        "acceptance",
        "verification",
        "review",
        "return",
        "rejection",
        "reconsideration",
        "litigation",
    ]
    figures = {i["kind"]: {k: v for k, v in i.items() if k not in ("kind", "explanation")} for i in items}
    assert figures == {
        "acceptance": {"confidence": "C"},
        "verification": {"confidence": "B"},
        "review": {"working_days": 20, "source": "沪人社规〔2017〕43号 第七条", "confidence": "B"},
        "return": {"confidence": "D"},
        "rejection": {"confidence": "D"},
        "reconsideration": {"days": 60, "source": "中华人民共和国行政复议法（2023年修订） 第二十条", "confidence": "D"},
        "litigation": {"months": 6, "source": "中华人民共和国行政诉讼法（2017年修正） 第四十六条", "confidence": "D"},
    }


def test_the_texts_say_what_research_found() -> None:
    steps = {s.kind: s.explanation for s in after_filing(default_policy(), ON, None, (20, 25))}
    assert "当场出具收件凭证" in steps["acceptance"]["zh"] and "约3个工作日" in steps["acceptance"]["zh"]
    assert "随申办" in steps["acceptance"]["zh"] and "前12个月内累计缴费满6个月" in steps["acceptance"]["zh"]
    assert "没有公布的办理时限" in steps["verification"]["zh"]
    assert "20个工作日内" in steps["review"]["zh"] and "“15至30个工作日”说法没有积分政策出处" in steps["review"]["zh"]
    assert "递交后20至25个工作日" in steps["review"]["zh"] and "估算" in steps["review"]["zh"]
    assert "由用人单位重新申请" in steps["rejection"]["zh"] and "不构成法律意见" in steps["rejection"]["zh"]
    assert "区人民政府" in steps["reconsideration"]["zh"] and "60日内" in steps["reconsideration"]["zh"]
    assert "最多延长30日" in steps["reconsideration"]["zh"]
    assert "6个月内" in steps["litigation"]["zh"] and "15日内" in steps["litigation"]["zh"]
    for kind in ("reconsideration", "litigation"):
        assert "不构成法律意见" in steps[kind]["zh"] and "Not legal advice" in steps[kind]["en"]


def test_the_review_step_gives_the_advices_own_decision_range(example: dict[str, Any]) -> None:
    advice = advise(example, on=ON)
    decision = advice.recommendation.expected_decision
    assert decision is not None
    review = next(a for a in advice.after_filing if a.kind == "review")
    filed, earliest, latest = (date_words(d)["zh"] for d in (decision.filed, decision.earliest, decision.latest))
    assert f"{filed}递交的，预计在{earliest}至{latest}之间核定" in review.explanation["zh"]
    low, high = decision.working_days
    assert f"({low} to {high} working days after filing)" in review.explanation["en"]
    assert "not an official time limit" in review.explanation["en"]


def test_a_return_restarts_the_review_period_by_default_and_pauses_under_the_other_reading() -> None:
    assert default_policy().readings["return_clock"].default == "restart"
    restart = {s.kind: s.explanation for s in after_filing(default_policy(), ON, None, (20, 25))}["return"]
    paused = {s.kind: s.explanation for s in after_filing(load_policy({"return_clock": "pause"}), ON, None, (20, 25))}
    assert "20个工作日的核定期限从重新提交受理后重新起算" in restart["zh"]
    assert "由用人单位" in restart["zh"] and "重新提交" in restart["zh"]
    assert "暂停" not in restart["zh"]
    assert "暂停计时" in paused["return"]["zh"] and "没有找到出处" in paused["return"]["zh"]


def test_the_reading_switches_the_parameter_the_service_counts_with() -> None:
    assert default_policy().resolve("procedure.clock_after_return", ON).value == "restart"
    assert load_policy({"return_clock": "pause"}).resolve("procedure.clock_after_return", ON).value == "pause"


def test_the_steps_are_there_on_every_day_of_the_scheme() -> None:
    for day in (date(2018, 1, 1), date(2023, 12, 31), date(2024, 1, 1)):
        kinds = tuple(s.kind for s in after_filing(default_policy(), day, None, (20, 25)))
        assert kinds == AFTER_FILING_KINDS


class TestTheDataFile:
    def write(self, tmp_path: Path, edit: tuple[str, str]) -> Path:
        path = tmp_path / "after_filing.yaml"
        shutil.copy(POLICY_DIR / "after_filing.yaml", path)
        text = path.read_text(encoding="utf-8")
        assert edit[0] in text
        path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
        return path

    @pytest.mark.parametrize(
        ("edit", "message"),
        [
            (("    confidence: B\n", "    confidence: E\n"), "steps[1].confidence: expected one of A, B, C, D"),
            (("  - kind: verification\n", "  - kind: verification\n    extra: 1\n"), "steps[1].extra: unknown key"),
            (
                ("review_wd: advice.review_working_days\n    field:", "review_wd: advice.no_such\n    field:"),
                "steps[2].figures.review_wd: no parameter named 'advice.no_such'",
            ),
            (
                ("个工作日内作出积分核定", "{nowhere}个工作日内作出积分核定"),
                "steps[2].zh: {nowhere} is not defined here",
            ),
            (("  - kind: rejection\n", "  - kind: refusal\n"), "steps: expected the kinds acceptance, verification"),
            (
                ("      pause:\n", "      paused:\n"),
                "steps[3].cases.pause: missing: procedure.clock_after_return can be 'pause'",
            ),
        ],
    )
    def test_mistakes_name_the_key(self, tmp_path: Path, edit: tuple[str, str], message: str) -> None:
        path = self.write(tmp_path, edit)
        with pytest.raises(PolicyError) as caught:
            load_after_filing(path, default_policy().parameters)
        assert message in str(caught.value)
        assert str(caught.value).startswith("policy/after_filing.yaml: ")
