"""The mechanisms of the fifth bank-recall round, each a class of rude wording rather than one line: rhetorical
questions, sarcasm markers, bare commands, dismissals, an insult lexicon, financial outcomes promised, canned chat
replies, and Cantonese and Taiwan Mandarin read in the normal form. Each rude line with the courteous line that
shares its words and must stay clean (our own wording, never a bank phrase, never a line of a held-out set)."""

from __future__ import annotations

import pytest

from complaintdesk.quality.bank import canonical
from complaintdesk.quality.phrases import check_text

from .twins import assert_rude_flagged_and_polite_twin_clean

CASES = [
    # rhetorical questions: a challenge put to the customer as a question
    ("rhetorical", "开户的时候为什么不仔细问清楚", "开户的时候请仔细核对信息，有问题随时问我", "blaming"),
    ("rhetorical", "难道还要怪我们吗", "难道是网络的问题？您换个网络再试一下", "blaming"),
    ("rhetorical", "我还得一遍遍哄着你不成", "如果协商不成，我们可以出面调解", "arguing"),
    ("rhetorical", "这点小钱有什么好投诉的", "您有什么好的建议，尽管提", "arguing"),
    ("rhetorical", "凭什么给你退", "凭身份证原件就可以办理退费", "arguing"),
    ("rhetorical", "你天天打电话有什么用", "一直打电话也不是办法，我给您登记一下，有结果主动联系您", "impatience"),
    ("rhetorical", "这还用问吗", "这个问题问得好，我给您详细说说", "impatience"),
    ("rhetorical", "难不成还要我替你填吗", "表格您要是不会填，我来帮您填", "impatience"),
    # sarcasm markers
    ("sarcasm", "您可真会挑时候，我们正要下班", "您可真细心，连发票都留着", "belittling"),
    ("sarcasm", "闲得没事干是吧，一天打八遍", "您有空闲的时候再来办也可以", "belittling"),
    ("sarcasm", "你接着熬夜啊，熬多了病就好了", "您接着说，我在听", "belittling"),
    ("sarcasm", "你是第一天用手机吗", "您是第一次用我们的APP吗？我给您讲一下", "belittling"),
    ("sarcasm", "行行行，你说得都对", "好的，您说的情况我都记下了", "arguing"),
    ("sarcasm", "排个队会死啊", "排队可能要等一会儿，不会耽误您太久", "impatience"),
    # bare commands
    ("command", "把箱子给我搬出去", "行李给我吧，我帮您拿上楼", "commanding"),
    ("command", "让你填就填，问那么多", "表格您先填着，有不明白的随时问我", "commanding"),
    ("command", "安静点，吵死了", "请大家保持安静，病房里有病人在休息", "commanding"),
    # dismissals
    ("dismissal", "投诉随你，我不在乎", "您如果不在乎时间，可以选普通快递，更便宜一些", "arguing"),
    ("dismissal", "想好了再打", "想好了再来办也可以，资料先给您留着", "impatience"),
    # financial outcomes promised
    ("promise", "这只基金只会越来越值钱", "过往业绩不代表未来，每年的收益都不一样", "improper_promise"),
    ("promise", "放心买，一分钱都不亏", "这款产品可能亏损，请您根据风险承受能力选择", "improper_promise"),
    ("promise", "现在退保也不会有损失", "犹豫期内退保不会有任何损失，保费全额退还", "improper_promise"),
    ("promise", "这款比定期还稳", "这款不是定期存款，收益不保证", "improper_promise"),
    # canned chat replies
    ("canned", "同样的问题请勿重复提问", "请勿重复提交订单，以免重复扣款", "impatience"),
    ("canned", "请自行查阅帮助文档", "这个问题您可以在帮助中心自行查看，也可以我直接给您查", "shirking"),
    ("canned", "系统无法理解您的问题", "您说的情况我没理解清楚，能换个方式描述一下吗？", "bare_refusal"),
]


@pytest.mark.parametrize(("mechanism", "rude", "polite", "family"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_a_mechanism_of_the_fifth_round_flags_the_rude_line_with_span_and_norm_and_not_its_polite_twin(
    mechanism: str, rude: str, polite: str, family: str,
) -> None:
    assert_rude_flagged_and_polite_twin_clean(mechanism, rude, polite, family)


def test_an_insult_from_a_published_list_is_vulgar_but_a_clinic_name_with_the_same_characters_is_not() -> None:
    [violation] = [v for v in check_text("你是疯子吧，说了不听") if v.family == "vulgar"]
    assert violation.match == "疯子" and violation.bank_source
    assert "vulgar" in {v.family for v in check_text("坐在那儿跟个死人一样")}
    assert check_text("过敏的话请到变态反应科就诊") == []


def test_a_curse_wishing_the_customer_harm_is_vulgar() -> None:
    assert "vulgar" in {v.family for v in check_text("你这样的该去火葬场")}
    assert check_text("情况紧急，我马上帮您叫救护车") == []


def test_cantonese_and_taiwan_mandarin_are_read_in_the_normal_form() -> None:
    assert canonical("你講完未") == canonical("你讲完没")
    assert canonical("咁多嘢講") == canonical("这样多东西讲")
    assert canonical("唔好企喺度阻住人") == canonical("别站在这挡着人")
    assert canonical("不會自己看齁") == canonical("不会自己看")
    assert "impatience" in {v.family for v in check_text("你講完未呀")}
    assert "commanding" in {v.family for v in check_text("唔好企喺度阻住人")}
    assert check_text("唔好意思，我幫您睇下單") == []


def test_asking_the_customer_name_and_declining_a_tip_are_courteous() -> None:
    assert check_text("您怎么称呼？我记一下。") == []
    assert check_text("小费我们不收，您的心意我们领了。") == []
