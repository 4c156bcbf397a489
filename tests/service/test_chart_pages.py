"""The charts on the pages (issue 14, item 4): drawn in the page's language, described for a screen reader
by the table beside them, which lists what the chart plots.

The advisor's facts are tests/service/test_advice_shown.py's (born 1990-05-01, a bachelor's degree, 12,000
a month since 2016-07, a permit to 2027-02-28): 200 points on 2026-11-27 and five triggers ahead. The impact
page's population and proposal are tests/service/test_policy_impact.py's.
"""

from __future__ import annotations

import html
import re

from django.test import Client

from jifen.service.accounts.models import Account
from tests.service.test_policy_impact import PROPOSAL, evaluate, maintainer, population  # noqa: F401  (fixtures)

FORM = {
    "as_of": "2026-11-27",
    "birth_date": "1990-05-01",
    "permit_valid_from": "2026-03-01",
    "permit_valid_until": "2027-02-28",
    "edu_level": "bachelor",
    "edu_degree": "on",
    "edu_graduated_on": "2012-07-01",
    "si0_from": "2016-07",
    "si0_base": "12000",
    "last_total": "118",
    "last_on": "2025-03-02",
}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def advisor_page(language: str) -> str:
    client = Client()
    client.cookies["django_language"] = language
    response = client.post("/advisor", FORM)
    assert response.status_code == 200
    return response.content.decode()


def chart(page: str) -> tuple[str, str]:
    """The chart's wrapper element (its start tag) and its <svg>."""
    match = re.search(r'(<div class="chart"[^>]*>)\s*(<svg\b.*?</svg>)', page, re.S)
    assert match is not None, "no chart"
    return match.group(1), match.group(2)


def svg_words(svg: str) -> list[str]:
    return [html.unescape(t).strip() for t in re.findall(r"<(?:text|title)\b[^>]*>([^<]*)</", svg)]


def described_by(page: str, wrapper: str) -> str:
    """The text the chart's aria-describedby points to."""
    match = re.search(r'aria-describedby="([^"]+)"', wrapper)
    assert match is not None
    target = re.search(rf'id="{match.group(1)}"[^>]*>(.*?)</', page, re.S)
    assert target is not None, f"nothing has the id {match.group(1)}"
    return html.unescape(target.group(1))


def table_rows(page: str, testid: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-testid="{testid}">(.*?)</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>")[1], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    dated = [[re.sub(r'<time datetime="([^"]+)">.*?</time>', r"\1", c).strip() for c in row] for row in cells]
    return [[html.unescape(c) for c in row] for row in dated]


class TestTheAdvisorPage:
    def test_in_chinese_the_chart_speaks_chinese_and_the_table_lists_its_marks(self, db: None) -> None:
        page = advisor_page("zh-hans")
        wrapper, svg = chart(page)
        assert 'role="img"' in wrapper and 'aria-label="未来36个月积分走势"' in wrapper
        assert described_by(page, wrapper) == "图中的编号即下表各行：日期、事项、积分变化和变化后的总分。"
        words = svg_words(svg)
        assert words[0] == "积分走势（2026年11月27日起）"
        assert {"预计总分", "标准分 120", "递交时间", "积分", "1", "2", "3", "4", "5"} <= set(words)
        assert [w for w in words if LATIN_WORD.search(w)] == []
        assert [row[:5] for row in table_rows(page, "triggers")] == [  # number, date, event, change, total
            ["1", "2027-01-29", "可签注", "", "200"],
            ["2", "2027-03-01", "居住证到期", "", "200"],
            ["3", "2027-07-01", "社保满一年", "+3", "203"],
            ["4", "2028-07-01", "社保满一年", "+3", "206"],
            ["5", "2029-07-01", "社保满一年", "+3", "209"],
        ]

    def test_in_english_the_chart_speaks_english(self, db: None) -> None:
        page = advisor_page("en")
        wrapper, svg = chart(page)
        assert 'aria-label="Projected points over the next 36 months"' in wrapper
        assert described_by(page, wrapper).startswith("The numbers on the chart are the rows of this table")
        words = svg_words(svg)
        assert words[0] == "Points ahead from 27 November 2026"
        assert {"projected total", "standard 120", "filing window", "points"} <= set(words)
        assert [w for w in words if CJK.search(w)] == []
        assert [row[:5] for row in table_rows(page, "triggers")][2] == [
            "3",
            "2027-07-01",
            "another year of insurance",
            "+3",
            "203",
        ]

    def test_the_chart_has_no_fixed_width(self, db: None) -> None:
        _, svg = chart(advisor_page("zh-hans"))
        head = re.match(r"<svg\b[^>]*>", svg)
        assert head is not None and " width=" not in head.group(0) and "viewBox=" in head.group(0)
        assert all(float(w) <= 390 for w in re.findall(r'\swidth="([\d.]+)(?:px)?"', svg))


class TestTheImpactPage:
    def test_the_chart_in_chinese_and_the_numbers_it_plots(
        self,
        population: dict[str, Account],  # noqa: F811
        maintainer: Client,  # noqa: F811
    ) -> None:
        page = evaluate(maintainer, PROPOSAL)
        wrapper, svg = chart(page)
        assert 'role="img"' in wrapper and 'aria-label="积分变化分布"' in wrapper
        assert described_by(page, wrapper) == "图中各柱即下表各行：积分变化及其人数。"
        words = svg_words(svg)
        assert words[0] == "积分变化分布（已计分 4 人）"
        assert {"积分变化", "人数", "-25", "0", "2"} <= set(words)
        assert [w for w in words if LATIN_WORD.search(w)] == []
        assert table_rows(page, "distribution") == [["-25", "2"], ["0", "2"]]

    def test_the_chart_in_english(
        self,
        population: dict[str, Account],  # noqa: F811
        maintainer: Client,  # noqa: F811
    ) -> None:
        maintainer.cookies["django_language"] = "en"
        page = evaluate(maintainer, PROPOSAL)
        wrapper, svg = chart(page)
        assert 'aria-label="Distribution of the changes in points"' in wrapper
        words = svg_words(svg)
        assert words[0] == "Changes in points of 4 scored holders"
        assert {"change in points", "holders"} <= set(words)
        assert [w for w in words if CJK.search(w)] == []
