"""Bounded input: dates, list caps, body size, column lengths, NUL, idempotency keys. Each refusal is a 422
(413 for size) that names the field, the same on SQLite and PostgreSQL, with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jifen.service.accounts.models import Account, Employer
from jifen.service.applications.models import Application
from jifen.service.audit.models import AuditEntry
from tests.service.conftest import PASSWORD, USCC_A, World, facts_a

LONG = "长" * 101  # one more than the 100 characters of a display name


def post_json(path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return Client().post(path, data=json.dumps(body), content_type="application/json", headers=headers or {})


def holder_body(**changes: Any) -> dict[str, Any]:
    body = {
        "username": "wang",
        "email": "wang@example.invalid",
        "name": "王五",
        "id_number": "310115199005010018",
        "birth_date": "1990-05-01",
        "permit_valid_from": "2026-03-01",
        "permit_valid_until": "2027-02-28",
    }
    return {**body, **changes}


class TestDates:
    @pytest.mark.parametrize(
        ("field", "day", "accepted"),
        [
            ("valid_from", "1900-01-01", True),
            ("valid_from", "1899-12-31", False),
            ("valid_until", "2199-12-31", True),
            ("valid_until", "2200-01-01", False),
        ],
    )
    def test_dates_in_facts_are_bounded(self, db: None, field: str, day: str, accepted: bool) -> None:
        # born on the first accepted day, so that a permit from that day is not before birth
        facts: dict[str, Any] = {"schema": "jifen.facts/1", "birth_date": "1900-01-01", "as_of": "2026-11-27"}
        facts["residence_permit"] = {"valid_from": "2026-03-01", "valid_until": "2027-02-28", field: day}
        response = post_json("/api/v1/score", facts)
        if accepted:
            assert response.status_code == 200, response.content
        else:
            assert response.status_code == 422
            assert response.json() == {
                "detail": [{"loc": f"residence_permit.{field}", "msg": f"{day} is outside 1900-01-01 to 2199-12-31"}]
            }

    def test_a_month_outside_the_range_is_refused(self, db: None) -> None:
        facts: dict[str, Any] = {"schema": "jifen.facts/1", "birth_date": "1990-05-01", "as_of": "2026-11-27"}
        facts["social_insurance"] = [{"from": "2200-01", "to": None, "base": 12000}]
        response = post_json("/api/v1/score", facts)
        assert response.json()["detail"] == [
            {"loc": "social_insurance[0].from", "msg": "2200-01 is outside 1900-01 to 2199-12"}
        ]

    @pytest.mark.parametrize("name", ["on", "target"])
    def test_query_dates_are_bounded(self, db: None, name: str) -> None:
        facts = {"schema": "jifen.facts/1", "birth_date": "1990-05-01"}
        response = post_json(f"/api/v1/advise?{name}=9999-12-31", facts)
        assert (response.status_code, response.json()) == (
            422,
            {"detail": [{"loc": name, "msg": "9999-12-31 is outside 1900-01-01 to 2199-12-31"}]},
        )
        assert post_json(f"/api/v1/advise?{name}=2199-12-31", {**facts, "as_of": "2026-11-27"}).status_code == 200

    def test_a_permit_valid_until_9999_is_refused_when_opening_a_holder(self, world: World) -> None:
        response = world.agent_a.post(
            f"/api/v1/employers/{world.employer_a.pk}/holders", holder_body(permit_valid_until="9999-12-31")
        )
        assert (response.status_code, response.json()) == (
            422,
            {"detail": "permit_valid_until: 9999-12-31 is outside 1900-01-01 to 2199-12-31"},
        )
        assert not User.objects.filter(username="wang").exists()


class TestLists:
    def test_a_list_one_above_its_cap_is_refused_at_the_cap_it_is_scored(self, db: None) -> None:
        facts = {"schema": "jifen.facts/1", "birth_date": "1990-05-01", "as_of": "2026-11-27"}
        penalty = {"kind": "administrative_detention", "on": "2025-02-01"}
        assert post_json("/api/v1/score", {**facts, "penalties": [penalty] * 100}).status_code == 200
        response = post_json("/api/v1/score", {**facts, "penalties": [penalty] * 101})
        assert response.json() == {"detail": [{"loc": "penalties", "msg": "at most 100 items, got 101"}]}

    def test_many_problems_are_reported_up_to_a_hundred(self, db: None) -> None:
        facts: dict[str, Any] = {"schema": "jifen.facts/1", "birth_date": "1990-05-01"}
        facts.update({f"unknown_{i}": 1 for i in range(150)})
        detail = post_json("/api/v1/score", facts).json()["detail"]
        assert len(detail) == 101
        assert detail[-1] == {"loc": "(facts)", "msg": "and 50 more problems"}

    def test_a_long_bad_value_is_echoed_as_a_short_prefix(self, db: None) -> None:
        facts = {"schema": "jifen.facts/1", "birth_date": "1990-05-01", "education": [{"level": "x" * 5000}]}
        (error,) = post_json("/api/v1/score", facts).json()["detail"]
        assert error["loc"] == "education[0].level"
        assert error["msg"].endswith(f'got "{"x" * 40}…"')


class TestBodySize:
    def test_a_json_body_over_the_limit_is_answered_413_in_json(self, db: None, settings: Any) -> None:
        settings.JIFEN_MAX_JSON_BYTES = 2000
        facts = {"schema": "jifen.facts/1", "birth_date": "1990-05-01", "as_of": "2026-11-27"}
        assert post_json("/api/v1/score", facts).status_code == 200
        response = post_json("/api/v1/score", {**facts, "padding": "x" * 2000})
        assert (response.status_code, response["Content-Type"]) == (413, "application/json")
        assert response.json() == {"detail": "request body: at most 2000 bytes"}

    def test_a_page_form_over_the_limit_is_answered_413(self, db: None, settings: Any) -> None:
        settings.JIFEN_MAX_JSON_BYTES = 2000
        body = "username=" + "x" * 3000 + "&password=y"
        response = Client().post("/login", body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 413
        assert "请求内容过大" in response.content.decode()


class TestColumns:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", LONG, "name: at most 100 characters, got 101"),
            ("name", "王\x00五", "name: must not contain the NUL character"),
            ("username", "u" * 151, "username: at most 150 characters, got 151"),
            ("username", "wang\x00", "username: must not contain the NUL character"),
            ("username", "wang wu", "username: letters, digits and @ . + - _ only, got 'wang wu'"),
            ("email", "not-an-address", "email: not an e-mail address: 'not-an-address'"),
            ("id_number", "3" * 19, "id_number: at most 18 characters, got 19"),
        ],
    )
    def test_opening_a_holder_checks_each_text(self, world: World, field: str, value: str, message: str) -> None:
        accounts = Account.objects.count()
        response = world.agent_a.post(f"/api/v1/employers/{world.employer_a.pk}/holders", holder_body(**{field: value}))
        assert (response.status_code, response.json()) == (422, {"detail": message})
        assert Account.objects.count() == accounts

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "公" * 201, "name: at most 200 characters, got 201"),
            ("district", "区" * 51, "district: at most 50 characters, got 51"),
            ("agent_name", LONG, "agent_name: at most 100 characters, got 101"),
            ("agent_email", "a\x00@example.invalid", "agent_email: must not contain the NUL character"),
        ],
    )
    def test_registering_an_employer_checks_each_text(self, db: None, field: str, value: str, message: str) -> None:
        body = {
            "uscc": USCC_A,
            "name": "上海示例科技有限公司",
            "district": "浦东新区",
            "agent_username": "hr",
            "agent_email": "hr@example.invalid",
            "agent_password": PASSWORD,
            "agent_name": "陈七",
        }
        response = post_json("/api/v1/employers", {**body, field: value})
        assert (response.status_code, response.json()) == (422, {"detail": message})
        assert not Employer.objects.exists() and not User.objects.exists()

    def test_reasons_with_nul_are_refused(self, world: World, draft: Application) -> None:
        assert world.agent_a.post(f"/api/v1/applications/{draft.pk}/submit").status_code == 200
        assert world.reviewer.post(f"/api/v1/applications/{draft.pk}/accept").status_code == 200
        rows = AuditEntry.objects.count()
        response = world.reviewer.post(f"/api/v1/applications/{draft.pk}/reject", {"reasons": ["假\x00材料"]})
        assert (response.status_code, response.json()) == (
            422,
            {"detail": "reasons: must not contain the NUL character"},
        )
        assert Application.objects.get(pk=draft.pk).status == "accepted"
        assert AuditEntry.objects.count() == rows

    def test_a_nul_in_the_query_is_refused_by_name(self, world: World) -> None:
        response = world.reviewer.get("/api/v1/applications?status=approved%00")
        assert (response.status_code, response.json()) == (
            422,
            {"detail": [{"loc": "query: status", "msg": "query: status: must not contain the NUL character"}]},
        )

    def test_an_unknown_status_filter_is_refused(self, world: World) -> None:
        response = world.reviewer.get("/api/v1/applications?status=finished")
        assert response.status_code == 422
        assert response.json()["detail"].startswith("status: expected one of draft, submitted")

    def test_a_login_with_nul_or_an_overlong_name_is_just_wrong(self, world: World) -> None:
        for username in ("reviewer\x00", "r" * 151):
            response = post_json("/api/v1/auth/token", {"username": username, "password": PASSWORD})
            assert (response.status_code, response.json()) == (403, {"detail": "wrong user name or password"})

    @pytest.mark.parametrize("holder_id", [2**63, 10**30])
    def test_ids_beyond_any_key_are_not_found(self, world: World, holder_id: int) -> None:
        assert world.reviewer.get(f"/api/v1/holders/{holder_id}").status_code == 404
        assert world.reviewer.get(f"/api/v1/employers/{holder_id}").status_code == 404


class TestIdempotencyKeys:
    def file(self, world: World, key: str, **changes: Any) -> Any:
        body = {"holder_id": world.holder_a.account.pk, "kind": "change", "facts": facts_a(), **changes}
        return world.agent_a.post("/api/v1/applications", body, {"Idempotency-Key": key})

    def test_the_same_request_again_returns_the_first_application(self, world: World) -> None:
        first, again = self.file(world, "k-1"), self.file(world, "k-1")
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert Application.objects.count() == 1

    def test_the_same_facts_in_another_key_order_are_the_same_request(self, world: World) -> None:
        assert self.file(world, "k-1").status_code == 201
        reordered = dict(reversed(list(facts_a().items())))
        assert self.file(world, "k-1", facts=reordered).status_code == 200

    def test_a_key_reused_for_another_request_is_refused(self, world: World) -> None:
        assert self.file(world, "k-1").status_code == 201
        other = {**facts_a(), "birth_date": "1990-05-02", "id_number": None}
        other.pop("id_number")
        for changed in (self.file(world, "k-1", kind="renewal"), self.file(world, "k-1", facts=other)):
            assert (changed.status_code, changed.json()) == (
                422,
                {
                    "detail": "Idempotency-Key: already used for a different request (another holder, kind or facts);"
                    " use a new key for a new application"
                },
            )
        assert Application.objects.count() == 1

    def test_a_key_longer_than_its_column_is_refused(self, world: World) -> None:
        assert self.file(world, "k" * 100).status_code == 201
        response = self.file(world, "k" * 101)
        assert (response.status_code, response.json()) == (
            422,
            {"detail": "Idempotency-Key: at most 100 characters, got 101"},
        )
        assert Application.objects.count() == 1
