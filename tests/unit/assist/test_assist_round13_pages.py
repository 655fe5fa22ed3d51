"""The thirteenth round's scenarios (``ar-r13-*``): 40, each from a page no other eval or corpus file uses."""

from __future__ import annotations

from .round_pages import assert_a_round_of_its_own_pages


def test_the_thirteenth_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r13-")
    assert len(scenarios) == 40


def test_the_thirteenth_round_has_twelve_traditional_script_complaints() -> None:
    # issue 20, round 13: at least twelve in traditional script (Taiwan and Hong Kong pages)
    traditional = set("們這個說後為麼還會時費電沒裡帳")
    scenarios = assert_a_round_of_its_own_pages("ar-r13-")
    assert sum(1 for r in scenarios if len(traditional & set(r["text"])) >= 3) >= 12


def test_the_thirteenth_round_keeps_about_half_its_scenarios_on_company_faults() -> None:
    # the round was chosen where drafts go wrong on faults told without a fault word: about half
    scenarios = assert_a_round_of_its_own_pages("ar-r13-")
    full = sum(1 for r in scenarios if r["expect"]["apology"] == "full")
    assert 16 <= full <= 24
