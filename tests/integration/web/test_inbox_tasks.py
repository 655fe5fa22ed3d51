"""Call-back tasks on the pages: the inbox lists the owner's open tasks with their due time, one click
records the outcome there or on the complaint page, and the customer's words in a task are escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from web_site_helpers import Site

from complaintdesk.services import complaints as svc
from complaintdesk.services.commands import MakePromise
from complaintdesk.services.handlers import handle

XSS = '<script>alert("x")</script>'


def _complaint_with_callback(site: Site, what: str = "明天上午给您回电") -> tuple[str, int]:
    now = datetime.now(UTC)
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带被停", "宽带被停了", actor="li_agent", opened_at=now, analyse=False)
    number = str(svc.open_complaint(site.desk.uow(), cmd, now=now)["number"])
    view = handle(site.desk.uow(), MakePromise(number=number, actor="li_agent", what=what, due_at=now + timedelta(hours=3)))
    return number, int(view["tasks"][0]["id"])


def test_the_inbox_lists_the_owners_call_back_and_one_click_records_the_outcome(site: Site) -> None:
    number, task_id = _complaint_with_callback(site, f"明天给您回电 {XSS}")
    site.login("li_agent")
    page = site.client.get("/inbox")
    assert page.status_code == 200 and 'data-testid="inbox-tasks"' in page.text
    assert f'data-task="{task_id}"' in page.text and XSS not in page.text and "&lt;script&gt;" in page.text
    token = site.csrf("/inbox")
    done = site.client.post(f"/inbox/tasks/{number}/{task_id}", data={"csrf_token": token, "outcome": "reached"},
                            follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert f'data-task="{task_id}"' not in site.client.get("/inbox").text
    complaint = site.client.get(f"/complaints/{number}").text
    assert 'data-testid="task-outcome"' in complaint and "已联系上" in complaint


def test_a_bad_outcome_from_the_inbox_is_refused_and_the_task_stays(site: Site) -> None:
    number, task_id = _complaint_with_callback(site)
    site.login("li_agent")
    token = site.csrf("/inbox")
    bad = site.client.post(f"/inbox/tasks/{number}/{task_id}", data={"csrf_token": token, "outcome": "later"})
    assert bad.status_code == 422 and "outcome" in bad.text
    assert f'data-task="{task_id}"' in site.client.get("/inbox").text


def test_the_complaint_page_records_a_task_outcome_in_one_click(site: Site) -> None:
    number, task_id = _complaint_with_callback(site)
    site.login("li_agent")
    page = site.client.get(f"/complaints/{number}").text
    assert f'action="/complaints/{number}/task-outcome"' in page
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    token = site.csrf(f"/complaints/{number}")
    done = site.client.post(
        f"/complaints/{number}/task-outcome",
        data={"csrf_token": token, "version": version, "task_id": str(task_id), "outcome": "satisfied"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "客户满意" in site.client.get(f"/complaints/{number}").text


def test_the_complaint_pages_outcome_button_answers_in_place(site: Site) -> None:
    number, task_id = _complaint_with_callback(site)
    site.login("li_agent")
    page = site.client.get(f"/complaints/{number}").text
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    token = site.csrf(f"/complaints/{number}")
    done = site.client.post(
        f"/complaints/{number}/task-outcome", headers={"HX-Request": "true"},
        data={"csrf_token": token, "version": version, "task_id": str(task_id), "outcome": "reached"},
    )  # fmt: skip
    assert done.status_code == 200 and "任务结果已记录" in done.text and 'data-testid="task-outcome"' in done.text
