"""What the business did, judged once the verdicts are settled (issue 18, class 6).

Refusing what the customer is entitled to, a "no returns" label where returns are owed, "repair only"
where an exchange is due, calling a fault normal, "no refunds" on a prepaid card the business stopped
serving: each is a company violation citing the rule that gives the right. An entitled refund gets
its amount when the price is known.
"""

from __future__ import annotations

from complaintdesk.policy.context import Context
from complaintdesk.policy.result import DemandVerdict, Remedy, Verdict

E = Verdict.ENTITLED
_ZH = {"refund": "退货退款", "exchange": "换货", "repair": "免费修理", "compensation": "赔偿", "restore_service": "恢复服务"}
_NOTICES = {
    "no_returns": (("refund", "exchange"), "no_returns_notice", "商家声称“不退不换/不支持七天无理由/激活不退”，但依法应予退换"),
    "repair_only": (("exchange", "refund"), "repair_only_notice", "商家称只修不换，但依法应予换货或退货"),
    "not_quality": (("refund", "exchange", "repair"), "not_quality_notice", "商家称故障属正常现象、不是质量问题，以此回避三包"),
    "no_refund": (("refund",), "no_refund_notice", "商家声称预付款“概不退还”，但其未按约定提供服务，依法应退"),
}


def judge_conduct(ctx: Context, verdicts: dict[str, DemandVerdict]) -> None:
    f = ctx.facts
    response = f.company_response
    for demand in response.refused:
        v = verdicts.get(demand)
        if v is not None and v.verdict is E and v.rules:
            ctx.violation(v.rules[0], f"客户有权{_ZH.get(demand, demand)}（{v.rules[0].source}{v.rules[0].article}），"
                          "商家却拒绝", f"refused_remedy:{demand}")
    if response.notice in _NOTICES:
        demands, code, finding = _NOTICES[response.notice]
        if response.notice == "not_quality" and f.fault.kind not in ("performance", "serious_safety"):
            return
        owed = [verdicts[d] for d in demands if d in verdicts and verdicts[d].verdict is E and verdicts[d].rules]
        if owed:
            remote = ctx.packs.first("remote_sale_return") if f.remote_sale and response.notice == "no_returns" else None
            rule = remote.ref if remote is not None and any(r.id == remote.id for v in owed for r in v.rules) else owed[0].rules[0]
            said = f"（原话：“{response.said}”）" if response.said else ""
            ctx.violation(rule, finding + said, code)


def refund_amount(ctx: Context, verdicts: dict[str, DemandVerdict]) -> None:
    """An entitled refund is the price (三包: 按发票价格一次退清货款), unless a rule already computed it."""
    v = verdicts.get("refund")
    price = ctx.facts.price
    if v is None or v.verdict is not E or price is None or any(r.kind == "refund" for r in ctx.remedies):
        return
    basis = f"{v.rules[0].source}{v.rules[0].article}" if v.rules else "退货"
    rule = ctx.packs.get(v.rules[0].id) if v.rules else None
    used = "；修理后退货的，已使用的商品可扣除折旧费（折旧率未收录，按目录核算）" if rule and rule.kind == "repeated_repair" else ""
    ctx.remedies.append(Remedy("refund", price, f"退还价款 {price:g} 元（依{basis}）{used}", v.rules[:1]))
