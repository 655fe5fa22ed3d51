"""Shapes the family patterns learnt in the third bank-recall round, each with the courteous line that
shares its words and must stay clean (our own wording, never a bank phrase)."""

from __future__ import annotations

import pytest

from complaintdesk.quality.phrases import check_text


def _families(line: str) -> set[str | None]:
    return {v.family for v in check_text(line)}


def test_threatening_to_take_something_away_is_arguing() -> None:
    assert "arguing" in _families("你再这样说话,我就挂了。")
    assert "arguing" in _families("录音我们也有,你别想耍赖。")
    assert "arguing" not in _families("您说的这些我们都认,马上给您处理。")


@pytest.mark.parametrize("line", ["你老公昨天刚来办过一张副卡。", "报警的是你对门那家。", "你同事上午也来查过他的社保。"])
def test_telling_who_came_or_who_reported_is_disclosure(line: str) -> None:
    assert "disclosure" in _families(line)


def test_a_promise_not_made_is_no_improper_promise() -> None:
    assert "improper_promise" in _families("这个理财绝对不会亏。")
    assert "improper_promise" not in _families("理财有风险,我不能跟您保证绝对不会亏。")


def test_not_blaming_the_customer_is_not_blaming() -> None:
    assert "blaming" in _families("都怪你自己没看清楚。")
    assert "blaming" not in _families("不怪您,是我们没说清楚。")


def test_a_visitors_age_is_belittling_only_when_it_is_held_against_them() -> None:
    assert "belittling" in _families("这么大岁数了还学不会。")
    assert _families("您这么大岁数还亲自跑一趟,辛苦了,快请坐。") == set()


def test_a_bare_refusal_of_a_policy_or_an_invoice() -> None:
    assert "bare_refusal" in _families("没有这个政策。")
    assert "bare_refusal" in _families("不开发票。")
    assert "bare_refusal" not in _families("电子发票已经开好了,我发到您的邮箱。")


def test_a_department_that_does_not_handle_it_at_any_hour_is_not_shirking() -> None:
    assert "shirking" in _families("水表的事去自来水公司,我们物业不管这个。")
    assert "shirking" not in _families("我们物业不管多晚都会来处理,请您放心。")


def test_an_apology_that_names_the_fault_is_not_quoted_by_the_fallback() -> None:
    """The assist playbook's own apology wording: the similarity index must not read an admission as 禁语."""
    assert _families("答应您的事没有做到，这是我们做得不对。") == set()
    assert _families("答应您的事没有做到，我代表公司向您郑重道歉。") == set()
