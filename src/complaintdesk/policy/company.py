"""Rules for every product: fraud, answers, dispute channels, dated promises, goodwill and authority."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from complaintdesk.policy.context import Q_PRICE, Context
from complaintdesk.policy.facts import ROLES, Offer, parse_offer
from complaintdesk.policy.packs import PolicyPacks, load_packs
from complaintdesk.policy.result import Authority, Remedy, RuleRef, Verdict

E, N, U, D = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN, Verdict.DISCRETIONARY
ROLE_ZH = {"agent": "坐席", "team_lead": "班组长", "manager": "中心经理"}


def fraud(ctx: Context) -> None:
    """消法 第二十条 / 第五十五条: misrepresentation is itself a violation; refund plus three times the price (≥ 500 元)."""
    f = ctx.facts
    if f.misrepresented is False:
        for rule in ctx.rules("fraud_compensation"):
            ctx.add("compensation", N, f"经营者不构成欺诈，不适用{rule.article}的惩罚性赔偿（合同约定的违约金另算）", (rule.ref,))
        return
    if f.misrepresented is not True:
        return
    honest = ctx.rule("answer_inquiry")
    for rule in ctx.rules("fraud_compensation"):
        refs = (rule.ref, *((honest.ref,) if honest else ()))
        ctx.violation(rule, f"以虚假或引人误解的信息销售、隐瞒重要事实（违反{honest.article if honest else '第二十条'}），"
                      f"构成欺诈，依{rule.article}应退款并增加赔偿", "fraud")
        mult, minimum = float(rule.params["multiplier"]), float(rule.params["minimum"])
        missing = () if f.price is not None else (Q_PRICE,)
        ctx.add("refund", E, f"经营者有欺诈行为，依{rule.article}退还价款并增加赔偿", refs, missing)
        ctx.add("compensation", E, f"欺诈：依{rule.article}增加赔偿价款的 {mult:g} 倍，不足 {minimum:g} 元的按 {minimum:g} 元",
                refs, missing)
        _multiple(ctx, refs, "punitive_compensation", mult, minimum)


def _multiple(ctx: Context, refs: tuple[RuleRef, ...], kind: str, mult: float, minimum: float) -> None:
    f = ctx.facts
    if f.price is None:
        ctx.remedies.append(Remedy(kind, None, f"max（价款 × {mult:g}, {minimum:g}）元（缺价款）", refs))
        return
    extra = max(round(f.price * mult, 2), minimum)
    floor = "（不足最低额，按最低额）" if f.price * mult < minimum else ""
    if all(r.kind != "refund" for r in ctx.remedies):
        ctx.remedies.append(Remedy("refund", f.price, f"退还价款 {f.price:g} 元", refs))
    ctx.remedies.append(Remedy(kind, extra, f"增加赔偿 = max（{f.price:g} 元 × {mult:g}, {minimum:g} 元）= {extra:g} 元{floor}", refs))


def food_safety(ctx: Context) -> None:
    """食品安全法 第一百四十八条第二款: food below the safety standards owes ten times the price (≥ 1000 元)."""
    f = ctx.facts
    if f.food_unsafe is None:
        return
    for rule in ctx.rules("food_safety_compensation"):
        refs = (rule.ref,)
        mult, minimum = float(rule.params["multiplier"]), float(rule.params["minimum"])
        if not f.food_unsafe:
            ctx.add("compensation", N, f"食品符合安全标准（标签瑕疵不影响安全、不致误导），不适用{rule.article}的 {mult:g} 倍赔偿",
                    refs)
            continue
        ctx.violation(rule, "经营不符合食品安全标准的食品（如进口食品无中文标签）", "food_unsafe")
        missing = () if f.price is not None else (Q_PRICE,)
        ctx.add("refund", E, f"食品不符合安全标准，退货退款，并可依{rule.article}要求价款 {mult:g} 倍的赔偿金", refs, missing)
        ctx.add("compensation", E, f"依{rule.article}：价款 {mult:g} 倍的赔偿金，不足 {minimum:g} 元的为 {minimum:g} 元", refs, missing)
        _multiple(ctx, refs, "food_compensation", mult, minimum)


def general(ctx: Context, goods: bool) -> None:
    for rule in ctx.rules("answer_inquiry"):
        ctx.add("explanation", E, f"依{rule.article}，对商品或服务的询问应当作出真实、明确的答复", (rule.ref,))
    if goods:
        for rule in ctx.rules("dispute_channels"):
            ctx.add("escalate", E, f"依{rule.article}，客户可请求消协调解或向市场监管部门投诉；公司内部应第一时间上报",
                    (rule.ref,))


def promises(ctx: Context) -> None:
    """A dated promise (seed 002: recharge gift within 48 h): before it runs out, the answer is to wait."""
    f = ctx.facts
    if f.promise is None:
        return
    now = f.now or datetime(f.today.year, f.today.month, f.today.day, 23, 59)
    for rule in ctx.packs.of_kind("promise_window", any_product=True):
        if rule.params["promise"] != f.promise.kind:
            continue
        due = f.promise.started_at + timedelta(hours=int(rule.params["hours"]))
        elapsed = (now - f.promise.started_at).total_seconds() / 3600
        if f.promise.fulfilled:
            ctx.add("expedite", N, "承诺已兑现，无需加急", (rule.ref,))
        elif now <= due:
            ctx.add("expedite", N, f"请等待：承诺在 {rule.params['hours']} 小时内（至 {due:%Y-%m-%d %H:%M}）兑现，"
                    f"现已过 {elapsed:.1f} 小时，尚未超时；可主动查询并告诉客户自助查询方式", (rule.ref,))
            ctx.deadline(f"承诺兑现时限（{due:%H:%M}前）", due.date(), (rule.ref,))
        else:
            ctx.add("expedite", E, f"已超过承诺的 {rule.params['hours']} 小时（至 {due:%Y-%m-%d %H:%M}）仍未兑现，应立即处理",
                    (rule.ref,))
            ctx.violation(rule, f"承诺 {rule.params['hours']} 小时内兑现，至今（已过 {elapsed:.0f} 小时）未兑现",
                          "promise_broken")


def goodwill(ctx: Context) -> None:
    for rule in ctx.packs.of_kind("goodwill", any_product=True):
        for demand in rule.params["demands"]:
            ctx.add(demand, D, "法律和承诺没有规定，公司可在授权范围内酌情处理", (rule.ref,), fallback=True)


def authority_for(role: str | None, offer: Offer | Mapping[str, Any] | None, packs: PolicyPacks | None = None,
                  entitled: Iterable[str] = ()) -> Authority:
    """May ``role`` make ``offer`` without escalating? Also used by the API to enforce the limits.

    ``offer`` is an ``Offer`` or a mapping ``{"kind": str, "amount": number}``.
    """
    packs = packs or load_packs()
    if isinstance(offer, Mapping):
        offer = parse_offer(offer)
    rule = packs.first("authority_limits")
    refs = (rule.ref,) if rule else ()
    if offer is None:
        return Authority(False, None, "尚未拟定给客户的方案：先定好底线，再与客户沟通", refs)
    if role is None or role not in ROLES:
        return Authority(False, None, "不知道处理人的角色（坐席、班组长或经理），无法判断权限", refs)
    if rule is None:
        return Authority(False, None, "规则包中没有授权表（authority_limits），请上报", refs)
    owed = "（客户依法或依承诺有权获得，不得拒绝，只是需要上报审批）" if offer.kind in set(entitled) else ""
    limit = rule.params[role].get(offer.kind)
    if limit is not None and offer.amount <= limit:
        return Authority(True, None, f"{ROLE_ZH[role]}可直接承诺 {offer.kind} 至 {limit:g} 元，本方案 {offer.amount:g} 元", refs)
    start = ROLES.index(role) + 1
    for higher in ROLES[start:]:
        higher_limit = rule.params[higher].get(offer.kind)
        if higher_limit is not None and offer.amount <= higher_limit:
            mine = f"上限 {limit:g} 元" if limit is not None else "无此类方案的权限"
            return Authority(False, higher, f"{ROLE_ZH[role]}{mine}，本方案 {offer.amount:g} 元，"
                             f"须第一时间报{ROLE_ZH[higher]}拍板（其上限 {higher_limit:g} 元）{owed}", refs)
    escalate = "manager" if role != "manager" else None
    return Authority(False, escalate, f"{offer.kind} {offer.amount:g} 元超出授权表所有角色的上限，"
                     f"须报{'中心经理转' if escalate else ''}总部审批{owed}", refs)
