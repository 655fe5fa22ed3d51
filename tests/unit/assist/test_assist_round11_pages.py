"""The eleventh round's scenarios (``ar-r11-*``): 40, each from a page no other eval or corpus file uses."""

from __future__ import annotations

from .round_pages import assert_a_round_of_its_own_pages


def test_the_eleventh_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r11-")
    assert len(scenarios) == 40
