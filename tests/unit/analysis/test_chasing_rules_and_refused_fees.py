"""What cross-validation on the real tune files a–i showed the cue scan missed (issue 19, session 14): a
rule named to the company (无所不知型), a matter chased again and again (妄自尊大者), "not my problem"
(固执的怪人), and a charge refused in the customer's own
words (waive_fee). Read with the learned layer off. Example sentences are the team's own."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import analyze

pytestmark = pytest.mark.usefixtures("cues_only")


@pytest.mark.parametrize(
    "text",
    ["过期的米按食品安全法要求是十倍赔偿，你们只肯赔两百，说不过去。",
     "《网络交易监督管理办法》规定自动续费前要显著提醒，你们一条短信都没有。",
     "依健身中心定型化契約應記載事項，業者不得收違約金，你們憑什麼扣我六千？"],
)
def test_a_customer_who_names_the_rule_to_the_company_is_a_know_it_all(text: str) -> None:
    assert "know_it_all" in analyze(text).type_names


@pytest.mark.parametrize(
    "text",
    ["退款的事我已经催了好几次，到现在钱还没到账。",  # T1: a case taken up; 找了供热公司好几次 is a fault reported again
     "维修进度我追问了好几次，每次都说在处理。",
     "虧我還是常客，每星期都來，連一點補償都沒有。"],
)
def test_a_customer_who_chases_the_same_matter_again_and_again_is_self_important(text: str) -> None:
    assert "self_important" in analyze(text).type_names


def test_a_customer_who_says_it_is_your_problem_not_mine_is_stubborn() -> None:
    assert "stubborn" in analyze("价格是你们自己标错的，是你们的问题不是我的问题，请照单发货。").type_names


@pytest.mark.parametrize(
    "text",
    ["这六千元违约金我不该付。",
     "转卡费两百元，请给我免了。",
     "断线这几天的月租也应该扣掉。",
     "菜里吃出虫子，这顿饭应该全免。",
     "想问可唔可以幫我豁免今年嘅年費？"],
)
def test_a_charge_the_customer_refuses_in_their_own_words_is_a_fee_to_waive(text: str) -> None:
    assert "waive_fee" in analyze(text).demand_kinds


def test_saying_the_fault_is_not_mine_alone_states_a_fact_not_a_stubborn_customer() -> None:
    text = "贷款早就还清了，征信还挂着逾期，这不是我的问题，请把不良记录消掉。"
    assert "stubborn" not in analyze(text).type_names
