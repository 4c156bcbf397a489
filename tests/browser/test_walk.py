"""Every page of the personas' journey, in Chinese and in English, on a phone (390 px) and on a desktop
(1280 px) (issue 14, items 1, 5 and 6): no page scrolls sideways, axe-core finds nothing serious or
critical, and no identifier from the code or the policy data shows in the text a person reads.

Each test walks one persona's pages in one language and reports every problem it met, page by page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from jifen.service.applications.models import Application, Status
from jifen.service.notices.models import Notice
from jifen.service.notifications.models import Message
from tests.browser.conftest import screenshot
from tests.text_scan import id_tokens, iso_dates

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = ((390, 844), (1280, 900))
LANGUAGES = ("zh", "en")
AXE = Axe()
SERIOUS = ("serious", "critical")

_VISIBLE_TEXT = """() => {
  // the text as shown (innerText), without <code> (an identifier there is shown as code on purpose);
  // the values in <input> and <textarea> are what the person typed and are not part of innerText
  const moved = [...document.body.querySelectorAll('code')].map(el => {
    const mark = document.createComment('code'); el.replaceWith(mark); return [mark, el];
  });
  try { return document.body.innerText; } finally { moved.forEach(([mark, el]) => mark.replaceWith(el)); }
}"""


def visible_text(page: Page) -> str:
    return str(page.evaluate(_VISIBLE_TEXT))


# --- sideways scrolling ------------------------------------------------------------------------------------
_OVERFLOW = """() => {
  const width = window.innerWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('')
    + (el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '');
  const path = el => {
    const parts = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) parts.unshift(name(e));
    return parts.slice(-4).join(' > ');
  };
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5;
  });
  // the innermost offenders: those with no offending descendant
  const inner = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
  inner.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
    offenders: inner.slice(0, 6).map(el => {
      const r = el.getBoundingClientRect();
      return `${path(el)} (right ${Math.round(r.right)} px, width ${Math.round(r.width)} px): `
        + JSON.stringify((el.innerText || el.value || '').trim().slice(0, 60));
    }),
  };
}"""


@dataclass
class Walk:
    """One persona's walk in one language: each page at both widths, problems gathered, not raised."""

    page: Page
    persona: str
    lang: str
    problems: list[str] = field(default_factory=list)
    tokens: dict[str, list[str]] = field(default_factory=dict)
    dates: dict[str, list[str]] = field(default_factory=dict)  # ISO dates in the text, by page

    def visit(self, name: str, path: str) -> None:
        response = self.page.goto(path)
        if response is None or not response.ok:
            self.problems.append(f"{name} ({path}): HTTP {response.status if response else '—'}")
            return
        self.check(name)

    def submit(self, name: str, button: str = "main form button[type=submit]") -> None:
        with self.page.expect_navigation() as navigation:
            self.page.locator(button).last.click()
        response = navigation.value
        if response is None or not response.ok:
            self.problems.append(f"{name} ({self.page.url}): HTTP {response.status if response else '—'}")
            return
        self.check(name)

    def check(self, name: str) -> None:
        where = f"{self.persona} · {self.lang} · {name}"
        for width, height in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": height})
            here = f"{where} · {width} px ({self.page.url})"
            overflow = self.page.evaluate(_OVERFLOW)
            if overflow["scrollWidth"] > overflow["innerWidth"]:
                wide = f"{overflow['scrollWidth']} px > {overflow['innerWidth']} px"
                lines = "".join(f"\n      {offender}" for offender in overflow["offenders"])
                self.problems.append(f"{here}: scrolls sideways, {wide}{lines}")
            for violation in AXE.run(self.page).response["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
                    self.problems.append(
                        f"{here}: axe {violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
                    )
            text = visible_text(self.page)
            for token in id_tokens(text):
                pages = self.tokens.setdefault(token, [])
                if name not in pages:
                    pages.append(name)
            for day in iso_dates(text):
                pages = self.dates.setdefault(day, [])
                if name not in pages:
                    pages.append(name)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            screenshot(self.page, f"walk/{self.persona}-{self.lang}-{slug}-{width}")
        self.page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})

    def verdict(self) -> None:
        report = list(self.problems)
        if self.tokens:
            report.append(
                f"{self.persona} · {self.lang}: identifiers in the text:\n"
                + "\n".join(f"      {token}: {', '.join(pages)}" for token, pages in sorted(self.tokens.items()))
            )
        if self.dates:
            report.append(
                f"{self.persona} · {self.lang}: dates not in the page's one style (words):\n"
                + "\n".join(f"      {day}: {', '.join(pages)}" for day, pages in sorted(self.dates.items()))
            )
        assert not report, f"{len(self.problems)} layout/accessibility problems\n" + "\n".join(report)


@pytest.fixture
def walker(browser: Browser, live_server: Any) -> Iterator[Callable[[str, str], Walk]]:
    contexts = []

    def start(persona: str, lang: str) -> Walk:
        context = browser.new_context(
            viewport={"width": WIDTHS[0][0], "height": WIDTHS[0][1]},
            locale="en-GB" if lang == "en" else "zh-CN",
            base_url=live_server.url,
        )
        contexts.append(context)
        if lang == "en":  # the language switch's cookie, as the header's form would set it
            context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        return Walk(context.new_page(), persona, lang)

    yield start
    for context in contexts:
        context.close()


def sign_in(walk: Walk, username: str) -> None:
    from jifen.service.demo import PASSWORD

    walk.page.goto("/login")  # the anonymous walk looks at the login page
    walk.page.locator("#username").fill(username)
    walk.page.locator("#password").fill(PASSWORD)
    with walk.page.expect_navigation():
        walk.page.locator("main form button[type=submit]").click()


def fill_facts(page: Page) -> None:
    page.locator("#id_birth_date").fill("1990-05-01")
    page.locator("#id_as_of").fill("2026-11-27")
    page.locator("#id_edu_level").select_option("bachelor")
    page.locator("#id_edu_degree").check()
    page.locator("#id_edu_graduated_on").fill("2012-07-01")
    page.locator("#id_si0_from").fill("2016-07")
    page.locator("#id_si0_to").fill("2021-06")
    page.locator("#id_si0_base").fill("9000")
    page.locator("#id_si1_from").fill("2021-07")
    page.locator("#id_si1_base").fill("12000")
    page.locator("#id_married_on").fill("2018-05-20")


def demo() -> None:
    from jifen.service.demo import seed

    seed()


def app_of(username: str, status: str) -> Application:
    return Application.objects.filter(holder__user__username=username, status=status).order_by("created_at")[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_anonymous(walker: Callable[[str, str], Walk], lang: str) -> None:
    demo()
    walk = walker("anonymous", lang)
    walk.visit("home", "/")
    walk.visit("calculator", "/calculator")
    fill_facts(walk.page)
    walk.submit("calculator result")
    walk.visit("advisor", "/advisor")
    fill_facts(walk.page)
    walk.page.locator("#id_last_total").fill("200")
    walk.page.locator("#id_last_on").fill("2025-03-01")
    walk.page.locator("#id_target").fill("2027-06-30")
    walk.submit("advisor result")
    walk.visit("policy", "/policy")
    notice = Notice.objects.filter(withdrawn_at=None).order_by("issued_on")[0]
    walk.visit("verify", f"/verify/{notice.code}")
    walk.visit("login", "/login")
    walk.visit("employer registration", "/employers/register")
    walk.verdict()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help(walker: Callable[[str, str], Walk], lang: str) -> None:
    walk = walker("anonymous", lang)
    walk.visit("help", "/help")
    walk.verdict()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_holder(walker: Callable[[str, str], Walk], lang: str) -> None:
    demo()
    walk = walker("holder", lang)
    sign_in(walk, "zhang")
    walk.visit("me", "/me")
    walk.visit("approved application", f"/applications/{app_of('zhang', Status.APPROVED).pk}")
    walk.visit("draft application", f"/applications/{app_of('zhang', Status.DRAFT).pk}")
    walk.visit("messages", "/messages")
    first = Message.objects.filter(user__username="zhang").order_by("id")[0]
    walk.visit("a message", f"/messages/{first.pk}")
    walk.verdict()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agent(walker: Callable[[str, str], Walk], lang: str) -> None:
    demo()
    walk = walker("agent", lang)
    sign_in(walk, "hr")
    walk.visit("me", "/me")
    walk.visit("new holder", "/holders/new")
    zhang = app_of("zhang", Status.DRAFT).holder
    walk.visit("new application", f"/holders/{zhang.pk}/applications/new")
    walk.visit("draft application", f"/applications/{app_of('zhang', Status.DRAFT).pk}")
    walk.visit("correction requested", f"/applications/{app_of('qian', Status.CORRECTION_REQUESTED).pk}")
    walk.verdict()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reviewer(walker: Callable[[str, str], Walk], lang: str) -> None:
    demo()
    walk = walker("reviewer", lang)
    sign_in(walk, "reviewer")
    walk.visit("me", "/me")
    walk.visit("submitted application", f"/applications/{app_of('wang', Status.SUBMITTED).pk}")
    walk.visit("accepted application", f"/applications/{app_of('zhao', Status.ACCEPTED).pk}")
    walk.visit("approved application", f"/applications/{app_of('zhang', Status.APPROVED).pk}")
    walk.visit("appealed application", f"/applications/{app_of('li', Status.APPEALED).pk}")
    walk.visit("messages", "/messages")
    walk.verdict()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_maintainer(walker: Callable[[str, str], Walk], lang: str) -> None:
    demo()
    walk = walker("maintainer", lang)
    sign_in(walk, "maintainer")
    walk.visit("me", "/me")
    walk.visit("impact", "/policy/impact")
    walk.page.locator("#id_parameter").select_option("si_base.reference_wage")
    walk.page.locator("#id_effective_from").fill("2026-07-01")
    walk.page.locator("#id_value").fill("12500")
    walk.page.locator("#id_on").fill("2027-08-01")
    walk.submit("impact result", "main form[enctype] button[type=submit]")
    walk.verdict()
