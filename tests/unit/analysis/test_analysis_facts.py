"""Facts: Chinese numerals, repair counts, amounts, models, relative dates against ``today``."""

from __future__ import annotations

from datetime import date

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.analysis.numbers import parse_number

TODAY = date(2024, 6, 15)


@pytest.mark.parametrize(
    ("token", "value"),
    [("五", 5), ("两", 2), ("十五", 15), ("二十三", 23), ("一百零五", 105), ("一万二", 12000), ("三千五", 3500),
     ("3千", 3000), ("1.5万", 15000), ("1,299", 1299), ("半", 0.5)],
)
def test_numbers_as_people_write_them(token: str, value: float) -> None:
    assert parse_number(token) == value


@pytest.mark.parametrize(
    ("text", "count"),
    [("电视修了五次了", 5), ("经过5次维修", 5), ("这是第三次维修了", 3), ("维修过两回", 2), ("两次维修都没修好", 2)],
)
def test_repair_count_in_words_or_digits(text: str, count: int) -> None:
    assert analyze(text).facts.repair_count == count


def test_amounts_in_yuan() -> None:
    facts = analyze("花了一万二买的电视,维修费要380元,上门费3千块?还有¥59的检测费。").facts
    assert set(facts.amounts_yuan) == {12000, 380, 3000, 59}


def test_a_piece_of_glass_is_not_money() -> None:
    assert analyze("屏幕碎了一块玻璃,太差了").facts.amounts_yuan == ()


def test_product_models_are_kept_verbatim() -> None:
    facts = analyze("我的MT-34F1A和LC-32A1W09都坏了,E2930TK也是").facts
    assert facts.product_models == ("MT-34F1A", "LC-32A1W09", "E2930TK")


def test_half_a_month_and_more_is_fifteen_days() -> None:
    assert 15 in analyze("缺配件已经半个多月了").facts.durations_days


def test_dates_are_not_durations() -> None:
    assert analyze("2024年3月5日买的冰箱").facts.durations_days == ()


def test_absolute_purchase_date_and_days_since() -> None:
    facts = analyze("我2024年3月5日买的冰箱", TODAY).facts
    assert facts.purchase_date == "2024-03-05"
    assert facts.days_since_purchase == (TODAY - date(2024, 3, 5)).days


def test_relative_purchase_date_needs_today() -> None:
    assert analyze("上个月买的冰箱坏了").facts.purchase_date is None
    assert analyze("上个月买的冰箱坏了", TODAY).facts.purchase_date == "2024-05-15"
    assert analyze("10天前买的冰箱坏了", TODAY).facts.days_since_purchase == 10


def test_month_without_year_is_the_most_recent_such_month() -> None:
    assert analyze("8月20号买的洗衣机", TODAY).facts.purchase_date == "2023-08-20"


def test_bought_for_n_days_gives_days_since_purchase() -> None:
    facts = analyze("买了才10天就开不了机", TODAY).facts
    assert facts.days_since_purchase == 10
    assert facts.purchase_date == "2024-06-05"


def test_a_timeline_tells_the_purchase_date_from_the_day_the_fault_appeared() -> None:
    from datetime import date

    from complaintdesk.analysis import analyze

    facts = analyze("2023年5月3日买的洗衣机,今年1月10日开始漏水,修了三次", date(2024, 6, 1)).facts
    assert (facts.purchase_date, facts.fault_date, facts.repair_count) == ("2023-05-03", "2024-01-10", 3)
    # The day it was first used is not the day the fault appeared: that date sits in another clause.
    assert analyze("3月2日买的冰箱,3月20日开始用,后来发现背面冒汗", date(2024, 6, 1)).facts.fault_date is None


@pytest.mark.parametrize(
    ("token", "value"),
    [("伍佰", 500), ("壹仟贰佰", 1200), ("捌拾", 80), ("1万2千", 12000), ("3千5百", 3500), ("3千2", 3200), ("2万5", 25000)],
)
def test_banker_numerals_and_digits_mixed_with_units_are_numbers(token: str, value: float) -> None:
    assert parse_number(token) == value


@pytest.mark.parametrize(
    ("text", "amounts"),
    [("一共花了一万二千元", (12000,)), ("赔我伍佰元", (500,)), ("上门就收了我三百五", (350,)), ("说好退回一千二", (1200,)),
     ("共计人民币壹万贰仟叁佰元整", (12300,)), ("首付1万2千元", (12000,)), ("修了两次花了两千", (2000,)),
     ("一共来了三次", ())],
)
def test_amounts_in_chinese_numerals_are_read_whole_and_counts_are_not_money(text: str, amounts: tuple[float, ...]) -> None:
    assert analyze(text).facts.amounts_yuan == amounts


@pytest.mark.parametrize(
    ("text", "bought", "broke"),
    [("2023年5月买的冰箱，2024年1月开始不制冷，2月报修三次", "2023-05-01", "2024-01-01"),
     ("6月10日发现漏水，这台机器是3月5日买的", "2024-03-05", "2024-06-10"),
     ("电视是2022年双十一买的，2024年6月坏了", "2022-11-11", "2024-06-01"),
     ("我2024年5月10日办理了退货，这台是2023年3月买的", "2023-03-01", None)],
)
def test_a_timeline_keeps_the_purchase_date_apart_from_the_fault_and_later_events(
    text: str, bought: str, broke: str | None
) -> None:
    facts = analyze(text, today=TODAY).facts
    assert (facts.purchase_date, facts.fault_date) == (bought, broke)
