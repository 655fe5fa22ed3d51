"""The complaint page's escalation form (issue 23): a level and a person from the picker; beyond one
level an agent's escalation is a request the team lead approves on the same page."""

from __future__ import annotations

import re

from sqlalchemy import text
from web_site_helpers import Site


def _li_agents_unescalated(site: Site) -> tuple[str, int]:
    with site.desk.engine.connect() as connection:
        row = connection.execute(
            text("SELECT number, version FROM complaints WHERE owner = 'li_agent' AND stage <> 'closed' "
                 "AND escalation_level = 0 ORDER BY id")
        ).first()  # fmt: skip
    assert row is not None
    return str(row.number), int(row.version)


def _post(site: Site, number: str, action: str, **fields: str) -> object:
    token = site.csrf(f"/complaints/{number}")
    return site.client.post(
        f"/complaints/{number}/{action}", data={"csrf_token": token, **fields}, follow_redirects=False
    )


def test_an_agents_two_level_escalation_waits_for_the_lead_who_approves_it_on_the_page(site: Site) -> None:
    number, version = _li_agents_unescalated(site)
    site.login("li_agent")
    page = site.client.get(f"/complaints/{number}").text
    assert 'data-testid="escalate-to"' in page and re.search(
        r'<optgroup label="2 · [^"]*">\s*<option value="liu_manager"', page
    )
    asked = _post(
        site,
        number,
        "escalate",
        to_level="2",
        to_user="liu_manager",
        reason="客户要求经理处理",
        version=str(version),
    )
    assert asked.headers["location"].startswith(f"/complaints/{number}?done=approval_requested")  # type: ignore[attr-defined]
    page = site.client.get(f"/complaints/{number}").text
    request_id = re.search(r'data-testid="approval-(\d+)"', page)
    assert request_id and 'data-testid="approve-' not in page  # the agent cannot approve their own
    site.client.cookies.clear()
    site.login("zhang_lead")
    assert "待我审批" in site.client.get("/inbox").text
    done = _post(site, number, "approve", request_id=request_id.group(1))
    assert done.status_code == 303  # type: ignore[attr-defined]
    with site.desk.engine.connect() as connection:
        level = connection.execute(
            text("SELECT escalation_level FROM complaints WHERE number = :n"), {"n": number}
        ).scalar()
    assert level == 2


def test_a_person_outside_the_level_is_refused_with_the_form_kept(site: Site) -> None:
    number, version = _li_agents_unescalated(site)
    site.login("li_agent")
    refused = _post(
        site, number, "escalate", to_level="1", to_user="wu_agent", reason="客户要求", version=str(version)
    )
    assert refused.status_code == 422 and "wu_agent 不能接手 1 级升级" in refused.text  # type: ignore[attr-defined]
