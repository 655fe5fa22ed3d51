"""Issue 3 acceptance: every label of every vocabulary is produced by some text, with evidence."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import Analysis, Span, analyze
from complaintdesk.analysis.model import (
    CATEGORY_LABELS,
    CHRONIC_SIGNS,
    CUSTOMER_TYPES,
    DEMAND_KINDS,
    EMOTION_LABELS,
    THREAT_KINDS,
)

EMOTIONS = {
    "anger": "你们太过分了!修了三次还是坏的,气死我了!",
    "anxiety": "宽带断了,孩子明天要上网课,我很着急,怎么办啊?",
    "disappointment": "用了你们家十年的东西,这次真的很失望,太让人寒心了。",
    "calm": "您好,请问你们周末营业吗?谢谢。",
}
TYPES = {
    "intimidating": "你给我听好,今天不处理,你们等着瞧,后果自负!",
    "whiner": "唉,又坏了,每次都这样,真是倒霉,烦死了。",
    "silent": "坐席:热水器是什么问题?\n客户:嗯。\n坐席:一直不出热水吗?\n客户:是。\n坐席:有故障代码吗?\n客户:没有。",
    "friendly": "没关系,我理解你们也不容易,辛苦了,有空派师傅来看看就行。",
    "negative": "不对,不是这样的,你说的不对,我不同意,说什么都没用。",
    "know_it_all": "我查过了,根据消费者权益保护法你们应该退货,你懂不懂?我比你懂。",
    "procrastinator": "这个维修费啊,我再考虑考虑,跟家人商量一下,回头再说吧。",
    "stubborn": "就算是我自己没看说明书,那你们也应该提醒我!反正就是你们的问题,我就是不服。",
    "nagger": "我跟你说,你听我说完。" + "这个冰箱质量太差,又坏了,又坏了。" * 12 + "我说了多少遍了。",
    "self_important": "你知道我是谁吗?我是你们的VIP,我时间很宝贵,先处理我的!",
    "boss_demander": "你做不了主,你老板在吗?叫你们领导来跟我说。",
}
SIGNS = {
    "blames_others": "都是你们的错,你们的人都不靠谱,都怪你们。",
    "never_accepts_fault": "跟我没关系,不是我的问题,我用得好好的。",
    "absolute_language": "你们总是这样,从来不按时,每次都拖,必须给我解决。",
    "endless_list": "冰箱坏了。还有一件事,上次的赠品也没给。还有一个问题,发票也开错了。",
}
DEMANDS = {
    "refund": "这个质量太差,我要退货退款。",
    "exchange": "刚买三天就坏了,给我换一台新的。",
    "repair": "空调不制冷了,麻烦安排师傅上门检修一下。",
    "compensation": "快递把东西弄丢了,你们必须赔偿我的损失。",
    "apology": "你们的员工骂我,我要求他当面道歉。",
    "explanation": "这个月多扣了三十块,给我解释清楚是怎么回事。",
    "restore_service": "我已经交了欠费,请马上给我恢复网络。",
    "escalate": "你处理不了,找你们领导来。",
    "expedite": "配件等了半个月了,请尽快帮我催一下。",
    "waive_fee": "刚过保一个月就坏了,这个维修费不该收费,必须免掉。",
    "discipline_staff": "那个师傅态度恶劣,你们必须严肃处理,开除他。",
    "reship": "买了六件只收到四件,请把少发的两件尽快补发给我。",
    "cancel_account": "这个号码我不用了,我要注销,别再扣月租了。",
    "price_difference": "下单第二天就降价了,说好的保价,请把差价退给我。",
    "credit_record": "贷款早就还清了,征信上还有逾期,请把不良记录消掉。",
    "ship": "付款一个月了还没发货,我不要退款,请尽快给我发货。",
}
THREATS = {
    "media": "再不解决我就找电视台的记者曝光你们。",
    "regulator": "不给退款我就打12315投诉。",
    "lawyer": "我已经请了律师,准备起诉你们。",
    "social_media": "我要把这件事发到微博和抖音上。",
    "violence": "再不来我就去你们公司砸了你们的柜台,要你好看。",
    "churn": "我要销户,换运营商,再也不用你们的了。",
}
CATEGORIES = {
    "parts_shortage": "洗衣机坏了,一直在等配件,配件没到已经半个月了。",
    "product_quality": "新买的冰箱不制冷,还有异响,质量太差了。",
    "repeated_repair": "这台电视修了五次了,修了又坏。",
    "out_of_warranty_charge": "刚过保修期就要收维修费和上门费。",
    "staff_attitude": "客服态度恶劣,不耐烦,还挂我电话。",
    "late_visit": "约好了上午上门,师傅没来,我在家等了一天。",
    "billing": "话费账单里乱扣费,多收了我增值业务的钱。",
    "service_suspension": "我没欠费就被停机了,现在上不了网。",
    "delivery": "快递显示签收了,包裹我根本没收到。",
    "installation": "空调安装师傅装歪了,打孔的位置也不对。",
    "promotion_rules": "活动说满减,优惠券却用不了,赠品也没送。",
    "other": "你好,我想表扬一下你们的王师傅。",
}


def _assert_evidence(text: str, spans: tuple[Span, ...]) -> None:
    assert spans, "a label with no evidence span is a defect"
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_tables_cover_every_vocabulary() -> None:
    assert set(EMOTIONS) == set(EMOTION_LABELS)
    assert set(TYPES) == set(CUSTOMER_TYPES)
    assert set(SIGNS) == set(CHRONIC_SIGNS)
    assert set(DEMANDS) == set(DEMAND_KINDS)
    assert set(THREATS) == set(THREAT_KINDS)
    assert set(CATEGORIES) == set(CATEGORY_LABELS)


@pytest.mark.parametrize("label", EMOTION_LABELS)
def test_each_emotion_is_read_with_evidence(label: str) -> None:
    text = EMOTIONS[label]
    reading = analyze(text)
    assert reading.emotion.label == label
    _assert_evidence(text, reading.emotion.evidence)


@pytest.mark.parametrize("label", CUSTOMER_TYPES)
def test_each_customer_type_is_recognised_with_evidence(label: str) -> None:
    text = TYPES[label]
    found = {t.type: t for t in analyze(text).customer_types}
    assert label in found
    _assert_evidence(text, found[label].evidence)


@pytest.mark.parametrize("label", CHRONIC_SIGNS)
def test_each_chronic_complainer_sign_is_recognised_with_evidence(label: str) -> None:
    text = SIGNS[label]
    found = {s.sign: s for s in analyze(text).chronic_complainer.signs}
    assert label in found
    _assert_evidence(text, found[label].evidence)


@pytest.mark.parametrize("label", DEMAND_KINDS)
def test_each_demand_is_recognised_with_evidence(label: str) -> None:
    text = DEMANDS[label]
    found = {d.kind: d for d in analyze(text).demands}
    assert label in found
    _assert_evidence(text, found[label].evidence)


@pytest.mark.parametrize("label", THREAT_KINDS)
def test_each_threat_is_recognised_with_evidence(label: str) -> None:
    text = THREATS[label]
    found = {t.kind: t for t in analyze(text).threats}
    assert label in found
    _assert_evidence(text, found[label].evidence)


@pytest.mark.parametrize("label", CATEGORY_LABELS)
def test_each_category_is_recognised_with_evidence(label: str) -> None:
    text = CATEGORIES[label]
    reading: Analysis = analyze(text)
    assert reading.category.label == label
    _assert_evidence(text, reading.category.evidence)


def test_several_signs_make_a_likely_chronic_complainer() -> None:
    text = "你们总是出错,从来没有一次做对!都是你们的错,跟我没关系。还有一件事,发票也开错了。"
    chronic = analyze(text).chronic_complainer
    assert chronic.likely
    assert chronic.score >= 0.6


def test_one_absolute_word_alone_is_not_a_chronic_complainer() -> None:
    assert not analyze("师傅总是很准时,这次晚了一点,没关系。").chronic_complainer.likely
