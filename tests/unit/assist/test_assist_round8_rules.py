"""The eighth round's rules, each as data (tactics.yaml ``matters``, replies.yaml, analysis threats.yaml) and each
checked on texts written for the test, not taken from the scenarios: a police report as a manager-level matter,
elected representatives and government leaders as regulator-like escalations, media and lawsuits escalated alike,
faults the text tells in its own words, a responsibility disputed with another party, the thing a complaint is
about named with the step taken on it now, and the eighth round's scenarios' pages used by no other set.
Analyses built by hand carry no company fault and no threat, so every test fails without the rule it names."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.analysis.model import CompanyFault
from complaintdesk.assist import advise
from complaintdesk.assist.playbook import FILES, load_playbook, parse_playbook
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import shipped_text

from .helpers import analysis, span
from .round_pages import assert_a_round_of_its_own_pages

NOW = datetime(2026, 11, 23, 10, 0)
FACTS = {"today": "2026-11-23"}


def _advise(text: str, **kw):  # type: ignore[no-untyped-def]
    return advise(analysis(**kw), None, "proposing", text=text, facts=FACTS, now=NOW)


def _analysed(text: str):  # type: ignore[no-untyped-def]
    return advise(analyze(text), None, "proposing", text=text, facts=FACTS, now=NOW)


@pytest.mark.parametrize(("text", "cue"), [
    ("押金一直不退，我们几个租户已经报了警。", "报了警"),
    ("再不把钱退给我，我就报警。", "报警"),
    ("昨天我去派出所做了笔录，这事你们得给个说法。", "派出所"),
    ("他上门来闹，我当场打了110。", "打了110"),
    ("我們已經報警了，請盡快處理。", "报警"),
])
def test_a_customer_who_has_called_or_will_call_the_police_is_a_matter_for_the_manager(text: str, cue: str) -> None:
    advice = _advise(text)
    assert advice.escalate.to == "manager"
    assert advice.escalate.priority == "urgent"
    assert cue in [e.text for e in advice.escalate.evidence]
    assert advice.action("matter_police") is not None


@pytest.mark.parametrize("text", [
    "冰箱隔三差五嘀嘀报警，师傅来了也没修好。",
    "车开着开着气囊灯报警，4S店说要排队检测。",
    "分行只让我自己去报警，说他们解决不了。",
    "这点小事我没报警，只想把钱要回来。",
    "车险报案到现在一个多月了，钱一分没赔。",
    "我哥在公安局上班，你们看着办。",
])
def test_an_alarm_a_suggestion_a_negation_or_an_insurance_claim_is_no_police_matter(text: str) -> None:
    assert _advise(text).escalate.to is None


@pytest.mark.parametrize(("text", "cue"), [
    ("水质的问题我们已经找区人大代表反映了。", "人大代表"),
    ("我已經向立委陳情，請你們說明。", "立委"),
    ("请县领导过问一下这件事。", "县领导"),
    ("我们已经由区议员陪同到总部请愿。", "议员"),
])
def test_an_elected_representative_or_a_leader_asked_to_step_in_is_a_regulator_like_escalation(
    text: str, cue: str
) -> None:
    threats = {t.kind: [e.text for e in t.evidence] for t in analyze(text).threats}
    assert cue in threats.get("regulator", []), threats
    assert _analysed(text).escalate.to == "manager"


def test_a_representative_named_without_anything_asked_of_them_is_no_threat() -> None:
    assert not analyze("区人大代表王芳来我们小区调研过水压。").threats


@pytest.mark.parametrize(("text", "kind"), [
    ("钱交了水却停了，记者也来我们这儿看过了。", "media"),
    ("再不处理我就找电视台曝光。", "media"),
    ("你们再推，我就去法院起诉。", "lawyer"),
    ("律师函我已经发给你们了。", "lawyer"),
])
def test_media_and_lawsuits_are_escalated_to_the_manager_alike(text: str, kind: str) -> None:
    assert kind in {t.kind for t in analyze(text).threats}
    assert _analysed(text).escalate.to == "manager"


@pytest.mark.parametrize(("text", "said"), [
    ("方向盘有点响就给我换了转向柱，后来你们店里自己也承认是误诊。", "我们这边出了差错"),
    ("修手机前店员忘了提醒我备份，店里的人也承认忘了。", "我们这边出了差错"),
    ("交钱给孩子量身定做校服，我说量大一点能多穿几年，老师也答应了，结果发下来特别小。", "量身做的东西"),
    ("我订了头等舱，乘机当天接到电话，让我要么改签，要么降舱。", "座位，我们没有给您留住"),
    ("买房时说明会所明年开放，现在却拖到三年以后。", "跟您说好的时间"),
    ("你们一会儿说要查系统，一会儿说要等总部批。", "推来推去"),
    ("我们要报警，你们的人拦着不让。", "态度和说话方式"),
])
def test_a_fault_the_text_tells_in_its_own_words_earns_a_full_apology_naming_it(text: str, said: str) -> None:
    advice = _advise(text)
    assert advice.apology.style == "full", advice.apology.why
    assert said in advice.reply_draft
    assert any(e.kind == "span" for e in advice.apology.evidence)


def test_a_price_compared_with_what_others_charge_is_not_admitted_as_a_billing_error() -> None:
    text = "一套校服收210元，我问过几家厂，说这种最多八九十块一套。"
    charged = replace(analysis(), company_faults=(CompanyFault("billing_error", (span("收210元", 4),)),))
    advice = advise(charged, None, "proposing", text=text, facts=FACTS, now=NOW)
    assert advice.apology.style == "non_admission", advice.apology.why
    plain = advise(charged, None, "proposing", text="一套校服收210元，还不给发票。", facts=FACTS, now=NOW)
    assert plain.apology.style == "full", plain.apology.why


def test_sent_to_another_party_answering_on_its_own_account_is_a_dispute_not_a_runaround() -> None:
    disputed = _advise("你们一会儿说管子在楼上户内不归物业管，一会儿说是热力公司在维护，让我自己去找。")
    assert disputed.apology.style == "non_admission", disputed.apology.why
    kicked = _advise("你们一会儿说管子归楼上，一会儿说归热力公司，互相踢皮球。")
    assert kicked.apology.style == "full", kicked.apology.why


@pytest.mark.parametrize(("text", "said"), [
    ("我从来没授权过驿站代收，快递员从来不送上门。", "不再放到驿站"),
    ("孩子确诊以后申请理赔，你们说合同里没有这一项，拒赔了。", "拒赔依据的条款"),
    ("维修费谈不拢，你们把车扣下了，到现在不让开走。", "您的车被扣着的事"),
    ("买房时说好的商场，一直延期到现在都没开业。", "延期的事"),
    ("学校让孩子交伙食费，不交就不让上学。", "伙食费的事"),
    ("新换的大灯里面有划痕，还有用过的痕迹，不像新件。", "您说的大灯"),
])
def test_the_thing_a_complaint_is_about_is_named_with_the_step_taken_on_it_now(text: str, said: str) -> None:
    assert said in _advise(text).reply_draft


def test_a_service_the_customer_asks_back_that_no_rule_judges_is_named_with_what_the_agent_does() -> None:
    draft = _advise("已经停水十天了，请先给我们恢复正常供水。", demands=("restore_service",)).reply_draft
    # a supply cut's own sentence answers the restoration (session 18: situations.supply_cut covers restore_service)
    assert "停水的事" in draft and "什么时候能恢复" in draft
    assert "您要求恢复的服务" in _advise("网络停了十天，请先给我恢复。", demands=("restore_service",)).reply_draft


def test_a_matter_without_cue_words_is_refused_naming_the_field() -> None:
    texts = {name: shipped_text("complaintdesk.assist.data", name) for name in FILES}
    texts["tactics.yaml"] = texts["tactics.yaml"].replace("matters:\n  police:\n    cues:", "matters:\n  police:\n    hints:")
    with pytest.raises(ConfigurationError) as caught:
        parse_playbook(texts)
    assert "matters" in str(caught.value)


def test_the_police_matter_is_data_with_its_exclusions() -> None:
    police = load_playbook().matters["police"]
    assert "报警" in police.cues and "报警声" in police.exclude and "让我" in police.sent


def test_the_eighth_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r8-")
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in r["text"]) for r in scenarios) == len(scenarios)
