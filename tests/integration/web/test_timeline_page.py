"""The complaint page's timeline: a note, a reply and the customer's words told apart by icon and
label, facts as a Chinese sentence (never a Python dict), and English labels in English mode."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.services.commands import AddMessage, RecordFacts
from complaintdesk.services.handlers import handle
from complaintdesk.services.queue import QueueQuery, list_queue


def _timeline(html: str) -> str:
    return html.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]


def test_the_timeline_tells_who_spoke_and_reads_facts_as_sentences(site: Site) -> None:
    number = list_queue(
        site.desk.uow(), QueueQuery(owner="li_agent", open_only=True, limit=1), viewer=None
    ).summaries[0]["number"]
    uow = site.desk.uow
    handle(uow(), AddMessage(number=number, actor="li_agent", kind="note", body="客户情绪激动,先安抚"))
    handle(uow(), AddMessage(number=number, actor="li_agent", kind="outbound", body="您好,我们马上处理"))
    facts = {"purchase_date": "2026-11-03", "user_damage": False}
    handle(uow(), RecordFacts(number=number, actor="li_agent", facts=facts))
    site.login("li_agent")
    timeline = _timeline(site.client.get(f"/complaints/{number}").text)
    kinds = re.findall(r'data-kind="([a-z]+)"', timeline)
    assert {"note", "outbound", "system"} <= set(kinds)
    assert "内部备注" in timeline and "回复客户" in timeline
    assert "记录了已核实的情况" in timeline and "2026年11月3日" in timeline
    assert "{'" not in timeline and "purchase_date" not in timeline and "user_damage" not in timeline
    english = _timeline(site.client.get(f"/complaints/{number}?lang=en").text)
    assert "Internal note" in english and "Reply to the customer" in english and "Established:" in english
