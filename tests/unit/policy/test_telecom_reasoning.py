"""Telecom reasoning the real published cases need beyond unpaid-fee suspensions (issue 18, telecom cases):
a fraud-risk suspension (反诈法 第十一条、第三十二条), a charge for a service never ordered (电信条例 第三十条),
a sudden huge bill (电信条例 第三十三条). One row per situation: the facts, then what the engine must say."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.policy import check

from .rows import assert_row

MOBILE = {"today": "2025-06-30", "product": {"kind": "mobile_service"}}


def _billing(**billing: Any) -> dict[str, Any]:
    return {**MOBILE, "billing": billing}


ROWS: list[dict[str, Any]] = [
    # --- fraud-risk ("protective") suspension: no unpaid bill, so no 30-day rule; verification decides
    {"id": "fraud_risk_suspension_before_verification_is_lawful",
     "facts": _billing(suspended_on="2025-06-01", suspension_reason="fraud_risk", reverified=False,
                       reason_notified=True),
     "expect": {"restore_service": "not_entitled", "compensation": "not_entitled"}, "violations": []},
    {"id": "fraud_risk_suspension_with_verification_unknown_asks_for_it",
     "facts": _billing(suspended_on="2025-06-01", suspension_reason="fraud_risk"),
     "expect": {"restore_service": "unknown", "compensation": "unknown"},
     "asks": {"restore_service": "重新实名核验", "compensation": "重新实名核验"}},
    {"id": "fraud_risk_suspension_kept_after_passed_check_is_a_violation",
     "facts": _billing(suspended_on="2025-06-01", suspension_reason="fraud_risk", reverified=True),
     "expect": {"restore_service": "entitled"}, "violations": ["not_lifted_after_check"]},
    {"id": "fraud_risk_suspension_lifted_after_check_is_no_violation",
     "facts": _billing(suspended_on="2025-06-01", suspension_reason="fraud_risk", reverified=True,
                       restored_on="2025-06-03"),
     "expect": {"restore_service": "entitled"}, "violations": []},
    {"id": "fraud_risk_suspension_without_telling_why_is_a_violation",
     "facts": _billing(suspended_on="2025-06-01", suspension_reason="fraud_risk", reverified=False,
                       reason_notified=False),
     "expect": {"restore_service": "not_entitled"}, "violations": ["no_disposal_notice"]},
    {"id": "fraud_risk_suspension_is_not_judged_by_the_unpaid_fee_30_days",
     "facts": _billing(prepaid=False, due_date="2025-05-25", suspended_on="2025-06-01",
                       suspension_reason="fraud_risk", reverified=False, amount_due=100),
     "expect": {"restore_service": "not_entitled"}, "violations": []},
    {"id": "arrears_suspension_named_as_such_keeps_the_30_day_rule",
     "facts": _billing(prepaid=False, due_date="2025-05-25", suspended_on="2025-06-01", suspension_reason="arrears"),
     "expect": {"restore_service": "entitled", "compensation": "entitled"}, "violations": ["wrongful_suspension"]},
    # --- a charge for a service the customer never ordered
    {"id": "charge_never_agreed_is_refunded_in_full_and_is_a_violation",
     "facts": {**_billing(consent="not_given", disputed_charges=52), "demands": ["refund"]},
     "expect": {"refund": "entitled"}, "violations": ["unconsented_charge"], "amounts": {"refund": 52}},
    {"id": "charge_never_agreed_refused_by_the_operator_is_a_second_violation",
     "facts": {**_billing(consent="not_given"), "demands": ["refund"], "company_response": {"refused": ["refund"]}},
     "expect": {"refund": "entitled"}, "violations": ["unconsented_charge", "refused_remedy:refund"]},
    {"id": "charge_for_an_ordered_service_is_not_refunded",
     "facts": {**_billing(consent="given", disputed_charges=52), "demands": ["refund"]},
     "expect": {"refund": "not_entitled"}, "violations": []},
    {"id": "charge_whose_order_is_disputed_asks_for_the_order_record",
     "facts": {**_billing(consent="disputed", disputed_charges=52), "demands": ["refund"]},
     "expect": {"refund": "unknown"}, "asks": {"refund": "订购记录"}, "violations": []},
    # --- a sudden huge bill: the operator's duty to tell at once
    {"id": "huge_bill_told_in_time_stands_at_the_tariff",
     "facts": {**_billing(charge_spike=True, spike_notified=True), "demands": ["waive_fee"]},
     "expect": {"waive_fee": "not_entitled"}, "violations": []},
    {"id": "huge_bill_not_told_is_a_violation_owing_the_grown_loss",
     "facts": {**_billing(charge_spike=True, spike_notified=False), "demands": ["compensation"]},
     "expect": {"compensation": "entitled"}, "violations": ["spike_not_notified"]},
    {"id": "huge_bill_without_knowing_whether_told_asks",
     "facts": {**_billing(charge_spike=True), "demands": ["waive_fee", "compensation"]},
     "expect": {"waive_fee": "unknown", "compensation": "unknown"}, "asks": {"waive_fee": "及时告知"}},
]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_telecom_reasoning(row: dict[str, Any]) -> None:
    result = check(row["facts"])
    assert_row(result, row)
    for demand in row["expect"]:
        found = result.verdict_for(demand)
        assert found is not None and found.rules, f"{demand}: a verdict carries its rule"


@pytest.mark.parametrize(("field", "value"), [("suspension_reason", "late"), ("consent", "yes")])
def test_unknown_telecom_fact_values_are_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check(_billing(**{field: value}))
    assert f"billing.{field}" in str(err.value)
