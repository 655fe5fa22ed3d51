"""One test per rule, firing and not firing. Each case is a small call; the rule must (not) appear."""

from __future__ import annotations

import pytest

from complaintdesk.quality import inspect

OPEN = "客户: 我的宽带又断了,这已经是第三次了,我要投诉!\n"
GOOD_CLOSE = (
    "客服: 真是非常抱歉给您带来这么多麻烦,我理解您的着急。我马上为您登记,今天下午五点前安排师傅上门,"
    "明天上午我会回电跟进处理进度。\n客户: 好的,谢谢。\n客服: 感谢您的耐心,再见。\n"
)

CASES: dict[str, tuple[str, str]] = {
    "forbidden_phrase": (
        OPEN + "客服: 这是不可能的!\n" + GOOD_CLOSE,
        OPEN + "客服: 现在恢复确实做不到,而缴费后五分钟就能恢复,我马上把缴费方式发给您。\n" + GOOD_CLOSE,
    ),
    "cold_phrase": (
        OPEN + "客服: 这是公司规定,请您谅解。\n" + GOOD_CLOSE,
        OPEN + "客服: 我们这次活动的规则和以往不同,我给您慢慢说明一下。\n" + GOOD_CLOSE,
    ),
    "blame_colleague": (
        OPEN + "客服: 那是我同事搞错了,上次他没讲清楚。\n" + GOOD_CLOSE,
        OPEN + "客服: 这是我们的失误,我来为您处理。\n" + GOOD_CLOSE,
    ),
    "but_after_acknowledgement": (
        OPEN + "客服: 我理解您的心情,但是系统就是这样设置的。\n" + GOOD_CLOSE,
        # a polite 但是 in a neutral sentence is not the "是的,但是" pattern
        OPEN + "客服: 系统显示工单已经派出,但是师傅可能还在路上。\n" + GOOD_CLOSE,
    ),
    "refusal_without_alternative": (
        OPEN + "客服: 不行,这个不能给您退。\n客户: 凭什么不能退?\n" + GOOD_CLOSE,
        OPEN + "客服: 这个型号不能直接退,而您可以选择换货,或者我为您申请维修。\n" + GOOD_CLOSE,
    ),
    "repeated_instruction": (
        OPEN + "客服: 您可以重启一下光猫试试。\n客户: 我不要重启,重启过了没用!\n"
        "客服: 您再重启一下光猫试试。\n" + GOOD_CLOSE,
        OPEN + "客服: 您可以重启一下光猫试试。\n客户: 我不要重启,重启过了没用!\n"
        "客服: 明白,那我马上为您安排师傅上门检查线路。\n" + GOOD_CLOSE,
    ),
    "no_apology": (
        OPEN + "客服: 我马上为您登记,今天下午五点前安排师傅上门,明天上午我会回电跟进。\n"
        "客户: 好的,谢谢。\n客服: 感谢您的耐心,再见。\n",
        OPEN + GOOD_CLOSE,
    ),
    "ritual_apology": (
        OPEN + "客服: 不好意思,我马上为您登记,今天下午五点前安排师傅上门,明天上午我会回电跟进。\n"
        "客户: 好的,谢谢。\n客服: 感谢您的耐心,再见。\n",
        OPEN + GOOD_CLOSE,
    ),
    "no_concrete_commitment": (
        OPEN + "客服: 真是非常抱歉,我们会处理的。\n客户: 好吧。\n客服: 感谢您的来电。\n",
        OPEN + GOOD_CLOSE,
    ),
    "humour_while_angry": (
        "客户: 你们这是什么态度?气死我了!我要投诉!\n客服: 哈哈,您别这么激动嘛。\n" + GOOD_CLOSE,
        OPEN + GOOD_CLOSE + "客服: 哈哈,那就不耽误您看球赛了。\n客户: 哈哈,好的,谢谢。\n",
    ),
    "agent_hung_up": (
        OPEN + "客服: 真是非常抱歉,请问您还有其他业务吗?\n客户: 我不接受!我就要今天修好!\n[客服挂断]\n",
        OPEN + GOOD_CLOSE + "[客服挂断]\n",
    ),
    "talking_too_much": (
        OPEN + "客服: " + "我跟您详细解释一下我们宽带的技术原理和各种规定,以及光猫的工作方式。" * 12 + "\n"
        + GOOD_CLOSE,
        OPEN + GOOD_CLOSE,
    ),
    "interrupting_customer": (
        "客户: 我的宽带又断了,这已经是第三次了,上次师傅来了说——\n客服: 您先别说了,先重启一下。\n" + GOOD_CLOSE,
        OPEN + GOOD_CLOSE,
    ),
    "no_thanks_at_end": (
        OPEN + "客服: 真是非常抱歉,我马上为您登记,今天下午五点前安排师傅上门,明天上午我会回电跟进。\n"
        "客户: 好的。\n客服: 再见。\n",
        OPEN + GOOD_CLOSE,
    ),
    "no_follow_up": (
        OPEN + "客服: 真是非常抱歉给您带来麻烦,我马上为您登记,今天下午五点前安排师傅上门。\n"
        "客户: 好吧。\n客服: 感谢您的耐心。\n",
        OPEN + GOOD_CLOSE,
    ),
}


def rules_of(text: str, **kwargs: str) -> set[str]:
    return {v.rule for v in inspect(text, **kwargs).violations}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_on_its_case(rule: str) -> None:
    assert rule in rules_of(CASES[rule][0])


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_stays_silent_on_the_good_version(rule: str) -> None:
    assert rule not in rules_of(CASES[rule][1])


def test_good_close_alone_has_no_violation_at_all() -> None:
    assert rules_of(OPEN + GOOD_CLOSE) == set()


def test_complaint_logged_as_enquiry_is_downgraded() -> None:
    scorecard = inspect(OPEN + GOOD_CLOSE, logged_category="咨询")
    assert scorecard.downgraded_complaint
    assert "complaint_logged_as_enquiry" in {v.rule for v in scorecard.violations}


def test_complaint_logged_as_complaint_is_not_downgraded() -> None:
    assert not inspect(OPEN + GOOD_CLOSE, logged_category="投诉").downgraded_complaint


def test_plain_enquiry_logged_as_enquiry_is_not_downgraded() -> None:
    enquiry = "客户: 请问你们营业厅几点下班?\n客服: 您好,营业厅晚上六点下班,感谢您的来电。\n客户: 好的,谢谢。\n"
    scorecard = inspect(enquiry, logged_category="咨询")
    assert not scorecard.downgraded_complaint
    assert scorecard.steps["calm"] == "n/a"


def test_timed_reply_that_starts_before_the_customer_could_finish_is_an_interruption() -> None:
    turns = [
        {"speaker": "customer", "text": "我的宽带又断了,这已经是第三次了,上次师傅来了说是线路老化要换线", "t": 0},
        {"speaker": "agent", "text": "您先重启一下。", "t": 2},
        {"speaker": "customer", "text": "重启过了!", "t": 6},
    ]
    scorecard = inspect(turns)
    assert scorecard.interruptions == 1
    assert "interrupting_customer" in {v.rule for v in scorecard.violations}


def test_repeated_instruction_names_the_line_it_repeats() -> None:
    violation = next(v for v in inspect(CASES["repeated_instruction"][0]).violations
                     if v.rule == "repeated_instruction")
    assert "第 2 行" in violation.why


def test_violation_why_cites_the_seed() -> None:
    violation = next(v for v in inspect(CASES["but_after_acknowledgement"][0]).violations
                     if v.rule == "but_after_acknowledgement")
    assert "委婉否认法" in violation.to_dict()["why"]
    assert violation.match == "但是"


def test_no_apology_is_not_required_for_a_chronic_complainer(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaintdesk.quality import inspector

    monkeypatch.setattr(inspector, "chronic_complainer", lambda turns, use_analysis=True: True)
    scorecard = inspect(CASES["no_apology"][0])
    assert "no_apology" not in {v.rule for v in scorecard.violations}
    assert any("投诉成癖者" in w for w in scorecard.warnings)
