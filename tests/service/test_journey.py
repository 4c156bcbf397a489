"""The whole journey through the API: register, verify, open a holder, file a change with uploads,
accept, request a correction, correct, approve, download and verify the notice."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from jifen.service.accounts.models import Account, Employer
from jifen.service.applications.models import Application, CorrectionRequest, Material
from jifen.service.audit.models import AuditEntry
from jifen.service.notices.models import Notice
from jifen.service.notifications.models import Message
from tests.service.conftest import PASSWORD, Persona, at, facts_a

PDF = b"%PDF-1.7\n% a contract\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def login(username: str) -> Persona:
    response = Client().post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return Persona(username, User.objects.get(username=username), response.json()["token"])


def test_the_whole_journey(db: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # e-mail goes out when a transaction commits
        reviewer, agent, holder_id = _open_accounts()
    with django_capture_on_commit_callbacks(execute=True):
        _journey(reviewer, agent, holder_id)
    # Once each step committed, the holder and the agent were told of it, in the inbox and by e-mail.
    holder_messages = Message.objects.filter(user__username="zhang").values_list("kind", flat=True)
    assert sorted(set(holder_messages)) == [
        "application_accept",
        "application_approve",
        "application_request_correction",
        "application_resubmit",
        "application_submit",
    ]
    approved_mail = [m for m in mail.outbox if "积分已核定" in m.subject]
    assert [m.to for m in approved_mail] == [["zhang@example.invalid"], ["hr@example.invalid"]]


def _open_accounts() -> tuple[Persona, Persona, int]:
    """Up to the holder's account, whose set-password link is e-mailed once it has committed."""
    anonymous = Persona("anonymous", None, None)
    reviewer_user = User.objects.create_user("reviewer", "reviewer@example.invalid", PASSWORD)
    Account.objects.create(user=reviewer_user, role="reviewer", display_name="审核员")
    reviewer = login("reviewer")

    # An employer registers with its unified social credit code; it cannot file until verified.
    response = anonymous.post(
        "/api/v1/employers",
        {
            "uscc": "91310115MA1H7ABCDF",
            "name": "上海示例科技有限公司",
            "district": "浦东新区",
            "agent_username": "hr",
            "agent_email": "hr@example.invalid",
            "agent_password": PASSWORD,
            "agent_name": "陈七",
        },
    )
    received = {"detail": "registration received; a reviewer will verify it"}  # the same if either existed
    assert (response.status_code, response.json()) == (202, received)
    agent = login("hr")
    employer_id = agent.get("/api/v1/me").json()["employer_id"]
    assert agent.get(f"/api/v1/employers/{employer_id}").json()["verified"] is False
    holder_payload = {
        "username": "zhang",
        "email": "zhang@example.invalid",
        "name": "张三",
        "id_number": "310115199005010018",
        "birth_date": "1990-05-01",
        "permit_valid_from": "2026-03-01",
        "permit_valid_until": "2027-02-28",
    }
    refused = agent.post(f"/api/v1/employers/{employer_id}/holders", holder_payload)
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "the employer has not been verified by a reviewer yet"},
    )

    assert reviewer.post(f"/api/v1/employers/{employer_id}/verify").json()["verified"] is True
    assert Employer.objects.get(pk=employer_id).verified_by == reviewer_user

    # The agent opens the holder's account; the one-time link goes to the holder's address, not to the agent.
    response = agent.post(f"/api/v1/employers/{employer_id}/holders", holder_payload)
    assert response.status_code == 201, response.content
    holder_id = response.json()["holder"]["id"]
    assert (response.json()["set_password_path"], response.json()["set_password_sent_to"]) == (
        None,
        "z***@example.invalid",
    )
    return reviewer, agent, holder_id


def _journey(reviewer: Persona, agent: Persona, holder_id: int) -> None:
    anonymous = Persona("anonymous", None, None)
    reviewer_user = reviewer.user
    # The holder sets a password through the link in the e-mail.
    (link_mail,) = [m for m in mail.outbox if m.to == ["zhang@example.invalid"]]
    uid, token = re.findall(r"/accounts/set-password/([^/\s]+)/([^/\s]+)", str(link_mail.body))[0]
    assert User.objects.get(username="zhang").has_usable_password() is False
    reset = {"uid": uid, "token": token, "password": PASSWORD}
    assert anonymous.post("/api/v1/accounts/set-password", reset).status_code == 200
    assert anonymous.post("/api/v1/accounts/set-password", reset).json() == {
        "detail": "token: the link is invalid, used or expired"
    }
    holder = login("zhang")
    assert User.objects.get(username="zhang").password.startswith("argon2")

    with at("2026-11-27"):
        # The agent files a change (变更) with the holder's dated facts, twice with one Idempotency-Key.
        body = {"holder_id": holder_id, "kind": "change", "facts": facts_a()}
        key = {"Idempotency-Key": "change-2026-11"}
        first = agent.post("/api/v1/applications", body, headers=key)
        again = agent.post("/api/v1/applications", body, headers=key)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        app_id = first.json()["id"]
        assert Application.objects.count() == 1

        checklist = agent.get(f"/api/v1/applications/{app_id}/checklist").json()
        assert [g["indicator"] for g in checklist][:2] == ["basic", "qualification"]
        uploaded = agent.upload(
            f"/api/v1/applications/{app_id}/materials", indicator="basic", file=_file("contract.pdf", PDF)
        )
        assert uploaded.status_code == 201, uploaded.content
        assert uploaded.json()["content_type"] == "application/pdf"
        assert agent.post(f"/api/v1/applications/{app_id}/submit").json()["status"] == "submitted"

        accepted = reviewer.post(f"/api/v1/applications/{app_id}/accept").json()
        assert (accepted["status"], accepted["accepted_on"], accepted["deadline"]) == (
            "accepted",
            "2026-11-27",
            "2026-12-25",
        )

    with at("2026-12-01"):
        reviewer, agent = login("reviewer"), login("hr")  # a token lasts JIFEN_TOKEN_HOURS: a new day, a new one
        corrected = reviewer.post(
            f"/api/v1/applications/{app_id}/request-correction",
            {"reasons": [{"material": uploaded.json()["id"], "indicator": "basic", "reason": "合同复印件不清晰"}]},
        ).json()
        # returned to the employer: the review period starts again on the next acceptance (return_clock=restart)
        assert (corrected["status"], corrected["deadline"], corrected["remaining_working_days"]) == (
            "correction_requested",
            None,
            None,
        )
        assert (
            agent.upload(
                f"/api/v1/applications/{app_id}/materials", indicator="basic", file=_file("scan.png", PNG)
            ).status_code
            == 201
        )
        assert agent.post(f"/api/v1/applications/{app_id}/resubmit").json()["status"] == "resubmitted"

    with at("2026-12-07"):
        reviewer = login("reviewer")
        again_accepted = reviewer.post(f"/api/v1/applications/{app_id}/accept").json()
        # 20 working days after 2026-12-07, counted into 2027 (an estimated year): 2027-01-05
        assert (again_accepted["status"], again_accepted["deadline"]) == ("accepted", "2027-01-05")
        approved = reviewer.post(f"/api/v1/applications/{app_id}/approve").json()
        assert (approved["status"], approved["points"], approved["policy_version"], approved["valid_until"]) == (
            "approved",
            250,
            "shanghai-2023",
            "2027-02-28",
        )
        assert approved["score"]["total"] == 250
        assert approved["score"]["as_of"] == "2026-12-07"

    code = approved["notice_code"]
    pdf = holder.get(f"/api/v1/notices/{code}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    with at("2026-12-08"):
        page = Client().get(f"/verify/{code}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "张*" in text and "张三" not in text
    assert "<strong>250</strong>" in text and "2027-02-28" in text and '<p class="ok">有效</p>' in text

    # Rows after the journey: the application, its two materials, one answered correction, the notice.
    app = Application.objects.get(pk=app_id)
    assert Material.objects.filter(application=app).count() == 2
    correction = CorrectionRequest.objects.get(application=app)
    assert correction.answered_at is not None
    assert Notice.objects.get(code=code).points == 250
    actions = list(
        AuditEntry.objects.filter(object_type="application", object_id=app_id).values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "add_material",
        "submit",
        "accept",
        "request_correction",
        "add_material",
        "resubmit",
        "accept",
        "approve",
    ]
    approve_row = AuditEntry.objects.get(object_id=app_id, action="approve")
    assert approve_row.before is not None and approve_row.after is not None
    assert (approve_row.before["status"], approve_row.after["status"], approve_row.after["points"]) == (
        "accepted",
        "approved",
        250,
    )
    assert approve_row.actor == reviewer_user
    assert date.fromisoformat(approved["valid_until"]) == date(2027, 2, 28)


def _file(name: str, content: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
