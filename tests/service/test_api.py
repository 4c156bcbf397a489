"""The API as each persona sees it, uploads, bad input, OpenAPI, login throttling, reminders."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openapi_spec_validator import validate

from jifen.service.applications import workflow
from jifen.service.applications.models import Application, Material, Status
from jifen.service.notifications.models import Message
from jifen.service.notifications.tick import tick
from tests.service.conftest import PASSWORD, Persona, World, at, facts_a

PDF = b"%PDF-1.7\n%%EOF\n"


def approved(world: World, draft: Application) -> Application:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(draft, world.agent_a.user)
    workflow.accept(draft, world.reviewer.user)
    return workflow.approve(draft, world.reviewer.user)


class TestPersonaMatrix:
    """Who may see what: 200 for those entitled, 404 (not 403: no existence leaks) for others, 401 anonymous."""

    def expect(self, world: World, path: str, allowed: set[str]) -> None:
        for persona in world.all():
            response = persona.get(path)
            if persona.name == "anonymous":
                assert response.status_code == 401, (persona.name, path)
            elif persona.name in allowed:
                assert response.status_code == 200, (persona.name, path, response.content)
            else:
                assert response.status_code == 404, (persona.name, path, response.content)
                assert "张三丰" not in response.content.decode()

    def test_application(self, world: World, draft: Application) -> None:
        self.expect(world, f"/api/v1/applications/{draft.pk}", {"holder_a", "agent_a", "reviewer"})
        self.expect(world, f"/api/v1/applications/{draft.pk}/audit", {"holder_a", "agent_a", "reviewer"})
        self.expect(world, f"/api/v1/applications/{draft.pk}/checklist", {"holder_a", "agent_a", "reviewer"})

    def test_holder_and_employer(self, world: World) -> None:
        self.expect(world, f"/api/v1/holders/{world.holder_a.account.pk}", {"holder_a", "agent_a", "reviewer"})
        self.expect(world, f"/api/v1/employers/{world.employer_a.pk}", {"holder_a", "agent_a", "reviewer"})

    def test_material_file(self, world: World, draft: Application) -> None:
        response = world.agent_a.upload(
            f"/api/v1/applications/{draft.pk}/materials", indicator="basic", file=SimpleUploadedFile("a.pdf", PDF)
        )
        material = response.json()["id"]
        self.expect(
            world, f"/api/v1/applications/{draft.pk}/materials/{material}/file", {"holder_a", "agent_a", "reviewer"}
        )
        assert world.holder_a.get(f"/api/v1/applications/{draft.pk}/materials/{material}/file").getvalue() == PDF

    def test_notice(self, world: World, draft: Application) -> None:
        code = approved(world, draft).notices.get().code
        self.expect(world, f"/api/v1/notices/{code}", {"holder_a", "agent_a", "reviewer"})
        self.expect(world, f"/api/v1/notices/{code}/pdf", {"holder_a", "agent_a", "reviewer"})

    def test_lists_hold_no_data_of_others(self, world: World, draft: Application) -> None:
        assert [a["id"] for a in world.holder_a.get("/api/v1/applications").json()] == [str(draft.pk)]
        assert world.holder_b.get("/api/v1/applications").json() == []
        assert world.agent_b.get("/api/v1/applications").json() == []
        assert len(world.reviewer.get("/api/v1/applications").json()) == 1

    def test_actions(self, world: World, draft: Application) -> None:
        path = f"/api/v1/applications/{draft.pk}/submit"
        assert world.holder_a.post(path).status_code == 403
        assert world.agent_b.post(path).status_code == 404
        assert world.reviewer.post(path).status_code == 403
        assert world.anonymous.post(path).status_code == 401
        assert Application.objects.get(pk=draft.pk).status == Status.DRAFT
        assert world.agent_a.post(path).status_code == 200
        accept = f"/api/v1/applications/{draft.pk}/accept"
        assert (world.agent_a.post(accept).status_code, world.holder_a.post(accept).status_code) == (403, 403)
        illegal = world.agent_a.post(f"/api/v1/applications/{draft.pk}/resubmit")
        assert (illegal.status_code, illegal.json()) == (
            409,
            {"detail": "cannot resubmit an application that is submitted"},
        )

    def test_only_agents_file_and_only_for_their_employees(self, world: World) -> None:
        body = {"holder_id": world.holder_a.account.pk, "kind": "change", "facts": facts_a()}
        assert world.holder_a.post("/api/v1/applications", body).status_code == 403
        assert world.reviewer.post("/api/v1/applications", body).status_code == 403
        assert world.agent_b.post("/api/v1/applications", body).status_code == 404
        assert Application.objects.count() == 0


class TestUploads:
    def upload(self, world: World, draft: Application, name: str, content: bytes) -> Any:
        return world.agent_a.upload(
            f"/api/v1/applications/{draft.pk}/materials", indicator="education", file=SimpleUploadedFile(name, content)
        )

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("empty.pdf", b"", "file: the file is empty"),
            (
                "tool.pdf",
                b"MZ\x90\x00" + b"\x00" * 100,
                "file: not a PDF, JPEG or PNG file (judged by its content, not its name)",
            ),
            ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "file: 10485765 bytes is more than the 10 MB allowed"),
            (
                "page.html",
                b"<html>%PDF-</html>",
                "file: not a PDF, JPEG or PNG file (judged by its content, not its name)",
            ),
        ],
    )
    def test_bad_files_are_refused_and_nothing_is_stored(
        self, world: World, draft: Application, name: str, content: bytes, message: str
    ) -> None:
        response = self.upload(world, draft, name, content)
        assert (response.status_code, response.json()) == (422, {"detail": message})
        assert Material.objects.count() == 0

    def test_a_jpeg_named_pdf_is_stored_as_a_jpeg_with_its_sha256(self, world: World, draft: Application) -> None:
        import hashlib

        content = b"\xff\xd8\xff\xe0" + b"\x01" * 50
        response = self.upload(world, draft, "scan.pdf", content)
        assert response.status_code == 201
        material = Material.objects.get()
        assert (material.content_type, material.size, material.sha256) == (
            "image/jpeg",
            54,
            hashlib.sha256(content).hexdigest(),
        )
        assert str(material.file.name).endswith(".jpg")

    def test_an_unknown_indicator_is_refused(self, world: World, draft: Application) -> None:
        response = world.agent_a.upload(
            f"/api/v1/applications/{draft.pk}/materials", indicator="beauty", file=SimpleUploadedFile("a.pdf", PDF)
        )
        assert response.status_code == 422
        assert response.json()["detail"].startswith("indicator: expected one of basic, age, education")

    def test_no_uploads_once_submitted(self, world: World, draft: Application) -> None:
        assert world.agent_a.post(f"/api/v1/applications/{draft.pk}/submit").status_code == 200
        response = self.upload(world, draft, "a.pdf", PDF)
        assert (response.status_code, response.json()["detail"]) == (
            409,
            "materials can be added to a draft or during a correction, not when submitted",
        )


def test_bad_facts_are_refused_with_field_paths_and_nothing_is_stored(world: World) -> None:
    facts = {**facts_a(), "social_insurance": [{"from": "2021-07", "to": "2021-05", "base": 9000}], "colour": 1}
    response = world.agent_a.post(
        "/api/v1/applications", {"holder_id": world.holder_a.account.pk, "kind": "change", "facts": facts}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"loc": "colour", "msg": "unknown field"},
            {"loc": "social_insurance[0].to", "msg": "2021-05 is before from 2021-07"},
        ]
    }
    assert Application.objects.count() == 0


def test_a_bad_kind_is_refused(world: World) -> None:
    response = world.agent_a.post(
        "/api/v1/applications", {"holder_id": world.holder_a.account.pk, "kind": "new", "facts": facts_a()}
    )
    assert (response.status_code, response.json()) == (
        422,
        {"detail": "kind: expected one of first, change, renewal; got 'new'"},
    )


class TestAnonymous:
    def test_score(self, db: None) -> None:
        response = Client().post(
            "/api/v1/score?on=2026-11-27", data=json.dumps(facts_a()), content_type="application/json"
        )
        assert response.status_code == 200
        assert (response.json()["schema"], response.json()["total"]) == ("jifen.score/1", 250)

    def test_score_refuses_bad_facts_with_field_paths(self, db: None) -> None:
        response = Client().post(
            "/api/v1/score", data=json.dumps({"schema": "jifen.facts/1"}), content_type="application/json"
        )
        assert (response.status_code, response.json()) == (422, {"detail": [{"loc": "birth_date", "msg": "required"}]})

    def test_advise(self, db: None) -> None:
        response = Client().post(
            "/api/v1/advise?on=2026-11-27&target=2027-02-01",
            data=json.dumps(facts_a()),
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["recommendation"]["target"]["latest_filing"] == "2026-12-25"

    def test_rate_limited(self, db: None, settings: Any) -> None:
        settings.JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = 2
        client = Client(REMOTE_ADDR="10.9.9.9")
        codes = [
            client.post("/api/v1/score", data=json.dumps(facts_a()), content_type="application/json").status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]


def test_openapi_is_served_and_valid(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert {
        "/api/v1/score",
        "/api/v1/advise",
        "/api/v1/applications",
        "/api/v1/applications/{application_id}/accept",
        "/api/v1/notices/{code}/pdf",
    } <= set(spec["paths"])


def test_login_is_throttled_after_repeated_failures(world: World) -> None:
    client = Client()
    for _ in range(5):
        wrong = client.post(
            "/api/v1/auth/token", {"username": "hr_a", "password": "nope"}, content_type="application/json"
        )
        assert (wrong.status_code, wrong.json()) == (403, {"detail": "wrong user name or password"})
    right = client.post(
        "/api/v1/auth/token", {"username": "hr_a", "password": PASSWORD}, content_type="application/json"
    )
    assert (right.status_code, right.json()) == (429, {"detail": "too many failed logins: try again in 15 minutes"})


def test_the_verify_page_for_an_unknown_code_is_404(db: None) -> None:
    assert Client().get("/verify/NOSUCHCODE").status_code == 404


def test_registration_refuses_a_bad_uscc(db: None) -> None:
    response = Persona("anonymous", None, None).post(
        "/api/v1/employers",
        {"uscc": "911101085513850822", "name": "x", "agent_username": "x", "agent_password": PASSWORD},
    )
    assert (response.status_code, response.json()) == (422, {"detail": "uscc: check character is 2, expected Q"})


def test_opening_a_holder_refuses_a_bad_id_number(world: World) -> None:
    response = world.agent_a.post(
        f"/api/v1/employers/{world.employer_a.pk}/holders",
        {"username": "x", "name": "x", "id_number": "310115199005010019", "birth_date": "1990-05-01"},
    )
    assert (response.status_code, response.json()) == (422, {"detail": "id_number: check digit is 9, expected 8"})


class TestTick:
    def test_reminders_are_sent_once_even_when_tick_runs_twice(self, world: World, draft: Application) -> None:
        assert world.agent_a.user is not None and world.reviewer.user is not None
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)  # on 2026-11-27: deadline 2026-12-25
        assert tick(date(2026, 12, 21)).deadlines == 0  # 4 working days left
        first = tick(date(2026, 12, 22))  # 3 left: 12-23, 12-24, 12-25
        second = tick(date(2026, 12, 22))
        assert (first.deadlines, second.total) == (1, 0)
        assert Message.objects.filter(user=world.reviewer.user, kind="deadline").count() == 1

    def test_endorsement_and_expiry(self, world: World) -> None:
        assert tick(date(2027, 2, 1)).endorsements == 2  # both holders' permits end 2027-02-28
        assert tick(date(2027, 3, 1)).expiries == 2
        assert Message.objects.filter(kind="endorsement").count() == 2

    def test_no_refresh_reminder_when_nothing_rose(self, world: World, draft: Application) -> None:
        assert approved(world, draft).points == 250  # on 2026-11-27
        assert tick(date(2027, 2, 1)).refreshes == 0  # the next gain (2027-03-01) comes after the permit ends

    def test_no_refresh_reminder_for_an_optional_rise_above_the_standard(
        self, world: World, draft: Application
    ) -> None:
        assert world.agent_a.user is not None and world.reviewer.user is not None
        workflow.submit(draft, world.agent_a.user)
        with at("2026-02-27"):
            workflow.accept(draft, world.reviewer.user)
            app = workflow.approve(draft, world.reviewer.user)
        assert app.points == 241  # a spouse year, a Lingang year and an insurance year short of 2026-11-27
        assert tick(date(2026, 11, 27)).refreshes == 0  # 250 > 241, but both meet 120: nothing to gain

    def test_a_refresh_reminder_once_the_standard_is_reached(self, world: World) -> None:
        assert world.agent_a.user is not None and world.reviewer.user is not None
        facts = {
            "schema": "jifen.facts/1",
            "birth_date": "1990-05-01",
            "id_number": "310115199005010018",
            "education": [{"level": "bachelor", "degree": False, "graduated_on": "2012-07-01"}],
            "social_insurance": [{"from": "2024-01", "to": None, "base": 11396}],
        }
        body = {"holder_id": world.holder_a.account.pk, "kind": "change", "facts": facts}
        draft = Application.objects.get(pk=world.agent_a.post("/api/v1/applications", body).json()["id"])
        workflow.submit(draft, world.agent_a.user)
        with at("2026-02-27"):
            workflow.accept(draft, world.reviewer.user)
            app = workflow.approve(draft, world.reviewer.user)
        assert app.points == 96  # age 30, a bachelor's diploma without the degree 60, two insurance years 6
        # 36 months at 1x on 2027-01-01 (+50, +3): December's record shows only from 2027-02-01, and a
        # decision would come after the permit ends (2027-02-28), so the gain is claimed in the renewal
        # that starts with the endorsement: the reminder comes when its window opens on 2027-01-29.
        assert tick(date(2027, 1, 28)).refreshes == 0
        assert tick(date(2027, 1, 29)).refreshes == 1
        assert tick(date(2027, 2, 1)).refreshes == 0
        message = Message.objects.get(kind="refresh")
        assert message.user == world.holder_a.user
        assert message.body.startswith("按现有材料，积分为149分，高于上次核定的96分。")


def test_the_api_docs_load_their_assets_locally(db: None) -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "/static/ninja/" in page


def test_the_migrations_match_the_models(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "No changes detected"
