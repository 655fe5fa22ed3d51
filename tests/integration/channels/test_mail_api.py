"""Mail over the API and the complaint page: the reply marked "send to customer", its delivery status."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services import accounts, mail_outbox
from complaintdesk.services.bootstrap import Desk
from tests.integration.channels.channel_helpers import open_complaint
from tests.integration.channels.smtp_sink import SmtpSink

PASSWORD = "correct-horse-1"


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    accounts.create_user(desk.uow(), "alice", "Alice", "agent", "A", PASSWORD, "test")
    accounts.create_user(desk.uow(), "mona", "Mona", "manager", None, PASSWORD, "test")
    with TestClient(create_app(desk)) as test_client:
        yield test_client


def _headers(client: TestClient, username: str = "alice") -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_reply_sent_to_the_customer_shows_queued_then_sent(desk: Desk, sink: SmtpSink, client: TestClient) -> None:
    number = open_complaint(desk)
    headers = _headers(client)
    missing = client.post(
        f"/api/v1/complaints/{number}/messages",
        json={"kind": "outbound", "body": "您好", "send_to_customer": True, "via": "email"},
        headers=headers,
    )
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "send_to_customer"
    bad = client.put(f"/api/v1/complaints/{number}/customer-email", json={"email": "not-an-address"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "email"
    added = client.put(f"/api/v1/complaints/{number}/customer-email", json={"email": "Wang@Example.cn"}, headers=headers)
    assert added.status_code == 200 and added.json()["email"] == "wang@example.cn"
    sent = client.post(
        f"/api/v1/complaints/{number}/messages",
        json={"kind": "outbound", "body": "您好,已为您恢复。", "send_to_customer": True},
        headers=headers,
    )
    assert sent.status_code == 201, sent.text
    [queued] = client.get(f"/api/v1/complaints/{number}/mail", headers=headers).json()["mails"]
    assert queued["status"] == "queued" and queued["purpose"] == "reply" and queued["message_id"] is not None
    mail_outbox.deliver_with_smtp(desk.uow)
    [done] = client.get(f"/api/v1/complaints/{number}/mail", headers=headers).json()["mails"]
    assert done["status"] == "sent"
    sink.wait_for(1)


def test_the_complaint_page_sends_a_reply_and_shows_its_status(desk: Desk, sink: SmtpSink, client: TestClient) -> None:
    number = open_complaint(desk)
    mail_outbox.add_customer_address(desk.uow(), number, "wang@example.cn", "alice")
    client.post("/login", data={"username": "alice", "password": PASSWORD, "next": "/queue"})
    page = client.get(f"/complaints/{number}").text
    assert 'name="send_to_customer"' in page
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"csrf_token": csrf, "kind": "outbound", "body": "您好,已为您恢复。", "send_to_customer": "1"}
    assert client.post(f"/complaints/{number}/message", data=form, follow_redirects=False).status_code == 303
    assert "邮件待发送" in client.get(f"/complaints/{number}").text
    mail_outbox.deliver_with_smtp(desk.uow)
    assert "邮件已发送" in client.get(f"/complaints/{number}").text


def test_a_complaint_opened_by_mail_shows_on_the_pages_without_a_phone(desk: Desk, client: TestClient) -> None:
    from complaintdesk.services import mail_intake
    from tests.integration.channels.mail_helpers import customer_mail

    taken = mail_intake.take_in(desk.uow, customer_mail().as_bytes(), "wang@example.cn")
    assert taken.outcome == "opened" and taken.number is not None
    # Owned by the channel ("mail") until someone takes it: a manager sees it and hands it on.
    client.post("/login", data={"username": "mona", "password": PASSWORD, "next": "/queue"})
    page = client.get(f"/complaints/{taken.number}")
    assert page.status_code == 200 and "wang@example.cn" in page.text
    assert taken.number in client.get("/queue?scope=all").text
    detail = client.get(f"/api/v1/complaints/{taken.number}", headers=_headers(client, "mona")).json()
    assert detail["customer"]["phone"] == "" and detail["channel"] == "email"
