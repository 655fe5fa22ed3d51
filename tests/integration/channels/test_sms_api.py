"""SMS over the API and on the complaint page: segments before sending, the status after, the opt-out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.channels.sms import count_segments
from complaintdesk.services import accounts, sms_outbox
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings
from tests.integration.channels.channel_helpers import open_complaint
from tests.integration.channels.sms_fake import FakeSmsProvider

PASSWORD = "correct-horse-1"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSmsProvider]:
    provider = FakeSmsProvider("aliyun").start()
    monkeypatch.setenv("COMPLAINTDESK_SMS_URL", provider.url(maxparam="200"))
    get_settings.cache_clear()
    yield provider
    provider.stop()
    get_settings.cache_clear()


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    accounts.create_user(desk.uow(), "alice", "Alice", "agent", "A", PASSWORD, "test")
    with TestClient(create_app(desk)) as test_client:
        yield test_client


def _headers(client: TestClient) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_segments_are_shown_before_sending_and_the_status_after(
    desk: Desk, fake: FakeSmsProvider, client: TestClient
) -> None:
    number = open_complaint(desk)
    headers = _headers(client)
    short, long = "您好,已为您恢复。", "您好," + "宽带已经为您恢复" * 12
    counts = []
    for body in (short, long):
        preview = client.post(f"/api/v1/complaints/{number}/sms/preview", json={"body": body}, headers=headers)
        assert preview.status_code == 200, preview.text
        shown = preview.json()
        assert shown["text"].startswith("【客服中心】") and body in shown["text"] and shown["reachable"] is True
        assert (shown["chars"], shown["segments"]) == (count_segments(shown["text"]).units, count_segments(shown["text"]).segments)
        counts.append(shown["segments"])
    assert counts[0] < counts[1]  # the longer reply costs more messages
    sent = client.post(
        f"/api/v1/complaints/{number}/messages",
        json={"kind": "outbound", "body": long, "send_to_customer": True},
        headers=headers,
    )
    assert sent.status_code == 201, sent.text
    delivery = sent.json()["delivery"]
    assert delivery["channel"] == "sms" and delivery["segments"] == counts[1] and delivery["status"] == "queued"
    listed = client.get(f"/api/v1/complaints/{number}/sms", headers=headers).json()
    assert [m["status"] for m in listed["messages"]] == ["queued"] and listed["messages"][0]["to"] == "138****8000"
    sms_outbox.deliver_configured(desk.uow)
    listed = client.get(f"/api/v1/complaints/{number}/sms", headers=headers).json()
    assert [m["status"] for m in listed["messages"]] == ["sent"] and len(fake.accepted) == 1


def test_the_opt_out_is_set_over_the_api_and_honoured(desk: Desk, fake: FakeSmsProvider, client: TestClient) -> None:
    number = open_complaint(desk)
    headers = _headers(client)
    missing = client.put(f"/api/v1/complaints/{number}/sms-opt-out", json={"opted_out": True}, headers=headers)
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "reason"
    done = client.put(
        f"/api/v1/complaints/{number}/sms-opt-out", json={"opted_out": True, "reason": "客户回复退订"}, headers=headers
    )
    assert done.status_code == 200 and done.json()["sms_opted_out"] is True
    assert client.post(f"/api/v1/complaints/{number}/sms/preview", json={"body": "您好"}, headers=headers).json()["sms_opted_out"]
    sent = client.post(
        f"/api/v1/complaints/{number}/messages",
        json={"kind": "outbound", "body": "您好", "send_to_customer": True, "via": "sms"},
        headers=headers,
    )
    assert sent.status_code == 201 and sent.json()["delivery"]["status"] == "skipped"
    sms_outbox.deliver_configured(desk.uow)
    assert fake.requests == 0
    bad = client.post(
        f"/api/v1/complaints/{number}/messages",
        json={"kind": "outbound", "body": "您好", "send_to_customer": True, "via": "fax"},
        headers=headers,
    )
    assert bad.status_code == 422


def test_the_complaint_page_counts_segments_in_the_reply_box_and_shows_the_sms_status(
    desk: Desk, fake: FakeSmsProvider, client: TestClient
) -> None:
    number = open_complaint(desk)
    client.post("/login", data={"username": "alice", "password": PASSWORD, "next": "/queue"})
    page = client.get(f"/complaints/{number}").text
    assert 'data-testid="sms-counter"' in page and 'data-before="【客服中心】王先生您好' in page
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"csrf_token": csrf, "kind": "outbound", "body": "您好,已为您恢复。", "send_to_customer": "1"}
    assert client.post(f"/complaints/{number}/message", data=form, follow_redirects=False).status_code == 303
    assert "短信待发送" in client.get(f"/complaints/{number}").text
    sms_outbox.deliver_configured(desk.uow)
    assert "短信已发送" in client.get(f"/complaints/{number}").text
    sms_outbox.set_opt_out(desk.uow(), number, True, "客户来电要求不再接收短信", "alice")
    page = client.get(f"/complaints/{number}").text
    assert "客户已退订短信：回复不会以短信发出" in page and "客户退订短信" in page


def test_the_reply_box_counts_sms_only_for_a_customer_answered_by_sms(desk: Desk, client: TestClient) -> None:
    from complaintdesk.services import mail_outbox

    number = open_complaint(desk)
    client.post("/login", data={"username": "alice", "password": PASSWORD, "next": "/queue"})
    assert 'data-testid="sms-counter"' in client.get(f"/complaints/{number}").text
    mail_outbox.add_customer_address(desk.uow(), number, "wang@example.cn", "alice")  # now answered by mail
    assert 'data-testid="sms-counter"' not in client.get(f"/complaints/{number}").text
