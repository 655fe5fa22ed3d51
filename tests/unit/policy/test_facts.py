"""Contradictory, impossible or malformed facts are refused with the field named, never judged."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.policy import Verdict, check, parse_facts


def _error(facts: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        check(facts)
    return info.value


def test_repair_before_purchase_is_refused_naming_the_repair() -> None:
    err = _error({"today": "2025-06-30", "product": {"kind": "tv"}, "purchase_date": "2025-03-01",
                  "repairs": [{"date": "2025-04-01"}, {"date": "2025-02-01"}]})
    assert err.field == "repairs[0].date"  # sorted by date: the earliest repair is the impossible one
    assert "早于 purchase_date" in err.message


def test_future_purchase_date_is_refused() -> None:
    err = _error({"today": "2025-06-30", "purchase_date": "2025-07-01"})
    assert err.field == "purchase_date"
    assert "晚于今天" in err.message


def test_future_repair_date_is_refused() -> None:
    assert _error({"today": "2025-06-30", "repairs": [{"date": "2026-01-01"}]}).field == "repairs[0].date"


def test_report_before_first_seen_is_refused() -> None:
    err = _error({"today": "2025-06-30", "fault": {"first_seen": "2025-06-10", "reported_on": "2025-06-01"}})
    assert err.field == "fault.reported_on"


def test_restored_before_suspended_is_refused() -> None:
    err = _error({"today": "2025-06-30", "billing": {"suspended_on": "2025-06-10", "restored_on": "2025-06-01"}})
    assert err.field == "billing.restored_on"


def test_unknown_product_kind_names_the_allowed_kinds() -> None:
    err = _error({"today": "2025-06-30", "product": {"kind": "spaceship"}})
    assert err.field == "product.kind"
    assert "tv" in err.message and "broadband" in err.message


def test_unknown_demand_is_refused() -> None:
    assert _error({"today": "2025-06-30", "demands": ["refund", "a_new_car"]}).field == "demands[1]"


def test_bad_date_and_negative_amount_are_refused() -> None:
    assert _error({"today": "2025-06-30", "purchase_date": "2025/06/01"}).field == "purchase_date"
    assert _error({"today": "2025-06-30", "price": -5}).field == "price"
    assert _error({"today": "2025-06-30", "invoice": "yes"}).field == "invoice"
    assert _error({"today": "2025-06-30", "repairs": [{"date": "2025-01-01", "days_in_repair": 1.5}]}).field == (
        "repairs[0].days_in_repair")


def test_exception_without_remote_sale_is_contradictory() -> None:
    err = _error({"today": "2025-06-30", "remote_sale": False, "remote_sale_exception": "custom_made"})
    assert err.field == "remote_sale_exception"


def test_facts_must_be_an_object() -> None:
    assert _error(["not", "a", "mapping"]).field == "facts"
    assert _error({"today": "2025-06-30", "fault": "broken"}).field == "fault"


def test_offer_without_kind_is_refused() -> None:
    assert _error({"today": "2025-06-30", "offer": {"amount": 10}}).field == "offer.kind"


def test_empty_facts_ask_what_the_product_is() -> None:
    result = check({"today": "2025-06-30", "demands": ["refund"]})
    refund = result.verdict_for("refund")
    assert refund is not None and refund.verdict is Verdict.UNKNOWN
    assert refund.missing_facts


def test_demand_no_rule_speaks_to_is_unknown_not_refused() -> None:
    result = check({"today": "2025-06-30", "product": {"kind": "broadband"}, "demands": ["exchange"]})
    exchange = result.verdict_for("exchange")
    assert exchange is not None and exchange.verdict is Verdict.UNKNOWN
    assert "人工判断" in exchange.reason


def test_parse_facts_keeps_a_facts_object_and_defaults_today() -> None:
    facts = parse_facts({"purchase_date": "2000-01-01"})
    assert facts.today is not None
    assert parse_facts(facts) is facts


def test_result_is_frozen_and_serialises_dates_as_iso() -> None:
    result = check({"today": "2025-06-30", "product": {"kind": "tv"}, "purchase_date": "2025-06-28",
                    "fault": {"kind": "performance"}})
    data = result.to_dict()
    assert all(isinstance(d["due"], str) for d in data["deadlines"])
    with pytest.raises(AttributeError):
        result.demands = ()  # type: ignore[misc]


def test_questions_collect_every_missing_fact_once() -> None:
    result = check({"today": "2025-06-30", "product": {"kind": "tv"}, "demands": ["refund", "exchange"]})
    assert result.questions.count("购买日期（发票日期）是哪天？") == 1
    assert len(result.questions) == len(set(result.questions)) >= 2
