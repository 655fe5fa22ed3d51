"""Table-driven cases (cases.yaml): each states the rule it checks and the rule text it turns on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from complaintdesk.policy import PolicyResult, check, load_packs

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text("utf-8"))
PACKS = load_packs()


def _facts(case: dict[str, Any]) -> dict[str, Any]:
    facts = dict(case["facts"])
    facts.setdefault("today", case.get("today", "2025-06-30"))
    if "demands" in case:
        facts["demands"] = case["demands"]
    elif case["expect"]:
        facts.setdefault("demands", list(case["expect"]))
    return facts


def test_table_has_at_least_sixty_cases_with_unique_ids() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 60
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    rule = PACKS.get(case["checks"])
    assert rule is not None, f"case names unknown rule {case['checks']}"
    assert case["rule_text"] in rule.text, "the case must quote the text of the rule it checks"

    result: PolicyResult = check(_facts(case))
    for demand, verdict in case["expect"].items():
        found = result.verdict_for(demand)
        assert found is not None, demand
        assert found.verdict.value == verdict, f"{demand}: {found.verdict.value} ({found.reason})"
    for demand, rule_id in case.get("cites", {}).items():
        found = result.verdict_for(demand)
        assert found is not None
        assert rule_id in [r.id for r in found.rules], f"{demand} should cite {rule_id}: {found.rules}"
    for demand, rule_id in case.get("not_cites", {}).items():
        found = result.verdict_for(demand)
        assert found is not None and rule_id not in [r.id for r in found.rules]
    for demand, question in case.get("missing", {}).items():
        found = result.verdict_for(demand)
        assert found is not None
        assert any(question in q for q in found.missing_facts), found.missing_facts
    for kind, amount in case.get("remedies", {}).items():
        remedy = next((r for r in result.remedies if r.kind == kind), None)
        assert remedy is not None, f"missing remedy {kind}: {result.remedies}"
        assert remedy.amount_yuan == (None if amount is None else pytest.approx(amount)), remedy.computation
    if "no_remedy" in case:
        assert all(r.kind != case["no_remedy"] for r in result.remedies)
    for what, due in case.get("deadlines", {}).items():
        match = [d for d in result.deadlines if d.what == what]
        assert match, f"no deadline {what!r} in {[d.what for d in result.deadlines]}"
        assert match[0].due.isoformat() == str(due)
    if "violation" in case:
        ids = [v.rule.id for v in result.company_violations]
        assert ids == ([] if case["violation"] == "none" else [case["violation"]])
    if "authority" in case:
        assert result.authority.offer_allowed is case["authority"]["offer_allowed"], result.authority.reason
        assert result.authority.escalate_to == case["authority"]["escalate_to"]
    # every result serialises to the JSON contract
    assert set(result.to_dict()) == {"demands", "company_violations", "remedies", "deadlines", "authority"}
