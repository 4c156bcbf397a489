"""Demonstration data: an employer, holders, a reviewer and applications in every state (idempotent)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from jifen.service.accounts import services
from jifen.service.accounts.models import Account, Employer, Role
from jifen.service.applications import workflow
from jifen.service.applications.models import Application, Status
from jifen.service.applications.uploads import add_material

PASSWORD = "jifen-demo-2026"  # noqa: S105 - printed for the demo on purpose
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "contract.json"
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    note: str


LOGINS = (
    Login("reviewer", "reviewer", "区人才服务中心审核 / district reviewer"),
    Login("reviewer2", "reviewer", "second reviewer, for appeals (复核)"),
    Login("maintainer", "maintainer", "政策维护 / policy maintainer: impact of a proposed change"),
    Login("hr", "agent", "上海示例科技有限公司 HR / employer agent"),
    Login("zhang", "holder", "持证人张三 / holder A (the contract example)"),
    Login("li", "holder", "持证人李四 / holder B"),
    Login("wang", "holder", "持证人王小明 / holder C (also zhao, qian, sun: one open application each)"),
    Login("otherhr", "agent", "an employer still waiting for verification"),
)


def _user(username: str, role: str, name: str, employer: Employer | None = None, **fields: Any) -> Account:
    existing = Account.objects.filter(user__username=username).first()
    if existing is not None:
        return existing
    user = User.objects.create_user(username, f"{username}@example.invalid", PASSWORD)
    return Account.objects.create(user=user, role=role, employer=employer, display_name=name, **fields)


@transaction.atomic
def seed() -> list[Login]:
    reviewer = _user("reviewer", Role.REVIEWER, "审核员王五")
    second = _user("reviewer2", Role.REVIEWER, "审核员赵六")
    _user("maintainer", Role.MAINTAINER, "政策维护员孙九")
    if not Employer.objects.filter(uscc="91310115MA1H7ABCDF").exists():
        services.register_employer(
            "91310115MA1H7ABCDF",
            "上海示例科技有限公司",
            "浦东新区",
            "hr",
            "hr@example.invalid",
            PASSWORD,
            "人事专员陈七",
        )
        services.verify_employer(Employer.objects.get(uscc="91310115MA1H7ABCDF"), reviewer.user)
    if not Employer.objects.filter(uscc="91310000MA1FL0000N").exists():
        services.register_employer(
            "91310000MA1FL0000N",
            "上海待审企业有限公司",
            "黄浦区",
            "otherhr",
            "otherhr@example.invalid",
            PASSWORD,
            "人事专员周八",
        )
    employer = Employer.objects.get(uscc="91310115MA1H7ABCDF")
    agent = Account.objects.get(user__username="hr")
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    example.pop("as_of", None)
    example.pop("last_approved", None)  # the service knows the approvals it made
    zhang = _user(
        "zhang",
        Role.HOLDER,
        "张三",
        employer,
        id_number="310115199005010018",
        birth_date=date(1990, 5, 1),
        permit_valid_from=date(2026, 3, 1),
        permit_valid_until=date(2027, 2, 28),
    )
    li = _user(
        "li",
        Role.HOLDER,
        "李四",
        employer,
        id_number="110105199112310032",
        birth_date=date(1991, 12, 31),
        permit_valid_from=date(2026, 7, 1),
        permit_valid_until=date(2027, 6, 30),
    )
    # Holders of working age in 2026-2028 (the facts' dates are fixed), each showing what the advice handles:
    # 张三 (the contract example) endorses his permit and renews the points in 2027-01/02, and his years married
    # to a Shanghai-hukou spouse add 4 points each 20 May; 李四 gains a degree that takes him past 120; 王小明's
    # raised base reaches the 2x tier; 钱小芳's insurance stopped; 孙小军 turns 44 on 2027-01-20 and the age
    # points start to fall.
    more = [
        _user(
            username,
            Role.HOLDER,
            name,
            employer,
            id_number=id_number,
            birth_date=born,
            permit_valid_from=date(2026, 6, 1),
            permit_valid_until=date(2027, 5, 31),
        )
        for username, name, id_number, born in (
            ("wang", "王小明", "310115198803120022", date(1988, 3, 12)),
            ("zhao", "赵小红", "310106198907080022", date(1989, 7, 8)),
            ("qian", "钱小芳", "310112199202150029", date(1992, 2, 15)),
            ("sun", "孙小军", "310110198301200039", date(1983, 1, 20)),
        )
    ]
    if Application.objects.exists():
        return list(LOGINS)
    # 李四 (116 points) is four short of the standard (120): the bachelor's degree he studies for part-time
    # (专升本) is awarded on 2026-12-15, and a change filed then crosses it. His base (9,000 a month) stays
    # below 0.8x the reference wage.
    li_facts = {
        "schema": "jifen.facts/1",
        "birth_date": "1991-12-31",
        "id_number": "110105199112310032",
        "education": [
            {"level": "junior_college", "graduated_on": "2013-07-01", "full_time": True},
            {"level": "bachelor", "degree": True, "graduated_on": "2026-12-15"},
        ],
        "social_insurance": [{"from": "2014-07", "to": None, "base": 9000}],
    }

    def like_example(holder: Account, **changes: Any) -> dict[str, Any]:
        assert holder.birth_date is not None  # noqa: S101 - set just above
        assert holder.permit_valid_from is not None and holder.permit_valid_until is not None  # noqa: S101
        permit = {
            "valid_from": holder.permit_valid_from.isoformat(),
            "valid_until": holder.permit_valid_until.isoformat(),
        }
        return {
            **example,
            "birth_date": holder.birth_date.isoformat(),
            "id_number": holder.id_number,
            "residence_permit": permit,
            **changes,
        }

    wang, zhao, qian, sun = more
    insured = example["social_insurance"]
    # 王小明's base rose to 2x the reference wage at the yearly adjustment of 2024-07: the 2x tier (+50)
    # counts once 36 such months are paid, from 2027-07-01.
    raised = [insured[0], {**insured[1], "to": "2024-06"}, {**insured[1], "from": "2024-07", "base": 23000}]
    # 钱小芳's insurance stopped after 2026-10 (she left her job): she stops meeting the conditions to apply,
    # and the title's 1x base condition and the base tier lapse in turn.
    stopped = [insured[0], {**insured[1], "to": "2026-10"}]
    # Every state, and one open application per holder at most (a draft may wait beside a decision):
    # in the order filed, so that each holder's latest decision is the one a re-check may concern.
    filings = [
        (zhang, example, "first", Status.APPROVED),
        (zhang, example, "change", Status.DRAFT),
        (li, li_facts, "first", Status.APPROVED),
        (li, li_facts, "change", Status.WITHDRAWN),
        (li, li_facts, "change", Status.APPEALED),  # rejected, then appealed: the second reviewer decides
        (wang, like_example(wang, social_insurance=raised), "first", Status.SUBMITTED),
        (zhao, like_example(zhao), "first", Status.REJECTED),
        (zhao, like_example(zhao), "first", Status.ACCEPTED),
        (qian, like_example(qian, social_insurance=stopped), "first", Status.CORRECTION_REQUESTED),
        (sun, like_example(sun), "first", Status.RESUBMITTED),
    ]
    approved: dict[int, Application] = {}
    for holder, facts, kind, status in filings:
        app = Application.objects.create(  # a change refreshes the holder's approval (its "since" table)
            holder=holder,
            employer=employer,
            kind=kind,
            facts=facts,
            created_by=agent.user,
            replaces=approved.get(holder.pk) if kind == "change" else None,
        )
        add_material(app, agent.user, "basic", SimpleUploadedFile("contract.pdf", TINY_PDF))
        _drive(app, status, agent.user, reviewer.user, second.user)
        if status == Status.APPROVED:
            approved[holder.pk] = app
    return list(LOGINS)


def _drive(app: Application, status: str, agent: User, reviewer: User, second: User) -> None:
    if status == Status.DRAFT:
        return
    workflow.submit(app, agent)
    if status == Status.SUBMITTED:
        return
    if status == Status.WITHDRAWN:
        workflow.withdraw(app, agent)
        return
    workflow.accept(app, reviewer)
    if status == Status.ACCEPTED:
        return
    workflow.request_correction(
        app, reviewer, [{"indicator": "basic", "reason": "劳动合同复印件不清晰 / contract copy unreadable"}]
    )
    if status == Status.CORRECTION_REQUESTED:
        return
    workflow.resubmit(app, agent)
    if status == Status.RESUBMITTED:
        return
    workflow.accept(app, reviewer)
    if status in (Status.REJECTED, Status.APPEALED):
        workflow.reject(app, reviewer, ["未满足申请条件 / conditions not met"])
        if status == Status.APPEALED:
            workflow.appeal(app, agent, "积分计算有误 / points miscounted")
        return
    workflow.approve(app, reviewer)
