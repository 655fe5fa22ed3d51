"""Shapes the family patterns learnt in the second bank-recall round, each with the courteous line that
shares its words and must stay clean (our own wording, never a bank phrase)."""

from __future__ import annotations

import pytest

from complaintdesk.quality.phrases import check_text


def _families(line: str) -> set[str | None]:
    return {v.family for v in check_text(line)}


@pytest.mark.parametrize("line", ["您想曝光就去曝光吧。", "你爱举报就举报,随便。"])
def test_daring_the_customer_to_report_or_expose_is_arguing(line: str) -> None:
    assert "arguing" in _families(line)


def test_asking_a_name_is_not_shouting_but_asking_what_they_are_shouting_is() -> None:
    assert _families("请问您叫什么名字?") == set()
    assert "impatience" in _families("你在嚷什么!")


def test_calling_a_customer_old_man_is_belittling_but_a_polite_title_is_not() -> None:
    assert "belittling" in _families("喂,老太婆,到你了。")
    assert "belittling" not in _families("老人家,您慢点走。")


def test_a_bare_no_exchange_is_a_refusal() -> None:
    assert "bare_refusal" in _families("这个没得退。")


def test_a_counter_that_does_not_take_the_case_refuses_unless_it_offers_the_way() -> None:
    assert "bare_refusal" in _families("我这里不受理。")
    assert "bare_refusal" not in _families("我这里不受理这项业务,您可以到三号窗口办理,我带您过去。")


def test_telling_the_customer_to_read_the_chat_history_is_impatience() -> None:
    assert "impatience" in _families("你自己翻聊天记录。")
    assert "impatience" not in _families("我帮您查一下之前的处理记录。")


def test_hanging_up_once_nothing_is_left_is_impatience_only_when_said_bare() -> None:
    assert "impatience" in _families("没事就挂了啊。")
    assert _families("请问还有其他问题吗?如果没有,感谢您的来电,再见。") == set()


def test_saying_anyone_would_know_is_belittling() -> None:
    assert "belittling" in _families("这个小学生都知道。")
    assert "belittling" in _families("会用手机的人都不会这么操作。")
