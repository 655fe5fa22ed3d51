"""The customer's status page /t/{token}: what it shows, what the customer may do, who may reach it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services import accounts, commands, status_links, status_page
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.web import pages_status
from tests.integration.channels.channel_helpers import drive_to_acting, open_complaint

PASSWORD = "correct-horse-1"


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    accounts.create_user(desk.uow(), "alice", "Alice", "agent", "A", PASSWORD, "test")
    accounts.create_user(desk.uow(), "audrey", "Audrey", "auditor", None, PASSWORD, "test")
    pages_status.READS.reset()
    pages_status.WRITES.reset()
    with TestClient(create_app(desk)) as test_client:
        yield test_client


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_the_page_shows_number_plain_stage_promises_and_replies_but_not_notes(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    handle(desk.uow(), commands.AddMessage(number=number, kind="outbound", body="您好,我们已联系网络部门。", actor="alice"))
    handle(desk.uow(), commands.AddMessage(number=number, kind="note", body="内部备注:客户情绪激动", actor="alice"))
    due = datetime.now(UTC) + timedelta(hours=24)
    handle(desk.uow(), commands.MakePromise(number=number, what="24小时内回电", due_at=due, actor="alice"))
    link = status_links.issue_link(desk.uow(), number, "alice")
    assert len(link.token) >= 43  # 32 random bytes, url-safe base64

    page = client.get(link.path)
    assert page.status_code == 200
    html = page.text
    assert number in html
    assert "已受理" in html and "accepted" not in html  # plain Chinese, no internal code
    assert "24小时内回电" in html
    assert "您好,我们已联系网络部门。" in html
    assert "内部备注" not in html
    assert "138****8000" in html and "13800138000" not in html
    assert "alice" not in html  # no agent's username
    assert 'name="viewport"' in html
    assert page.headers["cache-control"] == "no-store"


def test_english_on_request(desk: Desk, client: TestClient) -> None:
    link = status_links.issue_link(desk.uow(), open_complaint(desk), "alice")
    assert "Received" in client.get(f"{link.path}?lang=en").text


def test_customer_text_is_escaped(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    link = status_links.issue_link(desk.uow(), number, "alice")
    posted = client.post(f"{link.path}/message", data={"body": "<script>alert(1)</script>"}, follow_redirects=False)
    assert posted.status_code == 303
    html = client.get(link.path).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    detail = svc.get_complaint(desk.uow(), number)
    assert detail["messages"][-1]["kind"] == "inbound"
    assert detail["messages"][-1]["author"] == status_page.CUSTOMER_AUTHOR


def test_not_satisfied_on_the_page_reopens_the_complaint(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    drive_to_acting(desk, number)
    link = status_links.issue_link(desk.uow(), number, "alice")
    assert "请确认处理结果" in client.get(link.path).text
    done = client.post(f"{link.path}/signoff", data={"satisfied": "no", "reason": "网速还是很慢"}, follow_redirects=False)
    assert done.status_code == 303
    detail = svc.get_complaint(desk.uow(), number)
    assert detail["stage"] == "reopened"
    assert "已重新处理" in client.get(link.path).text


def test_not_satisfied_without_a_reason_is_refused_and_nothing_changes(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    drive_to_acting(desk, number)
    link = status_links.issue_link(desk.uow(), number, "alice")
    refused = client.post(f"{link.path}/signoff", data={"satisfied": "no", "reason": ""})
    assert refused.status_code == 422
    assert "不满意原因不能为空" in refused.text
    assert svc.get_complaint(desk.uow(), number)["stage"] == "acting"


def test_satisfied_is_recorded_as_the_customers_sign_off(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    drive_to_acting(desk, number)
    link = status_links.issue_link(desk.uow(), number, "alice")
    client.post(f"{link.path}/signoff", data={"satisfied": "yes", "reason": ""})
    signoff = svc.get_complaint(desk.uow(), number)["signoff"]
    assert signoff["satisfied"] is True
    assert "您已确认对处理结果满意" in client.get(link.path).text


def test_sign_off_before_the_work_is_done_tells_the_customer_to_wait(desk: Desk, client: TestClient) -> None:
    link = status_links.issue_link(desk.uow(), open_complaint(desk), "alice")
    refused = client.post(f"{link.path}/signoff", data={"satisfied": "yes"})
    assert refused.status_code == 409
    assert "现在还不能确认处理结果" in refused.text


def test_unknown_and_revoked_tokens_get_the_same_not_found_page(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    link = status_links.issue_link(desk.uow(), number, "alice")
    status_links.revoke_link(desk.uow(), number, "alice")
    revoked = client.get(link.path)
    unknown = client.get("/t/" + "A" * 43)
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.text == unknown.text
    assert client.post(f"{link.path}/message", data={"body": "还在吗"}).status_code == 404
    fresh = status_links.issue_link(desk.uow(), number, "alice")
    assert fresh.token != link.token and client.get(fresh.path).status_code == 200


def test_too_many_requests_from_one_address_are_refused(desk: Desk, client: TestClient) -> None:
    link = status_links.issue_link(desk.uow(), open_complaint(desk), "alice")
    codes = [client.get(link.path).status_code for _ in range(pages_status.READS.limit + 1)]
    assert codes[:-1] == [200] * pages_status.READS.limit
    assert codes[-1] == 429


def test_agent_gets_the_same_link_until_revoked_over_the_api(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    headers = _bearer(client, "alice")
    first = client.get(f"/api/v1/complaints/{number}/status-link", headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["path"].startswith("/t/")
    assert client.get(f"/api/v1/complaints/{number}/status-link", headers=headers).json() == first.json()
    assert client.delete(f"/api/v1/complaints/{number}/status-link", headers=headers).status_code == 204
    assert client.get(first.json()["path"]).status_code == 404
    again = client.delete(f"/api/v1/complaints/{number}/status-link", headers=headers)
    assert again.status_code == 404


def test_an_auditor_cannot_issue_links(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    refused = client.get(f"/api/v1/complaints/{number}/status-link", headers=_bearer(client, "audrey"))
    assert refused.status_code == 403


def test_the_complaint_page_shows_and_issues_the_link(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    client.post("/login", data={"username": "alice", "password": PASSWORD, "next": "/queue"})
    page = client.get(f"/complaints/{number}").text
    assert "尚未生成" in page
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    issued = client.post(f"/complaints/{number}/status-link", data={"csrf_token": csrf}, follow_redirects=False)
    assert issued.status_code == 303
    link = status_links.current_link(desk.uow(), number)
    assert link is not None and link.path in client.get(f"/complaints/{number}").text
