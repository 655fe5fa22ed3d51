"""Company faults told in the customer's words (issues 19 and 20, s19): a call back the company said it would make
and never made, the same charge taken twice told with its amount, a charge above the sum owed, a service cut though
the customer paid (F19). Each family: the fault told is found with its words as evidence; a near miss holding the
family's first words without the fault is not. Read with the learned layer off. Texts are written for the tests."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import analyze

pytestmark = pytest.mark.usefixtures("cues_only")


def _faults(text: str) -> dict[str, list[str]]:
    return {f.kind: [s.text for s in f.evidence] for f in analyze(text).company_faults}


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        # a call back promised, and none came
        ("客服说好回电话，可是一直没回，我等了三天。", "broken_promise", "说好回电话，可是一直没回"),
        ("上周营业厅说会联系我，过了五天再也没打来。", "broken_promise", "说会联系我，过了五天再也没打"),
        # the same charge taken twice, with its amount
        ("这个月的燃气费扣了我两次，每次都是86元。", "billing_error", "扣了我两次"),
        ("宽带续费被扣了两笔，一笔199元。", "billing_error", "被扣了两笔"),
        # a charge above the sum owed, in the same sentence
        ("我的套餐明明只有58元，这个月却扣了98元。", "billing_error", "明明只有58元，这个月却扣了"),
        # paid, and cut all the same (F19)
        ("我一直按时交费，上周突然把我的宽带停了。", "wrongful_suspension", "按时交费，上周突然把我的宽带停了"),
        ("我刚交了三百块话费，第二天就被停机了。", "wrongful_suspension", "刚交了三百块话费，第二天就被停"),
    ],
)
def test_a_fault_told_as_a_story_is_found_with_its_words(text: str, kind: str, span: str) -> None:
    assert span in _faults(text).get(kind, []), _faults(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("客服说好回电话，半小时后就打来了，问题也解决了。", "broken_promise"),
        ("我跟客服说好我会回电话，后来我忘了。", "broken_promise"),
        ("这个月扣了我98元，我想问一下是怎么算的。", "billing_error"),
        ("套餐明明只有58元，扣的也是58元，没有问题。", "billing_error"),
        ("我刚交了三百块话费，现在可以正常打电话了。", "wrongful_suspension"),
        ("我欠费两个月，号码就被停了。", "wrongful_suspension"),
    ],
)
def test_a_near_miss_without_the_fault_is_not_read_as_one(text: str, kind: str) -> None:
    assert kind not in _faults(text)
