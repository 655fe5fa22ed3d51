"""Services the twelve causes do not name are "other" (labelling guide, rule 12; session 14): a vet or
pet hospital, a wedding banquet, health supplements sold to the elderly, a course or a club membership,
a check-up, luggage an airline damaged, a tour guide, a maternity nurse, personal information leaked.
The words are weak: a cause the text names (a charge, a delivery) still wins. Read with the learned
layer off. Example sentences are the team's own."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import analyze

pytestmark = pytest.mark.usefixtures("cues_only")


@pytest.mark.parametrize(
    "text",
    ["小区门口那家宠物医院的兽医说我家猫只是着凉，打了三天针，第四天人就没精神了。",
     "我们在酒店订的婚宴，说好每桌都有清蒸鱼，结果一半的桌子没有，亲戚都在笑话我们。",
     "我爸去听了个讲座，回来就买了一万多的保健品，说能降血糖，吃了一个月血糖更高。",
     "出国回来发现行李箱被摔裂了一个大口子，航空公司柜台只说填个表等通知。",
     "跟团游的导游一路带我们进购物店，不买东西就给脸色看。",
     "我在网上买过一次东西，之后天天有人打电话，对方连我住哪都知道，我的个人信息是从哪泄出去的？",
     "請的月嫂說自己做過很多年，連寶寶洗澡都不會，晚上還一直玩手機。"],
)
def test_a_service_the_causes_do_not_name_is_other(text: str) -> None:
    assert analyze(text).category.label == "other"


def test_a_charge_the_complaint_is_about_still_wins_over_a_service_word() -> None:
    text = "宠物医院结账时多收了我两百块，账单上同一项检查重复收费，问了半天也不退。"
    assert analyze(text).category.label == "billing"
