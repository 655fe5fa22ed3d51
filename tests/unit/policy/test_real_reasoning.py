"""Issue 18, classes 1–9: the reasoning real published cases need, one table per class (fix the class,
not an example). Each row: the facts, then the verdicts, questions, violation codes and amounts expected."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.policy import Verdict, check, load_packs

from .rows import assert_row

TODAY = "2025-06-30"


def _run(facts: dict[str, Any]) -> Any:
    facts = {"today": TODAY, **facts}
    return check(facts)


def _assert_row(row: dict[str, Any]) -> None:
    assert_row(_run(row["facts"]), row)


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


# --- 1. periods: when the fault appeared and when it was raised; never a guessed date ----------------
TV = {"product": {"kind": "tv"}, "repairs": []}
PERIODS = [
    {"id": "raising_day_unknown_after_the_window_is_asked_not_refused",
     "facts": {**TV, "purchase_date": "2025-06-01", "fault": {"kind": "performance", "first_seen": "2025-06-05"},
               "demands": ["refund"]},
     "expect": {"refund": "unknown"}, "asks": {"refund": "哪天向商家提出"}},
    {"id": "raised_in_the_window_is_entitled_even_if_the_centre_hears_late",
     "facts": {**TV, "purchase_date": "2025-06-01", "fault": {"kind": "performance", "reported_on": "2025-06-06"},
               "demands": ["refund"]},
     "expect": {"refund": "entitled"}},
    {"id": "appeared_in_the_window_but_raised_after_it_is_not_entitled",
     "facts": {**TV, "purchase_date": "2025-06-01",
               "fault": {"kind": "performance", "first_seen": "2025-06-03", "reported_on": "2025-06-20"},
               "demands": ["refund"]},
     "expect": {"refund": "not_entitled"}},
    {"id": "appeared_after_the_window_is_not_entitled_whatever_the_raising_day",
     "facts": {**TV, "purchase_date": "2025-06-01", "fault": {"kind": "performance", "first_seen": "2025-06-12"},
               "demands": ["refund"]},
     "expect": {"refund": "not_entitled"}},
    {"id": "today_still_inside_the_window_needs_no_raising_day",
     "facts": {**TV, "today": "2025-06-05", "purchase_date": "2025-06-01", "fault": {"kind": "performance"},
               "demands": ["refund"]},
     "expect": {"refund": "entitled"}},
    {"id": "day_numbers_without_dates_decide_clear_cases",
     "facts": {**TV, "fault": {"kind": "performance", "appeared_day": 3, "reported_day": 5}, "demands": ["refund"]},
     "expect": {"refund": "entitled"}},
    {"id": "appearance_placed_by_day_number_but_raising_day_unknown_asks_the_raising_day",
     "facts": {**TV, "fault": {"kind": "performance", "appeared_day": 3}, "demands": ["refund"]},
     "expect": {"refund": "unknown"}, "asks": {"refund": "哪天向商家提出"}},
    {"id": "day_number_just_past_the_window_asks_for_dates_a_holiday_could_move_the_end",
     "facts": {**TV, "fault": {"kind": "performance", "reported_day": 8}, "demands": ["refund"]},
     "expect": {"refund": "unknown"}, "asks": {"refund": "节假日"}},
    {"id": "day_number_far_past_the_window_is_not_entitled",
     "facts": {**TV, "fault": {"kind": "performance", "reported_day": 30}, "demands": ["refund", "exchange"]},
     "expect": {"refund": "not_entitled", "exchange": "not_entitled"}},
    {"id": "warranty_raising_day_unknown_after_the_period_is_asked",
     "facts": {**TV, "purchase_date": "2023-01-02", "fault": {"kind": "performance"}, "demands": ["repair"]},
     "expect": {"repair": "unknown"}, "asks": {"repair": "哪天向商家提出"}},
    {"id": "source_saying_after_the_warranty_closes_every_window",
     "facts": {**TV, "fault": {"kind": "performance", "in_warranty": False}, "demands": ["exchange"]},
     "expect": {"exchange": "not_entitled"}},
    {"id": "flat_tv_windows_run_from_installation",
     "facts": {**TV, "purchase_date": "2025-05-20", "installed_on": "2025-06-05",
               "fault": {"kind": "performance", "first_seen": "2025-06-15", "reported_on": "2025-06-16"},
               "demands": ["exchange"]},
     "expect": {"exchange": "entitled"}},
]

# --- 2. remote sales from receipt; the seller's promises above the law ---------------------------------
REMOTE = {"product": {"kind": "other"}, "remote_sale": True}
RECEIPT = [
    {"id": "remote_return_counts_from_receipt_not_purchase",
     "facts": {**REMOTE, "purchase_date": "2025-06-01", "received_on": "2025-06-20", "requested_on": "2025-06-25",
               "demands": ["refund"]},
     "expect": {"refund": "entitled"}},
    {"id": "remote_return_asked_on_day_eight_after_receipt_is_refused",
     "facts": {**REMOTE, "received_on": "2025-06-20", "requested_on": "2025-06-28", "demands": ["refund"]},
     "expect": {"refund": "not_entitled"}},
    {"id": "remote_return_as_days_after_receipt",
     "facts": {**REMOTE, "requested_day": 2, "price": 25, "demands": ["refund"]},
     "expect": {"refund": "entitled"}, "amounts": {"refund": 25}},
    {"id": "remote_return_a_month_after_receipt_is_refused",
     "facts": {**REMOTE, "requested_day": 31, "demands": ["refund"]},
     "expect": {"refund": "not_entitled"}},
    {"id": "remote_return_without_dates_asks_receipt_and_request",
     "facts": {**REMOTE, "demands": ["refund"]},
     "expect": {"refund": "unknown"}, "asks": {"refund": "收到商品"}},
    {"id": "store_promise_binds_even_for_custom_goods",
     "facts": {**REMOTE, "remote_sale_exception": "custom_made", "requested_day": 5,
               "contract": {"no_reason_return_days": 7}, "company_response": {"refused": ["refund"]},
               "demands": ["refund"]},
     "expect": {"refund": "entitled"}, "violations": ["refused_remedy:refund"]},
    {"id": "custom_goods_without_a_promise_are_not_returnable",
     "facts": {**REMOTE, "remote_sale_exception": "custom_made", "requested_day": 2,
               "company_response": {"refused": ["refund"], "notice": "no_returns"}, "demands": ["refund"]},
     "expect": {"refund": "not_entitled"}, "violations": []},
]

# --- 3. cars: both versions by sale date, with their numbers ---------------------------------------------
CAR = {"product": {"kind": "car", "mileage_km": 10000}, "fault": {"kind": "performance", "part": "engine"}}


def _repairs(n: int, days: int | None = None, start: int = 1) -> list[dict[str, Any]]:
    return [{"date": f"2025-{start + i:02d}-10", "same_problem": True, "fixed": False,
             **({"days_in_repair": days} if days is not None else {})} for i in range(n)]


CARS = [
    {"id": "car_2021_same_problem_five_times_exchange_or_refund_with_depreciation",
     "facts": {**CAR, "purchase_date": "2024-06-01", "price": 100000, "repairs": _repairs(5, 2),
               "demands": ["exchange", "refund"]},
     "expect": {"exchange": "entitled", "refund": "entitled"}, "amounts": {"refund": 95000}},
    {"id": "car_2021_four_repairs_and_thirty_days_is_not_enough",
     "facts": {**CAR, "purchase_date": "2024-06-01", "fault": {"kind": "performance", "part": "engine", "first_seen": "2025-01-05"}, "repairs": [*_repairs(3, 10), {"date": "2025-05-01", "days_in_repair": 0, "same_problem": True, "fixed": False}],
               "demands": ["exchange"]},
     "expect": {"exchange": "not_entitled"}},
    {"id": "car_2021_thirty_one_repair_days_exchange",
     "facts": {**CAR, "purchase_date": "2024-06-01", "repairs": [*_repairs(2, 15), {"date": "2025-05-01", "days_in_repair": 1, "same_problem": False}],
               "demands": ["exchange", "refund"]},
     "expect": {"exchange": "entitled", "refund": "entitled"}},
    {"id": "car_2012_five_repairs_is_not_more_than_five",
     "facts": {**CAR, "purchase_date": "2019-06-01", "today": "2020-06-30",
               "repairs": [{"date": f"2020-0{i}-10", "days_in_repair": 2, "same_problem": True, "fixed": False} for i in range(1, 6)],
               "demands": ["exchange"]},
     "expect": {"exchange": "not_entitled"}},
    {"id": "car_2012_six_repairs_exchange_but_not_refund",
     "facts": {**CAR, "purchase_date": "2019-06-01", "today": "2020-08-30",
               "repairs": [{"date": f"2020-0{i}-10", "days_in_repair": 2, "same_problem": True, "fixed": False} for i in range(1, 7)],
               "demands": ["exchange", "refund"]},
     "expect": {"exchange": "entitled", "refund": "not_entitled"}},
    {"id": "car_2012_thirty_six_repair_days_exchange",
     "facts": {**CAR, "purchase_date": "2019-06-01", "today": "2020-06-30",
               "repairs": [{"date": "2020-01-10", "days_in_repair": 20, "same_problem": True, "fixed": False},
                           {"date": "2020-03-10", "days_in_repair": 16, "same_problem": True, "fixed": False}],
               "demands": ["exchange"]},
     "expect": {"exchange": "entitled"}},
    {"id": "car_sale_date_unknown_versions_agree_on_exchange_differ_on_refund",
     "facts": {**CAR, "fault": {"kind": "performance", "part": "engine", "in_warranty": True},
               "repairs": [{"same_problem": True, "fixed": False}] * 6, "demands": ["exchange", "refund"]},
     "expect": {"exchange": "entitled", "refund": "unknown"}, "asks": {"refund": "购车发票日期"}},
    {"id": "car_engine_replaced_twice_still_failing",
     "facts": {**CAR, "purchase_date": "2024-06-01",
               "repairs": [{"date": "2025-01-10", "part": "engine", "replaced": True, "days_in_repair": 3, "fixed": True},
                           {"date": "2025-03-10", "part": "engine", "replaced": True, "days_in_repair": 3, "fixed": False}],
               "demands": ["exchange"]},
     "expect": {"exchange": "entitled"}},
    {"id": "car_serious_failure_within_60_days_is_a_free_refund",
     "facts": {"product": {"kind": "car", "mileage_km": 1200}, "price": 150000, "purchase_date": "2025-05-20",
               "fault": {"kind": "serious_safety", "part": "brake", "first_seen": "2025-06-20"}, "repairs": [],
               "demands": ["refund"]},
     "expect": {"refund": "entitled"}, "amounts": {"refund": 150000}},
    {"id": "car_sold_before_the_2013_rules_has_no_car_sanbao",
     "facts": {**CAR, "today": "2013-06-30", "purchase_date": "2013-05-01",
               "repairs": [{"date": "2013-06-01", "days_in_repair": 1, "same_problem": True, "fixed": False}],
               "demands": ["exchange"]},
     "expect": {"exchange": "not_entitled"}},
    {"id": "car_sold_on_29_february_has_a_period_ending_28_february",
     "facts": {**CAR, "today": "2026-03-31", "purchase_date": "2024-02-29",
               "repairs": [{"date": "2026-02-28", "days_in_repair": 40, "same_problem": True, "fixed": False},
                           {"date": "2026-03-01", "days_in_repair": 40, "same_problem": True, "fixed": False}],
               "demands": ["exchange"]},
     "expect": {"exchange": "entitled"}},
    {"id": "car_repair_days_unknown_is_asked",
     "facts": {**CAR, "purchase_date": "2024-06-01", "repairs": _repairs(3), "demands": ["exchange"]},
     "expect": {"exchange": "unknown"}, "asks": {"exchange": "修理了多少天"}},
]

# --- 4. / 5. fraud and food with their amounts; an entitled refund has its amount ------------------------
AMOUNTS = [
    {"id": "fraud_is_a_violation_with_refund_and_three_times_the_price",
     "facts": {"product": {"kind": "other"}, "price": 1000, "misrepresented": True, "demands": ["refund", "compensation"]},
     "expect": {"refund": "entitled", "compensation": "entitled"}, "violations": ["fraud"],
     "amounts": {"refund": 1000, "punitive_compensation": 3000}},
    {"id": "fraud_on_a_cheap_item_is_compensated_at_least_500",
     "facts": {"product": {"kind": "other"}, "price": 100, "misrepresented": True, "demands": ["compensation"]},
     "expect": {"compensation": "entitled"}, "violations": ["fraud"], "amounts": {"punitive_compensation": 500}},
    {"id": "no_fraud_means_no_punitive_compensation",
     "facts": {"product": {"kind": "other"}, "price": 100, "misrepresented": False, "demands": ["compensation"]},
     "expect": {"compensation": "not_entitled"}, "violations": []},
    {"id": "unsafe_food_is_ten_times_the_price_at_least_1000",
     "facts": {"product": {"kind": "food"}, "price": 60, "food_unsafe": True, "demands": ["refund", "compensation"]},
     "expect": {"refund": "entitled", "compensation": "entitled"}, "violations": ["food_unsafe"],
     "amounts": {"refund": 60, "food_compensation": 1000}},
    {"id": "entitled_sanbao_refund_is_the_invoice_price",
     "facts": {"product": {"kind": "appliance"}, "price": 3400, "purchase_date": "2025-06-20",
               "fault": {"kind": "performance", "reported_on": "2025-06-21"}, "demands": ["refund"]},
     "expect": {"refund": "entitled"}, "amounts": {"refund": 3400}},
    {"id": "prepaid_refund_scales_bonus_value_down",
     "facts": {"product": {"kind": "prepaid_service"},
               "prepayment": {"paid": 2000, "bonus": 1000, "consumed": 434, "provided_as_agreed": False}},
     "expect": {"refund": "entitled"}, "amounts": {"refund": 1710.67}},
    {"id": "prepaid_refund_is_paid_less_consumed",
     "facts": {"product": {"kind": "prepaid_service"}, "prepayment": {"paid": 500, "consumed": 160.2, "provided_as_agreed": False}},
     "expect": {"refund": "entitled"}, "amounts": {"refund": 339.8}},
    {"id": "prepaid_still_served_refund_is_discretionary",
     "facts": {"product": {"kind": "prepaid_service"}, "prepayment": {"paid": 500, "provided_as_agreed": True}},
     "expect": {"refund": "discretionary"}},
    {"id": "prepaid_service_state_unknown_is_asked",
     "facts": {"product": {"kind": "prepaid_service"}, "prepayment": {"paid": 500}},
     "expect": {"refund": "unknown"}, "asks": {"refund": "按约定提供"}},
]

# --- 6. the business's conduct -----------------------------------------------------------------------
CONDUCT = [
    {"id": "refusing_an_entitled_refund_is_a_violation",
     "facts": {**REMOTE, "requested_day": 1, "company_response": {"refused": ["refund"]}, "demands": ["refund"]},
     "violations": ["refused_remedy:refund"]},
    {"id": "refusing_what_is_not_owed_is_no_violation",
     "facts": {**REMOTE, "requested_day": 20, "company_response": {"refused": ["refund"]}, "demands": ["refund"]},
     "violations": []},
    {"id": "no_returns_label_on_ordinary_goods_is_a_violation",
     "facts": {**REMOTE, "requested_day": 1, "company_response": {"notice": "no_returns"}, "demands": ["refund"]},
     "violations": ["no_returns_notice"]},
    {"id": "repair_only_where_exchange_is_due_is_a_violation",
     "facts": {**TV, "purchase_date": "2025-06-20", "fault": {"kind": "performance", "reported_on": "2025-06-28"},
               "company_response": {"notice": "repair_only", "said": "只能修,不能换"}, "demands": ["exchange"]},
     "violations": ["repair_only_notice"]},
    {"id": "calling_a_performance_fault_normal_is_a_violation",
     "facts": {**TV, "purchase_date": "2025-06-20", "fault": {"kind": "performance", "reported_on": "2025-06-21"},
               "company_response": {"notice": "not_quality"}, "demands": ["refund"]},
     "violations": ["not_quality_notice"]},
    {"id": "no_refunds_on_a_card_the_business_stopped_serving_is_a_violation",
     "facts": {"product": {"kind": "prepaid_service"}, "prepayment": {"paid": 300, "provided_as_agreed": False},
               "company_response": {"notice": "no_refund"}},
     "violations": ["no_refund_notice"]},
]

# --- 7. a missing pivotal fact makes the dependent demands unknown --------------------------------------
PIVOTAL = [
    {"id": "account_type_unknown_makes_compensation_unknown_not_goodwill",
     "facts": {"product": {"kind": "broadband"}, "billing": {"suspended_on": "2025-06-20", "monthly_fee": 60}},
     "expect": {"restore_service": "unknown", "compensation": "unknown"}, "asks": {"compensation": "预付费"}},
    {"id": "due_date_unknown_makes_compensation_unknown",
     "facts": {"product": {"kind": "broadband"}, "billing": {"prepaid": False, "suspended_on": "2025-06-20"}},
     "expect": {"compensation": "unknown"}, "asks": {"compensation": "缴费截止日"}},
    {"id": "lawful_suspension_owes_no_compensation",
     "facts": {"product": {"kind": "mobile_service"}, "billing": {"prepaid": True, "balance": -3, "suspended": True}},
     "expect": {"compensation": "not_entitled", "restore_service": "not_entitled"}, "violations": []},
    {"id": "prepaid_suspended_with_money_left_is_wrongful",
     "facts": {"product": {"kind": "mobile_service"}, "billing": {"prepaid": True, "balance": 11.7, "suspended_on": "2025-06-01"}},
     "expect": {"restore_service": "entitled", "compensation": "entitled"}, "violations": ["wrongful_suspension"]},
]


@pytest.mark.parametrize("row", PERIODS, ids=_ids(PERIODS))
def test_periods_turn_on_when_the_fault_appeared_and_was_raised(row: dict[str, Any]) -> None:
    _assert_row(row)


@pytest.mark.parametrize("row", RECEIPT, ids=_ids(RECEIPT))
def test_remote_returns_count_from_receipt(row: dict[str, Any]) -> None:
    _assert_row(row)


@pytest.mark.parametrize("row", CARS, ids=_ids(CARS))
def test_cars_follow_the_rules_in_force_at_the_sale(row: dict[str, Any]) -> None:
    _assert_row(row)


@pytest.mark.parametrize("row", AMOUNTS, ids=_ids(AMOUNTS))
def test_remedies_carry_their_amounts(row: dict[str, Any]) -> None:
    _assert_row(row)


@pytest.mark.parametrize("row", CONDUCT, ids=_ids(CONDUCT))
def test_the_businesss_conduct_is_judged(row: dict[str, Any]) -> None:
    _assert_row(row)


@pytest.mark.parametrize("row", PIVOTAL, ids=_ids(PIVOTAL))
def test_a_missing_pivotal_fact_leaves_dependent_demands_unknown(row: dict[str, Any]) -> None:
    _assert_row(row)


def test_violation_cites_the_rule_that_gives_the_right() -> None:
    result = _run(CONDUCT[0]["facts"])
    assert result.company_violations[0].rule.id == "cpl.art25"
    assert result.to_dict()["company_violations"][0]["code"] == "refused_remedy:refund"


# --- 8. unknown fields are refused, naming the field ----------------------------------------------------
@pytest.mark.parametrize(("facts", "field"), [
    ({"produkt": {"kind": "tv"}}, "produkt"),
    ({"fault": {"kind": "performance", "reportd_on": "2025-06-01"}}, "fault.reportd_on"),
    ({"repairs": [{"dat": "2025-06-01"}]}, "repairs[0].dat"),
    ({"billing": {"prepayed": True}}, "billing.prepayed"),
    ({"company_response": {"refused": ["refundd"]}}, "company_response.refused[0]"),
    ({"prepayment": {"paid": 10, "remaining": 20}}, "prepayment.remaining"),
])
def test_unknown_or_impossible_fields_are_refused_naming_the_field(facts: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        _run(facts)
    assert err.value.field == field
    assert field in str(err.value)


# --- 9. rule texts: both car versions dated and quoted, prepaid and food rules quoted --------------------
def test_car_rules_in_both_versions_carry_their_in_force_dates_and_numbers() -> None:
    packs = load_packs()
    old, new = packs.get("car2012.sanbao"), packs.get("car2021.sanbao")
    assert old is not None and new is not None
    assert str(old.date) == "2013-10-01" and str(new.date) == "2022-01-01"
    assert "累计超过35日" in old.text and "超过5次" in old.text and old.params["repair_days"] == 35
    assert "累计修理时间超过30日" in new.text and "超过4次" in new.text and new.params["repair_days"] == 30
    assert old.params["count_remedies"] == ("exchange",) and new.params["count_remedies"] == ("exchange", "refund")
    assert "0.5%至0.8%" in old.note and "不得高于0.5%" in new.note
    assert old.text_status == new.text_status == "quote"


def test_prepaid_and_food_rules_are_quoted_with_dates() -> None:
    packs = load_packs()
    art53, food = packs.get("cpl.art53"), packs.get("food.art148")
    assert art53 is not None and "退回预付款" in art53.text and art53.date is not None
    assert food is not None and "价款十倍" in food.text and food.params["minimum"] == 1000


def test_assist_gives_a_full_apology_when_the_business_refused_what_is_owed() -> None:
    from complaintdesk.assist import advise

    facts = {"today": TODAY, **REMOTE, "requested_day": 1, "company_response": {"refused": ["refund"]},
             "demands": ["refund"]}
    advice = advise(None, None, "calming", facts=facts)
    assert advice.apology.style == "full"


def test_result_verdicts_are_never_given_from_an_assumed_today() -> None:
    # the same facts on a later 'today' may only move from unknown towards a question, never flip to a no
    base = {**TV, "purchase_date": "2025-06-01", "fault": {"kind": "performance", "first_seen": "2025-06-02"},
            "demands": ["refund", "exchange"]}
    early = check({**base, "today": "2025-06-05"})
    late = check({**base, "today": "2025-12-31"})
    assert early.verdict_for("refund").verdict is Verdict.ENTITLED  # type: ignore[union-attr]
    assert late.verdict_for("refund").verdict is Verdict.UNKNOWN  # type: ignore[union-attr]
