"""The dashboard's live board: each number links to the queue whose total is that number, the poll
returns the board alone, report bars link to their category, and an empty figure says "no data"."""

from __future__ import annotations

import html as html_lib
import re

from web_site_helpers import Site


def _link(page: str, testid: str) -> tuple[str, int]:
    found = re.search(
        rf'<a class="kpi[^"]*" href="([^"]+)" data-testid="{testid}"><span>[^<]*</span><strong>(\d+)</strong>',
        page,
    )
    assert found, testid
    return html_lib.unescape(found.group(1)), int(found.group(2))


def _total(page: str) -> int:
    found = re.search(r"共 (\d+) 张", page)
    assert found
    return int(found.group(1))


def test_every_board_number_opens_the_queue_that_counts_it(site: Site) -> None:
    site.login("liu_manager")
    assert (
        'hx-get="/dashboard/live"' in site.client.get("/dashboard").text
    )  # the page loads the board after itself
    page = site.client.get("/dashboard/live").text
    for testid in ("board-open", "board-overdue", "board-due-soon"):
        link, number = _link(page, testid)
        assert _total(site.client.get(link).text) == number, testid
    rows = re.findall(r'<td><a href="([^"]+)" data-testid="agent-open">(\d+)</a></td>', page)
    assert rows
    for link, number in rows:
        assert _total(site.client.get(html_lib.unescape(link)).text) == int(number)


def test_the_poll_returns_the_board_alone_and_agents_may_not_have_it(site: Site) -> None:
    site.login("zhang_lead")
    live = site.client.get("/dashboard/live")
    assert live.status_code == 200 and 'data-testid="board-open"' in live.text and "<h1>" not in live.text
    assert "scope=team" in live.text  # a team lead's board opens their team's queue
    site.client.cookies.clear()
    site.login("li_agent")
    assert site.client.get("/dashboard/live").status_code == 403


def test_category_bars_link_to_the_queue_and_empty_figures_say_no_data(site: Site) -> None:
    site.login("liu_manager")
    page = site.client.get("/dashboard").text
    figures = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', page, re.S)
    assert figures
    import json

    data = json.loads(html_lib.unescape(figures.group(1)))
    by_category = next(f for f in data if f["id"] == "by_category")
    assert by_category["links"] and all(
        "category=" in link and "closed=1" in link for link in by_category["links"]
    )
    first_count = by_category["rows"][0][1]
    assert _total(site.client.get(by_category["links"][0]).text) == first_count
    empty = [f["id"] for f in data if f["empty"]]
    assert page.count('data-testid="no-data"') >= len(empty)
    for f in data:
        assert (f'id="chart-{f["id"]}"' in page) is not f["empty"]
