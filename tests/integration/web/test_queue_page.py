"""The queue page: views with counts, filters (htmx swaps the list), keyset pages with a total, bad
filter values named, and a team lead's bulk reassignment of ticked rows or an absent agent's."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.services import queue
from complaintdesk.services.queue import QueueQuery


def _numbers(html: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', html)


def _count(html: str, view: str) -> int:
    found = re.search(rf'data-testid="view-{view}">[^<]*<span class="count">(\d+)</span>', html)
    assert found, view
    return int(found.group(1))


def test_each_view_shows_its_count_and_lists_that_many(site: Site) -> None:
    site.login("liu_manager")
    html = site.client.get("/queue?scope=all").text
    for view, link in (("open", "/queue?scope=all"), ("breached", "/queue?scope=all&sla=breached"),
                       ("escalated", "/queue?scope=all&escalated=1")):  # fmt: skip
        listed = site.client.get(link).text
        assert len(_numbers(listed)) == _count(html, view)
        assert f"共 {_count(html, view)} 张" in listed


def test_filters_narrow_the_list_and_htmx_gets_only_the_list(site: Site) -> None:
    site.login("liu_manager")
    team_one = site.client.get("/queue?scope=all&team=一组", headers={"HX-Request": "true"})
    assert team_one.status_code == 200 and "<h1>" not in team_one.text
    expected = queue.list_queue(
        site.desk.uow(), QueueQuery(team="一组", open_only=True, limit=50), viewer=None
    ).summaries
    assert sorted(_numbers(team_one.text)) == sorted(s["number"] for s in expected)
    assert all(s["owner"] in ("li_agent", "wu_agent", "zhang_lead") for s in expected)


def test_pages_follow_the_next_link_without_overlap(site: Site) -> None:
    site.login("liu_manager")
    total = len(_numbers(site.client.get("/queue?scope=all").text))
    from complaintdesk.web import queue_form

    original = queue_form.PAGE_SIZE
    queue_form.PAGE_SIZE = 3
    try:
        seen: list[str] = []
        link = "/queue?scope=all"
        while link:
            html = site.client.get(link).text
            seen += _numbers(html)
            found = re.search(r'<a href="([^"]+)" rel="next"', html)
            link = found.group(1).replace("&amp;", "&") if found else ""
    finally:
        queue_form.PAGE_SIZE = original
    assert len(seen) == len(set(seen)) == total


def test_a_bad_filter_value_is_refused_naming_it(site: Site) -> None:
    site.login("li_agent")
    response = site.client.get("/queue?stage=nonsense")
    assert response.status_code == 422 and "stage" in response.text
    assert site.client.get("/queue?from=yesterday").status_code == 422


def test_a_lead_reassigns_an_absent_agents_complaints_and_an_agent_sees_no_bulk_form(site: Site) -> None:
    site.login("li_agent")
    assert 'action="/queue/reassign"' not in site.client.get("/queue?scope=team").text
    site.client.cookies.clear()
    site.login("zhang_lead")
    before = queue.list_queue(site.desk.uow(), QueueQuery(owner="li_agent", open_only=True), viewer=None)
    assert before.summaries, "the demo gives li_agent open complaints"
    form = {"csrf_token": site.csrf("/queue?scope=team"), "scope": "team", "mode": "owner",
            "from_owner": "li_agent", "to_owner": "wu_agent", "reason": "小李今天请假"}  # fmt: skip
    response = site.client.post("/queue/reassign", data=form)
    assert response.status_code == 200
    assert f"已转派 {len(before.summaries)} 张投诉单给 wu_agent" in response.text
    after = queue.list_queue(site.desk.uow(), QueueQuery(owner="li_agent", open_only=True), viewer=None)
    assert after.summaries == []
