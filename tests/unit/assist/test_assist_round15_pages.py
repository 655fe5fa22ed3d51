"""The fifteenth round's scenarios (``ar-r15-*``): 40, each from a page no other eval or corpus file uses."""

from __future__ import annotations

from .round_pages import assert_a_round_of_its_own_pages


def test_the_fifteenth_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r15-")
    assert len(scenarios) == 40


def test_the_fifteenth_round_has_fifteen_traditional_script_complaints() -> None:
    # issue 20, round 15: at least fifteen in traditional script (Taiwan, Hong Kong and Macau pages)
    traditional = set("們這個說後為麼還會時費電沒裡帳")
    scenarios = assert_a_round_of_its_own_pages("ar-r15-")
    assert sum(1 for r in scenarios if len(traditional & set(r["text"])) >= 3) >= 15


def test_the_fifteenth_round_keeps_its_mix_of_company_faults_and_no_fault_cases() -> None:
    # the brief: company faults told without a fault word beside no-fault cases that look like one
    scenarios = assert_a_round_of_its_own_pages("ar-r15-")
    full = sum(1 for r in scenarios if r["expect"]["apology"] == "full")
    assert 14 <= full <= 24


def test_the_fifteenth_round_uses_every_written_channel() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r15-")
    assert {r["channel"] for r in scenarios} >= {"phone", "sms", "letter", "email"}


def test_the_fifteenth_round_holds_recorded_offers_within_and_beyond_authority() -> None:
    # an agent's 50 and a team lead's 100 within their limits, a team lead's 300 beyond hers (to the manager)
    scenarios = assert_a_round_of_its_own_pages("ar-r15-")
    offers = {(r["facts"]["role"], r["facts"]["offer"]["amount"], r["expect"]["escalate"])
              for r in scenarios if "offer" in r["facts"]}
    assert offers == {("agent", 50, None), ("team_lead", 100, None), ("team_lead", 300, "manager")}
