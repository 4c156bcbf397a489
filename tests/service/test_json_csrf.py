"""The API's unsafe calls take JSON only, and a call made with the pages' session must come from this site
(issue 13.4, jifen.service.api.json_only). Every browser here enforces Django's CSRF checks, as a real one
does; the test client otherwise skips them."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jifen.service.accounts.models import ApiToken
from jifen.service.applications.models import Application
from tests.service.conftest import PASSWORD, World

SITE = "http://testserver"
ELSEWHERE = "https://elsewhere.example"
CREDENTIALS = json.dumps({"username": "hr_a", "password": PASSWORD})
JSON_ONLY = {"detail": "Content-Type must be application/json"}
NOT_FROM_HERE = {"detail": "this call must come from a page of this site (Origin or Referer of this host)"}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def answer(response: Any) -> tuple[int, Any]:
    return response.status_code, response.json()


class Browser:
    """A browser signed in to the pages: its session cookie and the CSRF token a page of the site has."""

    def __init__(self, username: str) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.client.get("/login")
        signed = self.client.post(
            "/login", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.token}
        )
        assert signed.status_code == 302

    @property
    def token(self) -> str:
        return self.client.cookies["csrftoken"].value

    def post(self, path: str, body: Any = None, content_type: str = "application/json", **headers: str) -> Any:
        data = json.dumps(body or {}) if content_type == "application/json" else body
        return self.client.post(path, data, content_type=content_type, headers={"X-CSRFToken": self.token, **headers})


class TestStartingASession:
    def test_a_text_plain_login_from_another_site_is_refused_without_a_session(self, world: World) -> None:
        """What a form of another site can send (enctype="text/plain"): no session is started."""
        client = Client()
        for headers in ({"Origin": ELSEWHERE}, {}):
            response = client.post("/api/v1/auth/login", CREDENTIALS, content_type="text/plain", headers=headers)
            assert answer(response) == (415, JSON_ONLY)
            assert "sessionid" not in response.cookies
        assert client.get("/api/v1/me").status_code == 401

    def test_form_encodings_are_refused_too(self, world: World) -> None:
        form = "application/x-www-form-urlencoded"
        response = Client().post("/api/v1/auth/login", "username=hr_a&password=x", content_type=form)
        assert answer(response) == (415, JSON_ONLY)

    def test_a_token_is_not_issued_for_text_plain(self, world: World) -> None:
        tokens = ApiToken.objects.count()
        response = Client().post("/api/v1/auth/token", CREDENTIALS, content_type="text/plain")
        assert answer(response) == (415, JSON_ONLY)
        assert ApiToken.objects.count() == tokens

    def test_json_from_another_site_is_refused(self, world: World) -> None:
        for headers in ({"Origin": ELSEWHERE}, {"Referer": f"{ELSEWHERE}/login"}):
            response = Client().post(
                "/api/v1/auth/login", CREDENTIALS, content_type="application/json", headers=headers
            )
            assert answer(response) == (403, NOT_FROM_HERE)
            assert "sessionid" not in response.cookies

    def test_json_from_this_site_or_a_script_starts_the_session(self, world: World) -> None:
        for headers in ({"Origin": SITE}, {}):  # a page of this site; a script (no Origin)
            client = Client()
            response = client.post("/api/v1/auth/login", CREDENTIALS, content_type="application/json", headers=headers)
            assert (response.status_code, response.json()["username"]) == (200, "hr_a")
            assert client.get("/api/v1/me").status_code == 200


class TestCallsWithTheSession:
    def test_without_origin_or_referer_refused(self, world: World, draft: Application) -> None:
        response = Browser("hr_a").post(f"/api/v1/applications/{draft.pk}/submit")
        assert answer(response) == (403, NOT_FROM_HERE)
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_from_another_site_refused(self, world: World, draft: Application) -> None:
        browser = Browser("hr_a")
        for headers in ({"Origin": ELSEWHERE}, {"Referer": f"{ELSEWHERE}/x"}, {"Origin": "null"}):
            assert answer(browser.post(f"/api/v1/applications/{draft.pk}/submit", **headers)) == (403, NOT_FROM_HERE)

    def test_with_a_matching_origin_accepted(self, world: World, draft: Application) -> None:
        response = Browser("hr_a").post(f"/api/v1/applications/{draft.pk}/submit", Origin=SITE)
        assert (response.status_code, response.json()["status"]) == (200, "submitted")

    def test_with_a_matching_referer_accepted(self, world: World, draft: Application) -> None:
        response = Browser("hr_a").post(f"/api/v1/applications/{draft.pk}/submit", Referer=f"{SITE}/me")
        assert (response.status_code, response.json()["status"]) == (200, "submitted")

    def test_text_plain_refused_even_from_this_site(self, world: World, draft: Application) -> None:
        response = Browser("hr_a").post(f"/api/v1/applications/{draft.pk}/submit", "{}", "text/plain", Origin=SITE)
        assert answer(response) == (415, JSON_ONLY)

    def test_djangos_csrf_token_is_still_required(self, world: World, draft: Application) -> None:
        browser = Browser("hr_a")
        path = f"/api/v1/applications/{draft.pk}/submit"
        response = browser.client.post(path, "{}", content_type="application/json", headers={"Origin": SITE})
        assert answer(response) == (403, {"detail": "CSRF check Failed"})

    def test_reading_needs_neither(self, world: World, draft: Application) -> None:
        assert Browser("hr_a").client.get(f"/api/v1/applications/{draft.pk}").status_code == 200


class TestBearerTokens:
    def test_a_bearer_call_needs_no_origin(self, world: World, draft: Application) -> None:
        response = world.agent_a.post(f"/api/v1/applications/{draft.pk}/submit")  # JSON, no Origin, no cookie
        assert (response.status_code, response.json()["status"]) == (200, "submitted")

    def test_a_bearer_call_without_a_body_may_leave_the_type_out(self, world: World, draft: Application) -> None:
        response = Client().generic("POST", f"/api/v1/applications/{draft.pk}/submit", headers=world.agent_a.headers())
        assert (response.status_code, response.json()["status"]) == (200, "submitted")

    def test_a_body_must_be_json_whoever_sends_it(self, world: World, draft: Application) -> None:
        path = f"/api/v1/applications/{draft.pk}/request-correction"
        body = json.dumps({"reasons": [{"reason": "x"}]})
        response = Client().post(path, body, content_type="text/plain", headers=world.reviewer.headers())
        assert answer(response) == (415, JSON_ONLY)
        score = Client().post("/api/v1/score", json.dumps({"schema": "jifen.facts/1"}), content_type="text/plain")
        assert answer(score) == (415, JSON_ONLY)


class TestUpload:
    def path(self, draft: Application) -> str:
        return f"/api/v1/applications/{draft.pk}/materials"

    def test_multipart_with_a_bearer_token(self, world: World, draft: Application) -> None:
        response = world.agent_a.upload(
            self.path(draft), indicator="basic", file=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        )
        assert (response.status_code, response.json()["original_name"]) == (201, "a.pdf")

    def test_multipart_with_the_session_from_this_site(self, world: World, draft: Application) -> None:
        browser = Browser("hr_a")
        file = SimpleUploadedFile("b.pdf", PDF, "application/pdf")
        response = browser.client.post(
            self.path(draft),
            {"indicator": "basic", "file": file},
            headers={"X-CSRFToken": browser.token, "Origin": SITE},
        )
        assert (response.status_code, response.json()["original_name"]) == (201, "b.pdf")

    def test_multipart_nowhere_else_and_json_not_here(self, world: World, draft: Application) -> None:
        elsewhere = Client().post(
            f"/api/v1/applications/{draft.pk}/submit", {"x": "1"}, headers=world.agent_a.headers()
        )
        assert answer(elsewhere) == (415, JSON_ONLY)
        here = world.agent_a.post(self.path(draft), {"indicator": "basic"})
        assert answer(here) == (415, {"detail": "Content-Type must be multipart/form-data"})


def test_the_pages_keep_djangos_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/login", {"username": "hr_a", "password": PASSWORD}).status_code == 403


def test_the_api_document_lists_the_refusals(db: None) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path, method in (("/api/v1/auth/login", "post"), ("/api/v1/applications/{application_id}/submit", "post")):
        assert {"403", "415"} <= set(paths[path][method]["responses"]), path
    assert "415" not in paths["/api/v1/me"]["get"]["responses"]
