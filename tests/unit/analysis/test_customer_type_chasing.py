"""妄自尊大者 by chasing (T1/T9, issue 19): urging a case the company has already taken up, again and again, is the
type; a line that will not answer, or going back to report a fault again, is the company's failure, not the type."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import analyze

pytestmark = pytest.mark.usefixtures("cues_only")


def _types(text: str) -> set[str]:
    return set(analyze(text).type_names)


def test_urging_a_refund_already_taken_up_again_and_again_is_self_important() -> None:
    assert "self_important" in _types("退款申请提交一个月了，我追问了好几次，每次都说在走流程。")
    assert "self_important" in _types("维修单上周就登记了，我打了几十个电话，每次都说尽快。")


def test_a_hotline_that_answers_only_after_many_tries_is_not_self_important() -> None:
    assert "self_important" not in _types("包裹一直没到，打你们物流客服，拨了快10次才接通，说标签可能没黏好。")


def test_going_back_to_report_a_fault_again_is_not_self_important() -> None:
    assert "self_important" not in _types("暖气不热的事我已经找了供热公司好几次，到现在没人来。")
    assert "self_important" not in _types("充电桩装不了，物业不给盖章，我找了物业好几次，都说个人不能申报。")
    assert "self_important" not in _types("孩子的培训班闭店了，我去门店跑了好几趟，一直没人。")
