"""``check(facts)``: run every applicable rule, settle one verdict per demand, then judge the business's conduct."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.policy.car import evaluate_car
from complaintdesk.policy.company import authority_for, food_safety, fraud, general, goodwill, promises
from complaintdesk.policy.conduct import judge_conduct, refund_amount
from complaintdesk.policy.context import Q_PRODUCT, Context
from complaintdesk.policy.facts import GOODS, TELECOM, Facts, ProductKind, parse_facts
from complaintdesk.policy.goods import evaluate_goods
from complaintdesk.policy.packs import PolicyPacks, load_packs
from complaintdesk.policy.prepaid import evaluate_prepaid
from complaintdesk.policy.result import PolicyResult, Verdict
from complaintdesk.policy.settle import settle
from complaintdesk.policy.telecom import evaluate_telecom, regulator_deadlines

__all__ = ["check", "settle"]

_DEFAULT_DEMANDS = {"goods": ("refund", "exchange", "repair"), "telecom": ("restore_service", "compensation"),
                    "prepaid": ("refund",)}
# what conduct is judged against even when the customer did not name it as a demand
_CONDUCT_DEMANDS = ("refund", "exchange", "repair", "compensation", "restore_service")


def check(
    facts: Mapping[str, Any] | Facts,
    *,
    calendar: BusinessCalendar | None = None,
    packs: PolicyPacks | None = None,
) -> PolicyResult:
    """What the customer is entitled to, by law and by company rule, each with its source.

    ``facts`` follows the FACTS contract (docs/policy.md); every field is optional and what is missing
    comes back as questions. Contradictory facts or unknown fields raise ``InvalidInput`` naming the field.
    """
    f = parse_facts(facts)
    ctx = Context(f, calendar or default_calendar(), packs or load_packs())
    kind = f.product.kind
    if kind is ProductKind.CAR:
        evaluate_car(ctx)
        evaluate_goods(ctx)
    elif kind in GOODS:
        evaluate_goods(ctx)
    elif kind in TELECOM:
        evaluate_telecom(ctx)
    elif kind is ProductKind.PREPAID_SERVICE:
        evaluate_prepaid(ctx)
    else:
        for demand in ("refund", "exchange", "repair", "restore_service"):
            ctx.add(demand, Verdict.UNKNOWN, "不知道是什么产品或服务，无法确定适用的规定", (), (Q_PRODUCT,))
    fraud(ctx)
    food_safety(ctx)
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
    elif kind is ProductKind.PREPAID_SERVICE:
        demands = _DEFAULT_DEMANDS["prepaid"]
    else:
        demands = ()
    every = {d: settle(d, [x for x in ctx.findings if x.demand == d]) for d in (*demands, *_CONDUCT_DEMANDS)}
    judge_conduct(ctx, every)
    refund_amount(ctx, every)
    verdicts = tuple(every[d] for d in demands)
    entitled = [v.demand for v in verdicts if v.verdict is Verdict.ENTITLED]
    return PolicyResult(
        demands=verdicts,
        company_violations=tuple(ctx.violations),
        remedies=tuple(ctx.remedies),
        deadlines=tuple(sorted(ctx.deadlines, key=lambda d: d.due)),
        authority=authority_for(f.role, f.offer, ctx.packs, entitled),
    )
