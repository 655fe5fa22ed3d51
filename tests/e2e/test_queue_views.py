"""Acceptance (issue 23, points 4 and 7): a team lead's bulk reassignment in the queue, a saved view
kept in the database and picked with its count, and the queue as cards on a 390 px phone with no
sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import login, shoot

from complaintdesk.services.queue import QueueQuery, list_queue

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _open_of(server: Any, owner: str) -> list[str]:
    query = QueueQuery(owner=owner, open_only=True, limit=100)
    return [s["number"] for s in list_queue(server.desk.uow(), query, viewer=None).summaries]


def test_a_lead_ticks_two_complaints_and_reassigns_them_in_one_go(page: Any, server: Any) -> None:
    theirs = _open_of(server, "wu_agent")
    assert len(theirs) >= 2, "the demo gives wu_agent open complaints"
    login(page, "zhang_lead")
    page.goto("/queue?scope=team&owner=wu_agent")
    picked = page.locator("td.pick input[type=checkbox]")
    picked.nth(0).check()
    picked.nth(1).check()
    numbers = [picked.nth(i).get_attribute("value") for i in (0, 1)]
    page.get_by_test_id("bulk").locator("summary").click()
    page.get_by_label("接手人").select_option("li_agent")
    page.get_by_label("原因（写入每张投诉单的审计记录）").fill("小吴外出培训")
    page.get_by_test_id("bulk-submit").click()
    assert "已转派 2 张投诉单给 li_agent" in page.get_by_test_id("reassigned").inner_text()
    now_li = _open_of(server, "li_agent")
    assert all(n in now_li for n in numbers)
    assert not any(n in _open_of(server, "wu_agent") for n in numbers)


def test_a_lead_saves_the_filtered_queue_as_a_view_and_picks_it_with_its_count(page: Any, server: Any) -> None:
    login(page, "zhang_lead")
    page.goto("/queue?scope=team")
    page.locator("details.filters summary").click()
    page.locator("[data-testid=queue-filters] select[name=escalated]").select_option("1")
    page.locator("[data-testid=queue-filters] button[type=submit]").click()
    page.wait_for_url("**escalated=1**")  # htmx swapped the list in and pushed the address
    total = page.get_by_test_id("queue-total").inner_text()
    page.get_by_test_id("save-view-name").fill("本组已升级")
    page.get_by_test_id("save-view").get_by_role("button").click()
    page.wait_for_url("**/queue?scope=team&escalated=1")
    view = page.get_by_test_id("saved-view")
    assert view.get_attribute("aria-current") == "true"
    count = view.locator(".count").inner_text()
    assert f"共 {count} 张" in total and int(count) > 0
    page.goto("/queue?scope=team")
    page.get_by_test_id("saved-view").click()
    page.wait_for_url("**/queue?scope=team&escalated=1")
    assert f"共 {count} 张" in page.get_by_test_id("queue-total").inner_text()
    shoot(page, "queue")


def test_the_queue_is_cards_on_a_phone_without_sideways_scrolling(page: Any, server: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "zhang_lead")
    for path in ("/queue?scope=team&sla=breached", "/queue?scope=team"):
        page.goto(path)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), path
    row = page.locator("table.queue tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    box = row.bounding_box()
    assert box is not None and box["width"] <= 390
    title = row.locator("td.title-cell")
    assert title.bounding_box()["height"] < 120  # a readable line or two, not one character per line


BAR_CENTRE = """([series, index]) => {
  const el = document.getElementById('board-agents');
  const chart = echarts.getInstanceByDom(el);
  const option = chart.getOption();
  const value = option.series[series].data[index];
  const base = series === 1 ? option.series[0].data[index] : 0;
  const [x, y] = chart.convertToPixel({seriesIndex: series}, [index, base + value / 2]);
  const box = el.getBoundingClientRect();
  return {x: box.left + x, y: box.top + y, value: value, owner: option.xAxis[0].data[index]};
}"""


# every chart the board rendered is drawn (the team chart shows only once some clock fell due today)
BOARD_DRAWN = """() => {
  const n = document.querySelectorAll('div.chart[id^="board-"]').length;
  return n > 0 && document.body.dataset.boardReady === String(n);
}"""


def test_the_board_numbers_and_chart_bars_open_the_queue_filtered_to_them(page: Any, server: Any) -> None:
    login(page, "liu_manager")
    page.goto("/dashboard")
    page.wait_for_function(BOARD_DRAWN)
    shoot(page, "board")
    overdue = int(page.get_by_test_id("board-overdue").locator("strong").inner_text())
    page.get_by_test_id("board-overdue").click()
    page.wait_for_url("**/queue?**sla=breached**")
    assert f"共 {overdue} 张" in page.get_by_test_id("queue-total").inner_text()
    page.goto("/dashboard")
    page.wait_for_function(BOARD_DRAWN)
    bar = page.evaluate(BAR_CENTRE, [1, 0])  # the first agent's complaints still on time
    assert bar["value"] > 0
    agent_open = page.locator(f'tr[data-owner="{bar["owner"]}"] [data-testid="agent-open"]').inner_text()
    page.mouse.click(bar["x"], bar["y"])
    page.wait_for_url(f"**/queue?**owner={bar['owner']}**")
    assert f"共 {agent_open} 张" in page.get_by_test_id("queue-total").inner_text()


PLAIN_HTTP = """Object.defineProperty(window, 'isSecureContext', {get: () => false});
Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});"""


def test_copy_works_without_the_clipboard_api_and_says_so_and_question_mark_lists_shortcuts(
    page: Any, server: Any
) -> None:
    page.add_init_script(PLAIN_HTTP)  # as on an intranet's plain http address: no navigator.clipboard
    login(page, "li_agent")
    number = _open_of(server, "li_agent")[0]
    page.goto(f"/complaints/{number}")
    assert page.evaluate("navigator.clipboard === undefined")
    page.get_by_test_id("assist-copy").click()
    assert page.get_by_test_id("copy-status").inner_text() == "已复制"
    page.locator("body").press("?")
    assert page.get_by_test_id("keys-help").is_visible()
    assert "键盘快捷键" in page.get_by_test_id("keys-help").inner_text()
    page.keyboard.press("Escape")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "msg-body"
