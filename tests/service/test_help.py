"""The help page (/help) answers the holders' questions with the figures of the policy in force on the
service's today, in words, each answer with its sources and a link to the page that answers it for the
holder's own facts; changing the policy data changes the page."""

from __future__ import annotations

import filecmp
import html
import re
import shutil
from pathlib import Path

import pytest
from django.test import Client

from jifen.advisor.help import LINK_KINDS, answers, load_help
from jifen.policy.loader import POLICY_DIR, POLICY_DIR_VARIABLE, default_policy
from jifen.policy.model import PolicyError
from jifen.service import clock
from jifen.workdays import default_calendar
from tests.conftest import FROZEN_POLICY
from tests.service.conftest import at

SECTION = re.compile(r'<section id="(\w+)" data-testid="help-\w+">(.*?)</section>', re.S)
LINKS = {"calculator": 'href="/calculator"', "advisor": 'href="/advisor"'}


def page(language: str = "zh-hans") -> str:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get("/help")
    assert response.status_code == 200
    return response.content.decode()


def words(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def sections(language: str = "zh-hans") -> dict[str, str]:
    return dict(SECTION.findall(page(language)))


def answer(section: str) -> str:
    found = re.search(r'<p data-testid="answer">(.*?)</p>', section, re.S)
    assert found is not None
    return words(found.group(1))


def test_the_questions_of_the_holders_are_answered_in_order(db: None) -> None:
    zh = words(page())
    questions = [
        "每年都要刷新积分吗？",
        "怎么查自己的社保缴费记录？每年调整缴费基数后，什么时候能按新基数申请？",
        "在哪里申请？我可以自己去办吗？",
        "需要准备哪些材料？",
        "审核需要多长时间？",
        "没通过怎么办？",
        "积分有效期多长？到期怎么续？",
        "积分要达到多少分？",
    ]
    at_heading = [zh.index(f"\n  {q}\n") for q in questions]  # each an <h2> of its own section
    assert at_heading == sorted(at_heading)
    assert list(sections()) == [
        "refresh_yearly",
        "insurance",
        "where",
        "materials",
        "review_time",
        "failed",
        "validity",
        "enough",
    ]


def test_the_answers_name_the_figures_in_force_in_chinese(db: None) -> None:
    found = {key: answer(section) for key, section in sections().items()}
    assert found["refresh_yearly"].startswith("不用。积分核定后的有效期与《上海市居住证》一致，不需要每年重新申请")
    assert "刷新建议会按您的情况给出日期" in found["refresh_yearly"]
    assert "区人力资源社会保障局在20个工作日内作出积分核定" in found["review_time"]
    assert "网上申请（网签）一般约3个工作日后可在系统中看到已受理或被退回" in found["review_time"]
    assert "本服务估算时按5个工作日计" in found["review_time"]
    known = default_calendar().official_years()[-1]
    assert f"本服务有截至{known}年的官方安排，此后的年份按历年规律估算" in found["review_time"]
    failed = found["failed"]
    assert "经办人可在核定之日起60日内申请复核" in failed
    assert "可以自知道核定结果之日起60日内向作出核定的区人力资源社会保障局所属的区人民政府申请行政复议" in failed
    assert "在6个月内直接向人民法院提起行政诉讼" in failed and "收到复议决定书之日起15日内还可以起诉" in failed
    assert failed.endswith("不构成法律意见。")
    validity = found["validity"]
    assert validity.startswith("积分的有效期与《上海市居住证》的有效期一致，没有单独的年限。")
    assert "有效期届满前30日内办理签注" in validity and "逾期60日内仍可补办" in validity
    assert "签注约3个工作日后，新的有效期同步到积分系统" in validity and "签注后60日内未续办" in validity
    insurance = found["insurance"]
    assert "自2020年7月起，社保缴费基数每年7月1日调整；调整后的新基数往往要约90日才反映到缴费记录中" in insurance
    assert "某个月的缴费，一般要到1个月后才能在记录中查到" in insurance
    assert (
        "积分只能由用人单位申请，个人不能自行申请" in found["where"]
        and "还须在30日内到社区事务受理服务中心" in found["where"]
    )
    assert found["enough"].startswith("积分达到标准分值120分，即可享受相应的公共服务待遇")


def test_the_answers_name_the_figures_in_force_in_english(db: None) -> None:
    found = {key: answer(section) for key, section in sections("en").items()}
    assert "decides the points within 20 working days and tells you" in found["review_time"]
    assert "after about 3 working days" in found["review_time"] and "take as 5 working days" in found["review_time"]
    failed = found["failed"]
    assert "ask for a re-check (复核) within 60 days of the decision" in failed
    assert "apply for administrative reconsideration (行政复议)" in failed
    assert "within 60 days of learning of the decision" in failed
    assert "sue in the people's court (行政诉讼) within 6 months" in failed
    assert "within 15 days of receiving its decision" in failed and failed.endswith("Not legal advice.")
    assert "Since July 2020 the contribution base has been adjusted on 1 July every year" in found["insurance"]
    assert "about 90 days after the adjustment" in found["insurance"]
    assert "within 30 days before it ends" in found["validity"] and "within 60 days" in found["validity"]
    assert found["enough"].startswith("Reaching the standard score of 120 points")
    assert found["where"].startswith("Only the employer can apply; holders cannot file themselves.")


def test_no_parameter_id_is_shown(db: None) -> None:
    for language in ("zh-hans", "en"):
        text = words(page(language))  # the words a reader sees: ids in attributes (data-testid) are not
        for name in default_policy().parameters:
            assert name not in text, name
        assert "si_base" not in text and "{" not in text


def test_every_answer_links_where_its_kind_says(db: None) -> None:
    shown = sections()
    found = answers(default_policy(), clock.today(), calendar_known_to=default_calendar().official_years()[-1])
    assert {a.link for a in found} == set(LINK_KINDS)
    for item in found:
        section = shown[item.id]
        for kind, link in LINKS.items():
            assert (link in section) == (item.link == kind), (item.id, kind)
        assert ('data-testid="help-link"' in section) == (item.link != "none")
    assert '<a href="/advisor" data-testid="help-link">按您的情况查看刷新建议</a>' in shown["review_time"]
    assert '<a href="/calculator" data-testid="help-link">用模拟打分算一算</a>' in shown["enough"]
    english = sections("en")
    assert '<a href="/calculator" data-testid="help-link">Work it out in the calculator</a>' in english["enough"]


def test_every_answer_gives_its_sources_and_marks_the_reprints(db: None) -> None:
    for key, section in sections().items():
        sources = re.search(r'<p class="basis" data-testid="sources">来源：(.*?)</p>', section, re.S)
        assert sources is not None and '<a href="http' in sources.group(1), key
    shown = sections()
    official = "https://english.shanghai.gov.cn/en-Bulletin/20240921/b1365d47af0c4ce395a4f6d6e2c1bb5c.html"
    assert f'<a href="{official}" rel="noopener noreferrer">沪府发〔2017〕98号 第三条</a>；' in shown["enough"]
    assert (
        '<a href="http://hahafu.net.cn/html/shlhzx/jzz/71787.html" rel="noopener noreferrer">沪人社规〔2017〕43号</a>'
        ' <span class="reprint">转载 · hahafu.net.cn</span>'
    ) in shown["validity"]
    assert '<span class="reprint">reprint · hahafu.net.cn</span>' in sections("en")["validity"]
    # the figures' own sources come with the answer: the 20 working days of 细则 第七条
    assert '沪人社规〔2017〕43号 第七条</a> <span class="reprint">转载 · 021shhk.com</span>' in shown["review_time"]


def test_the_materials_are_listed_under_their_labels_in_words(db: None) -> None:
    section = sections()["materials"]
    labels = re.findall(r"<summary>(.*?)</summary>", section)
    assert labels[:3] == ["基本材料", "教育背景", "专业技术职称和技能等级"]
    assert "缴纳社保费基数" in labels and "si_base" not in labels
    assert "<li>有效的《上海市居住证》</li>" in section
    assert "<li>最近6个月个人所得税完税记录</li>" in section
    assert "无违法犯罪记录证明" not in section  # asked for until 2022 only
    english = re.findall(r"<summary>(.*?)</summary>", sections("en")["materials"])
    assert english[:2] == ["Basic materials", "Education"]


def test_every_page_links_to_the_help(db: None) -> None:
    for path in ("/", "/calculator", "/advisor", "/policy", "/help", "/login"):
        assert '<a href="/help">常见问题</a>' in Client().get(path).content.decode(), path
    english = Client()
    english.cookies["django_language"] = "en"
    assert '<a href="/help">Help</a>' in english.get("/").content.decode()


def changed_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the frozen policy data in which the review period becomes 15 working days from 2026-10-01."""
    root = tmp_path / "policy"
    shutil.copytree(FROZEN_POLICY, root)
    path = root / "parameters" / "advice" / "review_working_days.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '  "2026-10-01":\n    value: 15\n    source: {document: proposal}\n    confidence: D\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(POLICY_DIR_VARIABLE, str(root))
    return root


def test_a_changed_policy_value_changes_the_answer(db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "在20个工作日内作出积分核定" in answer(sections()["review_time"])
    changed_policy(tmp_path, monkeypatch)
    zh, en = answer(sections()["review_time"]), answer(sections("en")["review_time"])
    assert "区人力资源社会保障局在15个工作日内作出积分核定" in zh and "20个工作日" not in zh
    assert "decides the points within 15 working days" in en
    assert "拟议调整（尚未生效）" in sections()["review_time"]  # the new value's source comes with it
    with at("2026-09-30"):  # the day before it takes effect: the old value is in force
        assert "在20个工作日内作出积分核定" in answer(sections()["review_time"])


def test_the_frozen_copy_has_the_same_file() -> None:
    assert filecmp.cmp(POLICY_DIR / "help.yaml", FROZEN_POLICY / "help.yaml", shallow=False)


class TestTheDataFileIsReadStrictly:
    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            ("    link: none\n", "    link: phone\n", "questions[2].link: expected one of calculator, advisor, none"),
            ("review_wd: advice.review_working_days", "review_wd: advice.review_weeks", "no parameter named"),
            ("在{review_wd_words}内", "在{review_weeks}内", "questions[4].answer.zh: {review_weeks} is not defined"),
            ("{document: hfg-2017-98, article: 第三条}", "{document: hfg-2017-99}", "unknown document 'hfg-2017-99'"),
            ("  - id: insurance\n", "  - id: refresh_yearly\n", "questions[1].id: 'refresh_yearly' is given twice"),
            ("    materials: true\n", "    materials: yes please\n", "questions[3].materials: expected true or"),
            ("    link: advisor\n    figures:", "    link: advisor\n    answers:", "questions[1].answers: unknown key"),
        ],
    )
    def test_a_mistake_names_the_file_and_the_key(self, tmp_path: Path, old: str, new: str, message: str) -> None:
        shutil.copy(POLICY_DIR / "sources.yaml", tmp_path / "sources.yaml")
        text = (POLICY_DIR / "help.yaml").read_text(encoding="utf-8")
        assert old in text
        (tmp_path / "help.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(PolicyError) as caught:
            load_help(tmp_path / "help.yaml", default_policy().parameters)
        assert str(caught.value).startswith("policy/help.yaml: ")
        assert message in str(caught.value)
