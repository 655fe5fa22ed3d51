"""Goods: 三包 windows and periods, repeated repairs, parts shortage, remote sales, the seller's promises."""

from __future__ import annotations

from datetime import date

from complaintdesk.policy import dates
from complaintdesk.policy.context import (
    Q_FAULT,
    Q_MAIN_PART,
    Q_MILEAGE,
    Q_PROOF,
    Q_PURCHASE,
    Q_RECEIVED,
    Q_REPAIRS,
    Q_STILL_FAILING,
    Context,
)
from complaintdesk.policy.packs import PackRule
from complaintdesk.policy.result import RuleRef, Verdict

E, N, U = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN
_NAMES = {"refund": "退货", "exchange": "换货", "repair": "免费修理"}


def _label(remedies: tuple[str, ...]) -> str:
    return "、".join(_NAMES.get(r, r) for r in remedies)


def _damage_refs(ctx: Context) -> tuple[RuleRef, ...]:
    rule = ctx.rule("warranty_exclusion")
    return (rule.ref,) if rule else ()


def _grant(ctx: Context, demand: str, reason: str, refs: tuple[RuleRef, ...]) -> None:
    """A 三包 right, unless there is no invoice: then it turns on other proof of purchase (释义 to 第八条)."""
    if ctx.facts.invoice is False:
        ctx.add(demand, U, reason + ";但客户没有发票,三包凭发票及三包凭证办理,能以其他凭证证明的仍应三包",
                (*refs, *_damage_refs(ctx)), (Q_PROOF,))
    else:
        ctx.add(demand, E, reason, refs)


def _burden_note(ctx: Context) -> tuple[str, tuple[RuleRef, ...]]:
    """Within six months of receipt the seller must prove the damage (消法 第二十三条): say so."""
    f = ctx.facts
    rule = ctx.rule("burden_of_proof")
    start = f.received_on or f.purchase_date
    if rule is None or start is None or f.raised_on > dates.add_months(start, int(rule.params["months"])):
        return "", ()
    return (f";注意:收货后{rule.params['months']}个月内发生争议,由经营者举证(依{rule.article}),"
            "须有检测证据证明人为损坏"), (rule.ref,)


def _user_damaged(ctx: Context, rule: PackRule, remedies: tuple[str, ...]) -> bool:
    if ctx.facts.user_damage is not True:
        return False
    note, burden = _burden_note(ctx)
    for demand in remedies:
        ctx.add(demand, N, f"人为损坏(使用、维护、保管不当)不实行三包,{rule.article}不适用;可收费修理{note}",
                (rule.ref, *_damage_refs(ctx), *burden))
    return True


def fault_window(ctx: Context, rule: PackRule) -> None:
    """7-day / 15-day / 60-day windows: judged on the day the customer raised the fault."""
    f, p = ctx.facts, rule.params
    remedies: tuple[str, ...] = p["remedies"]
    days: int = p["days"]
    missing: list[str] = []
    if f.purchase_date is None:
        missing.append(Q_PURCHASE)
    if f.fault.kind is None:
        missing.append(Q_FAULT)
    if p.get("requires_main_part") and f.fault.main_part is None:
        missing.append(Q_MAIN_PART)
    if p.get("max_km") is not None and f.product.mileage_km is None:
        missing.append(Q_MILEAGE)
    if f.fault.kind is not None and f.fault.kind not in p["fault_kinds"]:
        for demand in remedies:
            ctx.add(demand, N, f"{rule.article}只适用于性能/质量故障,本案故障为 {f.fault.kind}", (rule.ref,))
        return
    if _user_damaged(ctx, rule, remedies):
        return
    if p.get("requires_main_part") and f.fault.main_part is False:
        for demand in remedies:
            ctx.add(demand, N, f"{rule.article}只适用于需要更换主要总成/主要零部件的故障", (rule.ref,))
        return
    if f.purchase_date is not None:
        end, extra = ctx.end_of(f.purchase_date, days)
        n = dates.day_number(f.purchase_date, f.raised_on)
        if f.raised_on > end:  # too late whatever the other facts are: do not ask needless questions
            for demand in remedies:
                ctx.add(demand, N, f"售出后第 {n} 日才提出,已超过{rule.article}的{days}日期限(截至 {end})", (rule.ref,))
            return
    if missing or f.purchase_date is None:
        for demand in remedies:
            ctx.add(demand, U, f"判断{rule.article}({days}日内{_label(remedies)})还缺事实", (rule.ref,), tuple(missing))
        return
    if p.get("max_km") is not None and (f.product.mileage_km or 0) > p["max_km"]:
        for demand in remedies:
            ctx.add(demand, N, f"行驶里程 {f.product.mileage_km:g} 公里已超过 {p['max_km']:g} 公里", (rule.ref,))
        return
    moved = f"(最后一日逢休息日,顺延至 {end})" if extra else ""
    for demand in remedies:
        _grant(ctx, demand, f"售出后第 {n} 日提出性能故障,在{days}日内{moved},依{rule.article}可选择{_label(remedies)}",
               (rule.ref, *extra))
    if f.today <= end:
        ctx.deadline(f"{days}日内{_label(remedies)}期限届满", end, (rule.ref, *extra))


def _period(ctx: Context, rule: PackRule) -> tuple[date, int, int] | None:
    f = ctx.facts
    if f.purchase_date is None:
        return None
    years = f.product.warranty_years or int(rule.params["whole_unit_years"])
    end, added = dates.warranty_end(f.purchase_date, years, f.repairs or (), f.waiting_for_parts_days or 0,
                                    ctx.period_cal())
    return end, added, years


def warranty_period(ctx: Context, rule: PackRule) -> None:
    """Free repair within the whole-unit period (or the main-parts period for a main part)."""
    f, p = ctx.facts, rule.params
    period = _period(ctx, rule)
    if period is None:
        ctx.add("repair", U, "判断是否在三包有效期内需要购买日期", (rule.ref,), (Q_PURCHASE,))
        return
    if _user_damaged(ctx, rule, ("repair",)):
        return
    end, added, years = period
    if p.get("max_km") is not None and f.product.mileage_km is not None and f.product.mileage_km > p["max_km"]:
        ctx.add("repair", N, f"行驶里程已超过三包有效期的 {p['max_km']:g} 公里", (rule.ref,))
        return
    ext = f",因维修/待料顺延 {added} 日" if added else ""
    if f.raised_on <= end:
        reason = f"在整机三包有效期内({years}年{ext},至 {end}),依{rule.article}免费修理"
        _grant(ctx, "repair", reason, (rule.ref,))
        _grant(ctx, "waive_fee", reason + ",不应收取修理费", (rule.ref,))
        if f.today <= end:
            ctx.deadline("整机三包有效期届满", end, (rule.ref,))
        return
    main_years = p.get("main_parts_years") or f.product.main_parts_years
    if main_years:
        main_end, _ = dates.warranty_end(f.purchase_date or end, int(main_years), f.repairs or (),
                                         f.waiting_for_parts_days or 0, ctx.period_cal())
        if f.raised_on <= main_end:
            parts = f"({p['main_parts']})" if p.get("main_parts") else ""
            if f.fault.main_part is None:
                ctx.add("repair", U, f"整机三包期已过,但主要部件{parts}三包期至 {main_end}", (rule.ref,), (Q_MAIN_PART,))
            elif f.fault.main_part:
                _grant(ctx, "repair", f"主要部件{parts}在三包有效期内({main_years}年,至 {main_end}),免费修理",
                        (rule.ref,))
            else:
                ctx.add("repair", N, f"整机三包有效期已于 {end} 届满,故障不在主要部件上,可收费修理", (rule.ref,))
            return
    ctx.add("repair", N, f"三包有效期已于 {end} 届满({years}年{ext}),可收费修理", (rule.ref,))


def repeated_repair(ctx: Context, rule: PackRule) -> None:
    """Two repairs inside the 三包 period and still not working: exchange or refund."""
    f, p = ctx.facts, rule.params
    remedies: tuple[str, ...] = p["remedies"]
    needed: int = p["repairs"]
    if p.get("fault_kinds") and f.fault.kind is not None and f.fault.kind not in p["fault_kinds"]:
        for demand in remedies:
            ctx.add(demand, N, f"{rule.article}只适用于{'、'.join(p['fault_kinds'])}故障", (rule.ref,))
        return
    if _user_damaged(ctx, rule, remedies):
        return
    period_rule = ctx.rule("warranty_period")
    period = _period(ctx, period_rule) if period_rule else None
    if period is None or f.repairs is None:
        missing = tuple(q for q, gap in ((Q_PURCHASE, f.purchase_date is None), (Q_REPAIRS, f.repairs is None)) if gap)
        if period_rule is None and f.purchase_date is not None:
            missing = ("三包凭证上的整机三包有效期是几年?",)
        for demand in remedies:
            ctx.add(demand, U, f"判断{rule.article}(三包期内修理{needed}次仍不能使用)还缺事实", (rule.ref,), missing)
        return
    end, _, years = period
    inside = [r for r in f.repairs if r.on <= end and (not p.get("same_problem_only") or r.same_problem is not False)]
    total = len(f.repairs)
    refs = (rule.ref, *((period_rule.ref,) if period_rule else ()))
    if len(inside) < needed:
        reason = (f"共维修 {total} 次,但三包有效期({years}年,至 {end})内只有 {len(inside)} 次,"
                  f"未达到{rule.article}“修理{needed}次仍不能正常使用”的条件")
        for demand in remedies:
            ctx.add(demand, N, reason, refs)
        return
    last = inside[-1]
    failed_again = f.fault.kind not in (None, "none") and (f.fault.first_seen or f.raised_on) > last.on
    if last.fixed is False or failed_again:
        when = (f.fault.first_seen or f.raised_on) if failed_again else last.on
        if when > end:
            for demand in remedies:
                ctx.add(demand, N, f"三包期内修理 {len(inside)} 次,但再次故障发生在三包有效期({end})之后", refs)
            return
        for demand in remedies:
            _grant(ctx, demand, f"三包有效期内已修理 {len(inside)} 次仍不能正常使用,依{rule.article}可{_label(remedies)}"
                    "(退货对已使用的商品可扣折旧费)", refs)
        return
    if last.fixed is None:
        for demand in remedies:
            ctx.add(demand, U, f"三包期内已修理 {len(inside)} 次,需确认是否仍不能正常使用", refs, (Q_STILL_FAILING,))
        return
    for demand in remedies:
        ctx.add(demand, N, f"三包期内修理 {len(inside)} 次,最近一次已修好,目前能正常使用", refs)


def parts_shortage(ctx: Context, rule: PackRule) -> None:
    f, p = ctx.facts, rule.params
    waited = f.waiting_for_parts_days
    if waited is None or f.user_damage:
        return
    for demand in p["remedies"]:
        if waited > p["days"]:
            _grant(ctx, demand, f"因缺零配件自送修起已 {waited} 日未修好,超过 {p['days']} 日,依{rule.article}免费调换",
                    (rule.ref,))
        else:
            ctx.add(demand, N, f"待料 {waited} 日,未超过{rule.article}的 {p['days']} 日", (rule.ref,))


def remote_sale_return(ctx: Context, rule: PackRule) -> None:
    """No-reason return within 7 days of receipt for remote sales, except the listed goods."""
    f, p = ctx.facts, rule.params
    if f.remote_sale is not True:
        return
    exception = f.remote_sale_exception
    if exception is not None:
        names = {"custom_made": "消费者定作的", "perishable": "鲜活易腐的",
                 "digital_unsealed": "在线下载或已拆封的数字化商品", "periodical": "已交付的报纸、期刊"}
        if exception in p["exceptions"]:
            ctx.add("refund", N, f"属于{rule.article}的例外({names.get(exception, exception)}),不适用七日无理由退货",
                    (rule.ref,))
            return
    if f.user_damage:
        ctx.add("refund", N, f"{rule.article}要求退回的商品应当完好,本案商品有人为损坏", (rule.ref,))
        return
    start = f.received_on
    if start is None:
        if f.purchase_date is not None and dates.day_number(f.purchase_date, f.raised_on) <= p["days"]:
            start = f.purchase_date  # received on or after purchase, so still inside the window
        else:
            ctx.add("refund", U, f"{rule.article}自收到商品之日起算", (rule.ref,), (Q_RECEIVED,))
            return
    end, extra = ctx.end_of(start, p["days"])
    n = dates.day_number(start, f.raised_on)
    if f.raised_on <= end:
        ctx.add("refund", E, f"远程购物,收货后第 {n} 日提出,在{p['days']}日内,依{rule.article}可无理由退货"
                "(商品应完好,运费除另有约定外由消费者承担)", (rule.ref, *extra))
        if f.today <= end:
            ctx.deadline("七日无理由退货期限届满", end, (rule.ref, *extra))
    else:
        ctx.add("refund", N, f"收货后第 {n} 日才提出,已超过{rule.article}的{p['days']}日(截至 {end})", (rule.ref,))


def seller_promises(ctx: Context) -> None:
    """The seller's own promises bind it, also where they exceed the law (三包 第四条; 消法 第二十四条)."""
    f, c = ctx.facts, ctx.facts.contract
    law = tuple(r.ref for r in ctx.packs.of_kind("seller_promise", any_product=True))
    if c.no_reason_return_days is not None:
        start = f.received_on or f.purchase_date
        if start is None:
            ctx.add("refund", U, "商家承诺了无理由退货,需要知道收货/购买日期", law, (Q_RECEIVED,))
        elif f.user_damage:
            ctx.add("refund", N, "商家承诺的无理由退货以商品完好为前提,本案有人为损坏", law)
        else:
            end, extra = ctx.end_of(start, c.no_reason_return_days)
            if f.raised_on <= end:
                ctx.add("refund", E, f"商家承诺 {c.no_reason_return_days} 日无理由退货(至 {end}),承诺高于法律的也必须履行"
                        "(定作商品亦然)", (*law, *extra))
            else:
                ctx.add("refund", N, f"已超过商家承诺的 {c.no_reason_return_days} 日无理由退货期(至 {end})", law)
    card = ctx.rule("free_repair_card")
    until = c.free_repair_until
    card_refs = law
    if until is None and c.free_repair_card and card is not None and f.purchase_date is not None:
        until = dates.add_years(f.purchase_date, int(card.params["years"]))
    if card is not None and (c.free_repair_card or c.free_repair_until):
        card_refs = (card.ref, *law)
    for label, limit, refs in (("延保", c.extended_warranty_until, law), ("免费维修卡", until, card_refs)):
        if limit is None:
            continue
        if f.user_damage:
            ctx.add("repair", N, f"{label}不包括人为损坏", refs)
        elif f.raised_on <= limit:
            ctx.add("repair", E, f"公司{label}承诺免费维修至 {limit},承诺必须履行", refs)
            ctx.add("waive_fee", E, f"在公司{label}期内(至 {limit}),不应收取修理费", refs)
        else:
            ctx.add("repair", N, f"公司{label}已于 {limit} 到期", refs)


GOODS_EVALUATORS = {
    "fault_window": fault_window,
    "warranty_period": warranty_period,
    "repeated_repair": repeated_repair,
    "parts_shortage": parts_shortage,
    "remote_sale_return": remote_sale_return,
}


def evaluate_goods(ctx: Context) -> None:
    for kind, evaluator in GOODS_EVALUATORS.items():
        if kind == "warranty_period":
            rule = ctx.rule(kind)  # one period per product: the most specific
            if rule is not None:
                evaluator(ctx, rule)
            continue
        for rule in ctx.rules(kind):
            evaluator(ctx, rule)
    seller_promises(ctx)
