"""Webhook targets: no sends to this machine's own services unless a centre allows them, and a delivery
log that never shows what the receiver answered."""

from __future__ import annotations

import httpx
import pytest

from complaintdesk.services import webhooks
from complaintdesk.settings import get_settings

API = "/api/v1"


def _subscribe(client, auth, url):
    return client.post(f"{API}/webhooks", json={"url": url, "events": ["complaint.opened"]}, headers=auth("root"))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://localhost/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:6379/",
        "http://0.0.0.0:8000/",
    ],
)
def test_a_webhook_to_this_machine_or_link_local_is_refused_naming_url(client, auth, assert_error, url):
    assert_error(_subscribe(client, auth, url), 422, "invalid_input", "url")


def test_with_an_allow_list_only_the_listed_hosts_are_accepted(client, auth, assert_error, monkeypatch):
    monkeypatch.setenv("COMPLAINTDESK_WEBHOOK_ALLOWED_HOSTS", "crm.example.com, *.corp.example.cn, 127.0.0.0/8")
    get_settings.cache_clear()
    try:
        assert _subscribe(client, auth, "https://crm.example.com/hook").status_code == 201
        assert _subscribe(client, auth, "https://hooks.corp.example.cn/x").status_code == 201
        assert _subscribe(client, auth, "http://127.0.0.1:9000/hook").status_code == 201  # allowed on purpose
        refused = _subscribe(client, auth, "https://other.example.com/hook")
        assert_error(refused, 422, field="url")
        assert "COMPLAINTDESK_WEBHOOK_ALLOWED_HOSTS" in refused.json()["error"]["message"]
    finally:
        get_settings.cache_clear()


def test_the_delivery_log_shows_the_status_but_never_the_receivers_body(client, auth, open_as, desk):
    sub = _subscribe(client, auth, "https://crm.example.com/hook").json()
    open_as("alice")
    secret_page = "<html>internal admin console: db password = hunter2</html>"
    transport = httpx.MockTransport(lambda request: httpx.Response(500, text=secret_page))
    run = webhooks.deliver_due(desk.uow, webhooks.http_sender(transport=transport))
    assert run.failed == 1
    log = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=auth("root")).json()["items"]
    shown = str(log)
    assert "HTTP 500" in shown and "hunter2" not in shown and "internal admin" not in shown


def test_an_old_subscription_outside_a_new_allow_list_is_not_sent(client, auth, open_as, desk, monkeypatch):
    _subscribe(client, auth, "https://crm.example.com/hook")
    open_as("alice")
    monkeypatch.setenv("COMPLAINTDESK_WEBHOOK_ALLOWED_HOSTS", "only.example.org")
    get_settings.cache_clear()
    sent = []
    try:
        run = webhooks.deliver_due(desk.uow, lambda url, body, headers: sent.append(url) or (200, None))
    finally:
        get_settings.cache_clear()
    assert sent == [] and run.delivered == 0
