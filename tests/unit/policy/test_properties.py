"""Whatever the facts, the engine answers with a valid result or a clear InvalidInput — never a crash."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.policy import Verdict, authority_for, check

TODAY = date(2025, 6, 30)
days_ago = st.integers(min_value=-3, max_value=2000).map(lambda n: (TODAY - timedelta(days=n)).isoformat())
maybe = st.none() | st.booleans()

facts_strategy = st.fixed_dictionaries(
    {"today": st.just(TODAY.isoformat())},
    optional={
        "product": st.fixed_dictionaries({"kind": st.sampled_from(
            ["tv", "mobile_phone", "computer", "appliance", "car", "broadband", "mobile_service", "other"])}),
        "purchase_date": days_ago,
        "received_on": days_ago,
        "invoice": maybe,
        "remote_sale": maybe,
        "user_damage": maybe,
        "misrepresented": maybe,
        "price": st.floats(min_value=0, max_value=1e5, allow_nan=False),
        "fault": st.fixed_dictionaries({}, optional={
            "kind": st.sampled_from(["performance", "appearance", "serious_safety", "none"]),
            "first_seen": days_ago, "reported_on": days_ago, "main_part": maybe}),
        "repairs": st.lists(st.fixed_dictionaries({"date": days_ago}, optional={
            "days_in_repair": st.integers(0, 60), "fixed": maybe}), max_size=4),
        "waiting_for_parts_days": st.integers(0, 200),
        "billing": st.fixed_dictionaries({}, optional={
            "prepaid": maybe, "monthly_fee": st.integers(0, 300), "due_date": days_ago, "suspended_on": days_ago,
            "paid_on": days_ago, "restored_on": days_ago}),
        "outage_days": st.integers(0, 30),
        "complaint_filed_on": days_ago,
        "operator_answered_within_days": st.none() | st.integers(0, 60),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_strategy)
def test_any_facts_give_a_result_or_a_named_invalid_input(facts: dict[str, Any]) -> None:
    try:
        result = check(facts)
    except InvalidInput as err:
        assert err.field, err.message
        return
    for verdict in result.demands:
        assert verdict.verdict in Verdict
        assert verdict.reason
        if verdict.verdict is not Verdict.UNKNOWN:
            assert verdict.rules, f"{verdict.demand}: a verdict must cite its rules"
    for remedy in result.remedies:
        assert remedy.amount_yuan is None or remedy.amount_yuan >= 0
    result.to_dict()


def test_authority_accepts_a_plain_mapping() -> None:
    assert authority_for("agent", {"kind": "compensation", "amount": 20}).offer_allowed
    assert authority_for("team_lead", {"kind": "refund", "amount": 1200}).escalate_to == "manager"
