"""Money paid in advance (消法 第五十三条): a business that stops providing as agreed owes the rest back."""

from __future__ import annotations

from complaintdesk.policy.context import Q_PROVIDED, Q_REMAINING, Context
from complaintdesk.policy.result import Remedy, Verdict

E, N, U, D = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN, Verdict.DISCRETIONARY


def _remaining(ctx: Context) -> tuple[float | None, str]:
    """The money still owed: as the source computed it, or paid less used, scaled down for bonus value."""
    pre = ctx.facts.prepayment
    if pre is None:
        return None, "缺预付金额"
    if pre.remaining is not None:
        return round(pre.remaining, 2), f"剩余未消费金额 {pre.remaining:g} 元"
    if pre.paid is None or pre.consumed is None:
        return None, "实付金额 − 已消费金额（缺已消费金额）" if pre.paid is not None else "缺实付金额"
    if pre.bonus:
        face = pre.paid + pre.bonus
        amount = round((face - pre.consumed) * pre.paid / face, 2)
        return amount, (f"（卡面 {face:g} 元 − 已用 {pre.consumed:g} 元）× 实付 {pre.paid:g} ÷ 卡面 {face:g}"
                        f" = {amount:g} 元（按实付与卡面之比折算赠送部分）")
    amount = round(pre.paid - pre.consumed, 2)
    return amount, f"实付 {pre.paid:g} 元 − 已消费 {pre.consumed:g} 元 = {amount:g} 元"


def evaluate_prepaid(ctx: Context) -> None:
    pre = ctx.facts.prepayment
    for rule in ctx.rules("prepaid_refund"):
        refs = (rule.ref,)
        provided = pre.provided_as_agreed if pre is not None else None
        if provided is None:
            ctx.add("refund", U, f"依{rule.article}，商家未按约定提供服务的应退回预付款；要先确认是否仍按约定提供", refs,
                    (Q_PROVIDED,))
            continue
        if provided:
            ctx.add("refund", D, f"商家仍按约定提供服务，消费者因自身原因退卡，{rule.article}不给法定退款权；"
                    "“概不退款”之类格式条款未必有效，可协商按已用部分结算", refs)
            continue
        amount, computation = _remaining(ctx)
        ctx.add("refund", E, f"商家未按约定提供服务（停业、闭店、迁址或未开业），依{rule.article}应按消费者要求退回预付款"
                "并承担利息", refs, () if amount is not None else (Q_REMAINING,))
        ctx.remedies.append(Remedy("refund", amount, f"退回预付款：{computation}，另加利息", refs))
