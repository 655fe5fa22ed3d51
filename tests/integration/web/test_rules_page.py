"""The rules page: every rule the policy engine applies, with its source, date and text, for everyone."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.policy import list_rules


def test_an_agent_reads_every_rule_with_its_source_pack_by_pack(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/rules")
    assert page.status_code == 200
    shown = set(re.findall(r'<tr id="rule-[^"]+" data-rule="([^"]+)">', page.text))
    assert shown == {rule.to_dict()["id"] for rule in list_rules()}
    packs = re.findall(r'<section class="card" id="pack-([^"]+)"', page.text)
    assert packs[-1] == "company_example"  # statutory packs first, the company's after them
    telecom = re.search(r'data-pack="telecom">(.*?)</section>', page.text, re.S)
    assert telecom and "电信条例" in telecom.group(1) and "法规" in telecom.group(1)


def test_quoted_and_paraphrased_texts_are_told_apart(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/rules").text
    rules = [rule.to_dict() for rule in list_rules()]
    assert page.count(">原文</span>") == sum(1 for r in rules if r["text_status"] == "quote")
    assert page.count(">转述</span>") == sum(1 for r in rules if r["text_status"] == "paraphrase")
