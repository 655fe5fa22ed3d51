"""The sixth bank-recall round: the style model retrained on our development lines (never on a held-out check half),
short acknowledgements kept clean, and classes of rude wording rather than single lines (rhetorical questions asked to
lecture, dismissals, belittling of what the customer cannot do). Each rude line with the courteous line that shares its
words and must stay clean (our own wording, never a bank phrase, never a line of a held-out set)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from complaintdesk.quality.bank import canonical, load_bank
from complaintdesk.quality.banned import matcher
from complaintdesk.quality.phrases import check_text
from complaintdesk.quality.transcript import normalize

from .twins import assert_rude_flagged_and_polite_twin_clean

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts" / "quality_eval"

CASES = [
    # rhetorical questions asked to lecture or to hurry the customer
    ("rhetorical", "你到底想问什么", "请问您到底需要办理哪项业务", "impatience"),
    ("rhetorical", "你知不知道这是违规的", "您知不知道订单号？我好帮您查", "blaming"),
    ("rhetorical", "这点小事也要投诉？", "这点小事不用担心，我马上处理", "impatience"),
    ("rhetorical", "哪有那么多时间陪你聊", "您慢慢说，时间够的", "impatience"),
    # dismissals: the customer sent away without anyone taking the matter
    ("dismissal", "这里不管", "这里不管停车，停车的事我帮您问物业", "shirking"),
    ("dismissal", "别在我这浪费时间", "您别在门口站着，进来坐", "shirking"),
    ("dismissal", "别老是催", "您别着急，我催一下师傅", "impatience"),
    ("command", "听清楚", "请您听清楚提示音再按键", "commanding"),
    # belittling what the customer cannot do
    ("belittling", "这点字都写不明白", "这个操作很简单，我一步一步教您", "belittling"),
    ("belittling", "胆子这么小", "胆子小也没关系，我陪您进去", "belittling"),
]


@pytest.mark.parametrize(("mechanism", "rude", "polite", "family"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_a_class_of_the_sixth_round_flags_the_rude_line_with_span_and_norm_and_not_its_polite_twin(
    mechanism: str, rude: str, polite: str, family: str,
) -> None:
    assert_rude_flagged_and_polite_twin_clean(mechanism, rude, polite, family)


def test_the_retrained_style_model_quotes_a_clause_no_pattern_reads_with_its_evidence() -> None:
    bank = load_bank()
    text = "都这个点了还来办事"
    [hit] = matcher(bank).find(normalize(text))
    assert hit.how == "style" and bank.style is not None and hit.score >= bank.style.threshold
    assert hit.entry is not None and hit.entry.source
    assert check_text("这个点人少，您来得正好，马上就能办") == []


def test_short_acknowledgements_an_agent_says_while_listening_are_never_quoted() -> None:
    for line in ("原来是这样，我明白了", "是这样的，您的套餐已经续费了", "这样子啊，那您别着急"):
        assert check_text(line) == [], line


def test_no_wonder_a_dispatch_and_an_invitation_to_give_feedback_are_courteous() -> None:
    assert check_text("难怪您一直没收到短信") == []
    assert check_text("快递已经寄出去了，单号发您手机上") == []
    assert check_text("您的报修单已经派出去了") == []
    assert check_text("您对我们的服务有意见，可以直接跟我说") == []
    assert "commanding" in {v.family for v in check_text("你给我出去")}


def test_cantonese_this_before_a_classifier_is_read_in_the_normal_form() -> None:
    assert canonical("呢個唔係我負責") == canonical("这个不是我负责")
    assert canonical("呢度唔可以食嘢") == canonical("这里不可以食东西")
    assert "shirking" in {v.family for v in check_text("呢個唔係我負責")}
    assert check_text("呢個係我哋嘅責任，唔好意思") == []


def test_the_style_model_learns_from_development_halves_and_never_from_a_check_half() -> None:
    sys.path.insert(0, str(SCRIPTS))
    try:
        from train_style import development_lines
        from tune import half_of
    finally:
        sys.path.remove(str(SCRIPTS))
    rude, polite = development_lines()
    learnt = set(rude) | set(polite)
    for name in ("heldout_r5.txt", "heldout_r6.txt"):
        lines = [line.partition(" ")[2] for line in (SCRIPTS / name).read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        assert sum(text in learnt for text in lines if half_of(text) == "check") == 0  # a count: no item printed
        assert sum(text in learnt for text in lines if half_of(text) == "dev") > 50


def test_the_shipped_style_model_stays_small() -> None:
    style = load_bank().style
    assert style is not None and len(style.weights) <= 15_000
