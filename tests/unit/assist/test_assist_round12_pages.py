"""The twelfth round's scenarios (``ar-r12-*``): 40, each from a page no other eval or corpus file uses."""

from __future__ import annotations

from .round_pages import assert_a_round_of_its_own_pages


def test_the_twelfth_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r12-")
    assert len(scenarios) == 40


def test_the_twelfth_round_has_ten_traditional_script_complaints() -> None:
    # issue 20, round 12: at least ten in traditional script (Taiwan and Hong Kong pages)
    traditional = set("們這個說後為麼還會時費電沒裡帳")
    scenarios = assert_a_round_of_its_own_pages("ar-r12-")
    assert sum(1 for r in scenarios if len(traditional & set(r["text"])) >= 3) >= 10
