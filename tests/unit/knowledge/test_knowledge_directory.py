"""A centre's knowledge directory: what it overrides or extends, how it is validated, and that the
numbers a reason quotes follow the centre's data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.analysis.escalation import active_escalation
from complaintdesk.assist import advise, load_playbook
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.domain.sla_policy import load_sla_policy
from complaintdesk.knowledge import check
from complaintdesk.policy import check as policy_check
from complaintdesk.policy import load_packs
from tests.knowledge_dirs import centre_pack, serving, write

BROADBAND: dict[str, Any] = {
    "today": "2010-03-26", "product": {"kind": "broadband"},
    "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2010-03-01", "suspended_on": "2010-03-20",
                "paid_on": "2010-03-20", "restored_on": "2010-03-25"},
    "demands": ["restore_service"],
}  # fmt: skip
WRONGFUL: dict[str, Any] = {
    "today": "2026-11-23", "customer_name": "王女士", "product": {"kind": "broadband"},
    "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2026-11-05", "suspended_on": "2026-11-20"},
    "demands": ["restore_service", "compensation", "apology"],
}  # fmt: skip
COMPLAINT = "宽带欠费不到30天就被停了，我要求马上恢复，不然我就去找电视台曝光！"


def test_the_restore_reason_quotes_the_hours_of_the_centres_pack(tmp_path: Path) -> None:
    packaged = policy_check(BROADBAND)
    assert any(d.what == "补缴后48小时内恢复服务" for d in packaged.deadlines)
    centre_pack(tmp_path, "telecom.restore_48h", hours=24, text="补足电信费用、违约金后的24小时内恢复。")
    with serving(tmp_path):
        result = policy_check(BROADBAND)
    assert [d.what for d in result.deadlines if "补缴" in d.what] == ["补缴后24小时内恢复服务"]
    late = [v.finding for v in result.company_violations if v.code == "late_restore"]
    assert late and "超过24小时" in late[0] and "48" not in late[0]


def test_the_assist_finding_quotes_the_days_of_the_centres_pack(tmp_path: Path) -> None:
    now = datetime(2026, 11, 23, 10, 0)
    assert "欠费不满30天" in advise(None, None, "proposing", text=COMPLAINT, facts=WRONGFUL, now=now).reply_draft
    centre_pack(tmp_path, "telecom.arrears_suspension", min_days_past_due=45)
    with serving(tmp_path):
        draft = advise(None, None, "proposing", text=COMPLAINT, facts=WRONGFUL, now=now).reply_draft
    assert "欠费不满45天" in draft and "30天" not in draft


def test_a_centre_rule_pack_adds_to_the_packaged_ones_and_a_disabled_rule_is_gone(tmp_path: Path) -> None:
    centre_pack(tmp_path, "telecom.restore_48h", hours=24)
    write(tmp_path, "policy/off.yaml", "pack: 停用\nrules:\n  - {id: cpl.art53, enabled: false}\n")
    with serving(tmp_path):
        packs = load_packs()
    rule = packs.get("telecom.restore_48h")
    assert rule is not None and rule.params["hours"] == 24 and rule.file.endswith("ours.yaml")
    assert packs.get("cpl.art53") is None and packs.get("telecom.arrears_suspension") is not None


def test_a_broken_centre_pack_is_refused_naming_file_rule_and_field(tmp_path: Path) -> None:
    centre_pack(tmp_path, "telecom.restore_48h", hours=-1)
    with pytest.raises(ConfigurationError) as refused:
        check(tmp_path)
    assert refused.value.field == f"{tmp_path / 'policy' / 'ours.yaml'}:telecom.restore_48h.params.hours"
    assert "ours.yaml" in refused.value.message and "params.hours" in refused.value.message


def test_a_centre_template_replaces_the_packaged_one_without_touching_code(tmp_path: Path) -> None:
    packaged = (Path(load_playbook.__code__.co_filename).parent / "data" / "templates.yaml").read_text("utf-8")
    assert "我马上为您查询核实" in packaged
    write(tmp_path, "assist/templates.yaml", packaged.replace("我马上为您查询核实", "我这就帮您查清楚"))
    now = datetime(2026, 11, 23, 10, 0)
    with serving(tmp_path):
        draft = advise(None, None, "proposing", text=COMPLAINT, facts=WRONGFUL, now=now).reply_draft
    assert "我这就帮您查清楚" in draft and "我马上为您查询核实" not in draft


def test_a_finding_that_quotes_a_parameter_its_rule_lacks_is_refused(tmp_path: Path) -> None:
    replies = (Path(load_playbook.__code__.co_filename).parent / "data" / "replies.yaml").read_text("utf-8")
    write(tmp_path, "assist/replies.yaml", replies.replace("不满{min_days_past_due}天", "不满{hours}天"))
    with pytest.raises(ConfigurationError) as refused:
        check(tmp_path)
    assert refused.value.field == "replies.yaml:faults.found.telecom.arrears_suspension"
    assert "min_days_past_due" in refused.value.message


def test_centre_escalation_weights_change_the_risk_and_the_priority_mapping(tmp_path: Path) -> None:
    before = analyze(COMPLAINT).escalation_risk.score
    assert active_escalation().priority_for({"media"}, before) == "high"
    packaged = (Path(active_escalation.build.__code__.co_filename).parent / "data" / "escalation.yaml").read_text()
    changed = packaged.replace('media: {weight: 0.3, reason: "扬言找媒体曝光 (media)"}',
                               'media: {weight: 0.6, reason: "要找电视台"}')
    changed = changed.replace("{priority: high, threats: [regulator, media, lawyer]}",
                              "{priority: urgent, threats: [media]}")
    write(tmp_path, "escalation.yaml", changed)
    with serving(tmp_path):
        reading = analyze(COMPLAINT)
        assert "要找电视台" in reading.escalation_risk.reasons
        assert reading.escalation_risk.score == pytest.approx(min(1.0, before + 0.3), abs=1e-3)
        assert active_escalation().priority_for({"media"}, 0.0) == "urgent"


def test_an_escalation_reason_with_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    packaged = (Path(active_escalation.build.__code__.co_filename).parent / "data" / "escalation.yaml").read_text()
    write(tmp_path, "escalation.yaml", packaged.replace("已维修 {repairs} 次", "已维修 {times} 次"))
    with pytest.raises(ConfigurationError) as refused:
        check(tmp_path)
    assert refused.value.field == "escalation.yaml:repeated_repairs.reason" and "{times}" in refused.value.message


def test_a_centre_sla_file_replaces_the_packaged_targets(tmp_path: Path) -> None:
    packaged = load_sla_policy()
    write(tmp_path, "sla.yaml", (Path(packaged.source) if Path(packaged.source).is_file() else
                                 Path(load_sla_policy.__code__.co_filename).parents[1] / "data" / "sla.yaml")
          .read_text("utf-8").replace("warn_at: 0.75", "warn_at: 0.5"))
    with serving(tmp_path):
        assert load_sla_policy().thresholds.warn_at == 0.5
        assert load_sla_policy().source == str(tmp_path / "sla.yaml")
    assert load_sla_policy().thresholds.warn_at == packaged.thresholds.warn_at


def test_the_report_says_which_file_came_from_where_and_lists_files_nothing_reads(tmp_path: Path) -> None:
    centre_pack(tmp_path, "telecom.restore_48h", hours=24)
    write(tmp_path, "analysis/threats.yaml", "extends: true\nsource: 本中心\nlabels:\n  regulator:\n    cues: [找区长]\n")
    write(tmp_path, "asist/templates.yaml", "misplaced: true\n")
    report = check(tmp_path)
    origins = {e.name: e.origin for e in report.entries}
    assert origins["policy/ours.yaml"] == "centre" and origins["policy/telecom.yaml"] == "packaged"
    assert origins["analysis/threats.yaml"] == "extends" and origins["sla.yaml"] == "packaged"
    assert report.centre_files == 2 and report.ignored == ("asist/templates.yaml",)


def test_an_empty_directory_serves_exactly_the_packaged_defaults(tmp_path: Path) -> None:
    report = check(tmp_path)
    assert report.centre_files == 0 and report.ignored == ()
    assert all(e.origin == "packaged" for e in report.entries)


def test_every_kind_a_check_builds_is_what_its_loader_serves(tmp_path: Path) -> None:
    from complaintdesk.knowledge.catalogue import KINDS

    assert all(cache.name == name for name, (_, _, cache) in KINDS.items())
