"""The playbook page: the expertise behind the assist panel, every item with its seed source."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.services import casework


def test_an_agent_reads_the_tactic_for_every_customer_type_with_its_source(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/playbook")
    assert page.status_code == 200
    types = casework.playbook_files()["tactics.yaml"]["customer_types"]
    shown = dict(re.findall(r'<tr data-type="([^"]+)"><td><strong>([^<]+)</strong>', page.text))
    assert shown == {key: value["label"] for key, value in types.items()}
    intimidating = re.search(r'<tr data-type="intimidating">(.*?)</tr>', page.text, re.S)
    assert intimidating and "seed 001 §一.1" in intimidating.group(1)


def test_the_seven_steps_threats_and_what_never_to_say_are_there(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/playbook").text
    for stage in ("接受投诉", "平息怨气", "澄清问题", "探讨解决方案", "采取行动", "感谢客户"):
        assert f"<h3>{stage}</h3>" in page, stage
    assert '<tr data-threat="regulator">' in page
    avoid = re.search(r'data-testid="playbook-avoid">(.*?)</section>', page, re.S)
    assert avoid and "这是不可能的" in avoid.group(1) and "错不在我们时" in avoid.group(1)
    assert 'href="/rules"' in page  # the reference tabs link the rules


def test_the_reference_link_opens_the_playbook(site: Site) -> None:
    site.login("li_agent")
    assert 'href="/playbook"' in site.client.get("/queue").text
