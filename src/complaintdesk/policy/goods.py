"""Goods: 三包 windows and periods, repeated repairs, parts shortage (remote sales: remote.py; cars: car.py).

Periods concern when a fault *appeared* and when the customer *raised* it; both are facts. A date the
case does not give is never filled in with ``today``: the answer is then a question, unless every
possible day would give the same answer (raised no later than today, and today is still inside).
"""

from __future__ import annotations

from datetime import date, timedelta

from complaintdesk.policy import dates
from complaintdesk.policy.context import (
    Q_APPEARED,
    Q_EXACT_DATES,
    Q_FAULT,
    Q_MAIN_PART,
    Q_PROOF,
    Q_PURCHASE,
    Q_RAISED,
    Q_RECORDS,
    Q_REPAIRS,
    Q_STILL_FAILING,
    Context,
)
from complaintdesk.policy.facts import FAULT_WORDS, ProductKind, Repair
from complaintdesk.policy.packs import PackRule
from complaintdesk.policy.remote import remote_sale_return, seller_promises
from complaintdesk.policy.result import RuleRef, Verdict

E, N, U = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN
_NAMES = {"refund": "退货", "exchange": "换货", "repair": "免费修理"}


def _label(remedies: tuple[str, ...]) -> str:
    return "、".join(_NAMES.get(r, r) for r in remedies)


def sale_start(ctx: Context) -> date | None:
    """Where 三包 periods start: the invoice date; for flat TVs the end of installation (2011年第20号公告)."""
    f = ctx.facts
    if f.product.kind is ProductKind.TV and f.installed_on is not None:
        return f.installed_on
    return f.purchase_date


def raised_date(ctx: Context) -> date | None:
    f, start = ctx.facts, sale_start(ctx)
    if f.fault.reported_on is not None:
        return f.fault.reported_on
    if start is not None and f.fault.reported_day is not None:
        return start + timedelta(days=f.fault.reported_day)
    return None


def _damage_refs(ctx: Context) -> tuple[RuleRef, ...]:
    rule = ctx.rule("warranty_exclusion")
    return (rule.ref,) if rule else ()


def grant(ctx: Context, demand: str, reason: str, refs: tuple[RuleRef, ...]) -> None:
    """A 三包 right, unless there is no invoice: then it turns on other proof of purchase (释义 to 第八条)."""
    if ctx.facts.invoice is False:
        ctx.add(demand, U, reason + "；但客户没有发票，三包凭发票及三包凭证办理，能以其他凭证证明的仍应三包",
                (*refs, *_damage_refs(ctx)), (Q_PROOF,))
    else:
        ctx.add(demand, E, reason, refs)


def _burden_note(ctx: Context) -> tuple[str, tuple[RuleRef, ...]]:
    """Within six months of receipt the seller must prove the damage (消法 第二十三条): say so."""
    f = ctx.facts
    rule = ctx.rule("burden_of_proof")
    start = f.received_on or f.purchase_date
    raised = raised_date(ctx) or f.today
    if rule is None or start is None or raised > dates.add_months(start, int(rule.params["months"])):
        return "", ()
    return (f"；注意：收货后{rule.params['months']}个月内发生争议，由经营者举证（依{rule.article}），"
            "须有检测证据证明人为损坏"), (rule.ref,)


def _user_damaged(ctx: Context, rule: PackRule, remedies: tuple[str, ...]) -> bool:
    if ctx.facts.user_damage is not True:
        return False
    note, burden = _burden_note(ctx)
    for demand in remedies:
        ctx.add(demand, N, f"人为损坏（使用、维护、保管不当）不实行三包，{rule.article}不适用；可收费修理{note}",
                (rule.ref, *_damage_refs(ctx), *burden))
    return True


def _all(ctx: Context, remedies: tuple[str, ...], verdict: Verdict, reason: str, refs: tuple[RuleRef, ...],
         missing: tuple[str, ...] = ()) -> None:
    for demand in remedies:
        ctx.add(demand, verdict, reason, refs, missing)


def fault_window(ctx: Context, rule: PackRule) -> None:
    """7-day / 15-day windows: the fault must appear, and be raised, within them."""
    f, p = ctx.facts, rule.params
    remedies: tuple[str, ...] = p["remedies"]
    days: int = p["days"]
    refs = (rule.ref,)
    no_fault_given = f.fault.kind is None and f.fault.first_seen is None and f.fault.reported_on is None \
        and f.fault.appeared_day is None and f.fault.reported_day is None
    if no_fault_given and (f.requested_on is not None or f.requested_day is not None):
        return  # a no-reason return was asked: there is no fault for a quality window to judge
    if f.fault.kind is not None and f.fault.kind not in p["fault_kinds"]:
        _all(ctx, remedies, N, f"{rule.article}只适用于性能/质量故障，本案是{FAULT_WORDS.get(f.fault.kind, '其他问题')}", refs)
        return
    if _user_damaged(ctx, rule, remedies):
        return
    if f.fault.in_warranty is False:
        _all(ctx, remedies, N, f"故障发生在三包有效期之后，更不在{rule.article}的{days}日内", refs)
        return
    start = sale_start(ctx)
    appeared, end = ctx.judge_day(start, days, f.fault.first_seen, f.fault.appeared_day)
    raised, _ = ctx.judge_day(start, days, f.fault.reported_on, f.fault.reported_day)
    within = f"{days}日内" + (f"（截至 {end}）" if end else "")
    if appeared == "out":
        _all(ctx, remedies, N, f"故障出现在售出{within}之后，不适用{rule.article}", refs)
        return
    if raised == "out":
        _all(ctx, remedies, N, f"故障在售出{within}之后才向商家提出，已超过{rule.article}的期限", refs)
        return
    missing: list[str] = []
    if f.fault.kind is None:
        missing.append(Q_FAULT)
    if raised == "unknown" and not (end is not None and f.today <= end):
        if start is None and f.fault.reported_day is None and f.fault.appeared_day is None:
            missing.append(Q_PURCHASE)
        elif start is None and f.fault.reported_day is None:
            missing.append(Q_RAISED)  # the appearance is placed; the raising day is not
        elif start is None:
            missing.append(Q_EXACT_DATES)  # a day number just past the end: a holiday may have moved it
        else:
            missing += [Q_APPEARED, Q_RAISED] if appeared == "unknown" else [Q_RAISED]
    if missing:
        _all(ctx, remedies, U, f"判断{rule.article}（{days}日内{_label(remedies)}）还缺事实：故障何时出现、何时提出",
             refs, tuple(dict.fromkeys(missing)))
        return
    extra: tuple[RuleRef, ...] = ()
    if start is not None:
        end, extra = ctx.end_of(start, days)
    moved = f"（最后一日逢休息日，顺延至 {end}）" if extra else ""
    for demand in remedies:
        grant(ctx, demand, f"性能故障在售出{within}出现并提出{moved}，依{rule.article}可选择{_label(remedies)}",
              (rule.ref, *extra))
    if end is not None and f.today <= end:
        ctx.deadline(f"{days}日内{_label(remedies)}期限届满", end, (rule.ref, *extra))


def _period(ctx: Context, rule: PackRule) -> tuple[date, int, int] | None:
    f, start = ctx.facts, sale_start(ctx)
    if start is None:
        return None
    years = f.product.warranty_years or int(rule.params["whole_unit_years"])
    dated = [r for r in f.repairs or () if r.on is not None]
    end, added = dates.warranty_end(start, years, dated, f.waiting_for_parts_days or 0, ctx.period_cal())
    return end, added, years


def warranty_period(ctx: Context, rule: PackRule) -> None:
    """Free repair within the whole-unit period (or the main-parts period for a main part)."""
    f, p = ctx.facts, rule.params
    if _user_damaged(ctx, rule, ("repair",)):
        return
    period = _period(ctx, rule)
    raised = raised_date(ctx)
    if period is None:
        if f.fault.in_warranty is True:
            grant(ctx, "repair", f"故障发生在三包有效期内，依{rule.article}免费修理", (rule.ref,))
        else:
            ctx.add("repair", U, "判断是否在三包有效期内需要购买日期", (rule.ref,), (Q_PURCHASE,))
        return
    end, added, years = period
    ext = f"，因维修/待料顺延 {added} 日" if added else ""
    inside = (raised <= end) if raised is not None else (f.today <= end or f.fault.in_warranty)
    if inside:
        reason = f"在整机三包有效期内（{years}年{ext}，至 {end}），依{rule.article}免费修理"
        grant(ctx, "repair", reason, (rule.ref,))
        grant(ctx, "waive_fee", reason + "，不应收取修理费", (rule.ref,))
        if f.today <= end:
            ctx.deadline("整机三包有效期届满", end, (rule.ref,))
        return
    if raised is None and f.fault.in_warranty is None:
        ctx.add("repair", U, f"整机三包有效期至 {end}，要看故障是哪天提出的", (rule.ref,), (Q_RAISED,))
        return
    when = raised or f.today
    main_years = p.get("main_parts_years") or f.product.main_parts_years
    if main_years:
        main_end, _ = dates.warranty_end(sale_start(ctx) or end, int(main_years), (), 0, ctx.period_cal())
        if when <= main_end:
            parts = f"({p['main_parts']})" if p.get("main_parts") else ""
            if f.fault.main_part is None:
                ctx.add("repair", U, f"整机三包期已过，但主要部件{parts}三包期至 {main_end}", (rule.ref,), (Q_MAIN_PART,))
            elif f.fault.main_part:
                grant(ctx, "repair", f"主要部件{parts}在三包有效期内（{main_years}年，至 {main_end}），免费修理", (rule.ref,))
            else:
                ctx.add("repair", N, f"整机三包有效期已于 {end} 届满，故障不在主要部件上，可收费修理", (rule.ref,))
            return
    ctx.add("repair", N, f"三包有效期已于 {end} 届满（{years}年{ext}），可收费修理", (rule.ref,))


def _inside_repairs(ctx: Context, repairs: tuple[Repair, ...], end: date | None, same_only: bool) -> tuple[list[Repair], bool]:
    """Repairs inside the period (and for the same problem); whether any could not be placed."""
    in_warranty = ctx.facts.fault.in_warranty
    inside: list[Repair] = []
    undecided = False
    for rep in repairs:
        if same_only and rep.same_problem is False:
            continue
        if rep.on is not None and end is not None:
            if rep.on <= end:
                inside.append(rep)
        elif in_warranty is True:
            inside.append(rep)
        elif in_warranty is None:
            undecided = True
    return inside, undecided


def repeated_repair(ctx: Context, rule: PackRule) -> None:
    """Two repairs inside the 三包 period, with the repairer's records, and still not working: exchange or refund."""
    f, p = ctx.facts, rule.params
    remedies: tuple[str, ...] = p["remedies"]
    needed: int = p["repairs"]
    if p.get("fault_kinds") and f.fault.kind is not None and f.fault.kind not in p["fault_kinds"]:
        _all(ctx, remedies, N, f"{rule.article}只适用于{'、'.join(p['fault_kinds'])}故障", (rule.ref,))
        return
    if _user_damaged(ctx, rule, remedies):
        return
    period_rule = ctx.rule("warranty_period")
    period = _period(ctx, period_rule) if period_rule else None
    refs = (rule.ref, *((period_rule.ref,) if period_rule else ()))
    if f.repairs is None:
        _all(ctx, remedies, U, f"判断{rule.article}（三包期内修理{needed}次仍不能使用）还缺维修记录", refs, (Q_REPAIRS,))
        return
    end = period[0] if period else None
    if f.fault.in_warranty is False:
        _all(ctx, remedies, N, f"维修和故障都在三包有效期之后，不适用{rule.article}", refs)
        return
    inside, undecided = _inside_repairs(ctx, f.repairs, end, bool(p.get("same_problem_only")))
    if len(inside) < needed:
        if undecided or (period is None and any(r.on is not None for r in f.repairs)):
            _all(ctx, remedies, U, f"要知道哪些维修在三包有效期内，才能判断{rule.article}", refs, (Q_PURCHASE,))
        else:
            when = f"三包有效期（{period[2]}年，至 {end}）内" if period else "三包有效期内"
            _all(ctx, remedies, N, f"共维修 {len(f.repairs)} 次，但{when}只有 {len(inside)} 次，"
                 f"未达到{rule.article}“修理{needed}次仍不能正常使用”的条件", refs)
        return
    recorded = [r for r in inside if r.recorded is not False]
    last = inside[-1]
    raised = raised_date(ctx)
    again = f.fault.first_seen or raised
    failed_again = f.fault.kind not in (None, "none") and last.on is not None and again is not None and again > last.on
    if failed_again and end is not None and again is not None and again > end:
        _all(ctx, remedies, N, f"三包期内修理 {len(inside)} 次，但再次故障发生在三包有效期（{end}）之后", refs)
        return
    still_failing = last.fixed is False or failed_again
    if len(recorded) < needed and still_failing:
        _all(ctx, remedies, U, f"三包期内修理 {len(inside)} 次仍不能正常使用，但其中 {len(inside) - len(recorded)} 次没有修理记录；"
             f"{rule.article}要凭修理者的修理记录和证明办理", refs, (Q_RECORDS,))
        return
    if still_failing:
        _all(ctx, remedies, E, f"三包有效期内已修理 {len(inside)} 次仍不能正常使用，依{rule.article}可{_label(remedies)}"
             "（退货对已使用的商品可扣折旧费）", refs)
        return
    if last.fixed is None:
        _all(ctx, remedies, U, f"三包期内已修理 {len(inside)} 次，需确认是否仍不能正常使用", refs, (Q_STILL_FAILING,))
        return
    _all(ctx, remedies, N, f"三包期内修理 {len(inside)} 次，最近一次已修好，目前能正常使用", refs)


def parts_shortage(ctx: Context, rule: PackRule) -> None:
    f, p = ctx.facts, rule.params
    waited = f.waiting_for_parts_days
    if waited is None or f.user_damage:
        return
    for demand in p["remedies"]:
        if waited > p["days"]:
            grant(ctx, demand, f"因缺零配件自送修起已 {waited} 日未修好，超过 {p['days']} 日，依{rule.article}免费调换",
                  (rule.ref,))
        else:
            ctx.add(demand, N, f"待料 {waited} 日，未超过{rule.article}的 {p['days']} 日", (rule.ref,))


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
