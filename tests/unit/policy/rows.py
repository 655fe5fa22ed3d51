"""The check every reasoning table shares: a row's verdicts, questions, violation codes and amounts."""

from __future__ import annotations

from typing import Any

from complaintdesk.policy import PolicyResult


def assert_row(result: PolicyResult, row: dict[str, Any]) -> None:
    for demand, verdict in row.get("expect", {}).items():
        found = result.verdict_for(demand)
        assert found is not None, demand
        assert found.verdict.value == verdict, f"{demand}: {found.verdict.value} ({found.reason})"
    for demand, question in row.get("asks", {}).items():
        found = result.verdict_for(demand)
        assert found is not None and any(question in q for q in found.missing_facts), found
    if "violations" in row:
        assert sorted(v.code for v in result.company_violations) == sorted(row["violations"])
    for kind, amount in row.get("amounts", {}).items():
        amounts = [r.amount_yuan for r in result.remedies if r.kind == kind]
        assert amount in amounts or any(a is not None and abs(a - amount) < 0.01 for a in amounts), (kind, amounts)
