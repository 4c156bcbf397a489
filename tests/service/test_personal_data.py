"""Personal data shown no more than each reader needs (issue 13.3-4).

- ID numbers are masked (3101**********0018) on every list, page and API answer, except for the reviewer
  and the agent of the filing employer on the application itself, and each such full view is audited.
- Opening a holder who exists under another employer, or registering an employer whose credit code or user
  name exists, answers as for anything else the caller cannot resolve; the reviewers see the repeats.
- The policy maintainer sees the impact of a proposal by pseudonym, never by name.
- Personal answers carry Cache-Control: no-store.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jifen.service.accounts.identity import holder_pseudonym, masked_facts, masked_id
from jifen.service.accounts.models import Account, Employer, Role
from jifen.service.applications import workflow
from jifen.service.applications.models import Application
from jifen.service.audit.models import AuditEntry
from tests.fast_argon2 import FastArgon2PasswordHasher
from tests.service.conftest import PASSWORD, USCC_A, Persona, World, at, lasting_token
from tests.service.test_policy_impact import evaluate

FULL = "310115199005010018"  # holder_a's, in the account and in the draft's facts
MASKED = "3101**********0018"
CANNOT_OPEN = "this person cannot be opened here; ask the district reviewer"
RECEIVED = {"detail": "registration received; a reviewer will verify it"}


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def id_views() -> list[tuple[str, str, str]]:
    """The audit rows of full ID numbers shown: who, whose account, where."""
    rows = AuditEntry.objects.filter(action="view_id_number").select_related("actor").order_by("id")
    return [(r.actor.get_username() if r.actor else "", r.object_id, (r.after or {})["where"]) for r in rows]


def test_masking() -> None:
    assert masked_id(FULL) == MASKED
    assert masked_id("11010519491231002X") == "1101**********002X"
    assert masked_id("310115900501001") == "3101*******1001"  # a 15-digit number of the old cards
    assert masked_id("") == "" and masked_id("12345678") == "********"
    assert masked_facts({"id_number": FULL, "birth_date": "1990-05-01"}) == {
        "id_number": MASKED,
        "birth_date": "1990-05-01",
    }
    assert masked_facts({"birth_date": "1990-05-01"}) == {"birth_date": "1990-05-01"}


class TestIdNumbers:
    def test_the_application_api_shows_it_in_full_to_the_reviewer_and_the_filing_agent_only(
        self, world: World, draft: Application
    ) -> None:
        path = f"/api/v1/applications/{draft.pk}"
        shown = {p.name: p.get(path).json()["facts"]["id_number"] for p in (world.reviewer, world.agent_a)}
        assert shown == {"reviewer": FULL, "agent_a": FULL}
        holder_a = world.holder_a.account.pk
        assert id_views() == [
            ("reviewer", str(holder_a), "GET /api/v1/applications/{id}"),
            ("hr_a", str(holder_a), "GET /api/v1/applications/{id}"),
        ]
        assert world.holder_a.get(path).json()["facts"]["id_number"] == MASKED  # the holder: masked, not audited
        assert world.agent_b.get(path).status_code == 404
        assert len(id_views()) == 2

    def test_lists_and_action_answers_are_masked_for_everyone(self, world: World, draft: Application) -> None:
        for persona in (world.reviewer, world.agent_a, world.holder_a):
            (listed,) = persona.get("/api/v1/applications").json()
            assert listed["facts"]["id_number"] == MASKED, persona.name
        submitted = world.agent_a.post(f"/api/v1/applications/{draft.pk}/submit")
        assert (submitted.status_code, submitted.json()["facts"]["id_number"]) == (200, MASKED)
        assert id_views() == []

    def test_the_holder_api_shows_it_masked(self, world: World) -> None:
        path = f"/api/v1/holders/{world.holder_a.account.pk}"
        for persona in (world.reviewer, world.agent_a, world.holder_a):
            assert persona.get(path).json()["id_number"] == MASKED, persona.name

    def test_the_application_page(self, world: World, draft: Application) -> None:
        path = f"/applications/{draft.pk}"
        for username in ("reviewer", "hr_a"):
            page = signed_in(username).get(path).content.decode()
            assert FULL in page and MASKED not in page, username
        page = signed_in("holder_a").get(path).content.decode()
        assert FULL not in page and MASKED in page
        holder_a = str(world.holder_a.account.pk)
        assert id_views() == [("reviewer", holder_a, "application page"), ("hr_a", holder_a, "application page")]
        assert signed_in("hr_b").get(path).status_code == 404

    def test_the_agents_list_of_employees_and_the_holders_own_page_show_it_masked(self, world: World) -> None:
        employees = signed_in("hr_a").get("/me").content.decode()
        masked_cell = f'<td class="hide" data-testid="id-number">{html.escape(MASKED)}</td>'  # hidden on a phone
        assert masked_cell in employees and FULL not in employees
        own = signed_in("holder_a").get("/me").content.decode()
        assert f'<span data-testid="id-number">{html.escape(MASKED)}</span>' in own and FULL not in own

    def test_the_approved_facts_in_full_for_the_agent_masked_for_the_holder(
        self, world: World, draft: Application
    ) -> None:
        assert world.agent_a.user is not None and world.reviewer.user is not None
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)
        workflow.approve(draft, world.reviewer.user)
        path = f"/api/v1/holders/{world.holder_a.account.pk}/facts"
        assert world.agent_a.get(path).json()["facts"]["id_number"] == FULL
        assert world.holder_a.get(path).json()["facts"]["id_number"] == MASKED
        holder_a = str(world.holder_a.account.pk)
        assert id_views() == [("hr_a", holder_a, "GET /api/v1/holders/{id}/facts")]
        form = signed_in("hr_a").get(f"/holders/{holder_a}/applications/new").content.decode()
        assert FULL in form  # kept in the change form's hidden field: a full view too
        assert id_views()[1:] == [("hr_a", holder_a, "new application page")]


def open_holder(agent: Persona, employer: Employer, username: str, id_number: str, birth: str) -> Any:
    body = {"username": username, "name": "李四", "id_number": id_number, "birth_date": birth}
    return agent.post(f"/api/v1/employers/{employer.pk}/holders", body)


NEW_ID = ("310104199208150046", "1992-08-15")  # no account has it


class TestOpeningAHolderSomeoneElseHas:
    def test_another_employers_agent_gets_one_answer_whatever_exists(self, world: World) -> None:
        """The same 409 for holder_a's ID number, for a new ID number under holder_a's user name, and under
        a reviewer's: nothing tells which exists, nor that an account does."""
        holders = Account.objects.filter(role=Role.HOLDER).count()
        answers = [
            open_holder(world.agent_b, world.employer_b, "li_si", FULL, "1990-05-01"),
            open_holder(world.agent_b, world.employer_b, "holder_a", *NEW_ID),
            open_holder(world.agent_b, world.employer_b, "reviewer2", *NEW_ID),
        ]
        assert [(a.status_code, a.json()) for a in answers] == [(409, {"detail": CANNOT_OPEN})] * 3
        assert Account.objects.filter(role=Role.HOLDER).count() == holders
        rows = AuditEntry.objects.filter(action="open_holder_refused").order_by("id")
        assert [(r.actor.get_username() if r.actor else "", (r.after or {})["clash"]) for r in rows] == [
            ("hr_b", ["id_number"]),
            ("hr_b", ["username"]),
            ("hr_b", ["username"]),
        ]
        created = open_holder(world.agent_b, world.employer_b, "li_si", *NEW_ID)  # nothing in the way: opened
        assert created.status_code == 201 and created.json()["holder"]["id_number"] == "3101**********0046"

    def test_the_page_says_the_same_in_chinese(self, world: World) -> None:
        form = {"username": "li_si", "name": "李四", "id_number": FULL, "birth_date": "1990-05-01"}
        page = signed_in("hr_b").post("/holders/new", form).content.decode()
        assert "无法在本单位为此人开设账户，请联系区审核人员" in page

    def test_the_same_employers_agent_is_told_the_holder_is_already_there(self, world: World) -> None:
        again = open_holder(world.agent_a, world.employer_a, "li_si", FULL, "1990-05-01")
        assert (again.status_code, again.json()) == (
            409,
            {"detail": "id_number: this person already has an account at your employer, user name holder_a"},
        )
        taken = open_holder(world.agent_a, world.employer_a, "holder_a", *NEW_ID)
        assert (taken.status_code, taken.json()) == (409, {"detail": "username: holder_a is taken"})
        assert not AuditEntry.objects.filter(action="open_holder_refused").exists()

    def test_the_reviewer_sees_the_attempt_and_the_account_already_there(self, world: World) -> None:
        open_holder(world.agent_b, world.employer_b, "li_si", FULL, "1990-05-01")
        page = signed_in("reviewer").get("/me").content.decode()
        assert page.count('data-testid="duplicate-row"') == 1
        assert "开设持证人账户：身份证号码已开设账户" in page
        assert "上海另一家公司 · hr_b: 李四 (li_si)" in page
        assert "张三丰 (holder_a, 持证人) · 上海示例科技有限公司" in page


def registration(uscc: str, username: str) -> dict[str, str]:
    return {"uscc": uscc, "name": "上海新公司", "agent_username": username, "agent_password": PASSWORD}


NEW_USCC = "91310000MA1FL1XQ5T"


class TestRegistration:
    @pytest.fixture
    def hashed(self, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        """The passwords hashed, in order."""
        seen: list[str] = []
        encode = FastArgon2PasswordHasher.encode

        def counting(self: FastArgon2PasswordHasher, password: str, salt: str) -> str:
            seen.append(password)
            return encode(self, password, salt)

        monkeypatch.setattr(FastArgon2PasswordHasher, "encode", counting)
        return seen

    def test_the_answer_is_the_same_whether_the_code_or_the_name_exists(self, world: World, hashed: list[str]) -> None:
        employers = Employer.objects.count()
        repeats = [registration(USCC_A, "new_hr"), registration(NEW_USCC, "hr_a"), registration(USCC_A, "hr_a")]
        answers = [world.anonymous.post("/api/v1/employers", body) for body in repeats]
        new = world.anonymous.post("/api/v1/employers", registration(NEW_USCC, "new_hr"))
        assert [(a.status_code, a.json()) for a in [*answers, new]] == [(202, RECEIVED)] * 4
        assert hashed == [PASSWORD] * 4  # the password is hashed as often for a repeat as for a new one
        assert Employer.objects.count() == employers + 1
        assert Employer.objects.get(uscc=NEW_USCC).accounts.get().user.get_username() == "new_hr"
        rows = AuditEntry.objects.filter(action="duplicate_registration").order_by("id")
        assert [(r.after or {})["clash"] for r in rows] == [["uscc"], ["username"], ["uscc", "username"]]

    def test_the_page_says_the_same_either_way(self, world: World) -> None:
        for uscc, username in ((USCC_A, "new_hr"), (NEW_USCC, "new_hr")):
            form = {**registration(uscc, username), "district": "", "agent_email": "", "agent_name": ""}
            response = Client().post("/employers/register", form, follow=True)
            assert response.redirect_chain == [("/login", 302)]
            assert "注册申请已收到，审核人员核验后即可办理。" in response.content.decode()

    def test_invalid_input_is_still_refused(self, world: World) -> None:
        bad = world.anonymous.post("/api/v1/employers", registration("911101085513850822", "new_hr"))
        assert (bad.status_code, bad.json()) == (422, {"detail": "uscc: check character is 2, expected Q"})

    def test_the_reviewer_sees_the_repeats(self, world: World) -> None:
        world.anonymous.post(
            "/api/v1/employers", {**registration(USCC_A, "new_hr"), "agent_email": "x@example.invalid"}
        )
        page = signed_in("reviewer").get("/me").content.decode()
        assert page.count('data-testid="duplicate-row"') == 1
        assert "单位注册：统一社会信用代码已注册" in page
        assert html.escape(f"上海新公司 ({USCC_A}) · new_hr <x@example.invalid>") in page
        assert f"上海示例科技有限公司 ({USCC_A})" in page


ON = "2027-08-01"


class TestTheImpactNamesNoOne:
    def test_rows_are_pseudonyms(self, world: World) -> None:
        """holder_a at 12,000 since 2019-07 loses 25 under a reference wage of 12,500 from 2026-07."""
        from tests.service.test_policy_impact import facts, file, reference_wage

        file(world.agent_a, world.holder_a.account, facts("1990-05-01", 12000, "2019-07"), "2027-01-04")
        user = User.objects.create_user("keeper", "keeper@example.invalid", PASSWORD)
        Account.objects.create(user=user, role=Role.MAINTAINER, display_name="政策维护员")
        maintainer = Persona("maintainer", user, lasting_token(user))
        overlay = reference_wage("2026-07-01", value=12500)
        body = {"on": ON, "overlay": overlay}
        first, again = (maintainer.post("/api/v1/policy/impact", body) for _ in range(2))
        pseudonym = holder_pseudonym(world.holder_a.account.pk)
        assert first.json()["affected"] == [{"holder": pseudonym, "before": 104, "after": 79, "change": -25}]
        assert again.json()["affected"] == first.json()["affected"]  # stable
        assert "张三丰" not in first.content.decode() and str(world.holder_a.account.pk) != pseudonym
        with at(ON):
            page = evaluate(signed_in("keeper"), {**overlay[0], "on": ON})  # the run's page, with the result
        assert f"<td>持证人 #{pseudonym}</td>" in page and "张三丰" not in page


def no_store(response: Any) -> tuple[str | None, str | None]:
    return response.get("Cache-Control"), response.get("Pragma")


class TestNoStore:
    def test_pages_of_a_signed_in_person(self, world: World) -> None:
        assert no_store(signed_in("holder_a").get("/me")) == ("no-store", "no-cache")
        assert no_store(signed_in("holder_a").get("/calculator")) == ("no-store", "no-cache")
        assert no_store(Client().get("/calculator")) == (None, None)  # public, anonymous

    def test_api_answers(self, world: World) -> None:
        assert no_store(world.holder_a.get("/api/v1/me")) == ("no-store", "no-cache")
        assert no_store(world.anonymous.get("/api/v1/me")) == ("no-store", "no-cache")  # 401
        assert no_store(Client().get("/api/v1/openapi.json")) == (None, None)

    def test_the_notice_pdf_and_the_verification_page(self, world: World, draft: Application) -> None:
        assert world.agent_a.user is not None and world.reviewer.user is not None
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)
        app = workflow.approve(draft, world.reviewer.user)
        code = app.notices.get().code
        pdf = world.holder_a.get(f"/api/v1/notices/{code}/pdf")
        assert pdf["Content-Type"] == "application/pdf" and no_store(pdf) == ("no-store", "no-cache")
        assert no_store(signed_in("holder_a").get(f"/api/v1/notices/{code}/pdf")) == ("no-store", "no-cache")
        assert no_store(Client().get(f"/verify/{code}")) == ("no-store", "no-cache")
