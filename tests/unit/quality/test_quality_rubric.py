"""The rubric is data: it is validated at load, and scores follow what it says."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.quality import check_text, forbidden_phrases, inspect, load_rubric
from complaintdesk.quality.rubric import parse_rubric

SEED000 = (Path(__file__).parent / "fixtures" / "seed000_first_call.txt").read_text(encoding="utf-8")


def default_data() -> dict:  # type: ignore[type-arg]
    text = resources.files("complaintdesk.quality.data").joinpath("rubric.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def test_forbidden_phrases_cover_the_issue_list_with_why_and_instead() -> None:
    phrases = {p.phrase: p for p in forbidden_phrases()}
    for phrase in ("这是不可能的", "这是公司规定", "我已经说过了", "你自己看", "不归我们管"):
        assert phrase in phrases
        assert phrases[phrase].why and phrases[phrase].instead and phrases[phrase].source
    assert any(p.rule == "blame_colleague" for p in phrases.values())


def test_check_text_flags_each_listed_phrase_in_a_draft() -> None:
    draft = "这是公司规定。\n我已经说过了。\n你自己看短信。\n这个不归我们管。\n那是我同事搞错的。"
    found = check_text(draft)
    assert [v.line for v in found] == [1, 2, 3, 4, 5]
    assert {v.rule for v in found} == {"cold_phrase", "forbidden_phrase", "blame_colleague"}


def test_check_text_passes_the_seed002_better_wording() -> None:
    draft = "真是很抱歉,我这边查询,目前系统也还没有显示到发给您的赠送号码哦,您看您是刚才充值的吗?"
    assert check_text(draft) == []


def test_check_text_reads_traditional_script() -> None:
    assert [v.rule for v in check_text("這是公司規定,請您諒解。")] == ["cold_phrase"]


def test_rule_deduction_comes_from_the_rubric() -> None:
    data = default_data()
    call = (
        "客户: 宽带又断了,我要投诉!\n客服: 这是不可能的!真是非常抱歉,我理解您的着急,我马上为您登记,"
        "今天下午五点前安排师傅上门,明天上午我会回电跟进。\n客户: 好的,谢谢。\n客服: 感谢您的耐心。"
    )
    baseline = inspect(call, rubric=parse_rubric(data, "test"))
    assert 0 < baseline.score < 100
    for rule in data["rules"]:
        if rule["id"] == "forbidden_phrase":
            rule["deduction"] = 0
    softer = inspect(call, rubric=parse_rubric(data, "test"))
    assert softer.deductions["forbidden_phrase"] == 0
    # the rule is still critical, so both scores sit in the critical band (0..critical_cap), scaled by it
    cap = parse_rubric(data, "test").critical_cap
    expected = baseline.deductions["forbidden_phrase"] * cap / 100
    assert softer.score - baseline.score == pytest.approx(expected, abs=1)


def test_disabled_rule_does_not_fire() -> None:
    data = default_data()
    for rule in data["rules"]:
        if rule["id"] == "forbidden_phrase":
            rule["enabled"] = False
    rules = {v.rule for v in inspect(SEED000, rubric=parse_rubric(data, "test")).violations}
    assert "forbidden_phrase" not in rules and "refusal_without_alternative" in rules


def test_weights_not_summing_to_one_are_refused() -> None:
    data = default_data()
    data["scoring"]["weights"]["respect"] = 0.9
    with pytest.raises(ConfigurationError, match="权重之和"):
        parse_rubric(data, "bad.yaml")


def test_bad_severity_names_the_file_entry_and_field() -> None:
    data = default_data()
    data["rules"][2]["severity"] = "fatal"
    with pytest.raises(ConfigurationError) as err:
        parse_rubric(data, "bad.yaml")
    assert "bad.yaml" in err.value.message and "rules[2]" in err.value.message
    assert err.value.field == "severity"


def test_invalid_cue_regex_is_refused() -> None:
    data = default_data()
    data["cues"]["agent"]["humour"] = ["哈哈("]
    with pytest.raises(ConfigurationError) as err:
        parse_rubric(data, "bad.yaml")
    assert "humour" in err.value.message


def test_missing_rule_is_refused() -> None:
    data = default_data()
    data["rules"] = [r for r in data["rules"] if r["id"] != "agent_hung_up"]
    with pytest.raises(ConfigurationError, match="agent_hung_up"):
        parse_rubric(data, "bad.yaml")


def test_unreadable_or_invalid_yaml_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load_rubric(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="YAML"):
        load_rubric(broken)


def test_packaged_rubric_loads_with_a_version() -> None:
    assert load_rubric().version


def test_every_suggested_wording_passes_check_text() -> None:
    for phrase in forbidden_phrases():
        assert check_text(phrase.instead) == [], phrase.phrase
