"""The customer page: the customer and their complaint history, in the user's scope, phone per role."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.services.queue import QueueQuery, list_queue

XSS = '<script>alert("x")</script>'


def _customer_path(site: Site, number: str) -> str:
    found = re.search(r'href="(/customers/\d+)" data-testid="customer-link"', site.client.get(f"/complaints/{number}").text)
    assert found, "the complaint page links its customer"
    return found.group(1)


def _listed(html: str) -> set[str]:
    return set(re.findall(r'<tr data-number="([^"]+)"', html))


def _wang_complaints(site: Site) -> dict[str, str]:
    """Seed 000's 王女士: her complaints (number -> owner), one in 一组 (wu_agent), one the manager's."""
    rows = list_queue(site.desk.uow(), QueueQuery(limit=200), viewer=None).summaries
    return {r["number"]: r["owner"] for r in rows if r["customer"] == "王女士"}


def test_agent_follows_the_customer_link_to_the_history_of_their_team(site: Site) -> None:
    wang = _wang_complaints(site)
    team_case = next(n for n, owner in wang.items() if owner == "wu_agent")
    site.login("li_agent")  # 一组, like wu_agent
    page = site.client.get(_customer_path(site, team_case))
    assert page.status_code == 200
    assert _listed(page.text) == {team_case}  # the manager's own case is outside 一组's queue
    assert "只列出你和你所在班组处理的投诉单" in page.text


def test_manager_sees_the_whole_history_with_its_totals(site: Site) -> None:
    wang = _wang_complaints(site)
    site.login("liu_manager")
    page = site.client.get(_customer_path(site, next(iter(wang))))
    assert _listed(page.text) == set(wang) and len(wang) == 2
    assert "共 2 件" in page.text and "已结案 1 件" in page.text


def test_agents_see_the_phone_masked_and_team_leads_see_it_whole(site: Site) -> None:
    number = next(n for n, owner in _wang_complaints(site).items() if owner == "wu_agent")
    site.login("li_agent")
    path = _customer_path(site, number)
    for html in (site.client.get(path).text, site.client.get(f"/complaints/{number}").text):
        assert "138****5678" in html and "13812345678" not in html
    site.client.cookies.clear()
    site.login("zhang_lead")
    for html in (site.client.get(path).text, site.client.get(f"/complaints/{number}").text):
        assert "13812345678" in html


def test_unknown_or_malformed_customer_ids_get_the_not_found_page(site: Site) -> None:
    site.login("liu_manager")
    for wrong in ("999999", "0", "abc", "99999999999999"):
        page = site.client.get(f"/customers/{wrong}")
        assert page.status_code == 404 and "找不到客户" in page.text, wrong


def test_customer_name_and_titles_are_escaped(site: Site) -> None:
    site.login("li_agent")
    token = site.csrf("/intake")
    response = site.client.post(
        "/intake",
        data={"csrf_token": token, "customer_name": f"客户{XSS}", "phone": "13700001111", "channel": "phone",
              "segment": "regular", "title": f"标题{XSS}", "description": "宽带被停了"},
        follow_redirects=False,
    )  # fmt: skip
    number = response.headers["location"].split("?")[0].rsplit("/", 1)[1]
    html = site.client.get(_customer_path(site, number)).text
    # the name in the window title and the heading, the complaint title in the history
    assert "<script>alert" not in html and html.count("&lt;script&gt;alert") == 3


def test_customer_page_needs_a_session(site: Site) -> None:
    response = site.client.get("/customers/1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
