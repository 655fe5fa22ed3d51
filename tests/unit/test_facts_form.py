"""The facts form: what an agent types becomes the facts the policy engine reads, and back."""

from __future__ import annotations

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.web.facts_form import EMPTIED, from_form, prefill


def test_filled_fields_become_nested_facts_with_types() -> None:
    facts = from_form({"product_kind": "tv", "product_model": "MT-34F1A", "purchase_date": "2026-10-02",
                       "user_damage": "no", "monthly_fee": "60", "suspended_on": "2026-11-20"})  # fmt: skip
    assert facts == {
        **EMPTIED,
        "product": {"kind": "tv", "model": "MT-34F1A"},
        "purchase_date": "2026-10-02",
        "user_damage": False,
        "billing": {"monthly_fee": 60.0, "suspended_on": "2026-11-20"},
        "fault": None,  # covered by the form and left empty: not established
    }


def test_the_json_box_adds_what_no_field_covers_and_fields_merge_into_it() -> None:
    other = '{"repairs": [{"date": "2026-11-01", "fixed": false}], "product": {"warranty_years": 3}}'
    facts = from_form({"other": other, "product_kind": "tv"})
    assert facts["repairs"] == [{"date": "2026-11-01", "fixed": False}]
    assert facts["product"] == {"warranty_years": 3, "kind": "tv"}


def test_prefill_round_trips_the_recorded_facts() -> None:
    recorded = {"product": {"kind": "tv", "warranty_years": 3}, "purchase_date": "2026-10-02",
                "user_damage": True, "repairs": []}  # fmt: skip
    form = prefill(recorded)
    assert (form["product_kind"], form["purchase_date"], form["user_damage"]) == ("tv", "2026-10-02", "yes")
    assert from_form(form) == {**EMPTIED, **recorded}


def test_emptied_fields_come_out_as_null_so_the_recorded_fact_is_removed() -> None:
    assert from_form({}) == EMPTIED
    assert {"product", "purchase_date", "fault", "user_damage", "billing", "prepayment", "company_response"} <= set(EMPTIED)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"other": "{not json"}, "other"),
        ({"other": "[1, 2]"}, "other"),
        ({"monthly_fee": "六十"}, "monthly_fee"),
    ],
)
def test_bad_input_names_its_field(form: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        from_form(form)
    assert caught.value.field == field


def test_account_type_is_asked_in_plain_words_and_stored_as_prepaid() -> None:
    assert from_form({"account_type": "prepaid"})["billing"] == {"prepaid": True}
    assert from_form({"account_type": "postpaid"})["billing"] == {"prepaid": False}
    assert prefill({"billing": {"prepaid": False}})["account_type"] == "postpaid"


def test_the_real_case_facts_are_reachable_from_fields() -> None:
    facts = from_form({"price": "598", "remote_sale": "yes", "received_on": "2026-11-01", "requested_on": "2026-11-03",
                       "misrepresented": "no", "fault_part": "gearbox", "mileage_km": "2500",
                       "company_notice": "repair_only", "provided_as_agreed": "no", "prepaid_remaining": "1260"})
    assert facts["price"] == 598.0 and facts["remote_sale"] is True and facts["misrepresented"] is False
    assert facts["fault"] == {"part": "gearbox"} and facts["product"] == {"mileage_km": 2500.0}
    assert facts["company_response"] == {"notice": "repair_only"}
    assert facts["prepayment"] == {"provided_as_agreed": False, "remaining": 1260.0}


@pytest.mark.parametrize(("field", "value"), [("account_type", "monthly"), ("fault_part", "wheel"),
                                              ("company_notice", "rude")])
def test_a_choice_outside_its_list_is_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(InvalidInput) as err:
        from_form({field: value})
    assert err.value.field == field



def test_the_telecom_suspension_and_charge_facts_are_reachable_without_json() -> None:
    facts = from_form({"suspension_reason": "fraud_risk", "reverified": "yes", "reason_notified": "no",
                       "consent": "not_given", "disputed_charges": "92.5", "charge_spike": "yes",
                       "spike_notified": "no"})  # fmt: skip
    assert facts["billing"] == {"suspension_reason": "fraud_risk", "reverified": True, "reason_notified": False,
                                "consent": "not_given", "disputed_charges": 92.5, "charge_spike": True,
                                "spike_notified": False}  # fmt: skip


def test_every_billing_fact_the_policy_reads_has_a_form_field() -> None:
    from dataclasses import fields

    from complaintdesk.policy.facts import Billing
    from complaintdesk.web.facts_form import FIELDS

    covered = {path[1] for _, path, _ in FIELDS if path[0] == "billing"}
    read_from_a_field_elsewhere = {"restored_on", "suspended"}  # stated in the JSON box: rarely known at intake
    assert {f.name for f in fields(Billing)} - covered - read_from_a_field_elsewhere - {"prepaid"} == set()
