"""The webhooks page: admins subscribe (the secret shown once), read the delivery log, deactivate."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from web_site_helpers import Site

from complaintdesk.services import complaints as svc
from complaintdesk.services import webhooks


def _error(html: str) -> str:
    found = re.search(r'data-testid="error">([^<]*)<', html)
    return found.group(1) if found else ""


def _subscribe(site: Site, url: str = "https://crm.example.com/hook", events: tuple[str, ...] = ("complaint.opened",)):
    token = site.csrf("/webhooks")
    return site.client.post("/webhooks", data={"csrf_token": token, "url": url, "events": list(events)})


def test_admin_subscribes_and_sees_the_secret_once(site: Site) -> None:
    site.login("admin")
    page = _subscribe(site, events=("complaint.opened", "sla.breach"))
    assert page.status_code == 201
    secret = re.search(r'data-testid="webhook-secret">([0-9a-f]{64})<', page.text)
    assert secret
    listed = webhooks.list_subscriptions(site.desk.uow())
    assert [(s["url"], s["events"]) for s in listed] == [("https://crm.example.com/hook", ["complaint.opened", "sla.breach"])]
    assert secret.group(1) not in site.client.get("/webhooks").text  # never shown again


def test_the_delivery_log_shows_each_attempt_after_an_outage(site: Site) -> None:
    site.login("admin")
    _subscribe(site)
    svc.open_complaint(site.desk.uow(), svc.OpenComplaint("王女士", "13812345678", "宽带", "宽带停了", actor="li_agent"))
    now = datetime.now(UTC)
    webhooks.deliver_due(site.desk.uow, lambda url, body, headers: (None, "ConnectError: refused"), now=now)
    later = now + webhooks.backoff(1) + timedelta(seconds=1)
    webhooks.deliver_due(site.desk.uow, lambda url, body, headers: (200, None), now=later)
    sub_id = webhooks.list_subscriptions(site.desk.uow())[0]["id"]
    page = site.client.get(f"/webhooks/{sub_id}").text
    row = re.search(r'<tr data-id="\d+">(.*?)</tr>', page, re.S)
    assert row and "complaint.opened" in row.group(1) and "已送达" in row.group(1)
    assert "ConnectError: refused" in row.group(1) and "200" in row.group(1)


def test_admin_deactivates_a_subscription(site: Site) -> None:
    site.login("admin")
    _subscribe(site)
    sub_id = webhooks.list_subscriptions(site.desk.uow())[0]["id"]
    response = site.client.post(f"/webhooks/{sub_id}/remove", data={"csrf_token": site.csrf("/webhooks")},
                                follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    assert "已停用订阅" in site.client.get(response.headers["location"]).text
    assert webhooks.list_subscriptions(site.desk.uow())[0]["active"] is False


def test_bad_subscriptions_are_refused_with_the_reason_and_the_form_kept(site: Site) -> None:
    site.login("admin")
    page = _subscribe(site, url="ftp://crm.example.com")
    assert page.status_code == 422 and "url 必须是 http://" in _error(page.text)
    page = _subscribe(site, events=())
    assert page.status_code == 422 and "events 可选" in _error(page.text)
    assert 'value="https://crm.example.com/hook"' in page.text
    page = _subscribe(site, events=("complaint.deleted",))
    assert page.status_code == 422
    assert webhooks.list_subscriptions(site.desk.uow()) == []
    for wrong in ("999", "abc", "99999999999"):
        assert site.client.get(f"/webhooks/{wrong}").status_code == 404, wrong
    token = site.csrf("/webhooks")
    refused = site.client.post("/webhooks/abc/remove", data={"csrf_token": token})
    assert refused.status_code == 404 and "订阅 abc 不存在" in refused.text


def test_only_admins_may_manage_webhooks(site: Site) -> None:
    for user in ("li_agent", "liu_manager", "sun_auditor"):
        site.client.cookies.clear()
        site.login(user)
        assert site.client.get("/webhooks").status_code == 403
        refused = _subscribe(site)
        assert refused.status_code == 403 and "Webhook 订阅仅对管理员开放" in refused.text
        assert 'href="/webhooks"' not in site.client.get("/queue").text
    assert webhooks.list_subscriptions(site.desk.uow()) == []
