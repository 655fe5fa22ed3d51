"""Customer types from the customer's own words (issue 19, session 19): claims of status or precedence make
妄自尊大者, a threat to the agent's job makes 威吓型, a letter's formal courteous address counts toward 友好型,
a rule said to be written plainly is cited at the company (无所不知型) — each with its span, never from the
agent's lines."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import analyze

pytestmark = pytest.mark.usefixtures("cues_only")


def _types(text: str) -> dict[str, list[str]]:
    return {t.type: [s.text for s in t.evidence] for t in analyze(text).customer_types}


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("叫總裁來？總裁就是我！你十秒給我做好。", "總裁就是我"),
        ("落咗單成半粒鐘都未到，我同佢講：客係客，你而家係咪咁對客㗎？", "客係客"),
        ("我是律师，你们这样扣我的押金是什么意思？", "我是律师"),
    ],
)
def test_a_claim_of_status_or_precedence_is_self_important_with_its_words(text: str, span: str) -> None:
    types = _types(text)
    assert "self_important" in types
    assert span in types["self_important"]


def test_a_status_claim_in_the_agents_line_is_not_the_customers_type() -> None:
    text = "客服：我是律师，这个押金按合同不退。\n客户：合同上没写这一条，押金应该退给我。"
    assert "self_important" not in _types(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("取个钱还要问这么多？不把你开除，我不干！", "不把你开除"),
        ("你态度这么差是吧？好，你给我等着！", "你给我等着"),
    ],
)
def test_a_threat_to_the_agents_job_or_a_warning_to_wait_is_intimidating(text: str, span: str) -> None:
    types = _types(text)
    assert "intimidating" in types
    assert span in types["intimidating"]


def test_a_letters_formal_address_with_a_greeting_is_friendly() -> None:
    text = "尊敬的领导您好！我们小区今年冬天供暖一直不达标，家里只有十四五度，希望能安排人来查一查。"
    types = _types(text)
    assert "friendly" in types
    assert {"尊敬的", "您好"} <= set(types["friendly"])


def test_a_formal_address_alone_is_not_friendly() -> None:
    assert "friendly" not in _types("尊敬的领导：我们小区今年冬天供暖一直不达标，家里只有十四五度，希望能安排人来查一查。")


def test_a_rule_said_to_be_written_plainly_at_the_company_is_know_it_all() -> None:
    text = "4S店修了七次都没修好，汽车三包规定写得很清楚，同一个问题修理超过五次就该换车。"
    types = _types(text)
    assert "know_it_all" in types
    assert "规定写得很清楚" in types["know_it_all"]
