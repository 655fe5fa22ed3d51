"""The search page: every signed-in user can find complaints, closed ones included, in their own scope."""

from __future__ import annotations

import re

from web_site_helpers import Site


def _found(html: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', html)


def _number_of(site: Site, title: str) -> str:
    """The number of the demo complaint with this title (a manager's search sees every team)."""
    site.login("liu_manager")
    html = site.client.get("/search", params={"q": title}).text
    site.client.cookies.clear()
    rows = re.findall(r'<tr data-number="([^"]+)">.*?<td class="title-cell">([^<]*)</td>', html, re.S)
    return next(number for number, shown in rows if shown == title)


def test_simplified_query_finds_a_traditional_complaint_shown_as_written(site: Site) -> None:
    site.login("he_agent")
    page = site.client.get("/search", params={"q": "宽频 速度"})
    assert page.status_code == 200
    assert len(_found(page.text)) == 1
    assert '<mark class="hit">寬頻速度</mark>' in page.text


def test_agent_finds_only_complaints_of_their_team_and_manager_finds_all(site: Site) -> None:
    own_team = _number_of(site, "信息产业部转来：宽带违规停机及客服态度恶劣申诉")  # wu_agent, team 一组
    other = _number_of(site, "宽带欠费不足30天被停机，客服称“这是不可能的”")  # liu_manager's, closed
    site.login("li_agent")
    agent_sees = _found(site.client.get("/search", params={"q": "宽带 停机"}).text)
    assert own_team in agent_sees and other not in agent_sees
    site.client.cookies.clear()
    site.login("liu_manager")
    assert {own_team, other} <= set(_found(site.client.get("/search", params={"q": "宽带 停机"}).text))


def test_closed_complaints_are_found_although_the_queue_leaves_them_out(site: Site) -> None:
    site.login("li_agent")
    closed = _found(site.client.get("/search", params={"q": "MT-2928"}).text)
    assert closed and 'data-number="' + closed[0] + '"' not in site.client.get("/queue?scope=team").text


def test_overlong_query_is_refused_with_a_message(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/search", params={"q": "宽" * 201})
    assert page.status_code == 422
    assert "搜索词不能超过 200 个字符" in page.text
    assert 'aria-invalid="true"' in page.text


def test_empty_search_shows_the_form_and_every_page_has_the_search_box(site: Site) -> None:
    site.login("sun_auditor")  # read-only roles search too
    page = site.client.get("/search")
    assert page.status_code == 200 and 'id="search-q"' in page.text and "search-count" not in page.text
    assert 'action="/search"' in site.client.get("/queue").text


def test_search_page_needs_a_session(site: Site) -> None:
    response = site.client.get("/search", params={"q": "宽带"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_phone_number_finds_the_customers_on_that_line(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/search", params={"q": "138 1234 5678"}).text  # 王女士, as a caller ID shows it
    section = re.search(r'data-testid="search-customers">(.*?)</section>', page, re.S)
    assert section and "王女士" in section.group(1) and 'href="/customers/' in section.group(1)
    assert "138****5678" in section.group(1) and "13812345678" not in section.group(1)  # an agent sees it masked
    assert 'data-testid="search-customers"' not in site.client.get("/search", params={"q": "宽带"}).text
