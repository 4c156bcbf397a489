"""The calculator, the advisor and the review queue in a real browser, in Chinese and in English."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PAGE_WEIGHT_LIMIT = 150 * 1024


def fill_facts(page: Page) -> None:
    page.get_by_label("出生日期").fill("1990-05-01")
    page.get_by_label("计算日期").fill("2026-11-27")
    page.get_by_label("最高学历").select_option("bachelor")
    page.get_by_label("取得学位").check()
    page.get_by_label("毕业日期").fill("2012-07-01")
    page.locator("#id_si0_from").fill("2016-07")
    page.locator("#id_si0_to").fill("2021-06")
    page.locator("#id_si0_base").fill("9000")
    page.locator("#id_si1_from").fill("2021-07")
    page.locator("#id_si1_base").fill("12000")
    page.get_by_label("与本市户籍人员结婚日期").fill("2018-05-20")


def test_the_calculator_in_chinese(page: Page, live_server: Any) -> None:
    sizes: list[int] = []

    def count(response: Response) -> None:
        body = response.body() if response.ok else b""
        sizes.append(len(body))

    page.on("response", count)
    page.goto(f"{live_server.url}/calculator")
    assert sum(sizes) <= PAGE_WEIGHT_LIMIT, f"first load {sum(sizes)} bytes"
    expect(page.get_by_role("heading", name="模拟打分")).to_be_visible()
    fill_facts(page)
    page.get_by_role("button", name="计算积分").click()
    # age 30 + bachelor with degree 90 + 10 insurance years 30 + 1x tier 50 + 8 years married 32
    expect(page.get_by_test_id("total")).to_have_text("232")
    expect(page.locator('tr[data-indicator="hukou_spouse"]')).to_contain_text("与本市户籍人员结婚满8年")
    expect(page.locator('tr[data-indicator="age"]')).to_contain_text("沪府发〔2017〕98号 第六条")
    screenshot(page, "calculator-zh")


def test_the_calculator_shows_errors_next_to_the_field(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/calculator")
    fill_facts(page)
    page.locator("#id_si1_from").fill("2021-05")
    page.get_by_role("button", name="计算积分").click()
    error = page.locator("#id_si1_from ~ .error")
    expect(error).to_have_text("social_insurance[1].from: 2021-05与第1段社保（2016-07至2021-06）重叠")
    screenshot(page, "calculator-error")


def test_the_calculator_in_english(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/calculator")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", name="Points calculator")).to_be_visible()
    page.get_by_label("Birth date").fill("1990-05-01")
    page.get_by_label("Scoring date").fill("2026-11-27")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_test_id("total")).to_have_text("30")
    expect(page.locator('tr[data-indicator="age"]')).to_contain_text("Age 36 (born 1 May 1990)")
    screenshot(page, "calculator-en")


def test_the_advisor(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/advisor")
    fill_facts(page)
    page.get_by_label("上次核定积分").fill("200")
    page.get_by_label("上次核定日期").fill("2025-03-01")
    page.get_by_label("需要积分的日期").fill("2027-06-30")
    page.get_by_role("button", name="获取建议").click()
    # 200 approved and 232 now both meet the standard: an optional rise, not pushed
    expect(page.get_by_role("heading", name="暂不申请")).to_be_visible()
    expect(page.get_by_test_id("reason")).to_contain_text("较上次核定（2025年3月1日，200分）预计增加32分")
    expect(page.get_by_test_id("reason")).to_contain_text("这次变更可有可无")
    expect(page.get_by_test_id("advice-steps")).to_contain_text("申请变更")
    expect(page.get_by_test_id("advice-after-filing")).to_contain_text("行政复议")
    expect(page.get_by_test_id("target")).to_contain_text("最晚递交")
    expect(page.locator(".chart svg")).to_be_visible()
    screenshot(page, "advisor-zh")


def test_the_review_queue_after_signing_in(page: Page, live_server: Any) -> None:
    from jifen.service.demo import PASSWORD, seed

    seed()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("用户名").fill("reviewer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="审核队列")).to_be_visible()
    expect(page.get_by_test_id("queue-row")).to_have_count(5)  # the open ones: one per holder at most
    screenshot(page, "review-queue")


def test_the_impact_of_a_proposed_reference_wage(page: Page, live_server: Any) -> None:
    from jifen.service.demo import PASSWORD, seed

    seed()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("用户名").fill("maintainer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="政策调整影响").click()
    page.get_by_label("参数", exact=True).select_option("si_base.reference_wage")
    page.get_by_label("生效日期").fill("2026-07-01")
    page.get_by_label("取值").fill("12500")
    page.get_by_label("计算日期").fill("2027-08-01")
    page.get_by_role("button", name="评估影响").click()
    # the five holders filed with 张三's facts lose: at 12,000 a month (张三, 赵小红, 孙小军) the 1x tier and the
    # title's base condition, 钱小芳 (insured until 2026-10) the 1x tier, 王小明 (23,000) the 2x tier; 李四
    # (9,000) is below both
    expect(page.get_by_test_id("holders")).to_have_text("6")
    expect(page.get_by_test_id("losers")).to_have_text("5")
    expect(page.get_by_test_id("affected-row")).to_have_count(5)
    expect(page.locator(".chart svg")).to_be_visible()
    screenshot(page, "policy-impact")
