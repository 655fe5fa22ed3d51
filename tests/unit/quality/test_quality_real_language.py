"""The QA defects found on real agent language (issue 21): banned phrases across pronouns and particles,
critical violations ranked below everything else, steps judged from the agent's own lines, advice that
fits the call's topic, and deflections that are never exemplary."""

from __future__ import annotations

import pytest

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.quality import check_text, inspect
from complaintdesk.quality.bank import Bank, canonical, load_bank, parse_bank
from complaintdesk.quality.banned import Matcher


@pytest.mark.parametrize(
    ("line", "family"),
    [
        ("不是我负责的。", "shirking"),
        ("这个不是我们负责的哦", "shirking"),
        ("你自己看着办吧!", "arguing"),
        ("您自己看着办好了", "arguing"),
        ("这个跟我们没关系,谁卖给你的你找谁。", "shirking"),
        ("打这么多次电话也没用。", "impatience"),
        ("您打那么多电话也没用的", "impatience"),
        ("嫌贵你别买啊!", "belittling"),
        ("嫌贵您就别买嘛", "belittling"),
        ("這個跟我們沒關係,誰賣給你的你找誰。", "shirking"),
    ],
)
def test_issue_examples_are_banned_phrases_across_pronouns_particles_and_script(line: str, family: str) -> None:
    found = [v for v in check_text(line) if v.family]
    assert [v.family for v in found] == [family]
    assert found[0].bank_source and found[0].bank_entry  # evidence names the norm that bans it


def test_banned_phrase_evidence_is_the_span_of_the_words_in_the_line() -> None:
    (hit,) = [v for v in check_text("好的先生,嫌贵你别买啊。") if v.rule == "banned_phrase"]
    assert hit.span is not None and "好的先生,嫌贵你别买啊。"[hit.span[0]:hit.span[1]] == hit.match


def test_a_refusal_with_an_alternative_in_the_same_reply_is_not_a_bare_refusal() -> None:
    assert not [v for v in check_text("我不知道,我马上帮您问一下负责的同事。") if v.family == "bare_refusal"]
    assert [v.family for v in check_text("我不知道。") if v.rule == "banned_phrase"] == ["bare_refusal"]


def test_courteous_lines_with_hard_words_are_not_banned_phrases() -> None:
    for line in (
        "非常抱歉,按照规定这项业务必须本人办理,我们可以安排上门核实,您看可以吗?",
        "感谢您的投诉,这能帮我们改进服务。",
        "这个问题我暂时不太清楚,请您稍等,我帮您问一下负责的同事。",
        "如果您想自己在营业厅办理也可以,我把地址发给您;不方便的话我这边直接帮您办。",
    ):
        assert [v for v in check_text(line) if v.rule == "banned_phrase"] == [], line


def test_normal_form_erases_pronoun_number_particles_and_script() -> None:
    assert canonical("您们这些人呀,就是不听话!") == canonical("你们这些人就是不听话") == canonical("你這些人就是不聽話")


def test_bank_test_part_is_chosen_by_hash_and_frozen() -> None:
    bank = load_bank()
    assert len(bank.entries) >= 300 and len(bank.part("test")) >= 130
    assert all(e.source and e.family in bank.families for e in bank.entries)
    again = parse_bank({"families": {"shirking": {"label": "推诿", "severity": "critical"}},
                        "test_share": 0.42, "sources": [{"url": "u", "phrases": ["shirking 不归我管,问我们领导去"]}]}, "t")
    assert again.entries[0].split == next(e.split for e in bank.entries if e.phrase == "不归我管,问我们领导去")


def test_bad_bank_file_names_the_entry_and_field() -> None:
    data = {"families": {"shirking": {"label": "推诿", "severity": "fatal"}}, "sources": []}
    with pytest.raises(ConfigurationError, match=r"families\.shirking.*severity"):
        parse_bank(data, "bank.yaml")
    data = {"families": {"shirking": {"label": "推诿", "severity": "critical"}},
            "sources": [{"url": "u", "phrases": ["nosuch 不归我管"]}]}
    with pytest.raises(ConfigurationError, match=r"sources\[0\]\.phrases\[0\]"):
        parse_bank(data, "bank.yaml")
    data = {"families": {"shirking": {"label": "推诿", "severity": "critical"}}, "sources": [],
            "similarity": {"common_bigrams": {"您好吗": 3}}}
    with pytest.raises(ConfigurationError, match=r"similarity.*common_bigrams"):
        parse_bank(data, "bank.yaml")


def _small_bank(common: dict[str, int]) -> Bank:
    families = {"shirking": {"label": "推诿", "severity": "critical"}}
    return parse_bank({"families": families, "test_share": 0.01, "similarity": {"common_bigrams": common},
                       "sources": [{"url": "u", "phrases": ["shirking 这事我们管不着你去找物业"]}]}, "t")


def test_bigrams_courteous_agents_share_count_less_toward_a_banned_phrase() -> None:
    clause = canonical("这事我们马上帮您去找物业")
    plain = Matcher(_small_bank({})).similar(clause)[0]
    polite = Matcher(_small_bank({"这事": 9, "去找": 9})).similar(clause)[0]
    assert 0 < polite < plain


POLITE_BUT_INCOMPLETE = "客户: 我的快递丢了,我要投诉!\n客服: 好的。"
GOOD_WORDS_AND_A_BANNED_PHRASE = (
    "客户: 我的快递丢了,我要投诉!\n客服: 非常抱歉给您添麻烦了,我理解您的着急,我马上帮您查,"
    "今天下午五点前给您回电。嫌贵你别买啊。\n客户: 好吧。\n客服: 感谢您的耐心,有进展我会第一时间通知您。"
)


def test_a_critical_violation_scores_below_any_call_without_one() -> None:
    worst_clean = inspect(POLITE_BUT_INCOMPLETE).score
    best_critical = inspect(GOOD_WORDS_AND_A_BANNED_PHRASE).score
    assert best_critical < worst_clean


def test_a_banned_phrase_costs_more_than_a_missing_thank_you() -> None:
    base = "客户: 你们套餐太贵了!\n客服: 我理解您的顾虑,我帮您看看更合适的套餐,可以每月省二十元。"
    without_thanks = inspect(base).score
    with_thanks_and_banned = inspect(base + "\n客户: 还是贵。\n客服: 嫌贵你别买啊,谢谢。").score
    assert with_thanks_and_banned < without_thanks


def test_calm_needs_empathy_before_the_facts_and_its_line_is_the_evidence() -> None:
    facts_first = (
        "客户: 宽带又断了,我要投诉!\n客服: 系统显示您已欠费,需要先缴费才能恢复。\n"
        "客服: 确实给您带来不便了。"
    )
    card = inspect(facts_first).to_dict()
    assert card["steps"]["calm"] == "missed" and card["step_evidence"]["calm"] == "missed"
    empathy_first = "客户: 宽带又断了,我要投诉!\n客服: 真是非常抱歉,给您带来不便了,系统显示需要先缴费才能恢复。"
    card = inspect(empathy_first).to_dict()
    assert card["steps"]["calm"] == "kept" and card["step_evidence"]["calm"]["line"] == 2


def test_thank_needs_thanks_not_a_patience_formula() -> None:
    card = inspect("客户: 我的话费怎么多扣了?\n客服: 让您久等了,我查一下。\n客户: 好。\n客服: 辛苦您了。").to_dict()
    assert card["steps"]["thank"] == "missed"
    card = inspect("客户: 我的话费怎么多扣了?\n客服: 我查一下。\n客户: 好。\n客服: 谢谢您的耐心。").to_dict()
    assert card["steps"]["thank"] == "kept" and card["step_evidence"]["thank"]["line"] == 4


def test_advice_on_a_recharge_call_never_uses_broadband_wording() -> None:
    call = "客户: 我充值了一百,赠送的话费怎么没到账?我要投诉!\n客服: 这是不可能的!"
    card = inspect(call).to_dict()
    advice = " ".join(v.get("instead") or "" for v in card["violations"])
    assert card["topic"] == "充值" and "赠送" in advice
    assert not any(word in advice for word in ("宽带", "光猫", "缴费后几分钟就能恢复"))


def test_self_service_pushed_without_being_asked_is_a_deflection_not_evidence() -> None:
    call = "客户: 我充值送的号码怎么还没到?\n客服: 您好,您稍后留意短信就可以了。\n客户: 好的。\n客服: 感谢您的来电。"
    card = inspect(call).to_dict()
    assert [v["line"] for v in card["violations"] if v["rule"] == "deflection"] == [2]
    good = {e["line"] for k in ("respect", "sincerity", "commitment") for e in card[k]["evidence"]}
    assert 2 not in good


def test_self_service_the_customer_asked_for_is_not_a_deflection() -> None:
    call = "客户: 赠送的号码我能自己查吗?怎么查?\n客服: 可以的,您可以自己发短信查询,我把指令发给您。"
    assert not [v for v in inspect(call).violations if v.rule == "deflection"]


def test_a_cold_phrase_a_norm_bans_as_shirking_keeps_the_graver_severity() -> None:
    found = [v for v in check_text("你自己去看说明书吧。") if v.family == "shirking"]
    assert found and found[0].severity == "critical"


def test_words_quoted_by_a_pattern_are_not_also_a_weaker_similar_phrase_of_another_family() -> None:
    families = [v.family for v in check_text("这个跟我们没关系,谁卖给你的你找谁。") if v.rule == "banned_phrase"]
    assert families == ["shirking"]


def _bank_with_variants(phrase: str, variants: dict[str, list[str]]) -> Bank:
    families = {"shirking": {"label": "推诿", "severity": "critical"}}
    return parse_bank({"families": families, "test_share": 0.42, "variants": variants,
                       "sources": [{"url": "u", "phrases": [f"shirking {phrase}"]}]}, "t")


def test_a_rewording_of_a_tune_phrase_is_indexed_under_that_phrase() -> None:
    phrase = next(e.phrase for e in load_bank().part("tune") if e.family == "shirking" and len(e.canon) > 5)
    bank = _bank_with_variants(phrase, {phrase: ["那件事你们自己去物业问问看"]})
    assert bank.variants and bank.variants[0][1].phrase == phrase
    score, entry = Matcher(bank).similar(canonical("那件事你们自己去物业问问"))
    assert entry is not None and entry.phrase == phrase and score > Matcher(
        _bank_with_variants(phrase, {})).similar(canonical("那件事你们自己去物业问问"))[0]


def test_a_rewording_of_a_frozen_test_phrase_is_refused() -> None:
    phrase = next(e.phrase for e in load_bank().part("test"))
    with pytest.raises(ConfigurationError, match=r"variants.*test"):
        _bank_with_variants(phrase, {phrase: ["随便改写一下"]})
    with pytest.raises(ConfigurationError, match=r"variants.*不是禁语库"):
        _bank_with_variants("不归我管,问我们领导去", {"没有这条禁语": ["改写"]})


def test_the_bank_indexes_exactly_the_tune_paraphrases_of_the_eval_set() -> None:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "eval" / "quality_paraphrases_tune.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    bank = load_bank()
    assert sorted((canonical(r["text"]), r["of"]) for r in rows) == sorted(
        (canon, entry.phrase) for canon, entry in bank.variants)


def test_an_amount_of_one_hundred_yuan_is_not_a_hundred_percent_promise() -> None:
    # Found by the assist evaluation: a pro-rata refund of 100 元 was flagged as "100%有效".
    from complaintdesk.quality import check_text

    assert check_text("我们会把剩余的费用退给您，一共100元，三个工作日内到账。") == []
    assert check_text("退您100元。") == []
    assert [v.family for v in check_text("这个方法100%有效。")] == ["improper_promise"]
