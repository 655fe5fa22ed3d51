"""Faults the complaint tells in its own words, read clause by clause by the assistant (replies.yaml
faults.told): each earns a full apology for THAT fault with the words as evidence, even when the analysis
engine's flat word lists found nothing. Every analysis here is built by hand with no company fault, so
the tests fail without the clause reading."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.reading import told_faults
from complaintdesk.assist.replies import Told, parse_replies
from complaintdesk.domain.errors import ConfigurationError

from .helpers import analysis

NOW = datetime(2026, 11, 23, 10, 0)


def _advise(text: str, *, chronic: bool = False):  # type: ignore[no-untyped-def]
    return advise(analysis(chronic=chronic), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)


def test_a_promise_and_a_later_clause_saying_it_was_not_kept_is_a_broken_promise() -> None:
    advice = _advise("车库的水管漏了三个月，我找了物业好几次，每次都是嘴上答应，人就是不来。请马上派人来修。")
    assert advice.apology.style == "full"
    assert "答应您的事没有做到" in advice.reply_draft
    said = {e.text for e in advice.apology.evidence}
    assert {"答应", "人就是不来"} <= said


def test_a_promise_kept_in_the_text_is_no_fault() -> None:
    advice = _advise("上周师傅答应周一来，周一一早就来了，修得很好。我只是想问问保修卡怎么填。")
    assert advice.apology.style == "non_admission"


def test_attitude_with_words_between_it_and_the_judgement_is_staff_misconduct() -> None:
    advice = _advise("我提出改签，你们的工作人员态度很恶劣，让我哪里买的去哪里退。差价谁出？")
    assert advice.apology.style == "full"
    assert "态度" in advice.reply_draft


def test_a_good_attitude_tells_no_misconduct() -> None:
    assert "staff_misconduct" not in told_faults("师傅态度很好，就是配件还没到。", load_playbook().replies.told,
                                                 load_playbook().replies.told_exclude)


def test_being_sent_counter_to_counter_three_times_is_a_runaround() -> None:
    advice = _advise("为了换光纤我跑了三趟营业厅，每次都让我去下一个柜台，到现在也没办成。")
    assert advice.apology.style == "full"
    assert "推来推去" in advice.reply_draft


def test_money_taken_when_the_machine_gave_nothing_is_a_billing_error() -> None:
    found = told_faults("昨天在ATM上取1000元，机器一张钱没吐，账上却扣了1000。", load_playbook().replies.told, ())
    assert [e.text for e in found["billing_error"].evidence] == ["一张钱没", "扣了"]


def test_the_companys_own_work_left_undone_is_faulty_work() -> None:
    advice = _advise("师傅上门一看，当初安装师傅没把排水管接进排水孔，水渗进了屋里和楼下。请把损失处理好。")
    assert advice.apology.style == "full"
    assert "活没有做到位" in advice.reply_draft


def test_told_faults_carry_offsets_into_the_complaint() -> None:
    text = "客服说好三天内回电，到现在也没人打给我。"
    found = told_faults(text, load_playbook().replies.told, ())
    for e in found["broken_promise"].evidence:
        assert e.start is not None and e.end is not None and text[e.start:e.end] == e.text


def test_a_chronic_complainers_told_faults_are_not_admitted() -> None:
    advice = _advise("你们从来没有一次办好过！上次答应给我回电，到现在也没人打，你们总是这样！还有一件事……", chronic=True)
    assert advice.apology.style == "none"
    assert "答应您的事没有做到" not in advice.reply_draft


def test_a_told_entry_without_then_cues_is_refused_naming_the_field() -> None:
    data = _replies_data()
    data["faults"]["told"] = {"broken_promise": [{"first": ["答应"], "then": []}]}
    with pytest.raises(ConfigurationError) as caught:
        parse_replies(data)
    assert caught.value.field == "replies.yaml:faults.told.broken_promise[0].then"


def test_a_told_entry_for_an_unknown_fault_is_refused() -> None:
    data = _replies_data()
    data["faults"]["told"] = {"rude_weather": [{"then": ["下雨"]}]}
    with pytest.raises(ConfigurationError) as caught:
        parse_replies(data)
    assert caught.value.field == "replies.yaml:faults.told.rude_weather"


def test_the_shipped_told_readings_load() -> None:
    told = load_playbook().replies.told
    assert all(isinstance(t, Told) and t.then for items in told.values() for t in items)


def _replies_data() -> dict:  # type: ignore[type-arg]
    from importlib import resources

    import yaml

    return yaml.safe_load((resources.files("complaintdesk.assist") / "data" / "replies.yaml").read_text("utf-8"))


@pytest.mark.parametrize(("text", "kind"), [
    ("合同写明45天内送货，结果拖到两个多月才送到。", "broken_promise"),
    ("修之前师傅说肯定不会再漏了，结果上个月又漏了一次。", "broken_promise"),
    ("客服说可以退钱，三个工作日到账，到现在一分没见。", "broken_promise"),
    ("当初说好的一卡通用呢？", "broken_promise"),
    ("还在保修期内，师傅上门焊了一下就要收费两百。", "billing_error"),
    ("修完结账突然多出一项上楼费。", "billing_error"),
    ("配件在我不知情的情况下被换成了副厂件。", "staff_misconduct"),
    ("接线员以为我挂了，跟同事说我是神经病。", "staff_misconduct"),
    ("问停气原因，一会儿说是变压器坏了，一会儿又说工期到了。", "runaround"),
    ("客服让我等，等了三天还是让我等。", "runaround"),
    ("门店推厂家，厂家不接电话。", "runaround"),
    ("物业说年后修，过了十五又说等几天，维修的人一次都没来。", "broken_promise"),
    ("师傅一直推说过几天来，后来干脆电话都不接了。", "runaround"),
])
def test_the_shipped_readings_tell_each_class(text: str, kind: str) -> None:
    replies = load_playbook().replies
    assert kind in told_faults(text, replies.told, replies.told_exclude)


def test_a_charge_after_the_warranty_ended_is_no_billing_error() -> None:
    replies = load_playbook().replies
    text = "三年质保期内一直没修好，拖到过保就收钱，这钱我不交。"
    assert "billing_error" not in told_faults(text, replies.told, replies.told_exclude)


def test_a_remake_that_keeps_slipping_is_not_told_as_a_fault_by_itself() -> None:
    replies = load_playbook().replies
    assert told_faults("颜色不对要回工厂重做，一拖再拖，到现在也没个准信。", replies.told, replies.told_exclude) == {}


def test_an_exactly_told_fault_is_named_in_its_own_words() -> None:
    advice = _advise("昨天在ATM上取1000元，机器一张钱没吐，账上却扣了1000。请把钱退给我。")
    assert advice.apology.style == "full"
    assert "机器没有出钱，却从您的账上扣了款" in advice.reply_draft
    assert "在收费上给您添了麻烦" not in advice.reply_draft
    assert "机器没有出钱" in advice.apology.why


def test_an_empty_said_is_refused_naming_the_field() -> None:
    data = _replies_data()
    data["faults"]["told"] = {"billing_error": [{"then": ["多收"], "said": " "}]}
    with pytest.raises(ConfigurationError) as caught:
        parse_replies(data)
    assert caught.value.field == "replies.yaml:faults.told.billing_error[0].said"
