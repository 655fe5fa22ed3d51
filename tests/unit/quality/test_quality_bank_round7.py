"""The seventh bank-recall round: the style model retrained with the r7 development half and new lines by class (never a
held-out check half), the style model also reading clauses near no tune phrase, courteous acts that keep the fallbacks off
an agent who owns the fault or commits to check, and classes of rude wording (a contact refused as a bare fact, blame for
asking late, trying again as the whole answer, retorts, 当然…不了, lectures, threats put as questions, someone else's
business). Each rude line with the courteous line that shares its words and must stay clean (our own wording, never a
bank phrase, never a line of a held-out set)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from complaintdesk.quality.bank import load_bank
from complaintdesk.quality.banned import canonical_map, matcher
from complaintdesk.quality.phrases import check_text
from complaintdesk.quality.transcript import normalize

from .twins import assert_rude_flagged_and_polite_twin_clean

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts" / "quality_eval"

CASES = [
    ("contact refused", "领导的电话不能给你", "领导的电话不方便直接给您，我请他下午给您回电", "bare_refusal"),
    ("nothing to swap", "没有现货可换", "暂时没有现货可换，我帮您登记，到货马上通知您", "bare_refusal"),
    ("late asking", "要收据下次早点说", "下次需要收据的话付款时说一声就行，这次我现在补给您", "blaming"),
    ("try again", "你多试几次", "您多试几次还是不行的话，我马上派人上门", "impatience"),
    ("retort", "那你就自己去问啊", "那您就在这儿坐着，我去问清楚了告诉您", "impatience"),
    ("of course", "飞行模式开着当然没信号", "飞行模式开着所以没信号，我帮您关掉了", "belittling"),
    ("lecture", "在家要讲卫生，在这里也要讲卫生", "在这里也要麻烦您戴好口罩，谢谢配合", "belittling"),
    ("threat as a question", "你签不签？", "您签不签都没关系，我先把条款给您讲清楚", "arguing"),
    ("sent elsewhere", "退款的事找商家", "退款的事我帮您联系商家，今天给您回复", "shirking"),
    ("someone else's business", "送错了那是快递的事", "送错了是我们的事，我马上联系快递追回来", "denying_responsibility"),
]


@pytest.mark.parametrize(("mechanism", "rude", "polite", "family"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_a_class_of_the_seventh_round_flags_the_rude_line_with_span_and_norm_and_not_its_polite_twin(
    mechanism: str, rude: str, polite: str, family: str,
) -> None:
    assert_rude_flagged_and_polite_twin_clean(mechanism, rude, polite, family)


def test_an_agent_who_owns_the_fault_or_commits_to_check_is_never_quoted_by_the_fallbacks() -> None:
    for line in ("这不是您的问题，是系统出了故障", "这是我们的疏忽，停电没有提前通知您", "不用您自己跑，我们派人上门取件",
                 "退多少我先调出记录核对，核实后跟您讲清楚", "您不知道找哪个窗口的话，直接找我就行",
                 "户内线路不归我们修，不过我们可以推荐正规电工"):
        assert check_text(line) == [], line
    assert "denying_responsibility" in {v.family for v in check_text("这不是我们的责任")}


def test_management_an_agent_coming_back_and_an_instruction_to_follow_at_home_are_no_shirking_or_command() -> None:
    assert check_text("这是我们管理上的问题，我们会整改") == []
    assert check_text("今天先排气，我们明天再来测一次温度") == []
    assert check_text("换货可以直接在这里办，不用您找厂家") == []
    assert check_text("回去把路由器重启一下，不行的话我们派师傅上门") == []
    assert "shirking" in {v.family for v in check_text("这不归我们管")}
    assert "shirking" in {v.family for v in check_text("你明天再来吧")}
    assert "commanding" in {v.family for v in check_text("回去等着")}


def test_an_agent_who_goes_to_do_it_offers_an_alternative_to_the_refusal() -> None:
    assert check_text("柜台零钱不够，我去财务那边帮您换开") == []
    assert check_text("系统在升级，暂时查不了，升级好了我主动联系您") == []
    assert "bare_refusal" in {v.family for v in check_text("零钱不够")}


def test_the_style_model_quotes_a_clause_near_no_tune_phrase_and_cites_an_entry() -> None:
    bank = load_bank()
    text = "天气不好又不是我们造成的，找老天爷去"
    norm = normalize(text)
    hits = [h for h in matcher(bank).find(norm) if h.how == "style"]
    assert hits and bank.style is not None
    hit = hits[0]
    assert hit.score >= bank.style.threshold
    assert matcher(bank).similar(canonical_map(norm[hit.start:hit.end])[0])[1] is None  # near no tune phrase
    assert hit.entry is not None and hit.entry.split == "tune" and hit.entry.source


def test_the_style_model_learns_from_the_r7_development_half_and_never_from_its_check_half() -> None:
    sys.path.insert(0, str(SCRIPTS))
    try:
        from train_style import development_lines
        from tune import half_of
    finally:
        sys.path.remove(str(SCRIPTS))
    rude, polite = development_lines()
    learnt = set(rude) | set(polite)
    lines = [line.partition(" ")[2] for line in (SCRIPTS / "heldout_r7.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) >= 180
    assert sum(text in learnt for text in lines if half_of(text) == "check") == 0  # a count: no item printed
    assert sum(text in learnt for text in lines if half_of(text) == "dev") > 80


def test_the_round_seven_held_out_set_names_a_source_for_every_group_and_uses_each_page_once() -> None:
    raw = (SCRIPTS / "heldout_r7.txt").read_text(encoding="utf-8").splitlines()
    sources = [line.split()[2] for line in raw if line.startswith("# source: ")]
    assert len(sources) >= 20 and len(set(sources)) == len(sources)
    rude = [line for line in raw if line.strip() and not line.startswith("#") and not line.startswith("x ")]
    polite = [line for line in raw if line.startswith("x ")]
    assert len(rude) >= 100 and len(polite) >= 80
