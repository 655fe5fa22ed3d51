"""Remote sales (消法 第二十五条) and the seller's own promises: both count from receipt.

A no-reason return is judged on the day the customer asked for it (``requested_on``, or
``requested_day`` after receipt); a promise above the law binds the seller just as the law does.
"""

from __future__ import annotations

from complaintdesk.policy import dates
from complaintdesk.policy.context import Q_EXACT_DATES, Q_RECEIVED, Q_REQUESTED, Context
from complaintdesk.policy.packs import PackRule
from complaintdesk.policy.result import RuleRef, Verdict

E, N, U = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN
_EXCEPTIONS = {"custom_made": "消费者定作的", "perishable": "鲜活易腐的",
               "digital_unsealed": "在线下载或已拆封的数字化商品", "periodical": "已交付的报纸、期刊"}


def _return_window(ctx: Context, days: int, refs: tuple[RuleRef, ...], label: str, article: str) -> None:
    """Judge a return asked within ``days`` of receipt; add the refund finding."""
    f = ctx.facts
    start = f.received_on
    asked = f.requested_on or f.fault.reported_on  # the day the customer raised it with the seller
    state, end = ctx.judge_day(start, days, asked, f.requested_day)
    if start is None and state == "unknown" and f.purchase_date is not None and asked is not None:
        # received on or after the purchase: asked within N days of buying is within N days of receipt
        state, end = ctx.judge_day(f.purchase_date, days, asked, None)
        if state == "out":
            state = "unknown"
    if state == "unknown" and start is not None and end is not None and f.today <= end:
        state = "in"  # asked no later than today, and today is still inside
    if state == "in":
        until = f"（至 {end}）" if end else ""
        ctx.add("refund", E, f"{label}：收货后{days}日内{until}提出，依{article}可退货（商品应完好）", refs)
        if end is not None and f.today <= end:
            ctx.deadline(f"{label}期限届满", end, refs)
    elif state == "out":
        ctx.add("refund", N, f"收货后超过{days}日才提出，已超过{article}的期限" + (f"（截至 {end}）" if end else ""), refs)
    else:
        if start is None and f.requested_day is None:
            missing: tuple[str, ...] = (Q_RECEIVED, Q_REQUESTED)
        elif start is None:
            missing = (Q_EXACT_DATES,)
        else:
            missing = (Q_REQUESTED,)
        ctx.add("refund", U, f"{article}自收到商品之日起算，要知道哪天收货、哪天提出退货", refs, missing)


def remote_sale_return(ctx: Context, rule: PackRule) -> None:
    """No-reason return within 7 days of receipt for remote sales, except the listed goods."""
    f, p = ctx.facts, rule.params
    if f.remote_sale is not True:
        return
    exception = f.remote_sale_exception
    if exception is not None and exception in p["exceptions"]:
        ctx.add("refund", N, f"属于{rule.article}的例外（{_EXCEPTIONS.get(exception, exception)}），不适用{p['days']}日无理由退货",
                (rule.ref,))
        return
    if f.user_damage:
        ctx.add("refund", N, f"{rule.article}要求退回的商品应当完好，本案商品有人为损坏", (rule.ref,))
        return
    _return_window(ctx, int(p["days"]), (rule.ref,), f"远程购物{p['days']}日无理由退货", rule.article)


def seller_promises(ctx: Context) -> None:
    """The seller's own promises bind it, also where they exceed the law (三包 第四条; 消法 第二十四条)."""
    f, c = ctx.facts, ctx.facts.contract
    law = tuple(r.ref for r in ctx.packs.of_kind("seller_promise", any_product=True))
    if c.no_reason_return_days is not None:
        if f.user_damage:
            ctx.add("refund", N, "商家承诺的无理由退货以商品完好为前提，本案有人为损坏", law)
        elif f.received_on is None and f.requested_day is None and f.purchase_date is not None:
            # an in-store promise ("9天无理由退货") counts from the sale
            state, end = ctx.judge_day(f.purchase_date, c.no_reason_return_days, f.requested_on or f.fault.reported_on, None)
            if state == "unknown" and end is not None and f.today <= end:
                state = "in"
            verdict = {"in": E, "out": N}.get(state, U)
            ctx.add("refund", verdict, f"商家承诺 {c.no_reason_return_days} 日无理由退货（至 {end}），承诺高于法律的也必须履行",
                    law, () if verdict is not U else (Q_REQUESTED,))
        else:
            _return_window(ctx, c.no_reason_return_days, law, f"商家承诺的{c.no_reason_return_days}日无理由退货"
                           "（高于法律的承诺也必须履行，定作商品亦然）", "商家承诺")
    card = ctx.rule("free_repair_card")
    until = c.free_repair_until
    card_refs = law
    if until is None and c.free_repair_card and card is not None and f.purchase_date is not None:
        until = dates.add_years(f.purchase_date, int(card.params["years"]))
    if card is not None and (c.free_repair_card or c.free_repair_until):
        card_refs = (card.ref, *law)
    raised = f.fault.reported_on or f.today
    for label, limit, refs in (("延保", c.extended_warranty_until, law), ("免费维修卡", until, card_refs)):
        if limit is None:
            continue
        if f.user_damage:
            ctx.add("repair", N, f"{label}不包括人为损坏", refs)
        elif raised <= limit:
            ctx.add("repair", E, f"公司{label}承诺免费维修至 {limit}，承诺必须履行", refs)
            ctx.add("waive_fee", E, f"在公司{label}期内（至 {limit}），不应收取修理费", refs)
        elif f.fault.reported_on is None:
            ctx.add("repair", U, f"公司{label}至 {limit}，要看故障是哪天提出的", refs, ("客户是哪天报修的？",))
        else:
            ctx.add("repair", N, f"公司{label}已于 {limit} 到期", refs)
