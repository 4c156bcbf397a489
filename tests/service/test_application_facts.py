"""The application page (issue 14): the facts filed as labelled tables in words, what a change alters against the
approval it replaces, the materials by the item they support with a replaced file marked, replacing a file
over the API, and the holder's name in the employer's list of applications."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from jifen.service.applications import workflow
from jifen.service.applications.models import Application, Material
from jifen.service.web.facts_form import AREAS, AWARDS, EDUCATION, PENALTIES, QUALIFICATION
from tests.service.conftest import PASSWORD, World, at, facts_a

PDF = b"%PDF-1.4\n%test\n"


def signed_in(username: str, language: str = "zh-hans") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def text(fragment: str, tag: str = " ") -> str:
    """The words of an HTML fragment, a tag read as ``tag``."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", tag, fragment)).split())


class _Facts(HTMLParser):
    """The facts as shown: (key, label, value cell text, change) of each row, and the entries' headings."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str, str, str]] = []
        self.entries: list[tuple[str, str, str]] = []
        self._row: dict[str, Any] | None = None
        self._cell: list[str] | None = None
        self._cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-testid") in ("fact", "facts-entry"):
            self._row = a
            self._cells = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self._cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            key, change = str(self._row.get("data-key")), str(self._row.get("data-change") or "")
            if self._row.get("data-testid") == "fact":
                self.rows.append((key, self._cells[0], self._cells[1], change))
            else:
                self.entries.append((key, self._cells[0], change))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def facts_shown(page: str) -> _Facts:
    start = page.index('data-testid="facts"')
    parser = _Facts()
    parser.feed(page[start : page.index('aria-labelledby="materials-heading"')])
    return parser


def page_of(client: Client, app: Application) -> str:
    response = client.get(f"/applications/{app.pk}")
    assert response.status_code == 200
    return str(response.content.decode())


class TestFactsInWords:
    def test_the_agent_reads_the_facts_in_chinese(self, world: World, draft: Application) -> None:
        shown = facts_shown(page_of(signed_in("hr_a"), draft))
        assert shown.rows[:12] == [
            ("birth_date", "出生日期", "1990年5月1日", ""),
            ("id_number", "身份证号码", "310115199005010018", ""),
            ("residence_permit.valid_from", "居住证有效期起", "2026年3月1日", ""),
            ("residence_permit.valid_until", "居住证有效期至", "2027年2月28日", ""),
            ("education[0].level", "学历", "大学本科", ""),
            ("education[0].degree", "取得学位", "是", ""),
            ("education[0].graduated_on", "毕业日期", "2012年7月1日", ""),
            ("education[0].full_time", "全日制", "是", ""),
            ("qualifications[0].level", "职称或技能等级", "中级职称", ""),
            ("qualifications[0].obtained_on", "取得日期", "2019年12月1日", ""),
            ("qualifications[0].obtained_in_shanghai", "在本市工作期间取得", "是", ""),
            ("qualifications[0].matches_post", "与岗位相符", "是", ""),
        ]
        rows = {key: (label, value) for key, label, value, _ in shown.rows}
        assert rows["social_insurance[0].months"] == ("缴费月份", "2016年7月至2021年6月，共60个月")
        assert rows["social_insurance[1].months"] == ("缴费月份", "2021年7月起至今，计至2026年11月共65个月")
        assert rows["social_insurance[1].base"] == ("月缴费基数", "12,000元/月")
        assert rows["hukou_spouse_married_on"] == ("与本市户籍人员结婚日期", "2018年5月20日")
        assert rows["awards[0].level"] == ("表彰级别", "市级专项性表彰")
        assert rows["penalties[0].kind"] == ("减分事项", "行政拘留")
        assert ("social_insurance[1]", "第2段缴费", "") in shown.entries
        assert not any(label in key for key, label, _, _ in shown.rows)  # no key stands in for its label

    def test_dates_are_machine_readable(self, world: World, draft: Application) -> None:
        page = page_of(signed_in("hr_a"), draft)
        assert '<th scope="row">出生日期</th>\n<td><span data-testid="value"><time datetime="1990-05-01">' in page

    def test_the_holder_reads_them_in_english_with_the_id_number_masked(self, world: World, draft: Application) -> None:
        rows = {
            key: (label, value)
            for key, label, value, _ in facts_shown(page_of(signed_in("holder_a", "en"), draft)).rows
        }
        assert rows["id_number"] == ("ID number", "3101**********0018")
        assert rows["education[0].level"] == ("Level", "Bachelor")
        assert rows["qualifications[0].level"] == ("Title or skill level", "Intermediate title")
        assert rows["social_insurance[0].months"] == ("Months paid", "July 2016 to June 2021, 60 months")
        assert rows["social_insurance[0].base"] == ("Monthly base", "9,000 yuan a month")
        assert rows["remote_area[0].area"] == ("Area", "Lingang New Area")
        assert rows["birth_date"] == ("Birth date", "1 May 1990")

    def test_the_words_are_the_calculators(self) -> None:
        """The tables say an enumerated value as the calculator's form offers it, in both languages."""
        from jifen.facts.tables import default_labels

        values = default_labels().values
        pairs = {
            "education[].level": EDUCATION,
            "qualifications[].level": QUALIFICATION,
            "remote_area[].area": AREAS,
            "awards[].level": AWARDS,
            "penalties[].kind": PENALTIES,
        }
        for language, code in (("zh", "zh-hans"), ("en", "en")):
            with translation.override(code):
                for row_id, choices in pairs.items():
                    offered = {value: str(label) for value, label in choices if value}
                    assert offered == {v: w[language] for v, w in values[row_id].items()}, (row_id, language)


class TestAChange:
    def changed(self, world: World, draft: Application) -> Application:
        assert world.agent_a.user is not None and world.reviewer.user is not None
        workflow.submit(draft, world.agent_a.user)
        with at("2026-02-27"):
            workflow.accept(draft, world.reviewer.user)
            workflow.approve(draft, world.reviewer.user)
        facts = facts_a()
        del facts["last_approved"]
        facts["qualifications"][0]["level"] = "senior"
        facts["awards"] = []
        facts["education"].append({"level": "master", "degree": True, "graduated_on": "2025-07-01"})
        response = world.agent_a.post(
            "/api/v1/applications", {"holder_id": world.holder_a.account.pk, "kind": "change", "facts": facts}
        )
        assert response.status_code == 201, response.content
        change = Application.objects.get(pk=response.json()["id"])
        assert change.replaces_id == draft.pk
        return change

    def test_a_changed_value_is_marked_with_what_it_was(self, world: World, draft: Application) -> None:
        page = page_of(signed_in("hr_a"), self.changed(world, draft))
        shown = facts_shown(page)
        marked = [row for row in shown.rows if row[3]]
        assert marked == [
            ("education[1].level", "学历", "硕士研究生", "added"),
            ("education[1].degree", "取得学位", "是", "added"),
            ("education[1].graduated_on", "毕业日期", "2025年7月1日", "added"),
            ("qualifications[0].level", "职称或技能等级", "高级职称 变更 原为 中级职称", "changed"),
            ("awards[0].level", "表彰级别", "市级专项性表彰", "removed"),
            ("awards[0].awarded_on", "获奖日期", "2021年4月30日", "removed"),
        ]
        assert [e for e in shown.entries if e[2]] == [
            ("education[1]", "第2项学历 新增", "added"),
            ("awards[0]", "第1项表彰 已删除", "removed"),
        ]
        note = re.search(r'<p class="muted" data-testid="facts-compared">(.*?)</p>', page)
        assert note is not None and text(note.group(1), "") == (
            "与2026年2月27日核定的申报事实相比：有变化的项目标为“变更”并注明原值，新增和删除的项目也已标出。"
        )
        assert '<del data-testid="value">市级专项性表彰</del>' in page

    def test_in_english(self, world: World, draft: Application) -> None:
        shown = facts_shown(page_of(signed_in("hr_a", "en"), self.changed(world, draft)))
        rows = {key: (label, value, change) for key, label, value, change in shown.rows}
        assert rows["qualifications[0].level"] == (
            "Title or skill level",
            "Senior title changed was Intermediate title",
            "changed",
        )
        assert rows["awards[0].level"] == ("Level", "Municipal special award", "removed")
        assert ("education[1]", "Education 2 added", "added") in shown.entries

    def test_a_first_application_marks_nothing(self, world: World, draft: Application) -> None:
        page = page_of(signed_in("reviewer"), draft)
        assert 'data-testid="facts-compared"' not in page and "data-change" not in page


def upload(client: Client, app: Application, name: str, **fields: str) -> Any:
    return client.post(
        f"/applications/{app.pk}/materials", {"indicator": "basic", "file": SimpleUploadedFile(name, PDF), **fields}
    )


MATERIAL = re.compile(r'<li data-testid="material" data-material="([^"]+)" data-state="(\w+)">(.*?)</li>', re.S)


class TestMaterials:
    def test_the_upload_offers_the_categories_of_the_materials_list_in_words(
        self, world: World, draft: Application
    ) -> None:
        page = page_of(signed_in("hr_a"), draft)
        select = re.search(r'<select id="indicator" name="indicator">(.*?)</select>', page, re.S)
        assert select is not None
        options = re.findall(r'<option value="(\w+)">(.*?)</option>', select.group(1))
        assert options == [
            ("basic", "基本材料"),
            ("education", "教育背景"),
            ("qualification", "专业技术职称和技能等级"),
            ("si_years", "在本市工作及缴纳社保年限"),
            ("si_base", "缴纳社保费基数"),
            ("investment", "投资纳税或带动就业"),
            ("awards", "表彰奖励"),
            ("hukou_spouse", "配偶为本市户籍人员"),
            ("remote_area", "远郊重点区域"),
            ("public_service", "特定的公共服务领域"),
            ("shortage_major", "紧缺急需专业"),
            ("fresh_graduate", "全日制应届高校毕业生"),
            ("entrepreneur", "创业人才"),
            ("innovation_intermediary", "创新创业中介服务人才"),
        ]

    def test_a_replaced_file_is_struck_with_the_day_and_the_new_one_current(
        self, world: World, draft: Application
    ) -> None:
        client = signed_in("hr_a")
        with at("2026-11-20"):
            assert upload(client, draft, "contract.pdf").status_code == 302
        old = Material.objects.get()
        assert upload(client, draft, "diploma.pdf", indicator="education").status_code == 302
        assert upload(client, draft, "contract-clear.pdf", replaces=str(old.pk)).status_code == 302
        new = Material.objects.get(original_name="contract-clear.pdf")
        assert new.replaces_id == old.pk
        page = page_of(client, draft)
        groups = re.findall(r'<section data-testid="material-group" data-indicator="(\w+)">\s*<h3>(.*?)</h3>', page)
        assert groups == [("basic", "基本材料"), ("education", "教育背景")]
        shown = {name: (state, text(item)) for name, state, item in MATERIAL.findall(page)}
        assert shown[str(old.pk)][0] == "replaced"
        assert "已被替换 · 2026年11月27日 → contract-clear.pdf" in shown[str(old.pk)][1]
        assert "<del><a href" in page
        assert shown[str(new.pk)][0] == "current" and "现行 替换了contract.pdf" in shown[str(new.pk)][1]
        # the replaced file can no longer be chosen, the others can; a new file replaces none by default
        choices = re.search(r'<select id="replaces" name="replaces">(.*?)</select>', page, re.S)
        assert choices is not None
        assert re.findall(r'<option value="([^"]*)"', choices.group(1)) == [
            "",
            str(Material.objects.get(original_name="diploma.pdf").pk),
            str(new.pk),
        ]
        assert " selected" not in choices.group(1)

    def test_in_english(self, world: World, draft: Application) -> None:
        client = signed_in("hr_a", "en")
        upload(client, draft, "contract.pdf")
        upload(client, draft, "contract-clear.pdf", replaces=str(Material.objects.get().pk))
        shown = [(state, text(item)) for _, state, item in MATERIAL.findall(page_of(client, draft))]
        assert "Replaced · 27 November 2026 → contract-clear.pdf" in shown[0][1]
        assert "Current replaces contract.pdf" in shown[1][1]
        assert "<h3>Basic materials</h3>" in page_of(client, draft)

    def test_a_file_already_replaced_cannot_be_replaced_again(self, world: World, draft: Application) -> None:
        client = signed_in("hr_a")
        upload(client, draft, "a.pdf")
        old = Material.objects.get()
        upload(client, draft, "b.pdf", replaces=str(old.pk))
        page = client.post(
            f"/applications/{draft.pk}/materials",
            {"indicator": "basic", "file": SimpleUploadedFile("c.pdf", PDF), "replaces": str(old.pk)},
            follow=True,
        ).content.decode()
        assert "替换文件：a.pdf已被b.pdf替换" in page
        assert Material.objects.count() == 2

    def test_the_upload_answering_a_correction_replaces_the_file_it_names(
        self, world: World, draft: Application
    ) -> None:
        assert world.agent_a.user is not None and world.reviewer.user is not None
        client = signed_in("hr_a")
        upload(client, draft, "contract.pdf")
        upload(client, draft, "id-card.pdf")
        unreadable = Material.objects.get(original_name="contract.pdf")
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)
        workflow.request_correction(
            draft, world.reviewer.user, [{"material": str(unreadable.pk), "indicator": "basic", "reason": "不清晰"}]
        )
        page = page_of(client, draft)
        assert f'<option value="{unreadable.pk}" selected>contract.pdf' in page
        assert upload(client, draft, "contract-clear.pdf", replaces=str(unreadable.pk)).status_code == 302
        assert Material.objects.get(original_name="contract-clear.pdf").replaces_id == unreadable.pk


class TestTheApi:
    def test_an_upload_replacing_a_file(self, world: World, draft: Application) -> None:
        path = f"/api/v1/applications/{draft.pk}/materials"
        first = world.agent_a.upload(path, indicator="basic", file=SimpleUploadedFile("a.pdf", PDF)).json()
        assert (first["replaces"], first["replaced_by"]) == (None, None)
        second = world.agent_a.upload(
            path, indicator="basic", file=SimpleUploadedFile("b.pdf", PDF), replaces=first["id"]
        )
        assert second.status_code == 201
        assert (second.json()["replaces"], second.json()["replaced_by"]) == (first["id"], None)
        listed = world.holder_a.get(f"/api/v1/applications/{draft.pk}").json()["materials"]
        assert [(m["original_name"], m["replaces"], m["replaced_by"]) for m in listed] == [
            ("a.pdf", None, second.json()["id"]),
            ("b.pdf", first["id"], None),
        ]

    def test_a_material_of_another_application_is_refused_naming_the_field(
        self, world: World, draft: Application
    ) -> None:
        assert world.agent_a.user is not None
        path = f"/api/v1/applications/{draft.pk}/materials"
        other = world.agent_b.post(
            "/api/v1/applications",
            {
                "holder_id": world.holder_b.account.pk,
                "kind": "first",
                "facts": {"schema": "jifen.facts/1", "birth_date": "1949-12-31"},
            },
        )
        assert other.status_code == 201, other.content
        elsewhere = world.agent_b.upload(
            f"/api/v1/applications/{other.json()['id']}/materials",
            indicator="basic",
            file=SimpleUploadedFile("x.pdf", PDF),
        ).json()["id"]
        response = world.agent_a.upload(
            path, indicator="basic", file=SimpleUploadedFile("b.pdf", PDF), replaces=elsewhere
        )
        assert (response.status_code, response.json()) == (
            422,
            {"detail": f"replaces: '{elsewhere}' is not a material of this application"},
        )
        garbage = world.agent_a.upload(path, indicator="basic", file=SimpleUploadedFile("b.pdf", PDF), replaces="x")
        assert (garbage.status_code, garbage.json()) == (
            422,
            {"detail": "replaces: 'x' is not a material of this application"},
        )
        assert Material.objects.filter(application=draft).count() == 0

    def test_a_file_replaced_once_is_refused_the_second_time(self, world: World, draft: Application) -> None:
        path = f"/api/v1/applications/{draft.pk}/materials"
        first = world.agent_a.upload(path, indicator="basic", file=SimpleUploadedFile("a.pdf", PDF)).json()["id"]
        second = world.agent_a.upload(path, indicator="basic", file=SimpleUploadedFile("b.pdf", PDF), replaces=first)
        again = world.agent_a.upload(path, indicator="basic", file=SimpleUploadedFile("c.pdf", PDF), replaces=first)
        assert (again.status_code, again.json()) == (
            422,
            {"detail": f"replaces: a.pdf ({first}) was already replaced by b.pdf ({second.json()['id']})"},
        )


class TestTheHoldersName:
    def test_the_employers_list_of_applications_names_the_holder(self, world: World, draft: Application) -> None:
        page = signed_in("hr_a").get("/me").content.decode()
        heading = re.search(r"<h2>申请</h2>\s*<table><thead><tr>(.*?)</tr>", page, re.S)
        assert heading is not None and text(heading.group(1)).split() == ["持证人", "申请", "状态", "核定期限", "积分"]
        assert '<tr data-testid="application-row"><td data-testid="holder-name">张三丰</td>' in page

    def test_the_holders_own_list_does_not_repeat_the_name(self, world: World, draft: Application) -> None:
        page = signed_in("holder_a").get("/me").content.decode()
        assert '<tr data-testid="application-row"><td><a href' in page and 'data-testid="holder-name"' not in page

    def test_the_reviewers_queue_names_the_holder(self, world: World, draft: Application) -> None:
        assert world.agent_a.user is not None
        workflow.submit(draft, world.agent_a.user)
        page = signed_in("reviewer").get("/me").content.decode()
        assert f'<a href="/applications/{draft.pk}">张三丰</a>' in page
