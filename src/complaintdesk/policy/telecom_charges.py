"""Telecom charges the customer disputes: a service never ordered, and a sudden huge bill.

电信条例 第三十条第二款 lets the customer choose the services they use, so a service they did not order or
agree to is not owed and what was charged for it is refunded; whether they agreed is a fact, asked for
(with the operator's order record) when each side says otherwise. 第三十三条 obliges the operator to tell
the customer promptly about charges over five times their three-month average: told in time, the bill
stands at the agreed tariff; not told, the operator answers for the loss that grew meanwhile.
"""

from __future__ import annotations

from complaintdesk.policy.context import Q_CONSENT, Q_SPIKE_NOTIFIED, Context
from complaintdesk.policy.result import Remedy, Verdict

E, N, U = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN


def unconsented_charges(ctx: Context) -> None:
    b = ctx.facts.billing
    rule = ctx.rule("unconsented_charge")
    if rule is None or b.consent is None:
        return
    refs = (rule.ref,)
    amount = f"{b.disputed_charges:g} 元" if b.disputed_charges is not None else "所收费用"
    if b.consent == "given":
        ctx.add("refund", N, "业务是客户订购或同意开通的，按约定资费收费；客户可以退订，已发生的费用不退", refs)
        return
    if b.consent == "disputed":
        ctx.add("refund", U, f"客户说没有订购，运营商不认可；能否退还{amount}取决于是否经客户同意开通"
                f"({rule.source}{rule.article})", refs, (Q_CONSENT,))
        return
    ctx.violation(rule, f"未经客户同意开通业务并收费（{amount}），违反客户自主选择电信业务的权利", "unconsented_charge")
    ctx.add("refund", E, f"客户没有订购也没有同意的业务不应收费，依{rule.source}{rule.article}应退还{amount}", refs)
    if b.disputed_charges is not None:
        ctx.remedies.append(Remedy("refund", b.disputed_charges,
                                   f"退还未经同意收取的费用 {b.disputed_charges:g} 元", refs))


def charge_spike(ctx: Context) -> None:
    b = ctx.facts.billing
    rule = ctx.rule("charge_spike_notice")
    if rule is None or not b.charge_spike:
        return
    refs = (rule.ref,)
    times = f"{rule.params['multiple']:g} 倍"
    if b.spike_notified is True:
        reason = f"费用异常（超过此前平均 {times}）时运营商已及时告知，尽了{rule.article}的义务，费用按约定资费承担"
        ctx.add("waive_fee", N, reason, refs)
        ctx.add("refund", N, reason, refs)
    elif b.spike_notified is False:
        ctx.violation(rule, f"出现超过此前 {rule.params['months']} 个月平均费用 {times}的巨额费用，运营商没有及时告知客户",
                      "spike_not_notified")
        ctx.add("compensation", E, f"运营商没有尽到{rule.article}的及时告知义务，因此扩大的费用损失应由运营商承担"
                "（金额协商确定，或由申诉、诉讼确定）", refs)
    else:
        question = (Q_SPIKE_NOTIFIED,)
        ctx.add("waive_fee", U, f"费用突增时运营商是否及时告知，决定费用由谁承担（{rule.article}）", refs, question)
        ctx.add("compensation", U, f"费用突增时运营商是否及时告知，决定是否赔偿（{rule.article}）", refs, question)
