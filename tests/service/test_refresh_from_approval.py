"""A change starts from the last approval (issue 12, item 5): the approved facts over the API, the approval a
change replaces, the refresh form filled in from the approval, and what the change does to each indicator."""

from __future__ import annotations

import copy
from datetime import date
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from jifen.facts.parse import parse_facts
from jifen.service.accounts.models import Account
from jifen.service.applications import workflow
from jifen.service.applications.models import Application
from jifen.service.web.facts_form import FactsForm
from tests.conftest import contract_example
from tests.service.conftest import PASSWORD, World, at, facts_a

APPROVED_ON = "2026-02-27"
RENEWED_PERMIT = {"valid_from": "2027-03-01", "valid_until": "2028-02-29"}  # endorsed after the approval
SENIOR_TITLE = "title:senior"


class _FormData(HTMLParser):
    """What a browser sends from a page's forms: every named input with its value (a checkbox only when
    checked, as "on"), and the selected option of each select."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") != "checkbox":
                self.data[name] = a.get("value") or ""
            elif "checked" in a:
                self.data[name] = "on"
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_data(html: str) -> dict[str, str]:
    parser = _FormData()
    parser.feed(html)
    return parser.data


class _Rows(HTMLParser):
    """The rows (cell texts) of the table in the section with data-testid ``testid``."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid = testid
        self.depth = 0  # sections open from the wanted one inwards
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and (self.depth or dict(attrs).get("data-testid") == self.testid):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str, testid: str) -> list[list[str]]:
    parser = _Rows(testid)
    parser.feed(html)
    return parser.rows


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def approve(world: World, app: Application, day: str = APPROVED_ON, hour: int = 10) -> Application:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    with at(day, hour):
        workflow.submit(app, world.agent_a.user)
        workflow.accept(app, world.reviewer.user)
        return workflow.approve(app, world.reviewer.user)


def endorse(holder: Account) -> None:
    """The permit moves on after the approval (签注): the account knows, the approved facts do not."""
    holder.permit_valid_from = date.fromisoformat(RENEWED_PERMIT["valid_from"])
    holder.permit_valid_until = date.fromisoformat(RENEWED_PERMIT["valid_until"])
    holder.save()


def approved_facts() -> dict[str, Any]:
    """The draft's facts as the approval's starting point: no last_approved, the endorsed permit."""
    facts = facts_a()
    del facts["last_approved"]
    facts["residence_permit"] = RENEWED_PERMIT
    return facts


class TestTheApprovedFacts:
    def test_the_agent_gets_the_facts_of_the_approval_with_the_current_permit(
        self, world: World, draft: Application
    ) -> None:
        approve(world, draft, hour=1)  # 01:00 in Shanghai is still the previous day in UTC
        endorse(world.holder_a.account)
        response = world.agent_a.get(f"/api/v1/holders/{world.holder_a.account.pk}/facts")
        assert response.status_code == 200, response.content
        assert response.json() == {
            "holder_id": world.holder_a.account.pk,
            "approval": {"application_id": str(draft.pk), "approved_on": APPROVED_ON, "points": 241},
            "facts": approved_facts(),
        }

    def test_the_holder_and_a_reviewer_see_them_too(self, world: World, draft: Application) -> None:
        approve(world, draft)
        path = f"/api/v1/holders/{world.holder_a.account.pk}/facts"
        for persona in (world.holder_a, world.reviewer):
            response = persona.get(path)
            assert (response.status_code, response.json()["approval"]["points"]) == (200, 241)

    def test_without_an_approval_there_is_nothing_to_start_from(self, world: World, draft: Application) -> None:
        holder_id = world.holder_a.account.pk
        response = world.agent_a.get(f"/api/v1/holders/{holder_id}/facts")
        assert (response.status_code, response.json()) == (
            404,
            {"detail": f"holder {holder_id} has no approval in force: there are no approved facts to start from"},
        )

    def test_another_employer_and_another_holder_cannot_see_them(self, world: World, draft: Application) -> None:
        approve(world, draft)
        holder_id = world.holder_a.account.pk
        for persona in (world.agent_b, world.holder_b):
            response = persona.get(f"/api/v1/holders/{holder_id}/facts")
            assert (response.status_code, response.json()) == (404, {"detail": f"no holder {holder_id}"})
        assert world.anonymous.get(f"/api/v1/holders/{holder_id}/facts").status_code == 401


class TestReplaces:
    def file(self, world: World, kind: str) -> dict[str, Any]:
        response = world.agent_a.post(
            "/api/v1/applications", {"holder_id": world.holder_a.account.pk, "kind": kind, "facts": facts_a()}
        )
        assert response.status_code == 201, response.content
        body: dict[str, Any] = response.json()
        return body

    def test_a_change_and_a_renewal_replace_the_approval_in_force(self, world: World, draft: Application) -> None:
        assert Application.objects.get(pk=draft.pk).replaces is None  # filed before any approval
        approve(world, draft)
        for kind in ("change", "renewal"):
            filed = self.file(world, kind)
            assert filed["replaces"] == str(draft.pk)
            assert Application.objects.get(pk=filed["id"]).replaces_id == draft.pk

    def test_a_first_application_replaces_nothing(self, world: World, draft: Application) -> None:
        approve(world, draft)
        filed = self.file(world, "first")
        assert filed["replaces"] is None
        assert Application.objects.get(pk=filed["id"]).replaces_id is None
        assert world.agent_a.get(f"/api/v1/applications/{draft.pk}").json()["replaces"] is None


class TestTheForm:
    def test_the_contract_example_goes_through_the_form_unchanged(self, db: None) -> None:
        example = contract_example()
        del example["as_of"]
        form = FactsForm(form_data(str(FactsForm(initial=FactsForm.initial_from(example)))))
        assert form.is_valid(), form.errors
        facts, _where = form.to_facts()
        # the form writes every run's back_paid; the example leaves the first one's to its default (false)
        expected = copy.deepcopy(example)
        expected["social_insurance"][0]["back_paid"] = False
        assert facts == expected
        assert parse_facts(facts) == parse_facts(example)

    def test_facts_the_form_has_no_field_for_are_kept_as_they_were(self, db: None) -> None:
        facts = contract_example()
        del facts["as_of"]
        facts["education"].append({"level": "master", "degree": True, "graduated_on": "2015-07-01", "foreign": True})
        facts["social_insurance"][1]["employer_uscc"] = "91310115MA1H7ABCDF"
        facts["remote_area"][0]["to"] = "2025-12-31"
        initial = FactsForm.initial_from(facts)
        form = FactsForm(form_data(str(FactsForm(initial=initial))))
        assert form.is_valid(), form.errors
        expected = copy.deepcopy(facts)
        expected["social_insurance"][0]["back_paid"] = False
        assert form.to_facts()[0] == expected
        assert form.kept_paths() == [
            "id_number",
            "education[0].full_time",
            "remote_area[0].to",
            "social_insurance[1].employer_uscc",
            "education[1]",
        ]
        assert form.kept_words("zh") == [
            "身份证号码",
            "学历第1条的全日制",
            "远郊重点区域第1条的结束日期",
            "社保缴费记录第2条的缴费单位统一社会信用代码",
            "学历第2条",
        ]
        assert form.kept_words("en")[:2] == ["ID number", "education #1: full-time study"]

    def test_the_refresh_form_starts_from_the_approval(self, world: World, draft: Application) -> None:
        approve(world, draft)
        endorse(world.holder_a.account)
        holder_id = world.holder_a.account.pk
        page = signed_in("hr_a").get(f"/holders/{holder_id}/applications/new").content.decode()
        assert "以2026年2月27日核定的申报事实（241分）为起点，只需修改变化的部分" in page
        assert "表单中没有栏目的事实按原样保留：身份证号码、学历第1条的全日制" in page
        data = form_data(page)
        shown = {k: data.get(k) for k in ("kind", "birth_date", "permit_valid_from", "permit_valid_until")}
        assert shown == {
            "kind": "change",
            "birth_date": "1990-05-01",
            "permit_valid_from": "2027-03-01",
            "permit_valid_until": "2028-02-29",
        }
        assert (data["edu_level"], data["edu_graduated_on"], data["edu_degree"]) == ("bachelor", "2012-07-01", "on")
        assert (data["qual"], data["qual_obtained_on"], data["qual_in_shanghai"]) == (
            "title:intermediate",
            "2019-12-01",
            "on",
        )
        runs = [tuple(data.get(f"si{i}_{k}", "") for k in ("from", "to", "base")) for i in range(3)]
        assert runs == [("2016-07", "2021-06", "9000"), ("2021-07", "", "12000"), ("", "", "")]
        assert (data["married_on"], data["area"], data["area_from"]) == ("2018-05-20", "lingang", "2022-03-01")
        assert (data["service_from"], data["service_to"]) == ("2015-01-01", "2019-12-31")
        assert (data["award"], data["award_on"], data["penalty"], data["penalty_on"]) == (
            "municipal_special",
            "2021-04-30",
            "administrative_detention",
            "2023-02-01",
        )

    def test_saving_it_unchanged_files_the_approved_facts(self, world: World, draft: Application) -> None:
        approve(world, draft)
        endorse(world.holder_a.account)
        client = signed_in("hr_a")
        path = f"/holders/{world.holder_a.account.pk}/applications/new"
        response = client.post(path, form_data(client.get(path).content.decode()))
        assert response.status_code == 302
        filed = Application.objects.exclude(pk=draft.pk).get()
        expected = approved_facts()
        expected["social_insurance"][0]["back_paid"] = False
        assert (filed.kind, filed.replaces_id, filed.facts) == ("change", draft.pk, expected)

    def test_unreadable_kept_facts_are_refused_above_the_form(self, world: World, draft: Application) -> None:
        approve(world, draft)
        client = signed_in("hr_a")
        path = f"/holders/{world.holder_a.account.pk}/applications/new"
        data = form_data(client.get(path).content.decode()) | {"kept": '{"facts": ['}
        response = client.post(path, data)
        assert response.status_code == 200
        assert '<ul class="errorlist"><li>无法读取沿用的事实，请重新打开本页</li></ul>' in response.content.decode()
        assert Application.objects.count() == 1

    def test_a_first_application_starts_empty(self, world: World, draft: Application) -> None:
        approve(world, draft)
        page = signed_in("hr_a").get(f"/holders/{world.holder_a.account.pk}/applications/new?kind=first")
        text = page.content.decode()
        data = form_data(text)
        assert (data["kind"], data["birth_date"], data["edu_graduated_on"], data["si0_base"]) == (
            "first",
            "1990-05-01",
            "",
            "",
        )
        assert 'data-testid="starting-point"' not in text

    def test_the_english_page_says_where_the_form_starts(self, world: World, draft: Application) -> None:
        approve(world, draft)
        client = signed_in("hr_a")
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = client.get(f"/holders/{world.holder_a.account.pk}/applications/new").content.decode()
        assert "Starts from the facts approved on 27 February 2026 (241 points): change only what changed" in page


class TestSinceTheApproval:
    def file_senior_title(self, world: World, approved: Application) -> Application:
        """The agent opens the refresh form, enters the senior title obtained in June and saves it."""
        client = signed_in("hr_a")
        path = f"/holders/{world.holder_a.account.pk}/applications/new"
        data = form_data(client.get(path).content.decode())
        data |= {"qual": SENIOR_TITLE, "qual_obtained_on": "2026-06-01"}
        assert client.post(path, data).status_code == 302
        return Application.objects.exclude(pk=approved.pk).get()

    def test_the_application_shows_each_changed_item_and_the_totals(self, world: World, draft: Application) -> None:
        approve(world, draft)
        change = self.file_senior_title(world, draft)
        assert change.facts["qualifications"][0]["level"] == "senior" and change.replaces_id == draft.pk
        page = signed_in("hr_a").get(f"/applications/{change.pk}").content.decode()
        assert '与上次核定相比（<time datetime="2026-02-27">2026年2月27日</time>，241分）' in page
        assert table_rows(page, "since") == [
            ["指标", "上次核定", "按本次事实今日计算", "差额"],
            ["专业技术职称和技能等级", "100", "140", "+40"],
            ["在本市工作及缴纳社保年限", "27", "30", "+3"],
            ["远郊重点区域", "6", "8", "+2"],
            ["配偶为本市户籍人员", "28", "32", "+4"],
            ["合计", "241", "290", "+49"],
        ]

    def test_in_english(self, world: World, draft: Application) -> None:
        approve(world, draft)
        change = self.file_senior_title(world, draft)
        client = signed_in("reviewer")
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = client.get(f"/applications/{change.pk}").content.decode()
        assert 'Since the last approval (<time datetime="2026-02-27">27 February 2026</time>, 241 points)' in page
        rows = table_rows(page, "since")
        assert rows[1] == ["Title or skill level", "100", "140", "+40"]
        assert rows[-1] == ["Total", "241", "290", "+49"]

    def test_an_application_that_replaces_nothing_has_no_such_section(self, world: World, draft: Application) -> None:
        page = signed_in("hr_a").get(f"/applications/{draft.pk}").content.decode()
        assert 'data-testid="since"' not in page
