"""Acceptance (issue 7): the agent's flow from intake to sign-off, the supervisor's dashboard,
XSS never running, and the role boundaries — in Debian's chromium at 1280×800."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from e2e_helpers import login, logout, shoot

from complaintdesk.services import analytics
from complaintdesk.services.queue import QueueQuery, list_queue

pytestmark = pytest.mark.e2e

# Seed 000: broadband cut for arrears under 30 days, "这是不可能的", an appeal to the ministry.
SEED_000 = (
    "今天上午九点半打开电脑,宽带连不上,打10000号才知道是欠费被停了。我只是这个月忘了交,最多连30日都不到,"
    "电信条例明文规定60日以内不缴纳信息费用才予以停机,凭什么停我的宽带!客服两次很生硬地说“这是不可能的!”"
    "如此强硬,真是不能接受!态度还这么恶劣!用你们的产品还要受你们的气不成!你们不处理,我就去信息产业部电信申诉!"
)
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def _intake(page: Any, name: str, phone: str, title: str, text: str) -> str:
    page.goto("/intake")
    page.get_by_label("客户姓名").fill(name)
    page.get_by_label("联系电话").fill(phone)
    page.get_by_label("标题").fill(title)
    page.get_by_test_id("intake-description").fill(text)
    page.get_by_test_id("intake-submit").click()
    page.wait_for_url("**/complaints/TS-*")
    return str(page.url).split("/complaints/", 1)[1].split("?", 1)[0]


def _move(page: Any, stage: str) -> None:
    page.get_by_test_id(f"move-{stage}").click()
    page.wait_for_selector(f'#case[data-stage="{stage}"]')  # swapped in place (htmx), no page load


def _done(page: Any, action: str) -> None:
    page.locator(f'#case [data-testid=feedback][data-action="{action}"]').wait_for()


def _stage_label(page: Any) -> str:
    return str(page.get_by_test_id("stage").inner_text()).strip()


def test_agent_follows_a_seed_000_complaint_to_sign_off_and_the_supervisor_sees_it(page: Any, server: Any) -> None:
    login(page, "li_agent")
    page.get_by_role("link", name="本组").click()
    page.wait_for_url("**scope=team")
    shoot(page, "workspace")

    # Live analysis while typing: anger and the regulator threat, with their evidence highlighted.
    page.goto("/intake")
    page.get_by_label("客户姓名").fill("王女士")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("标题").fill("宽带欠费不足30天被停机")
    page.get_by_test_id("intake-description").fill(SEED_000)
    live = page.get_by_test_id("live-analysis")
    live.locator("mark.ev-threat").first.wait_for()
    assert "愤怒" in live.get_by_test_id("emotion").inner_text()
    assert "向监管投诉" in live.get_by_test_id("threats").inner_text()
    assert "申诉" in "".join(live.locator("mark.ev-threat").all_inner_texts())
    assert live.locator("mark.ev-emotion").count() >= 1
    shoot(page, "intake")
    page.get_by_test_id("intake-submit").click()
    page.wait_for_url("**/complaints/TS-*")
    number = str(page.url).split("/complaints/", 1)[1].split("?", 1)[0]

    description = page.get_by_test_id("description")
    assert description.locator("mark.ev-threat").count() >= 1
    assert _stage_label(page) == "接受投诉"

    # The assist panel, with at least one next action (the engines are dependencies: always there).
    assert page.get_by_test_id("assist-panel").count() == 1
    assert page.get_by_test_id("assist-actions").locator("li").count() >= 1
    shoot(page, "complaint")

    # Through the seven stages, sending the assist panel's reply draft where there is one.
    _move(page, "calming")
    if page.get_by_test_id("assist-draft").count():
        page.get_by_test_id("assist-send").click()
        _done(page, "message")
    _move(page, "clarifying")
    _move(page, "proposing")
    page.get_by_test_id("proposal").fill("按日退还停机期间宽带费(60元/月,即2元/日),赠送话费,上门致歉")
    page.get_by_role("button", name="记录解决方案").click()
    _done(page, "propose")
    _move(page, "acting")
    page.get_by_test_id("signoff-submit").click()
    _done(page, "signoff")
    _move(page, "thanking")
    # Within the 366 days a follow-up may lie ahead (issue 17).
    page.locator("#follow-due").fill((datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT10:00"))
    page.get_by_test_id("followup-submit").click()
    _done(page, "follow-up")
    _move(page, "follow_up")
    _move(page, "closed")
    assert _stage_label(page) == "已结案"
    assert "满意" in page.get_by_test_id("signoff").inner_text()

    # The QA page, with a transcript from the same seed.
    page.goto("/qa")
    page.get_by_test_id("qa-transcript").fill(
        "客户: 你先给开通了网络行不?我从网上银行缴费,立刻就交\n客服: 这是不可能的!\n客户: 只是刚刚欠费,又不是恶意拖欠\n"
        "客服: 和你说过了,这是不可能的!"
    )
    page.get_by_test_id("qa-submit").click()
    page.get_by_test_id("scorecard").wait_for()
    assert page.locator("tr.line-bad").count() >= 1
    shoot(page, "qa", full_page=True)

    logout(page)
    login(page, "liu_manager")
    page.goto("/dashboard")
    page.wait_for_selector("body[data-charts-ready]")
    expected = analytics.dashboard(server.desk.uow()).total
    assert int(page.get_by_test_id("kpi-total").inner_text()) == expected
    closed = list_queue(server.desk.uow(), QueueQuery(stage="closed", limit=1000), viewer=None).summaries
    assert number in {c["number"] for c in closed}
    assert page.locator(".chart svg").count() >= 10
    shoot(page, "dashboard")


def test_customer_script_never_runs(page: Any, server: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, "wu_agent")
    number = _intake(page, "测试客户", "13900001111", f"标题{XSS}", f"描述{XSS}")
    for path in (f"/complaints/{number}", "/queue", "/queue?scope=team", "/search?q=window"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None
    page.goto(f"/complaints/{number}")
    assert "<script>window.__xss=1</script>" in page.get_by_test_id("description").inner_text()  # shown as text
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []


def test_agent_cannot_open_the_dashboard_or_another_teams_complaint(page: Any, server: Any) -> None:
    other_team = [
        c["number"]
        for c in list_queue(server.desk.uow(), QueueQuery(owner="chen_agent", limit=50), viewer=None).summaries
    ]
    assert other_team, "the demo data gives 二组's chen_agent complaints"
    login(page, "li_agent")  # 一组
    assert page.get_by_role("link", name="主管看板").count() == 0
    response = page.goto("/dashboard")
    assert response.status == 403
    assert page.get_by_test_id("forbidden").is_visible()
    response = page.goto(f"/complaints/{other_team[0]}")
    assert response.status == 403
    assert "其他班组" in page.get_by_test_id("forbidden").inner_text()


def test_agent_finds_a_traditional_complaint_from_the_search_box_and_its_customer(page: Any, server: Any) -> None:
    login(page, "he_agent")  # 二组: the 寬頻 complaint is theirs
    box = page.get_by_role("search").get_by_label("搜索词")
    box.fill("宽频 速度")  # simplified, typed on any page
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    results = page.get_by_test_id("search-results")
    assert results.locator("tbody tr").count() == 1
    assert page.locator("mark.hit").first.inner_text() == "寬頻速度"  # the customer's own script
    shoot(page, "search")
    results.locator("tbody tr a").first.click()
    page.wait_for_url("**/complaints/TS-*")
    assert "寬頻" in page.get_by_test_id("description").inner_text()
    number = str(page.url).split("/complaints/", 1)[1].split("?", 1)[0]
    page.get_by_test_id("customer-link").click()  # who is this customer, what else have they raised?
    page.wait_for_url("**/customers/*")
    assert page.get_by_test_id("customer-name").inner_text() == "馬先生"
    assert page.get_by_test_id("customer-complaints").locator(f'tr[data-number="{number}"]').count() == 1
    assert "****" in page.get_by_test_id("customer-phone").inner_text()  # an agent sees it masked


def test_keyboard_reaches_the_skip_link_and_the_queue(page: Any, server: Any) -> None:
    login(page, "li_agent")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.set_viewport_size({"width": 800, "height": 1024})  # a tablet held upright
    assert page.get_by_test_id("queue-table").is_visible()


UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 80))"""


def test_every_visible_input_has_a_label(page: Any, server: Any) -> None:
    login(page, "zhang_lead")  # 一组: sees li_agent's complaints
    number = list_queue(server.desk.uow(), QueueQuery(owner="li_agent", open_only=True, limit=1), viewer=None).summaries[0]["number"]
    for path in ("/queue", "/intake", f"/complaints/{number}", "/qa", "/dashboard", "/search?q=宽带", "/calendar", "/rules", "/playbook", "/login"):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.evaluate(UNLABELLED) == [], path


def test_every_visible_input_of_the_admin_pages_has_a_label(page: Any, server: Any) -> None:
    login(page, "admin")  # the forms only admins see: users, passwords, the centre's days
    page.goto(f"/complaints/{server.numbers[0]}")
    customer = page.get_by_test_id("customer-link").get_attribute("href")
    for path in ("/users", "/audit?verify=1", "/calendar", "/webhooks", "/data", customer):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.evaluate(UNLABELLED) == [], path
