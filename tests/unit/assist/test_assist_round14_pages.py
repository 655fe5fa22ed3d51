"""The fourteenth round's scenarios (``ar-r14-*``): 40, each from a page no other eval or corpus file uses."""

from __future__ import annotations

from .round_pages import assert_a_round_of_its_own_pages


def test_the_fourteenth_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r14-")
    assert len(scenarios) == 40


def test_the_fourteenth_round_has_twelve_traditional_script_complaints() -> None:
    # issue 20, round 14: at least twelve in traditional script (Taiwan, Hong Kong and Macau pages)
    traditional = set("們這個說後為麼還會時費電沒裡帳")
    scenarios = assert_a_round_of_its_own_pages("ar-r14-")
    assert sum(1 for r in scenarios if len(traditional & set(r["text"])) >= 3) >= 12


def test_the_fourteenth_round_keeps_its_mix_of_company_faults_and_no_fault_cases() -> None:
    # the brief: about fifteen faults told without a fault word, about ten with no fault, the rest mixed
    scenarios = assert_a_round_of_its_own_pages("ar-r14-")
    full = sum(1 for r in scenarios if r["expect"]["apology"] == "full")
    assert 14 <= full <= 24


def test_the_fourteenth_round_uses_every_written_channel() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r14-")
    assert {r["channel"] for r in scenarios} >= {"phone", "sms", "letter", "email"}
