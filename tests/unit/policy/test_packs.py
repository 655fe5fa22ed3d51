"""Rule packs: schema errors refused at load; a centre's own pack overrides, adds and disables rules."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from complaintdesk.domain.calendar import default_calendar
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.policy import Verdict, authority_for, check, list_rules, load_packs
from complaintdesk.policy.facts import Offer

GOOD_RULE = """
  - id: centre.authority
    kind: authority_limits
    source: 本中心授权表
    article: 第1条
    date: 2025-01-01
    text: 坐席可直接承诺补偿至 300 元
    params:
      agent: {compensation: 300}
      team_lead: {compensation: 1000}
      manager: {compensation: 5000}
"""


def _pack(tmp_path: Path, body: str, name: str = "centre.yaml") -> Path:
    (tmp_path / name).write_text("pack: centre\nkind: company\nrules:\n" + body, "utf-8")
    return tmp_path


def _load_error(tmp_path: Path, body: str) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as info:
        load_packs([_pack(tmp_path, body)])
    return info.value


def test_schema_error_names_file_rule_and_field(tmp_path: Path) -> None:
    body = GOOD_RULE.replace("agent: {compensation: 300}", "agent: {compensation: many}")
    err = _load_error(tmp_path, body)
    assert "centre.yaml" in err.message
    assert "centre.authority" in err.message
    assert "params.agent.compensation" in err.message
    assert err.field is not None and err.field.endswith("centre.authority.params.agent.compensation")


def test_missing_text_is_refused(tmp_path: Path) -> None:
    err = _load_error(tmp_path, GOOD_RULE.replace("    text: 坐席可直接承诺补偿至 300 元\n", ""))
    assert "centre.authority" in err.message and "字段 text" in err.message


def test_unknown_kind_and_unknown_param_are_refused(tmp_path: Path) -> None:
    assert "字段 kind" in _load_error(tmp_path, GOOD_RULE.replace("authority_limits", "magic")).message
    body = GOOD_RULE.replace("      manager: {compensation: 5000}\n", "      manager: {compensation: 5000}\n      ceo: {}\n")
    assert "params.ceo" in _load_error(tmp_path, body).message


def test_missing_required_param_and_bad_product_kind_are_refused(tmp_path: Path) -> None:
    body = """
  - id: centre.window
    kind: fault_window
    source: 本中心
    article: 第2条
    text: 30日内可退
    applies_to: [tv]
    params: {remedies: [refund], fault_kinds: [performance]}
"""
    assert "params.days" in _load_error(tmp_path, body).message
    body = body.replace("applies_to: [tv]", "applies_to: [boat]").replace("params: {", "params: {days: 30, ")
    assert "applies_to" in _load_error(tmp_path, body).message


def test_bad_date_bad_yaml_and_duplicate_ids_are_refused(tmp_path: Path) -> None:
    assert "字段 date" in _load_error(tmp_path, GOOD_RULE.replace("2025-01-01", "last year")).message
    assert "YAML" in _load_error(tmp_path, "  - id: [unclosed\n").message
    assert "重复" in _load_error(tmp_path, GOOD_RULE + GOOD_RULE).message


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load_packs([tmp_path / "nope"])


def test_centre_pack_overrides_authority_by_id(tmp_path: Path) -> None:
    packs = load_packs([_pack(tmp_path, GOOD_RULE.replace("centre.authority", "company.authority"))])
    assert authority_for("agent", Offer("compensation", 250), packs).offer_allowed
    assert not authority_for("agent", Offer("compensation", 250)).offer_allowed  # shipped limit is 50


def test_centre_pack_disables_a_rule(tmp_path: Path) -> None:
    packs = load_packs([_pack(tmp_path, "  - id: company.free_repair_card\n    enabled: false\n")])
    assert packs.get("company.free_repair_card") is None
    facts = {"today": "2025-06-30", "product": {"kind": "tv"}, "purchase_date": "2021-06-01",
             "contract": {"free_repair_card": True}, "repairs": [],
             "fault": {"kind": "performance", "main_part": False, "reported_on": "2025-06-30"}, "demands": ["repair"]}
    assert check(facts).demands[0].verdict is Verdict.ENTITLED
    assert check(facts, packs=packs).demands[0].verdict is Verdict.NOT_ENTITLED


def test_centre_pack_adds_a_longer_return_window(tmp_path: Path) -> None:
    body = """
  - id: centre.return_30d
    kind: fault_window
    source: 本中心《30天退货承诺》
    article: 第1条
    text: 购买30日内出现性能故障可退货
    text_status: quote
    applies_to: [tv]
    params: {days: 30, remedies: [refund], fault_kinds: [performance]}
"""
    packs = load_packs([_pack(tmp_path, body)])
    facts = {"today": "2025-06-30", "product": {"kind": "tv"}, "purchase_date": "2025-06-05", "repairs": [],
             "fault": {"kind": "performance", "reported_on": "2025-06-30"}, "demands": ["refund"]}
    assert check(facts).demands[0].verdict is Verdict.NOT_ENTITLED
    refund = check(facts, packs=packs).demands[0]
    assert refund.verdict is Verdict.ENTITLED and refund.rules[0].id == "centre.return_30d"


def test_every_shipped_rule_has_source_article_and_text() -> None:
    rules = list_rules()
    assert len(rules) >= 30
    for rule in rules:
        assert rule.source and rule.article and rule.text
        assert rule.text_status in ("quote", "paraphrase")
        if rule.text_status == "paraphrase" and rule.pack_kind == "statutory":
            assert "转述" in rule.text, rule.id  # a paraphrase of a law says so in its text


def test_injected_calendar_changes_a_holiday_shifted_deadline() -> None:
    facts = {"today": "2025-10-20", "product": {"kind": "tv"}, "purchase_date": "2025-09-24", "repairs": [],
             "fault": {"kind": "performance", "reported_on": "2025-10-05"}, "demands": ["refund"]}
    assert check(facts).demands[0].verdict is Verdict.ENTITLED  # day 7 = 1 Oct, a holiday: moves to 9 Oct
    open_on_first = default_calendar().with_changes(extra_workdays=[date(2025, 10, 1)])
    assert check(facts, calendar=open_on_first).demands[0].verdict is Verdict.NOT_ENTITLED


def test_source_url_must_be_a_web_address_and_is_kept(tmp_path: Path) -> None:
    bad = GOOD_RULE.replace("    date: 2025-01-01\n", "    date: 2025-01-01\n    source_url: 见内网\n")
    assert "source_url" in _load_error(tmp_path, bad).message
    good = GOOD_RULE.replace("    date: 2025-01-01\n", "    date: 2025-01-01\n    source_url: https://example.org/r\n")
    rules = {r.id: r for r in load_packs([_pack(tmp_path, good)]).rules}
    assert rules["centre.authority"].source_url == "https://example.org/r"


def test_telecom_appeal_rules_carry_the_official_page_they_were_checked_against() -> None:
    rules = {r.id: r for r in list_rules()}
    for rule_id in ("appeal.operator_answer", "appeal.time_limits"):
        assert rules[rule_id].source_url.startswith("http://hubca.miit.gov.cn/")


@pytest.mark.parametrize(("role", "offer"), [("agent", None), (None, {"kind": "refund", "amount": 50})])
def test_an_authority_that_cannot_be_judged_says_why_in_plain_chinese_without_field_names(
    role: str | None, offer: dict[str, object] | None
) -> None:
    # The panel showed "未提供拟给出的方案(offer)": a field name and half-width brackets in front of an agent.
    reason = authority_for(role, offer).reason
    assert reason and not re.search(r"[A-Za-z()]", reason), reason
