"""Acceptance (issue 23, point 2): one-screen handling. A simple complaint goes through the seven stages on the
web in at most 10 user actions, counted in the browser, and the in-place actions never load a page.

What counts as an action: a click on a button, link, summary, checkbox, radio or dropdown; a key pressed
outside a text field; Enter in a one-line field (it submits). Typing text or a date into a box does not
count (Playwright's ``fill`` sends no clicks or key presses). The page's own counter (below, kept in
sessionStorage across the one navigation) and the test's must agree.
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import login

from complaintdesk.services import complaints as svc

pytestmark = pytest.mark.e2e

COUNTER = """
(() => {
  const store = window.sessionStorage;
  const bump = (key) => store.setItem(key, String(Number(store.getItem(key) || 0) + 1));
  bump("onescreen.loads");
  const ACTION = "button, a[href], summary, select, input[type=checkbox], input[type=radio], input[type=submit]";
  const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  document.addEventListener("click", (e) => {
    if (e.isTrusted && e.target.closest && e.target.closest(ACTION)) bump("onescreen.actions");
  }, true);
  document.addEventListener("change", (e) => {
    if (e.isTrusted && e.target.tagName === "SELECT") bump("onescreen.actions");  // picked from a list
  }, true);
  document.addEventListener("keydown", (e) => {
    if (["Shift", "Control", "Alt", "Meta"].includes(e.key)) return;
    if (!typing(e.target) || (e.key === "Enter" && e.target.tagName === "INPUT")) bump("onescreen.actions");
  }, true);
})();
"""
MAX_ACTIONS = 10
SEVEN = ("calming", "clarifying", "proposing", "acting", "thanking", "follow_up", "closed")


class Actions:
    """The test's own count of what it did, beside the page's."""

    def __init__(self, page: Any) -> None:
        self.page, self.done = page, 0

    def click(self, locator: Any) -> None:
        self.done += 1
        locator.click()

    def in_browser(self) -> int:
        return int(self.page.evaluate("Number(sessionStorage.getItem('onescreen.actions') || 0)"))

    def loads(self) -> int:
        return int(self.page.evaluate("Number(sessionStorage.getItem('onescreen.loads') || 0)"))


def _simple_complaint(server: Any) -> str:
    command = svc.OpenComplaint(
        "赵女士", "13600002222", "电水壶用了三天不加热", "上周在你们店买的电水壶,用了三天就不加热了,麻烦给处理一下。",
        actor="li_agent",
    )  # fmt: skip
    return str(svc.open_complaint(server.desk.uow(), command)["number"])


def _focus_settles_on(page: Any, selector: str) -> bool:
    """Whether the focus lands inside ``selector``: it is put back when the swap settles, a moment after
    the outcome is shown (htmx's settle), so the check waits for it rather than reading at once."""
    script = f"document.activeElement && document.activeElement.closest({selector!r}) !== null"
    page.wait_for_function(script, timeout=5_000)
    return True


def _outcome(page: Any, action: str) -> Any:
    """The outcome of ``action``, once the swap has put it next to the form."""
    message = page.locator(f'#case [data-testid=feedback][data-action="{action}"]')
    message.wait_for()
    # The swap shows the outcome; the page puts back what was typed elsewhere, the focus and the scroll a
    # moment later, when htmx settles. Acting or reading before that races the page (a field filled in that
    # moment is overwritten by the typing it restores), so every step waits for the settle.
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    return message


def test_a_simple_complaint_goes_through_the_seven_stages_in_at_most_10_actions_without_a_page_load(
    page: Any, server: Any
) -> None:
    number = _simple_complaint(server)
    page.add_init_script(COUNTER)
    login(page, "li_agent")
    page.evaluate("sessionStorage.clear()")  # signing in is not handling the complaint
    acts = Actions(page)

    acts.click(page.locator(f'a[href="/complaints/{number}"]').first)  # 1: open it from the queue
    page.wait_for_url(f"**/complaints/{number}")
    page.evaluate("window.__oneScreen = 'still here'")
    loads = acts.loads()
    assert page.get_by_test_id("next-stage-line").is_visible()  # the stage and the next one, at the top
    assert page.get_by_test_id("assist-draft").is_visible()
    top = page.get_by_test_id("reply-and-move").bounding_box()
    assert top is not None and top["y"] < 800  # the one next action is on the first screen

    for stage in SEVEN:
        if stage == "proposing":  # what the centre's policy asks for, recorded in place (no dropdowns)
            page.locator("#f-purchase").fill(_days_ago(page, 10))
            page.locator("#f-model").fill("HK-1720 电水壶")
            acts.click(page.get_by_test_id("facts-save"))
            assert _outcome(page, "facts").is_visible()
            assert _focus_settles_on(page, "[data-testid=facts-form]")
        if stage == "acting":
            page.get_by_test_id("next-solution").fill("安排师傅上门检测,查明原因后答复")
        button = page.get_by_test_id("reply-and-move")
        acts.click(button)
        page.wait_for_selector(f'#case[data-stage="{stage}"]')
        message = _outcome(page, "reply-and-move")
        assert message.is_visible()
        # the same button, for the next stage, keeps the focus; once closed, the outcome takes it
        assert _focus_settles_on(page, "#reply-and-move-submit" if stage != "closed" else "#reply-and-move-submit, #feedback")
        box = message.bounding_box()  # read once settled: the page scrolls the outcome into view then
        assert box is not None and -1 <= box["y"] < 800  # in view (to a sub-pixel), next to the form that acted

    assert svc.get_complaint(server.desk.uow(), number)["stage"] == "closed"
    assert page.evaluate("window.__oneScreen") == "still here"  # no page was loaded by the in-place actions
    assert acts.loads() == loads
    counted = acts.in_browser()
    assert counted == acts.done, f"the page counted {counted} actions, the test did {acts.done}"
    assert counted <= MAX_ACTIONS
    print(f"\nseven stages closed in {counted} user actions (target <= {MAX_ACTIONS})")


def _days_ago(page: Any, days: int) -> str:
    return str(page.evaluate(f"new Date(Date.now() - {days} * 864e5).toISOString().slice(0, 10)"))


def test_each_action_of_the_page_answers_in_place_with_its_outcome_next_to_it(page: Any, server: Any) -> None:
    number = _simple_complaint(server)
    login(page, "li_agent")
    page.goto(f"/complaints/{number}")
    page.evaluate("window.__oneScreen = 'still here'")

    # An internal note by its shortcut: n opens the reply box as a note; what was typed elsewhere stays.
    page.locator("#promise-what").fill("明天上午回电")
    page.evaluate("document.activeElement.blur()")  # shortcuts act outside text fields
    page.keyboard.press("n")
    page.locator("#msg-body").fill("客户上午不方便接电话 <script>window.__xss=1</script>")
    page.locator("#message button[type=submit]").click()
    assert _outcome(page, "message").is_visible()
    assert page.locator("#promise-what").input_value() == "明天上午回电"  # the other form kept its text
    assert page.locator("#timeline").get_by_text("<script>window.__xss=1</script>").count() == 1
    assert page.evaluate("window.__xss") is None

    # A promise due in the past is refused next to its form, with what was typed still there; then kept.
    page.locator("#promise-what").fill("明天上午十点前回电")
    page.locator("#promise-due").fill(_in_days(page, -1) + "T10:00")
    page.locator("#promise button[type=submit]").click()
    refused = page.locator('#promise [data-testid=error][data-action="promise"]')
    refused.wait_for()
    assert refused.is_visible() and "晚于现在" in refused.inner_text()
    assert page.locator("#promise-what").input_value() == "明天上午十点前回电"
    page.locator("#promise-due").fill(_in_days(page, 1) + "T10:00")
    page.locator("#promise button[type=submit]").click()
    assert _outcome(page, "promise").is_visible()
    assert _focus_settles_on(page, "#promise")  # focus kept in the form
    assert page.locator("#promises ul.plain").first.get_by_text("明天上午十点前回电").count() == 1
    # a promise to call back is also the owner's task, listed under the promises with its outcome buttons
    assert page.get_by_test_id("complaint-tasks").get_by_text("明天上午十点前回电").count() == 1

    # A move from the stepper: the outcome shows by the stepper, the stage at the top follows.
    page.get_by_test_id("move-calming").click()
    page.wait_for_selector('#case[data-stage="calming"]')
    assert _outcome(page, "move").is_visible()
    assert page.get_by_test_id("stage").inner_text().strip() == "平息怨气"

    # By keyboard: m goes to "reply and move", Enter does it, and the focus is back on it for the next stage.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("m")
    assert page.evaluate("document.activeElement.id") == "reply-and-move-submit"
    page.keyboard.press("Enter")
    page.wait_for_selector('#case[data-stage="clarifying"]')
    assert _focus_settles_on(page, "#reply-and-move-submit")

    # Transfer and escalate live under "more actions", which stays open after the swap.
    if page.locator("#more-actions").get_attribute("open") is None:
        page.locator("#more-actions > summary").click()
    page.get_by_test_id("escalate-level").select_option("1")
    page.locator("#escalate-reason").fill("客户要求主管回电")
    page.locator("#escalate button[type=submit]").click()
    assert _outcome(page, "escalate").is_visible()
    page.get_by_test_id("transfer-to").select_option("wu_agent")
    page.locator("#transfer-reason").fill("吴同事熟悉该门店")
    page.locator("#transfer button[type=submit]").click()
    assert _outcome(page, "transfer").is_visible()
    assert svc.get_complaint(server.desk.uow(), number)["owner"] == "wu_agent"
    assert page.evaluate("window.__oneScreen") == "still here"


def _in_days(page: Any, days: int) -> str:
    return str(page.evaluate(f"new Date(Date.now() + {days} * 864e5).toISOString().slice(0, 10)"))
