"""Webhooks: events queued with the change, signed bodies, retry after an outage, no double sends."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from complaintdesk.services import webhooks
from complaintdesk.storage.orm_api import webhook_outbox

API = "/api/v1"


class Receiver:
    """A fake HTTP receiver: records every request, answers with the scripted status codes."""

    def __init__(self, statuses=(200,), delay=0.0):
        self.statuses = list(statuses)
        self.delay = delay
        self.requests = []
        self.lock = threading.Lock()

    def __call__(self, url, body, headers):
        time.sleep(self.delay)
        with self.lock:
            self.requests.append((url, body, headers))
            status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        if status is None:
            return None, "ConnectError: connection refused"
        return status, None if status < 300 else "down"


def _subscribe(client, auth, events=("complaint.opened", "complaint.stage_changed", "complaint.closed")):
    response = client.post(
        f"{API}/webhooks",
        json={"url": "https://crm.example.com/hook", "events": list(events)},
        headers=auth("root"),
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_only_admins_manage_webhooks(client, auth, assert_error):
    body = {"url": "https://crm.example.com/hook", "events": ["complaint.opened"]}
    assert_error(client.post(f"{API}/webhooks", json=body, headers=auth("mona")), 403)
    assert_error(client.get(f"{API}/webhooks", headers=auth("audrey")), 403)


def test_bad_subscriptions_are_422(client, auth, assert_error):
    bad_url = {"url": "ftp://x", "events": ["complaint.opened"]}
    assert_error(client.post(f"{API}/webhooks", json=bad_url, headers=auth("root")), 422, field="url")
    bad_event = {"url": "https://x.example", "events": ["complaint.exploded"]}
    assert_error(client.post(f"{API}/webhooks", json=bad_event, headers=auth("root")), 422, field="events")


def test_opening_a_complaint_queues_a_signed_event(client, auth, open_as, desk):
    sub = _subscribe(client, auth)
    number = open_as("alice")["number"]
    receiver = Receiver()
    run = webhooks.deliver_due(desk.uow, receiver)
    assert run.delivered == 1
    url, body, headers = receiver.requests[0]
    assert url == "https://crm.example.com/hook"
    payload = json.loads(body)
    assert payload["event"] == "complaint.opened"
    assert payload["complaint_number"] == number
    assert payload["actor"] == "alice"
    timestamp = headers["X-Complaintdesk-Timestamp"]
    assert webhooks.verify(sub["secret"], timestamp, body, headers[webhooks.SIGNATURE_HEADER])
    assert not webhooks.verify("another-secret", timestamp, body, headers[webhooks.SIGNATURE_HEADER])
    assert not webhooks.verify(sub["secret"], timestamp, body + b" ", headers[webhooks.SIGNATURE_HEADER])


def test_closing_emits_stage_changed_and_closed(client, auth, open_as, desk):
    _subscribe(client, auth, events=("complaint.closed",))
    n = open_as("alice")["number"]
    steps = [
        ("proposal", {"solution": "退还停机期间月租 40 元"}),
        ("move", {"stage": "acting"}),
        ("move", {"stage": "closed", "waiver_reason": "客户已撤诉"}),
    ]
    for version, (path, body) in enumerate(steps, start=1):
        done = client.post(
            f"{API}/complaints/{n}/{path}", json={**body, "version": version}, headers=auth("alice")
        )
        assert done.status_code == 200, done.text
    # An agent's unsigned close waits for the team lead (issue 23): closed once lena approves.
    request = done.json()["approval_request"]
    approved = client.post(f"{API}/complaints/{n}/approvals/{request['id']}/approve", json={}, headers=auth("lena"))
    assert approved.status_code == 200 and approved.json()["stage"] == "closed", approved.text
    receiver = Receiver()
    webhooks.deliver_due(desk.uow, receiver)
    assert [json.loads(b)["event"] for _, b, _ in receiver.requests] == ["complaint.closed"]


def test_event_survives_a_receiver_outage_and_is_retried_with_backoff(client, auth, open_as, desk):
    sub = _subscribe(client, auth)
    open_as("alice")
    now = datetime.now(UTC)
    down = Receiver(statuses=(None,))
    assert webhooks.deliver_due(desk.uow, down, now=now).failed == 1
    # Not due again until the backoff has passed.
    assert webhooks.deliver_due(desk.uow, down, now=now + timedelta(seconds=5)).claimed == 0
    up = Receiver(statuses=(503, 200))
    later = now + webhooks.backoff(1) + timedelta(seconds=1)
    assert webhooks.deliver_due(desk.uow, up, now=later).failed == 1
    last = later + webhooks.backoff(2) + timedelta(seconds=1)
    assert webhooks.deliver_due(desk.uow, up, now=last).delivered == 1
    log = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=auth("root")).json()["items"]
    assert log[0]["status"] == "delivered"
    assert [a["status_code"] for a in log[0]["log"]] == [None, 503, 200]


def test_event_is_given_up_after_the_last_attempt(client, auth, open_as, desk):
    _subscribe(client, auth)
    open_as("alice")
    when = datetime.now(UTC)
    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.deliver_due(desk.uow, Receiver(statuses=(500,)), now=when)
        when += webhooks.MAX_BACKOFF + timedelta(minutes=10)
    with desk.engine.connect() as conn:
        assert conn.execute(select(webhook_outbox.c.status)).scalar_one() == "dead"


def test_a_failed_change_queues_no_event(client, auth, open_as, desk):
    _subscribe(client, auth)
    n = open_as("alice")["number"]
    stale = client.post(
        f"{API}/complaints/{n}/move", json={"stage": "calming", "version": 9}, headers=auth("alice")
    )
    assert stale.status_code == 409
    receiver = Receiver()
    webhooks.deliver_due(desk.uow, receiver)
    assert [json.loads(b)["event"] for _, b, _ in receiver.requests] == ["complaint.opened"]


def test_two_workers_never_send_the_same_event_twice(client, auth, open_as, desk):
    _subscribe(client, auth)
    for i in range(6):
        open_as("root", phone=f"1380000{i:04d}")
    receiver = Receiver(delay=0.02)

    def worker():
        while webhooks.deliver_due(desk.uow, receiver, batch=2).claimed:
            pass

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    sent = Counter(h["X-Complaintdesk-Delivery"] for _, _, h in receiver.requests)
    assert len(sent) == 6
    assert set(sent.values()) == {1}


def test_unsubscribed_endpoints_get_no_new_events(client, auth, open_as, desk):
    sub = _subscribe(client, auth)
    assert client.delete(f"{API}/webhooks/{sub['id']}", headers=auth("root")).status_code == 204
    open_as("alice")
    assert webhooks.deliver_due(desk.uow, Receiver()).claimed == 0


def test_sla_warning_from_the_sweeper_reaches_subscribers(client, auth, open_as, desk):
    from complaintdesk.services import sla_service

    _subscribe(client, auth, events=("sla.warning", "sla.breach", "complaint.escalated"))
    open_as("alice")
    swept = sla_service.sweep(desk.uow(), now=datetime.now(UTC) + timedelta(days=30))
    assert swept.warnings >= 1
    receiver = Receiver()
    webhooks.deliver_due(desk.uow, receiver, batch=100)
    events = {json.loads(b)["event"] for _, b, _ in receiver.requests}
    assert {"sla.warning", "sla.breach"} <= events
    assert "complaint.escalated" not in events  # issue 23: a breach is reported, never a silent escalation


def test_http_sender_posts_the_signed_body(client, auth, open_as, desk):
    import httpx

    sub = _subscribe(client, auth)
    open_as("alice")
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    sender = webhooks.http_sender(transport=httpx.MockTransport(handler))
    assert webhooks.deliver_due(desk.uow, sender).delivered == 1
    request = seen[0]
    assert request.method == "POST" and str(request.url) == "https://crm.example.com/hook"
    assert webhooks.verify(
        sub["secret"],
        request.headers["X-Complaintdesk-Timestamp"],
        request.content,
        request.headers[webhooks.SIGNATURE_HEADER],
    )


def test_http_sender_reports_an_unreachable_receiver_as_a_retry(client, auth, open_as, desk):
    import httpx

    _subscribe(client, auth)
    open_as("alice")

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    run = webhooks.deliver_due(desk.uow, webhooks.http_sender(transport=httpx.MockTransport(refuse)))
    assert run.failed == 1


@pytest.fixture
def subscription_reads(desk):
    """Fills with every statement that reads webhook_subscriptions during the test."""
    seen = []

    def record(conn, cursor, statement, *args):
        if "FROM webhook_subscriptions" in statement:
            seen.append(statement)

    event.listen(desk.engine, "before_cursor_execute", record)
    yield seen
    event.remove(desk.engine, "before_cursor_execute", record)


def test_writes_reuse_the_active_subscriptions_instead_of_reading_them_each_time(
    client, auth, open_as, desk, monkeypatch, subscription_reads
):
    monkeypatch.setattr(webhooks, "SUBSCRIPTION_CACHE_SECONDS", 600.0)
    _subscribe(client, auth)
    for i in range(3):
        open_as("alice", phone=f"1380000{i:04d}")
    assert len(subscription_reads) == 1
    assert webhooks.deliver_due(desk.uow, Receiver(), batch=10).delivered == 3


def test_a_subscription_made_through_the_service_gets_the_very_next_event(open_as, desk, monkeypatch):
    monkeypatch.setattr(webhooks, "SUBSCRIPTION_CACHE_SECONDS", 600.0)  # only invalidation can help
    open_as("alice")  # remembers "no subscriptions" for this engine
    assert webhooks.deliver_due(desk.uow, Receiver()).claimed == 0
    sub = webhooks.subscribe(desk.uow(), "https://crm.example.com/hook", ["complaint.opened"], "root")
    number = open_as("alice", phone="13800000001")["number"]
    receiver = Receiver()
    assert webhooks.deliver_due(desk.uow, receiver).delivered == 1
    assert json.loads(receiver.requests[0][1])["complaint_number"] == number
    webhooks.unsubscribe(desk.uow(), sub["id"], "root")
    open_as("alice", phone="13800000002")
    assert webhooks.deliver_due(desk.uow, Receiver()).claimed == 0


def test_events_of_a_subscription_that_is_no_longer_active_are_not_sent(client, auth, open_as, desk):
    sub = _subscribe(client, auth)
    open_as("alice")  # queued while the subscription was active
    assert client.delete(f"{API}/webhooks/{sub['id']}", headers=auth("root")).status_code == 204
    receiver = Receiver()
    run = webhooks.deliver_due(desk.uow, receiver)
    assert (run.claimed, run.skipped, run.delivered) == (1, 1, 0)
    assert receiver.requests == []
    log = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=auth("root")).json()["items"]
    assert [(e["status"], e["attempts"], e["last_error"]) for e in log] == [
        ("dead", 0, webhooks.INACTIVE_ERROR)
    ]
    assert webhooks.deliver_due(desk.uow, receiver).claimed == 0
