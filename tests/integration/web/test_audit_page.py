"""The audit page: auditors and admins verify the chain and read its newest events; nobody else may."""

from __future__ import annotations

import re

from sqlalchemy import update
from web_site_helpers import Site

from complaintdesk.services import commands as cmds
from complaintdesk.services.handlers import handle
from complaintdesk.storage import orm


def test_auditor_verifies_an_intact_chain(site: Site) -> None:
    site.login("sun_auditor")
    page = site.client.get("/audit", params={"verify": "1"})
    assert page.status_code == 200
    verdict = re.search(r'data-testid="audit-verdict">([^<]*)<', page.text)
    assert verdict and verdict.group(1).startswith("审计链完整")


def test_an_edited_event_is_named_on_the_page(site: Site) -> None:
    target = 3
    with site.desk.engine.begin() as conn:
        conn.execute(update(orm.audit_events).where(orm.audit_events.c.seq == target).values(actor="someone_else"))
    site.login("admin")
    page = site.client.get("/audit", params={"verify": "1"}).text
    assert f"审计链校验失败：共 1 处问题，第一处在事件 #{target}" in page and 'class="flash err"' in page
    assert f'<li data-seq="{target}">#{target} 事件 #{target} 的内容与其哈希不符' in page


def test_newest_events_first_with_a_link_to_older_ones(site: Site) -> None:
    site.login("sun_auditor")
    page = site.client.get("/audit").text
    seqs = [int(s) for s in re.findall(r'<tr data-seq="(\d+)">', page)]
    assert len(seqs) == 50 and seqs == sorted(seqs, reverse=True)
    assert "登录" in page  # the auditor's own sign-in, an event of no complaint, translated
    older = re.search(r'href="/audit\?before=(\d+)"', page)
    assert older and int(older.group(1)) == seqs[-1]
    next_page = [int(s) for s in re.findall(r'<tr data-seq="(\d+)">', site.client.get(older.group(0)[6:-1]).text)]
    assert next_page and max(next_page) == seqs[-1] - 1


def test_a_bad_page_marker_is_refused_with_the_reason(site: Site) -> None:
    site.login("admin")
    page = site.client.get("/audit", params={"before": "abc"})
    assert page.status_code == 422 and "before 必须是正整数" in page.text


def test_agents_team_leads_and_managers_get_the_refusal_page(site: Site) -> None:
    for user in ("li_agent", "zhang_lead", "liu_manager"):
        site.client.cookies.clear()
        site.login(user)
        page = site.client.get("/audit", params={"verify": "1"})
        assert page.status_code == 403 and "审计链仅对质检员（审计）和管理员开放" in page.text
        assert 'href="/audit"' not in site.client.get("/queue").text


def test_payloads_with_customer_text_are_escaped(site: Site) -> None:
    from complaintdesk.services import complaints as svc

    number = site.numbers[0]
    version = svc.get_complaint(site.desk.uow(), number)["version"]
    handle(
        site.desk.uow(),
        cmds.AddMessage(
            number=number,
            kind="inbound",
            actor="wu_agent",
            body="<script>alert(1)</script>",
            expected_version=version,
        ),
    )
    site.login("sun_auditor")
    page = site.client.get("/audit").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_every_edited_event_is_listed_on_the_page_not_only_the_first(site: Site) -> None:
    with site.desk.engine.begin() as conn:
        conn.execute(update(orm.audit_events).where(orm.audit_events.c.seq.in_([3, 9])).values(actor="someone_else"))
    site.login("admin")
    page = site.client.get("/audit", params={"verify": "1"}).text
    assert re.findall(r'<li data-seq="(\d+)">', page) == ["3", "9"]
    assert "共 2 处问题" in page and "尚无签名检查点" in page


def test_checkpoints_without_their_key_are_a_clear_message_on_the_page(site: Site) -> None:
    from complaintdesk.services import audit_service
    from complaintdesk.settings import get_settings

    audit_service.checkpoint(site.desk.uow())
    (get_settings().data_dir / "audit.key").unlink()
    site.login("admin")
    page = site.client.get("/audit", params={"verify": "1"})
    assert "有审计检查点" in page.text and "COMPLAINTDESK_AUDIT_KEY" in page.text
    assert 'data-testid="audit-events"' in page.text  # the events are still listed
