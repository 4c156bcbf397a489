"""Every legal and illegal transition, the working-day deadlines and a correction's restart, compare-and-set."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from jifen.service.applications import workflow
from jifen.service.applications.models import Application, Penalty, Status
from jifen.service.audit.models import AuditEntry
from jifen.service.errors import Conflict, Forbidden
from tests.service.conftest import PINNED, World, at, facts_a, moment

REASONS = [{"indicator": "basic", "reason": "材料不清晰"}]


def drive(app: Application, world: World, target: str) -> Application:
    """Take a draft to ``target`` through legal steps."""
    agent, reviewer = world.agent_a.user, world.reviewer.user
    assert agent is not None and reviewer is not None
    path = {
        Status.DRAFT: [],
        Status.SUBMITTED: ["submit"],
        Status.ACCEPTED: ["submit", "accept"],
        Status.CORRECTION_REQUESTED: ["submit", "accept", "request_correction"],
        Status.RESUBMITTED: ["submit", "accept", "request_correction", "resubmit"],
        Status.APPROVED: ["submit", "accept", "approve"],
        Status.REJECTED: ["submit", "accept", "reject"],
        Status.WITHDRAWN: ["withdraw"],
        Status.APPEALED: ["submit", "accept", "reject", "appeal"],
    }[Status(target)]
    for step in path:
        app = act(app, world, step)
    return app


def act(app: Application, world: World, step: str) -> Application:
    agent = world.agent_a.user
    # an appeal goes to another reviewer than the one who decided
    reviewer = world.reviewer2.user if app.status == Status.APPEALED else world.reviewer.user
    assert agent is not None and reviewer is not None
    actions = {
        "submit": lambda: workflow.submit(app, agent),
        "withdraw": lambda: workflow.withdraw(app, agent),
        "accept": lambda: workflow.accept(app, reviewer),
        "request_correction": lambda: workflow.request_correction(app, reviewer, REASONS),
        "resubmit": lambda: workflow.resubmit(app, agent),
        "approve": lambda: workflow.approve(app, reviewer),
        "reject": lambda: workflow.reject(app, reviewer, ["条件不符"]),
        "appeal": lambda: workflow.appeal(app, agent, "计算有误"),
    }
    return actions[step]()


LEGAL = {
    "submit": {Status.DRAFT},
    "withdraw": {Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.CORRECTION_REQUESTED, Status.RESUBMITTED},
    "accept": {Status.SUBMITTED, Status.RESUBMITTED},
    "request_correction": {Status.ACCEPTED},
    "resubmit": {Status.CORRECTION_REQUESTED},
    "approve": {Status.ACCEPTED, Status.APPEALED},
    "reject": {Status.ACCEPTED, Status.APPEALED},
    "appeal": {Status.APPROVED, Status.REJECTED},
}
TARGET = {
    "submit": Status.SUBMITTED,
    "withdraw": Status.WITHDRAWN,
    "accept": Status.ACCEPTED,
    "request_correction": Status.CORRECTION_REQUESTED,
    "resubmit": Status.RESUBMITTED,
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "appeal": Status.APPEALED,
}


@pytest.mark.parametrize("start", list(Status))
@pytest.mark.parametrize("step", list(LEGAL))
def test_every_transition(world: World, draft: Application, start: Status, step: str) -> None:
    app = drive(draft, world, start)
    audit_rows = AuditEntry.objects.count()
    if start in LEGAL[step]:
        moved = act(app, world, step)
        assert Application.objects.get(pk=app.pk).status == TARGET[step] == moved.status
        row = AuditEntry.objects.order_by("-id").first()
        assert row is not None and row.action == step and row.before is not None and row.after is not None
        assert (row.before["status"], row.after["status"]) == (start.value, TARGET[step].value)
    else:
        with pytest.raises(Conflict) as caught:
            act(app, world, step)
        phrase = {"request_correction": "request correction of"}.get(step, step)
        assert caught.value.message == f"cannot {phrase} an application that is {start}"
        assert Application.objects.get(pk=app.pk).status == start
        assert AuditEntry.objects.count() == audit_rows


def test_of_two_reviewers_accepting_at_once_exactly_one_wins(world: World, draft: Application) -> None:
    app = drive(draft, world, Status.SUBMITTED)
    seen_by_first, seen_by_second = Application.objects.get(pk=app.pk), Application.objects.get(pk=app.pk)
    assert world.reviewer.user is not None and world.reviewer2.user is not None
    workflow.accept(seen_by_first, world.reviewer.user)
    with pytest.raises(Conflict) as caught:
        workflow.accept(seen_by_second, world.reviewer2.user)
    assert caught.value.message == "the application changed meanwhile: it is now accepted"
    assert Application.objects.get(pk=app.pk).reviewer == world.reviewer.user
    assert AuditEntry.objects.filter(object_id=str(app.pk), action="accept").count() == 1


class TestDeadlines:
    def accept_on(self, world: World, app: Application, day: date) -> Application:
        assert world.reviewer.user is not None
        with at(day.isoformat()):
            return workflow.accept(app, world.reviewer.user)

    def test_the_20th_working_day_across_national_day(self, world: World, draft: Application) -> None:
        app = self.accept_on(world, drive(draft, world, Status.SUBMITTED), date(2026, 9, 18))
        assert (app.accepted_on, app.deadline, app.deadline_provisional) == (
            date(2026, 9, 18),
            date(2026, 10, 22),
            False,
        )

    def test_the_20th_working_day_across_the_spring_festival_and_its_make_up_saturdays(
        self, world: World, draft: Application
    ) -> None:
        app = self.accept_on(world, drive(draft, world, Status.SUBMITTED), date(2026, 2, 10))
        # 02-14 (Sat) and 02-28 (Sat) are worked; 02-15..02-23 are off
        assert app.deadline == date(2026, 3, 16)

    def test_a_deadline_in_a_year_without_official_data_is_provisional(self, world: World, draft: Application) -> None:
        app = self.accept_on(world, drive(draft, world, Status.SUBMITTED), date(2026, 12, 15))
        assert (app.deadline, app.deadline_provisional) == (date(2027, 1, 13), True)

    def test_after_a_correction_the_review_period_starts_again(self, world: World, draft: Application) -> None:
        """The default reading return_clock=restart; the alternative is tests/service/test_return_clock.py."""
        assert world.reviewer.user is not None and world.agent_a.user is not None
        app = self.accept_on(world, drive(draft, world, Status.SUBMITTED), date(2026, 9, 18))
        with at("2026-09-25"):
            app = workflow.request_correction(app, world.reviewer.user, REASONS)
        assert (app.deadline, app.remaining_working_days) == (None, None)
        app = workflow.resubmit(app, world.agent_a.user)
        app = self.accept_on(world, app, date(2026, 10, 12))
        # the 20th working day after 2026-10-12
        assert (app.deadline, app.remaining_working_days) == (date(2026, 11, 9), None)


def test_approval_scores_the_verified_facts_and_stores_the_trace(world: World, draft: Application) -> None:
    app = drive(draft, world, Status.APPROVED)
    assert (app.points, app.policy_version, app.valid_until) == (250, "shanghai-2023", date(2027, 2, 28))
    assert app.score is not None and app.score["items"][0]["basis"][0]["parameter"] == "age.full_points_max_age"
    assert app.notices.get().points == 250


def test_a_false_material_finding_records_a_penalty_that_later_approvals_deduct(
    world: World, draft: Application
) -> None:
    assert world.reviewer.user is not None and world.agent_a.user is not None
    app = drive(draft, world, Status.ACCEPTED)
    workflow.reject(app, world.reviewer.user, ["学历证书系伪造"], false_material=True)
    penalty = Penalty.objects.get(holder=app.holder)
    assert (penalty.kind, penalty.on) == ("false_material", date(2026, 11, 27))
    second = Application.objects.create(
        holder=app.holder, employer=app.employer, kind="change", facts=app.facts, created_by=world.agent_a.user
    )
    second = drive(second, world, Status.APPROVED)
    assert second.points == 250 - 150


class TestAppeal:
    def test_another_reviewer_decides_an_appeal(self, world: World, draft: Application) -> None:
        app = drive(draft, world, Status.APPEALED)
        assert world.reviewer.user is not None and world.reviewer2.user is not None
        with at("2026-12-01"), pytest.raises(Forbidden, match="another reviewer than the first decision"):
            workflow.approve(app, world.reviewer.user)
        with at("2026-12-01"):
            app = workflow.approve(app, world.reviewer2.user)
        assert (app.status, app.points, app.decided_by) == (Status.APPROVED, 250, world.reviewer2.user)

    def test_an_appeal_on_the_last_day_of_the_period_is_taken(self, world: World, draft: Application) -> None:
        app = drive(draft, world, Status.REJECTED)
        assert world.agent_a.user is not None
        assert app.decided_at == moment(PINNED)  # decided on 2026-11-27: the appeal period runs 60 days
        with at("2027-01-26"):
            appealed = workflow.appeal(app, world.agent_a.user, "in time")
        assert appealed.status == Status.APPEALED

    def test_an_appeal_after_the_period_is_refused(self, world: World, draft: Application) -> None:
        app = drive(draft, world, Status.REJECTED)
        assert world.agent_a.user is not None
        with (
            at("2027-01-27"),
            pytest.raises(Conflict, match=r"the appeal period of 60 days after the decision on 2026-11-27 has ended"),
        ):
            workflow.appeal(app, world.agent_a.user, "late")
        assert Application.objects.get(pk=app.pk).status == Status.REJECTED


def test_only_the_roles_that_may_act_can(world: World, draft: Application) -> None:
    holder = world.holder_a.user
    assert isinstance(holder, User) and world.agent_b.user is not None
    with pytest.raises(Forbidden, match="only an agent of the holder's employer"):
        workflow.submit(draft, holder)
    with pytest.raises(Forbidden, match="only an agent of the holder's employer"):
        workflow.submit(draft, world.agent_b.user)
    app = drive(draft, world, Status.SUBMITTED)
    with pytest.raises(Forbidden, match="only a reviewer"):
        workflow.accept(app, holder)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_in_two_threads_one_wins_the_other_gets_a_conflict(world: World) -> None:
    import threading

    from django.db import connection

    assert world.agent_a.user is not None
    app = Application.objects.create(
        holder=world.holder_a.account,
        employer=world.employer_a,
        kind="change",
        facts=facts_a(),
        created_by=world.agent_a.user,
    )
    workflow.submit(app, world.agent_a.user)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name: str, reviewer: User) -> None:
        stale = Application.objects.get(pk=app.pk)
        barrier.wait()
        try:
            workflow.accept(stale, reviewer)
            outcomes[name] = "accepted"
        except Conflict as exc:
            outcomes[name] = exc.message
        finally:
            connection.close()

    assert world.reviewer.user is not None and world.reviewer2.user is not None
    threads = [
        threading.Thread(target=act, args=(n, u))
        for n, u in (("first", world.reviewer.user), ("second", world.reviewer2.user))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()) == ["accepted", "the application changed meanwhile: it is now accepted"]
    assert AuditEntry.objects.filter(object_id=str(app.pk), action="accept").count() == 1
