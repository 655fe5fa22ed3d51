"""Issue 20's sixth round: the failure classes found on the tune split, handled by rules as data.

- the thing a complaint is about (a meter, a watch, a lift, a bag, a record, a disputed charge) is named in
  the draft with the one step taken on it now (``replies.yaml`` ``situations``), never with a cause;
- faults shown only by the company's own signals: a call for help nobody answered, a repair neither done
  nor handled, the customer sent back and forth, a record the company itself reported wrong;
- fees an account's terms set, read as a billing error by the learned layer alone, earn no admission;
- a hotline named by a customer complaining of that hotline's own operators is the centre itself, not a
  regulator threat (``tactics.yaml`` ``threats.*.ours``).

Each analysis is built by hand (no company fault unless the test gives one), so every test fails without
the rule it names.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from complaintdesk.analysis.model import Analysis, CompanyFault
from complaintdesk.assist import advise
from complaintdesk.assist.model import Advice
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.situations import MAX_SAID, situations_in
from complaintdesk.quality import check_text

from .helpers import analysis

NOW = datetime(2026, 11, 23, 10, 0)


def _advise(text: str, base: Analysis | None = None, **facts: object) -> Advice:
    return advise(
        base or analysis(), None, "proposing", text=text, facts={"today": "2026-11-23", **facts}, now=NOW
    )


def _with_model_fault(kind: str, model: float) -> Analysis:
    return replace(analysis(), company_faults=(CompanyFault(kind, (), model),))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("去年换了新电表以后，每个月的电费翻倍了，家里用电习惯一点没变。", "表"),
        ("在你们店换了块电池，手表拿回家第三天又不走了。", "检测"),
        ("我们楼的电梯已经停了五天，老人只能爬楼。", "电梯"),
        ("托运的行李到现在都没运到，衣服都在箱子里。", "行李"),
        ("我打电话反映的是噪音，工单上却写成了咨询。", "记录"),
        ("信用卡上有一笔扣款，我根本没买过这个东西。", "这笔扣款"),
    ],
)
def test_the_thing_a_complaint_is_about_is_named_with_the_step_taken_on_it_now(text: str, named: str) -> None:
    draft = _advise(text).reply_draft
    assert named in draft
    assert not check_text(draft)


def test_a_word_of_the_thing_without_its_trouble_names_no_situation() -> None:
    pb = load_playbook()
    assert situations_in("我住在有电梯的小区，物业费一直按时交。", pb.replies.situations) == []


def test_a_leak_behind_the_meter_is_not_taken_for_a_meter_the_customer_doubts() -> None:
    pb = load_playbook()
    found = [s.key for s, _ in situations_in("水表后面的内线漏水了，这期水费多了七十倍。", pb.replies.situations)]
    assert "leak" in found and "meter" not in found


def test_a_reply_takes_on_at_most_two_situations_in_the_order_the_text_names_them() -> None:
    pb = load_playbook()
    text = "电梯坏了一个月。家里被淹了，地板全泡坏。换了新水表以后水费翻倍。"
    found = situations_in(text, pb.replies.situations)
    assert len(found) == MAX_SAID
    assert [s.key for s, _ in found] == ["lift", "losses"]
    assert all(text[ev.start:ev.end] == ev.text for _, ev in found)  # evidence is a span of the text


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("电梯突然不动了，我按紧急呼救铃，根本没人应答。", "求助"),
        ("二单元的电梯坏了十来天，你们物业既不维修也不处理。", "该我们修的"),
        ("换的电池两天就没电了，我一趟一趟地跑，到现在还没弄好。", "一趟一趟地跑"),
        ("职业那一栏是你们报上去的，我从来没填过这种东西。", "报送的您的信息出了错"),
    ],
)
def test_a_fault_the_company_own_signals_show_earns_a_full_apology_naming_it(text: str, fault: str) -> None:
    advice = _advise(text)
    assert advice.apology.style == "full"
    assert fault in advice.apology.text


def test_fees_an_account_terms_set_read_by_the_learned_layer_alone_earn_no_admission() -> None:
    text = "那本存折放了三年，柜台说扣的是小额账户管理费，每月1元。"
    assert _advise(text, _with_model_fault("billing_error", 0.74)).apology.style == "non_admission"


def test_a_fee_charged_twice_is_still_a_billing_error_whatever_the_account_terms() -> None:
    text = "小额账户管理费这个月扣了两次，一共扣了我2元。"
    assert _advise(text, _with_model_fault("billing_error", 0.74)).apology.style == "full"


def test_a_hotline_the_customer_complains_of_is_the_centre_itself_not_a_regulator_threat() -> None:
    text = "我前几天打12345反映问题，接线员没等我说完就挂了电话。"
    advice = _advise(text, analysis(threats=("regulator",)))
    assert advice.escalate.to is None


def test_a_regulator_named_against_another_company_still_escalates() -> None:
    text = "你们的工作人员推来推去，我已经打了12315投诉。"
    advice = _advise(text, analysis(threats=("regulator",)))
    assert advice.escalate.to == "manager"
