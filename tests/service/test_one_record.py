"""One record of a holder's points (issue 12): one open application at a time, appeals only against the
latest decision, the approval in force, and one table of transitions that the API and the pages follow."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jifen.service.accounts.models import Account, Role
from jifen.service.api.app import api
from jifen.service.applications import workflow
from jifen.service.applications.filing import file_application
from jifen.service.applications.models import Application, Status
from jifen.service.applications.record import approval_in_force, latest_decision, open_application
from jifen.service.audit.models import AuditEntry
from jifen.service.errors import Conflict, Forbidden
from jifen.service.notifications.models import Message
from tests.service.conftest import PASSWORD, World, at, facts_a, moment


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def user(persona: Any) -> User:
    assert persona.user is not None
    return persona.user  # type: ignore[no-any-return]


def richer() -> dict[str, Any]:
    """The contract example with a doctorate: more points than facts_a()."""
    facts = facts_a()
    facts["education"] = [{"level": "doctor", "degree": True, "graduated_on": "2015-06-30"}]
    return facts


def filed(world: World, facts: dict[str, Any] | None = None, kind: str = "change") -> Application:
    return file_application(user(world.agent_a), world.holder_a.account, kind, facts or facts_a())[0]


def decided(world: World, app: Application, approve: bool = True) -> Application:
    agent, reviewer = user(world.agent_a), user(world.reviewer)
    workflow.submit(app, agent)
    workflow.accept(app, reviewer)
    if approve:
        return workflow.approve(app, reviewer)
    return workflow.reject(app, reviewer, ["材料不全 / incomplete"])


class TestOneOpenApplication:
    def test_submitting_beside_an_open_application_is_refused_naming_it(self, world: World) -> None:
        first = filed(world)
        workflow.submit(first, user(world.agent_a))
        second = filed(world, richer())  # a draft may wait beside it
        response = world.agent_a.post(f"/api/v1/applications/{second.pk}/submit")
        assert response.status_code == 409
        assert response.json()["detail"] == (
            f"another application of this holder is open: {first.pk} (change, filed 2026-11-27, submitted); "
            "it must be decided or withdrawn first"
        )
        assert Application.objects.get(pk=second.pk).status == Status.DRAFT
        assert not AuditEntry.objects.filter(object_id=str(second.pk), action="submit").exists()

    def test_the_page_says_the_same_in_chinese(self, world: World) -> None:
        first = filed(world)
        workflow.submit(first, user(world.agent_a))
        second = filed(world, richer())
        client = signed_in("hr_a")
        page = client.get(f"/applications/{second.pk}").content.decode()
        assert 'data-testid="action-submit"' not in page  # the button is not offered
        response = client.post(f"/applications/{second.pk}/submit", follow=True)
        assert "该持证人已有一件办理中的申请（变更（刷新），2026-11-27提交，已提交），须待其办结或撤回后再提交" in (
            response.content.decode()
        )

    def test_once_the_open_one_is_withdrawn_the_draft_may_go(self, world: World) -> None:
        first = filed(world)
        workflow.submit(first, user(world.agent_a))
        second = filed(world, richer())
        workflow.withdraw(first, user(world.agent_a))
        assert workflow.submit(second, user(world.agent_a)).status == Status.SUBMITTED
        assert open_application(world.holder_a.account) == second

    def test_the_database_refuses_a_second_open_application_whatever_the_code(self, world: World) -> None:
        from django.db import IntegrityError, transaction

        first, second = filed(world), filed(world, richer())
        Application.objects.filter(pk=first.pk).update(status=Status.SUBMITTED)
        with pytest.raises(IntegrityError), transaction.atomic():
            Application.objects.filter(pk=second.pk).update(status=Status.ACCEPTED)

    def test_another_holder_is_not_held_up(self, world: World) -> None:
        workflow.submit(filed(world), user(world.agent_a))
        other = file_application(user(world.agent_b), world.holder_b.account, "first", facts_a())[0]
        assert workflow.submit(other, user(world.agent_b)).status == Status.SUBMITTED


class TestTheIssuesScenario:
    """The agent filed a change while two others were open; an older rejected application, appealed later,
    took the holder's points back to 250 although a newer approval said more. None of it can happen now."""

    def test_a_newer_approval_stays_the_points_in_force(self, world: World) -> None:
        agent, reviewer, second = user(world.agent_a), user(world.reviewer), user(world.reviewer2)
        holder = world.holder_a.account
        with at("2026-11-02"):
            older = decided(world, filed(world), approve=False)  # rejected
        with at("2026-11-09"):
            approved = decided(world, filed(world))  # approved at 250
            change = filed(world, richer())
            workflow.submit(change, agent)
        with at("2026-11-10"):
            # while the change is open, nothing else of the holder's may open: no appeal, no second filing
            with pytest.raises(Conflict, match="another application of this holder is open"):
                workflow.appeal(approved, agent, "points miscounted")
            workflow.accept(change, reviewer)
            workflow.approve(change, reviewer)
        change.refresh_from_db()
        assert (approved.points, change.points) == (250, 260)  # a doctorate's 110 counts instead of the title's 100
        with at("2026-11-11"):
            refused = world.agent_a.post(f"/api/v1/applications/{older.pk}/appeal", {"reason": "re-check"})
            assert refused.status_code == 409
            assert refused.json()["detail"] == (
                "only the holder's latest decision can be re-checked: a later decision was made on 2026-11-10"
            )
            refused = world.agent_a.post(f"/api/v1/applications/{approved.pk}/appeal", {"reason": "re-check"})
            assert refused.status_code == 409
        assert latest_decision(holder) == change
        assert approval_in_force(holder) == change
        with at("2026-11-11"):
            page = signed_in("holder_a").get("/me").content.decode()
        assert "260" in page
        # the latest decision itself can still be re-checked, by the other reviewer; it stands meanwhile
        with at("2026-11-12"):
            workflow.appeal(change, agent, "the doctorate was counted too low")
            assert approval_in_force(holder) == change
            with pytest.raises(Forbidden):
                workflow.reject(change, reviewer, ["no"])
            workflow.reject(change, second, ["doctorate not verified"])
        assert approval_in_force(holder) == approved  # the change fell: the approval before it stands

    def test_decisions_made_at_the_same_instant_keep_their_order(self, world: World) -> None:
        """A pinned clock gives every decision the same time: the holder's decisions are numbered."""
        first = decided(world, filed(world))
        second = decided(world, filed(world, richer()), approve=False)
        assert (first.decided_at, first.decision_number, second.decision_number) == (second.decided_at, 1, 2)
        assert latest_decision(world.holder_a.account) == second
        assert approval_in_force(world.holder_a.account) == first
        with pytest.raises(Conflict, match="only the holder's latest decision"):
            workflow.appeal(first, user(world.agent_a), "again")
        workflow.appeal(second, user(world.agent_a), "again")
        workflow.approve(second, user(world.reviewer2))
        assert (second.decision_number, approval_in_force(world.holder_a.account)) == (3, second)

    def test_an_appeal_after_its_period_is_refused_and_the_day_before_the_end_is_not(self, world: World) -> None:
        with at("2026-11-02"):
            app = decided(world, filed(world), approve=False)
        with at("2027-01-01"):  # 60 days after 2026-11-02 (review.appeal_days in the frozen data)
            assert workflow.appeal(app, user(world.agent_a), "again").status == Status.APPEALED
        Application.objects.filter(pk=app.pk).update(status=Status.REJECTED)
        app.refresh_from_db()
        with at("2027-01-02"), pytest.raises(Conflict, match="appeal period of 60 days"):
            workflow.appeal(app, user(world.agent_a), "again")


# -- one table --------------------------------------------------------------------------------------


def _in_state(world: World, status: str) -> Application:
    """An application of holder A put straight into ``status`` (as the steps would leave it)."""
    app = filed(world)
    changes: dict[str, Any] = {"status": status}
    if status in (Status.ACCEPTED,):
        changes.update(accepted_on=moment("2026-11-20").date(), deadline=moment("2026-12-18").date())
    if status in (Status.APPROVED, Status.REJECTED, Status.APPEALED):
        changes.update(decided_at=moment("2026-11-20"), decided_by=user(world.reviewer))
    if status in (Status.APPROVED, Status.APPEALED):
        changes.update(points=250)
    Application.objects.filter(pk=app.pk).update(**changes)
    app.refresh_from_db()
    return app


PAGE_USERS = {Role.AGENT: "hr_a", Role.REVIEWER: "reviewer2", Role.HOLDER: "holder_a"}
CASES = [(t.action, source) for t in workflow.TRANSITIONS for source in t.sources]


@pytest.mark.parametrize(("action", "source"), CASES, ids=[f"{a}-from-{s}" for a, s in CASES])
def test_every_transition_is_offered_to_its_role_only_and_taken_by_its_endpoint(
    world: World, action: str, source: str
) -> None:
    transition = workflow.BY_ACTION[action]
    app = _in_state(world, source)
    for role, username in PAGE_USERS.items():
        page = signed_in(username).get(f"/applications/{app.pk}").content.decode()
        offered = f'data-testid="action-{action}"' in page
        assert offered == (role == transition.role), (role, page.count('data-testid="action-'))
    wrong = world.holder_a if transition.role != Role.HOLDER else world.reviewer
    assert wrong.post(f"/api/v1/applications/{app.pk}/{transition.endpoint}", _body(action)).status_code == 403
    persona = world.agent_a if transition.role == Role.AGENT else world.reviewer2
    response = persona.post(f"/api/v1/applications/{app.pk}/{transition.endpoint}", _body(action))
    assert (response.status_code, response.json()["status"]) == (200, transition.target), response.content
    assert AuditEntry.objects.filter(object_id=str(app.pk), action=action).count() == 1


def _body(action: str) -> dict[str, Any]:
    if action == "request_correction":
        return {"reasons": [{"material": None, "indicator": "basic", "reason": "unreadable"}]}
    if action == "reject":
        return {"reasons": ["conditions not met"]}
    if action == "appeal":
        return {"reason": "points miscounted"}
    return {}


def test_the_api_has_one_endpoint_per_action_of_the_table_and_no_other() -> None:
    paths = api.get_openapi_schema()["paths"]
    pattern = re.compile(r"^/api/v1/applications/\{application_id\}/([a-z-]+)$")
    posted = {m.group(1) for path, ops in paths.items() if (m := pattern.match(path)) and "post" in ops}
    assert posted - {"materials"} == {t.endpoint for t in workflow.TRANSITIONS}


def test_the_pages_take_the_tables_actions_and_no_other(world: World, draft: Application) -> None:
    client = signed_in("hr_a")
    assert client.post(f"/applications/{draft.pk}/approve_all").status_code == 404
    assert client.post(f"/applications/{draft.pk}/submit").status_code == 302  # redirected back to the page
    assert Application.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_the_first_reviewer_is_not_offered_the_decision_on_an_appeal_against_it(world: World) -> None:
    app = _in_state(world, Status.APPEALED)  # decided by "reviewer"
    own = signed_in("reviewer").get(f"/applications/{app.pk}").content.decode()
    other = signed_in("reviewer2").get(f"/applications/{app.pk}").content.decode()
    assert 'data-testid="action-approve"' not in own and 'data-testid="action-reject"' not in own
    assert 'data-testid="action-approve"' in other and 'data-testid="action-reject"' in other


def test_an_appeal_is_not_offered_once_its_period_has_ended(world: World) -> None:
    app = _in_state(world, Status.REJECTED)  # decided 2026-11-20
    with at((moment("2026-11-20") + timedelta(days=61)).date().isoformat()):
        page = signed_in("hr_a").get(f"/applications/{app.pk}").content.decode()
    assert 'data-testid="action-appeal"' not in page


# -- what each person's pages show --------------------------------------------------------------------


def test_the_reviewers_queue_lists_open_applications_by_deadline(world: World) -> None:
    _in_state(world, Status.APPROVED)
    later = file_application(user(world.agent_b), world.holder_b.account, "first", facts_a())[0]
    Application.objects.filter(pk=later.pk).update(
        status=Status.ACCEPTED, accepted_on=moment("2026-11-25").date(), deadline=moment("2026-12-23").date()
    )
    sooner = _in_state(world, Status.ACCEPTED)  # deadline 2026-12-18
    page = signed_in("reviewer").get("/me").content.decode()
    rows = re.findall(r'data-testid="queue-row"><td[^>]*><a href="/applications/([0-9a-f-]+)"', page)
    assert rows == [str(sooner.pk), str(later.pk)]  # not the approved one
    decided_page = signed_in("reviewer").get("/me?status=approved").content.decode()
    assert decided_page.count('data-testid="queue-row"') == 1


def test_a_maintainer_sees_the_policy_work_and_no_review_actions(world: World) -> None:
    maintainer = User.objects.create_user("keeper", "keeper@example.invalid", PASSWORD)
    Account.objects.create(user=maintainer, role=Role.MAINTAINER, display_name="keeper")
    page = signed_in("keeper").get("/me").content.decode()
    assert "政策数据维护" in page
    assert "审核队列" not in page and "核验" not in page and 'data-testid="queue-row"' not in page
    app = _in_state(world, Status.SUBMITTED)
    assert signed_in("keeper").get(f"/applications/{app.pk}").status_code == 404  # nobody's application
    token = (
        Client()
        .post("/api/v1/auth/token", {"username": "keeper", "password": PASSWORD}, content_type="application/json")
        .json()["token"]
    )
    bearer = {"Authorization": f"Bearer {token}"}
    assert Client().get(f"/api/v1/applications/{app.pk}", headers=bearer).status_code == 404
    assert Client().get(f"/api/v1/holders/{world.holder_a.account.pk}/facts", headers=bearer).status_code == 404


def test_an_unverified_employers_agent_is_told_why_before_filling_anything(world: World) -> None:
    world.employer_b.verified_at = None
    world.employer_b.save()
    home = signed_in("hr_b").get("/me").content.decode()
    form = signed_in("hr_b").get("/holders/new").content.decode()
    reason = "本单位尚未通过审核人员核验，暂不能开设持证人账户或提交申请"
    assert reason in home and reason in form
    assert 'name="id_number"' not in form  # no form to fill in vain


def test_a_signed_out_link_asks_to_sign_in_and_comes_back(world: World, draft: Application) -> None:
    client = Client()
    response = client.get(f"/applications/{draft.pk}")
    assert response["Location"] == f"/login?next=/applications/{draft.pk}"
    login_page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="/applications/{draft.pk}"' in login_page
    back = client.post("/login", {"username": "hr_a", "password": PASSWORD, "next": f"/applications/{draft.pk}"})
    assert back["Location"] == f"/applications/{draft.pk}"
    away = Client().post("/login", {"username": "hr_a", "password": PASSWORD, "next": "https://evil.example/"})
    assert away["Location"] == "/me"


# -- events after commit -------------------------------------------------------------------------------


def test_a_corrections_message_carries_the_reasons_of_its_own_round(
    world: World, draft: Application, django_capture_on_commit_callbacks: Any
) -> None:
    agent, reviewer = user(world.agent_a), user(world.reviewer)
    workflow.submit(draft, agent)
    workflow.accept(draft, reviewer)
    first = [{"material": None, "indicator": "basic", "reason": "contract copy unreadable"}]
    second = [{"material": None, "indicator": "education", "reason": "degree certificate missing"}]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_correction(draft, reviewer, first)
    workflow.resubmit(draft, agent)
    workflow.accept(draft, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_correction(draft, reviewer, second)
    bodies = list(
        Message.objects.filter(user__username="holder_a", kind="application_request_correction")
        .order_by("id")
        .values_list("body", flat=True)
    )
    assert len(bodies) == 2
    assert "contract copy unreadable" in bodies[0] and "degree certificate missing" not in bodies[0]
    assert "degree certificate missing" in bodies[1] and "contract copy unreadable" not in bodies[1]


def test_nothing_is_told_of_a_step_that_did_not_commit(
    world: World, draft: Application, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit(draft, user(world.agent_a))
    assert len(callbacks) == 1 and not Message.objects.exists()  # only once the transaction commits
