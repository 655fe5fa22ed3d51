"""``check(facts)``: run every applicable rule, then settle one verdict per demand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.policy.company import authority_for, fraud, general, goodwill, promises
from complaintdesk.policy.context import Q_PRODUCT, Context, Finding
from complaintdesk.policy.facts import GOODS, TELECOM, Facts, parse_facts
from complaintdesk.policy.goods import evaluate_goods
from complaintdesk.policy.packs import PolicyPacks, load_packs
from complaintdesk.policy.result import VERDICT_RANK, DemandVerdict, PolicyResult, RuleRef, Verdict
from complaintdesk.policy.telecom import evaluate_telecom, regulator_deadlines

_DEFAULT_DEMANDS = {"goods": ("refund", "exchange", "repair"), "telecom": ("restore_service", "compensation")}


def check(
    facts: Mapping[str, Any] | Facts,
    *,
    calendar: BusinessCalendar | None = None,
    packs: PolicyPacks | None = None,
) -> PolicyResult:
    """What the customer is entitled to, by law and by company rule, each with its source.

    ``facts`` follows the FACTS contract (docs/policy.md); every field is optional and what is missing
    comes back as questions. Contradictory facts raise ``InvalidInput`` naming the field.
    """
    f = parse_facts(facts)
    ctx = Context(f, calendar or default_calendar(), packs or load_packs())
    kind = f.product.kind
    if kind in GOODS:
        evaluate_goods(ctx)
    elif kind in TELECOM:
        evaluate_telecom(ctx)
    else:
        for demand in ("refund", "exchange", "repair", "restore_service"):
            ctx.add(demand, Verdict.UNKNOWN, "不知道是什么产品或服务,无法确定适用的规定", (), (Q_PRODUCT,))
    fraud(ctx)
    general(ctx, goods=kind in GOODS)
    promises(ctx)
    regulator_deadlines(ctx)
    goodwill(ctx)

    if f.demands:
        demands = f.demands
    elif kind in GOODS:
        demands = _DEFAULT_DEMANDS["goods"]
    elif kind in TELECOM:
        demands = _DEFAULT_DEMANDS["telecom"]
    else:
        demands = ()
    verdicts = tuple(settle(d, [x for x in ctx.findings if x.demand == d]) for d in demands)
    entitled = [v.demand for v in verdicts if v.verdict is Verdict.ENTITLED]
    return PolicyResult(
        demands=verdicts,
        company_violations=tuple(ctx.violations),
        remedies=tuple(ctx.remedies),
        deadlines=tuple(sorted(ctx.deadlines, key=lambda d: d.due)),
        authority=authority_for(f.role, f.offer, ctx.packs, entitled),
    )


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
        return DemandVerdict(demand, Verdict.UNKNOWN, "规则包中没有适用于此产品和诉求的规则,请人工判断或上报")
    best = max(VERDICT_RANK[x.verdict] for x in pool)
    winners = [x for x in pool if VERDICT_RANK[x.verdict] == best]
    verdict = winners[0].verdict
    reasons = list(dict.fromkeys(x.reason for x in winners))
    missing = list(dict.fromkeys(q for x in winners for q in x.missing))
    if verdict is Verdict.UNKNOWN:
        # say also what was already ruled out, so the agent knows why the question matters
        reasons += [x.reason for x in pool if x.verdict is Verdict.NOT_ENTITLED and x.reason not in reasons]
    return DemandVerdict(demand, verdict, ";".join(reasons), _unique([r for x in winners for r in x.rules]),
                         tuple(missing))
