"""The empty calculator and advisor forms come from a per-language cache (issue 16, item 7).

Served from the cache means: the form's templates are not rendered again (Django's test client lists the
templates each response rendered). The page around the form -- and its CSRF token -- is still each
visitor's own, and the kept form changes with the language, the service's day and the policy in force.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jifen.policy.loader import POLICY_DIR_VARIABLE
from jifen.service.web import page_cache
from tests.service.conftest import at

FORM = "web/_facts_form.html"  # the expensive fragment, inside both pages' forms
PAGES = [("/calculator", "计算积分", "Calculate"), ("/advisor", "获取建议", "Get advice")]
TOKEN = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    page_cache.forget()
    yield
    page_cache.forget()


def visit(path: str, language: str = "zh-hans", client: Client | None = None) -> Any:
    client = client or Client()
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response


def rendered(response: Any) -> set[str]:
    return {template.name for template in response.templates}


def form_html(response: Any) -> str:
    """The page's facts form, its CSRF token taken out."""
    page = response.content.decode()
    form = page[page.index('<form method="post" novalidate>') :]
    return TOKEN.sub("", form[: form.index("</form>")])


def as_of(response: Any) -> str:
    found = re.search(r'name="as_of" value="([^"]*)"', response.content.decode())
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "zh_button", "en_button"), PAGES)
class TestEmptyForm:
    def test_the_second_visit_is_served_from_the_cache(self, path: str, zh_button: str, en_button: str) -> None:
        first, second = visit(path), visit(path)
        assert FORM in rendered(first)
        assert FORM not in rendered(second)
        assert "web/base.html" in rendered(second)  # the page around the form is rendered for each visitor
        assert form_html(second) == form_html(first)
        assert zh_button in form_html(second)

    def test_chinese_and_english_are_kept_apart(self, path: str, zh_button: str, en_button: str) -> None:
        visit(path)
        english = visit(path, "en")
        assert FORM in rendered(english)  # the Chinese form is not the English one
        assert en_button in form_html(english) and zh_button not in form_html(english)
        again = visit(path, "zh-hans")
        assert FORM not in rendered(again)
        assert zh_button in form_html(again) and en_button not in form_html(again)
        assert english["Content-Language"] == "en" and again["Content-Language"] == "zh-hans"
        assert "Cookie" in again["Vary"]  # the language is a cookie: a cache must not answer one for the other

    def test_each_visitor_has_their_own_csrf_token(self, path: str, zh_button: str, en_button: str) -> None:
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        one, two = visit(path, client=first), visit(path, client=second)
        assert FORM not in rendered(two)
        first_token, second_token = TOKEN.findall(one.content.decode()), TOKEN.findall(two.content.decode())
        assert first_token and second_token
        assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
        assert not set(first_token) & set(second_token)

    def test_the_day_moving_on_gives_a_fresh_form(self, path: str, zh_button: str, en_button: str) -> None:
        with at("2026-11-27"):
            today = visit(path)
            assert as_of(today) == "2026-11-27"
        with at("2026-11-28"):
            tomorrow = visit(path)
        assert FORM in rendered(tomorrow)
        assert as_of(tomorrow) == "2026-11-28"

    def test_another_policy_in_force_gives_a_fresh_form(self, path: str, zh_button: str, en_button: str) -> None:
        with at("2022-12-31"):  # the last day of shanghai-2017
            assert FORM in rendered(visit(path))
            assert FORM not in rendered(visit(path))
        with at("2023-01-01"):  # shanghai-2023 applies from this day
            assert page_cache.key("x")[-1] == "shanghai-2023"
            assert FORM in rendered(visit(path))

    def test_other_policy_data_gives_a_fresh_form(
        self, path: str, zh_button: str, en_button: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        visit(path)
        assert FORM not in rendered(visit(path))
        import os

        copy = tmp_path / "policy"
        shutil.copytree(os.environ[POLICY_DIR_VARIABLE], copy)
        monkeypatch.setenv(POLICY_DIR_VARIABLE, str(copy))
        assert FORM in rendered(visit(path))


CALCULATOR_FORM = {"birth_date": "1990-05-01", "as_of": "2026-11-27"}


@pytest.mark.django_db
def test_the_cached_calculator_still_scores_a_posted_form_with_the_csrf_check_on() -> None:
    visit("/calculator")  # the form is kept
    client = Client(enforce_csrf_checks=True)
    page = visit("/calculator", client=client)
    assert FORM not in rendered(page)
    token = TOKEN.findall(page.content.decode())[0]

    refused = client.post("/calculator", CALCULATOR_FORM)
    assert refused.status_code == 403  # no token: the CSRF check is on

    scored = client.post("/calculator", {**CALCULATOR_FORM, "csrfmiddlewaretoken": token})
    assert scored.status_code == 200
    assert 'data-testid="total"' in scored.content.decode()
    assert FORM in rendered(scored)  # a filled form is rendered, never kept
    assert "1990-05-01" in form_html(scored)
    assert "1990-05-01" not in form_html(visit("/calculator"))


@pytest.mark.django_db
def test_another_visitors_token_is_refused() -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = TOKEN.findall(visit("/calculator", client=first).content.decode())[0]
    visit("/calculator", client=second)
    assert second.post("/calculator", {**CALCULATOR_FORM, "csrfmiddlewaretoken": first_token}).status_code == 403
