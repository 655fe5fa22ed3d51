"""One verdict per demand from every rule's finding: one right is enough; a possible right comes first."""

from __future__ import annotations

from complaintdesk.policy.context import Finding
from complaintdesk.policy.result import VERDICT_RANK, DemandVerdict, RuleRef, Verdict


def _unique(items: list[RuleRef]) -> tuple[RuleRef, ...]:
    seen: dict[str, RuleRef] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return tuple(seen.values())


def settle(demand: str, findings: list[Finding]) -> DemandVerdict:
    """One right is enough; a possible right (facts missing) is checked before saying no."""
    specific = [x for x in findings if not x.fallback]
    pool = specific or findings
    if not pool:
        return DemandVerdict(demand, Verdict.UNKNOWN, "规则包中没有适用于此产品和诉求的规则，请人工判断或上报")
    best = max(VERDICT_RANK[x.verdict] for x in pool)
    winners = [x for x in pool if VERDICT_RANK[x.verdict] == best]
    verdict = winners[0].verdict
    reasons = list(dict.fromkeys(x.reason for x in winners))
    missing = list(dict.fromkeys(q for x in winners for q in x.missing))
    if verdict is Verdict.UNKNOWN:
        # say also what was already ruled out, so the agent knows why the question matters
        reasons += [x.reason for x in pool if x.verdict is Verdict.NOT_ENTITLED and x.reason not in reasons]
    return DemandVerdict(demand, verdict, "；".join(reasons), _unique([r for x in winners for r in x.rules]),
                         tuple(missing))
