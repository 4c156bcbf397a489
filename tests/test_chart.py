"""The charts in the reader's language (issue 14, item 4): every word on the advisor's projection and on the
policy impact chart in zh or en, kept as SVG text in a font stack that renders Chinese, in an SVG that scales
to a phone's width; the triggers numbered on the chart as they are listed.

The advice is the contract example's on 2026-11-27 (tests/conftest.py): 250 points now, eleven triggers,
two of them on 2027-03-01, and a filing window from 2026-11-27.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from jifen.advisor import advise
from jifen.advisor.chart import chart_svg, draw_chart, markers
from jifen.advisor.result import Advice
from jifen.batch.impact import ImpactReport, changes_svg, draw_changes
from tests.conftest import contract_example

ON = date(2026, 11, 27)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
FONT_STACK = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'PingFang SC', 'Microsoft YaHei'"


@pytest.fixture(scope="module")
def advice() -> Advice:
    return advise(contract_example(), on=ON)


@pytest.fixture(scope="module")
def report() -> ImpactReport:
    """tests/test_impact.py's proposal: two of three holders lose 25 points, one of them falls below 120."""
    return ImpactReport(holders=3, losers=2, crossing_down=1, changes=Counter({-25: 2, 0: 1}), standard=120)


def texts(svg: str) -> list[str]:
    """What the chart writes: its <text> elements and its <title>, in order."""
    return [t.strip() for t in re.findall(r"<(?:text|title)\b[^>]*>([^<]*)</(?:text|title)>", svg)]


def root(svg: str) -> str:
    match = re.match(r"<svg\b[^>]*>", svg)
    assert match is not None, svg[:100]
    return match.group(0)


def test_the_triggers_are_marked_by_number_one_mark_a_day(advice: Advice) -> None:
    assert [(m.on.isoformat(), m.label, m.points_delta, m.total_after) for m in markers(advice.triggers)] == [
        ("2027-01-29", "1", 0, 250),
        ("2027-03-01", "2–3", 2, 252),
        ("2027-05-20", "4", 4, 256),
        ("2027-07-01", "5", 3, 259),
        ("2028-02-01", "6", 50, 309),
        ("2028-03-01", "7", 2, 311),
        ("2028-05-20", "8", 4, 315),
        ("2028-07-01", "9", 3, 318),
        ("2029-03-01", "10", 2, 320),
        ("2029-07-01", "11", 3, 323),
    ]


class TestTheAdvisorsChart:
    def test_in_chinese_every_word_is_chinese_and_text(self, advice: Advice) -> None:
        words = texts(chart_svg(advice, language="zh"))
        assert words[0] == "积分走势（2026年11月27日起）"  # the <title>
        assert words.count("积分走势（2026年11月27日起）") == 2  # and the title drawn
        for word in ("积分", "预计总分", "标准分 120", "递交时间", "2027年", "2028年", "2029年"):
            assert word in words
        assert [w for w in words if LATIN_WORD.search(w)] == []
        assert {"1", "2–3", "4", "5", "6", "7", "8", "9", "10", "11"} <= set(words)  # the marks

    def test_in_english_every_word_is_english(self, advice: Advice) -> None:
        words = texts(chart_svg(advice, language="en"))
        assert words[0] == "Points ahead from 27 November 2026"
        for word in ("points", "projected total", "standard 120", "filing window", "2027", "2028", "2029"):
            assert word in words
        assert [w for w in words if CJK.search(w)] == []

    def test_the_text_names_fonts_that_have_chinese(self, advice: Advice) -> None:
        svg = chart_svg(advice, language="zh")
        styles = re.findall(r'<text style="([^"]*)"', svg)
        assert styles and all(FONT_STACK in s and "sans-serif" in s for s in styles)
        assert "<path" in svg and 'd="M' in svg  # lines are drawn; the letters are not turned into paths
        assert "glyph" not in svg

    def test_the_svg_scales_to_the_width_it_is_given(self, advice: Advice) -> None:
        svg = chart_svg(advice, language="zh")
        head = root(svg)
        assert re.search(r'viewBox="0 0 [\d.]+ [\d.]+"', head)
        assert " width=" not in head and " height=" not in head
        assert "width: 100%; height: auto" in head
        widths = [float(w) for w in re.findall(r'\swidth="([\d.]+)(?:px)?"', svg)]
        assert all(w <= 390 for w in widths)
        assert float(re.findall(r'viewBox="0 0 ([\d.]+)', head)[0]) <= 390
        assert not svg.startswith("<?xml")  # for a page: no prologue

    def test_the_same_advice_draws_the_same_svg(self, advice: Advice) -> None:
        assert chart_svg(advice, language="en") == chart_svg(advice, language="en")

    def test_files_in_either_format_and_language(self, advice: Advice, tmp_path: Path) -> None:
        draw_chart(advice, tmp_path / "zh.svg", language="zh")
        draw_chart(advice, tmp_path / "en.png", language="en")
        draw_chart(advice, tmp_path / "zh.PNG", language="zh")
        svg = (tmp_path / "zh.svg").read_text(encoding="utf-8")
        assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg')
        assert "预计总分" in texts(svg)
        assert (tmp_path / "en.png").read_bytes()[:8] == (tmp_path / "zh.PNG").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_a_language_or_format_it_does_not_speak_is_refused(self, advice: Advice, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="the chart's language is zh or en, got 'fr'"):
            chart_svg(advice, language="fr")
        with pytest.raises(ValueError, match=r"the chart file must end in \.svg or \.png, got 'c\.pdf'"):
            draw_chart(advice, tmp_path / "c.pdf", language="zh")


class TestTheImpactChart:
    def test_in_chinese(self, report: ImpactReport) -> None:
        words = texts(changes_svg(report, language="zh"))
        assert words[0] == "积分变化分布（已计分 3 人）"
        for word in ("积分变化", "人数", "-25", "0", "2", "1"):
            assert word in words
        assert [w for w in words if LATIN_WORD.search(w)] == []

    def test_in_english(self, report: ImpactReport) -> None:
        words = texts(changes_svg(report, language="en"))
        assert words[0] == "Changes in points of 3 scored holders"
        for word in ("change in points", "holders", "-25", "0"):
            assert word in words
        assert [w for w in words if CJK.search(w)] == []

    def test_it_scales_and_names_fonts_with_chinese(self, report: ImpactReport) -> None:
        svg = changes_svg(report, language="zh")
        head = root(svg)
        assert " width=" not in head and 'viewBox="0 0 ' in head
        assert all(FONT_STACK in s for s in re.findall(r'<text style="([^"]*)"', svg))

    def test_a_file(self, report: ImpactReport, tmp_path: Path) -> None:
        draw_changes(report, tmp_path / "changes.svg", language="en")
        assert "Changes in points of 3 scored holders" in texts((tmp_path / "changes.svg").read_text(encoding="utf-8"))
