"""The seed cases with the verdicts issue 8 expects.

Seed 001 (厦门): a TV bought 2002-03, repaired five times but never twice within the one-year 三包
period; the customer holds the company's five-year free-repair card. Seed 000: broadband suspended for
arrears of under 30 days, paid and restored the same evening, 60 元/月. Seed 002: a recharge gift not yet
received a few minutes after recharging; the promotion promises 48 hours.
"""

from __future__ import annotations

from complaintdesk.policy import Verdict, check, load_packs

TV_CASE = {
    "today": "2006-03-15",
    "product": {"kind": "tv", "model": "MT-34F1A"},
    "purchase_date": "2002-03-10",
    "invoice": True,
    "fault": {"kind": "performance", "first_seen": "2005-12-01", "reported_on": "2006-03-15"},
    "repairs": [
        {"date": "2002-11-20", "days_in_repair": 3, "fixed": True, "same_problem": False},
        {"date": "2003-06-01", "days_in_repair": 5, "fixed": True, "same_problem": True},
        {"date": "2004-02-01", "days_in_repair": 2, "fixed": True, "same_problem": True},
        {"date": "2005-04-01", "days_in_repair": 4, "fixed": True, "same_problem": False},
        {"date": "2005-12-01", "days_in_repair": 6, "fixed": True, "same_problem": False},
    ],
    "contract": {"free_repair_card": True},
    "demands": ["exchange", "repair", "refund"],
}

BROADBAND_CASE = {
    "today": "2010-03-23",
    "product": {"kind": "broadband"},
    "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2010-03-01", "suspended_on": "2010-03-20",
                "paid_on": "2010-03-20", "restored_on": "2010-03-20"},
    "complaint_filed_on": "2010-03-20",
    "regulator": {"body": "telecom_appeal", "filed_on": "2010-03-20"},
    "demands": ["restore_service", "compensation", "apology", "escalate"],
}

GIFT_CASE = {
    "today": "2012-05-04",
    "now": "2012-05-04T10:06:00",
    "product": {"kind": "mobile_service"},
    "promise": {"kind": "recharge_gift", "started_at": "2012-05-04T10:00:00", "fulfilled": False},
    "demands": ["expedite"],
}


def test_tv_repaired_five_times_is_not_entitled_to_exchange_under_sanbao() -> None:
    result = check(TV_CASE)
    exchange = result.verdict_for("exchange")
    assert exchange is not None
    assert exchange.verdict is Verdict.NOT_ENTITLED
    assert "sanbao.repeated_repair" in [r.id for r in exchange.rules]
    assert "共维修 5 次" in exchange.reason and "只有 1 次" in exchange.reason
    refund = result.verdict_for("refund")
    assert refund is not None and refund.verdict is Verdict.NOT_ENTITLED


def test_tv_free_repair_is_entitled_under_the_company_card() -> None:
    repair = check(TV_CASE).verdict_for("repair")
    assert repair is not None
    assert repair.verdict is Verdict.ENTITLED
    assert "company.free_repair_card" in [r.id for r in repair.rules]
    assert "2007-03-10" in repair.reason  # five years from purchase


def test_broadband_suspended_under_30_days_is_a_company_violation() -> None:
    result = check(BROADBAND_CASE)
    assert [v.rule.id for v in result.company_violations] == ["telecom.arrears_suspension"]
    assert "逾期 19 日" in result.company_violations[0].finding


def test_broadband_pro_rata_refund_is_two_yuan_a_day() -> None:
    result = check(BROADBAND_CASE)
    refund = next(r for r in result.remedies if r.kind == "pro_rata_refund")
    assert refund.amount_yuan == 2.0
    assert "60 元/月" in refund.computation and "2.00 元/日" in refund.computation
    compensation = result.verdict_for("compensation")
    assert compensation is not None and compensation.verdict is Verdict.ENTITLED


def test_broadband_restoration_deadline_is_48_hours_after_payment() -> None:
    result = check(BROADBAND_CASE)
    restore = [d for d in result.deadlines if d.what == "补缴后48小时内恢复服务"]
    assert restore and restore[0].due.isoformat() == "2010-03-22"
    assert "telecom.restore_48h" in [r.id for r in restore[0].rules]


def test_broadband_appeal_deadlines_and_early_appeal() -> None:
    result = check(BROADBAND_CASE)
    whats = {d.what: d.due.isoformat() for d in result.deadlines}
    assert whats["申诉受理机构作出是否受理的决定"] == "2010-03-26"  # 5 working days after Saturday the 20th
    escalate = result.verdict_for("escalate")
    assert escalate is not None and escalate.verdict is Verdict.NOT_ENTITLED  # operator still has 15 days


def test_engine_follows_the_regulation_not_the_seeds_sixty_days() -> None:
    rule = load_packs().get("telecom.arrears_suspension")
    assert rule is not None
    assert "30日" in rule.text and rule.params["min_days_past_due"] == 30
    assert "60日" in rule.note and "种子000" in rule.note


def test_recharge_gift_within_48_hours_means_wait() -> None:
    result = check(GIFT_CASE)
    expedite = result.verdict_for("expedite")
    assert expedite is not None
    assert expedite.verdict is Verdict.NOT_ENTITLED
    assert expedite.reason.startswith("请等待")
    assert [d.due.isoformat() for d in result.deadlines] == ["2012-05-06"]
    assert result.company_violations == ()
