"""Idempotency-Key replays instead of creating twice; hostile customer text round-trips intact."""

from __future__ import annotations

import pytest

API = "/api/v1"


def test_same_idempotency_key_creates_one_complaint_and_replays_the_response(client, auth, complaint_body):
    headers = {**auth("alice"), "Idempotency-Key": "intake-7f3a"}
    first = client.post(f"{API}/complaints", json=complaint_body(), headers=headers)
    second = client.post(f"{API}/complaints", json=complaint_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert first.headers["Idempotent-Replayed"] == "false"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(client.get(f"{API}/complaints", headers=auth("alice")).json()["items"]) == 1


def test_reusing_a_key_for_a_different_request_is_refused(client, auth, assert_error, complaint_body):
    headers = {**auth("alice"), "Idempotency-Key": "k-1"}
    client.post(f"{API}/complaints", json=complaint_body(), headers=headers)
    other = client.post(f"{API}/complaints", json=complaint_body(title="另一件事"), headers=headers)
    assert_error(other, 422, field="Idempotency-Key")


def test_keys_belong_to_their_user(client, auth, complaint_body):
    client.post(
        f"{API}/complaints", json=complaint_body(), headers={**auth("alice"), "Idempotency-Key": "same"}
    )
    response = client.post(
        f"{API}/complaints", json=complaint_body(), headers={**auth("arthur"), "Idempotency-Key": "same"}
    )
    assert response.headers["Idempotent-Replayed"] == "false"


def test_a_refused_request_does_not_burn_its_key(client, auth, complaint_body):
    headers = {**auth("alice"), "Idempotency-Key": "retry-me"}
    bad = client.post(f"{API}/complaints", json=complaint_body(channel="pigeon"), headers=headers)
    assert bad.status_code == 422
    good = client.post(f"{API}/complaints", json=complaint_body(), headers=headers)
    assert good.status_code == 201 and good.headers["Idempotent-Replayed"] == "false"


def test_message_post_is_idempotent(client, auth, open_as):
    n = open_as("alice")["number"]
    headers = {**auth("alice"), "Idempotency-Key": "msg-1"}
    body = {"kind": "inbound", "body": "客户又来电催促", "version": 1}
    first = client.post(f"{API}/complaints/{n}/messages", json=body, headers=headers)
    again = client.post(f"{API}/complaints/{n}/messages", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    detail = client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()
    assert len(detail["messages"]) == 1


HOSTILE = [
    "<script>alert('xss')</script>",
    "'; DROP TABLE complaints; --",
    '" OR 1=1 --',
    "控制字符\x01\x07\x1b[31m红色\x7f结束\r\n第二行\t制表",
    "<img src=x onerror=alert(1)>&amp;&lt;",
    "emoji 😡 和 RTL \u202e 反转",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_customer_text_is_stored_and_returned_intact(client, auth, text, complaint_body):
    h = auth("alice")
    created = client.post(
        f"{API}/complaints",
        json=complaint_body(customer_name="王" + text[:20], title=text[:200], description="投诉内容:" + text),
        headers=h,
    )
    assert created.status_code == 201, created.text
    assert created.headers["content-type"].startswith("application/json")
    n = created.json()["number"]
    message = client.post(f"{API}/complaints/{n}/messages", json={"body": text, "version": 1}, headers=h)
    assert message.status_code == 201
    detail = client.get(f"{API}/complaints/{n}", headers=h).json()
    assert detail["title"] == text[:200]
    assert detail["description"] == "投诉内容:" + text
    assert detail["messages"][0]["body"] == text
    assert detail["customer"]["name"] == "王" + text[:20]


def test_nul_characters_are_refused_with_422_not_a_server_error(client, auth, assert_error, complaint_body):
    response = client.post(
        f"{API}/complaints", json=complaint_body(description="a\x00b"), headers=auth("alice")
    )
    assert_error(response, 422, field="description")
