"""Telecom services: suspension for arrears, restoration, outages, and the road to a ministry appeal."""

from __future__ import annotations

from datetime import date, timedelta

from complaintdesk.policy.context import (
    Q_DUE_DATE,
    Q_MONTHLY_FEE,
    Q_OPERATOR,
    Q_PREPAID,
    Q_REVERIFIED,
    Q_SATISFIED,
    Context,
)
from complaintdesk.policy.packs import PackRule
from complaintdesk.policy.result import Remedy, RuleRef, Verdict
from complaintdesk.policy.telecom_charges import charge_spike, unconsented_charges

E, N, U, D = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN, Verdict.DISCRETIONARY


def _restore_hours(ctx: Context) -> int | None:
    """The hours to restore service after payment, from the pack's rule (None: no such rule in force)."""
    rule = ctx.rule("restore_after_payment")
    return int(rule.params["hours"]) if rule else None


def _restore_due(ctx: Context, paid_on: date, hours: int) -> tuple[date, tuple[RuleRef, ...]]:
    rule = ctx.rule("restore_after_payment")
    # dates carry no time of day: "within 48 hours of paying on day D" is met by the end of D + 2
    return paid_on + timedelta(days=-(-hours // 24)), ((rule.ref,) if rule else ())


def _undecided(ctx: Context, reason: str, refs: tuple[RuleRef, ...], question: str) -> bool:
    """Whether the suspension was lawful is open: so are restoring service and compensation (class 7)."""
    ctx.add("restore_service", U, reason, refs, (question,))
    ctx.add("compensation", U, reason + "；停机是否合规决定能否赔偿", refs, (question,))
    return False


def fraud_risk_suspension(ctx: Context) -> None:
    """反诈法 第十一条、第三十二条: a fraud-risk flag is no unpaid bill; the suspension stands until the customer
    passes re-verification (or an appeal check), and then it must be lifted at once."""
    b = ctx.facts.billing
    rule = ctx.rule("fraud_risk_suspension")
    if rule is None:
        return
    refs = (rule.ref,)
    if b.reason_notified is False:
        ctx.violation(rule, "以涉诈风险停机，却没有告知处置原因、申诉渠道和需要提交的材料", "no_disposal_notice")
    if b.reverified is None:
        reason = "涉诈风险停机：客户重新核验（或申诉核查）是否通过，决定应否恢复"
        ctx.add("restore_service", U, reason, refs, (Q_REVERIFIED,))
        ctx.add("compensation", U, reason + "；依法采取的处置措施不产生赔偿", refs, (Q_REVERIFIED,))
    elif not b.reverified:
        ctx.add("restore_service", N, f"涉诈风险停机，客户未完成重新实名核验（或未通过），依{rule.source}{rule.article}可以暂停；"
                "完成核验或申诉核查通过后即应恢复", refs)
        ctx.add("compensation", N, "依法对涉诈异常号码采取的暂停措施，不产生赔偿", refs)
    elif b.restored_on is not None:
        ctx.add("restore_service", E, f"核验已通过，服务已于 {b.restored_on} 恢复", refs)
    else:
        ctx.add("restore_service", E, f"核验或申诉核查已通过，依{rule.source}{rule.article}应即时解除停机", refs)
        ctx.violation(rule, "客户核验已通过，涉诈风险停机仍未解除", "not_lifted_after_check")
        ctx.deadline("核查通过：即时解除停机", ctx.facts.today, refs)


def suspension(ctx: Context, rule: PackRule) -> bool:
    """Judge a suspension; returns True when it was wrongful (the company is at fault)."""
    b = ctx.facts.billing
    if b.suspended_on is None and not b.suspended:
        return False
    if b.suspension_reason == "fraud_risk":
        fraud_risk_suspension(ctx)
        return False
    refs: tuple[RuleRef, ...] = (rule.ref,)
    prepaid_rule = ctx.rule("prepaid_contract")
    wrongful = False
    if b.prepaid:
        refs = (prepaid_rule.ref,) if prepaid_rule else refs
        if b.balance is not None and b.balance > 0:
            wrongful = True
            ctx.violation(prepaid_rule or rule, f"预付费账户余额尚有 {b.balance:g} 元即停机，不是约定的余额用尽情形，属违规停机",
                          "wrongful_suspension")
            state = f"余额 {b.balance:g} 元时停机，违约"
        else:
            state = f"预付费账户余额用尽，按合同约定停机，不适用{rule.article}的 {rule.params['min_days_past_due']} 日期限"
    elif b.prepaid is None:
        return _undecided(ctx, "判断停机是否合规需要先确认账户类型", refs, Q_PREPAID)
    elif b.due_date is None or b.suspended_on is None:
        return _undecided(ctx, "判断停机是否合规需要缴费截止日和停机日", refs, Q_DUE_DATE)
    else:
        overdue = (b.suspended_on - b.due_date).days
        limit = int(rule.params["min_days_past_due"])
        if overdue <= limit:
            wrongful = True
            ctx.violation(rule, f"逾期 {max(overdue, 0)} 日（{b.due_date} 截止，{b.suspended_on} 停机）即暂停服务，"
                                f"未超过{rule.article}规定的 {limit} 日，属违规停机", "wrongful_suspension")
            state = f"逾期仅 {max(overdue, 0)} 日即停机，违规"
        else:
            state = f"逾期 {overdue} 日（超过 {limit} 日）后停机，合规"
    if not wrongful:
        ctx.add("compensation", N, f"{state}；合规停机不产生赔偿", refs)
    due = None
    hours = _restore_hours(ctx)
    within = f"{hours}小时内" if hours is not None else "及时"
    if b.paid_on is not None and hours is not None:
        due, restore_refs = _restore_due(ctx, b.paid_on, hours)
        ctx.deadline(f"补缴后{within}恢复服务", due, restore_refs)
        refs = (*refs, *restore_refs)
    if b.restored_on is not None:
        ctx.add("restore_service", E, f"{state}；服务已于 {b.restored_on} 恢复", refs)
        restore_rule = ctx.rule("restore_after_payment")
        if due is not None and b.restored_on > due and restore_rule is not None:
            ctx.violation(restore_rule, f"{b.paid_on} 补缴，{b.restored_on} 才恢复，超过{hours}小时", "late_restore")
    elif wrongful:
        ctx.add("restore_service", E, f"{state}；应立即恢复服务，不以先缴费为条件", refs)
        ctx.deadline("违规停机：立即恢复服务", ctx.facts.today, refs)
    elif due is not None:
        ctx.add("restore_service", E, f"{state}；已于 {b.paid_on} 补缴，应在{within}（至 {due}）恢复", refs)
    else:
        ctx.add("restore_service", N, f"{state}；补缴欠费和违约金后{within}恢复", refs)
    return wrongful


def late_fee(ctx: Context, rule: PackRule) -> None:
    b = ctx.facts.billing
    if b.prepaid or b.amount_due is None or b.due_date is None or b.suspension_reason == "fraud_risk":
        return
    end = b.paid_on or ctx.facts.today
    days = max((end - b.due_date).days, 0)
    rate = float(rule.params["late_fee_per_day"])
    amount = round(b.amount_due * rate * days, 2)
    ctx.remedies.append(Remedy("late_fee_max", amount,
                               f"违约金上限 = 欠费 {b.amount_due:g} 元 × {rate * 1000:g}‰ × 逾期 {days} 日 = {amount:g} 元"
                               "（客户应付，公司可酌情减免）", (rule.ref,)))


def outage_compensation(ctx: Context, wrongful_suspension: bool) -> None:
    """Pro-rata refund of the monthly fee for days without service (seed 000: 60 元/月 -> 2 元/日)."""
    f = ctx.facts
    b = f.billing
    days = f.outage_days
    if days is None and wrongful_suspension and b.suspended_on is not None:
        # part-days count as days, as in seed 000 ("先赔您这几日宽带费用")
        days = float(((b.restored_on or f.today) - b.suspended_on).days + 1)
    if days is None:
        return
    company = ctx.rule("pro_rata_compensation")
    statutory = ctx.rule("service_fault_repair")
    refs: list[RuleRef] = []
    reasons: list[str] = []
    if statutory is not None and not wrongful_suspension and days * 24 > int(statutory.params["hours"]):
        refs.append(statutory.ref)
        reasons.append(f"障碍超过 {statutory.params['hours']} 小时未修复，依{statutory.article}免收障碍期间月租")
    if company is not None:
        refs.append(company.ref)
        reasons.append("公司赔付标准：因我方原因不能使用的按日退还月费")
    if not refs:
        return
    verdict = E if (wrongful_suspension or reasons) else D
    ctx.add("compensation", verdict, "；".join(reasons), tuple(refs),
            () if b.monthly_fee is not None else (Q_MONTHLY_FEE,))
    # the company's standard gives the days a month counts; without it, a 30-day month
    per_month = float(company.params["days_per_month"]) if company else 30.0
    if b.monthly_fee is None:
        ctx.remedies.append(Remedy("pro_rata_refund", None, f"月费 × {days:g} 日 ÷ {per_month:g}（缺月费）", tuple(refs)))
        return
    per_day = b.monthly_fee / per_month
    amount = round(per_day * days, 2)
    ctx.remedies.append(Remedy(
        "pro_rata_refund", amount,
        f"{b.monthly_fee:g} 元/月 ÷ {per_month:g} 日 = {per_day:.2f} 元/日 × {days:g} 日 = {amount:.2f} 元",
        tuple(refs),
    ))


def fault_repair(ctx: Context) -> None:
    """A reported outage (not a suspension) must be repaired within 48 hours in towns (72 in the country)."""
    f = ctx.facts
    rule = ctx.rule("service_fault_repair")
    if rule is None or f.billing.suspended_on is not None:
        return
    if f.fault.reported_on is None and f.outage_days is None:
        return
    hours = int(rule.params["hours"])
    ctx.add("restore_service", E, f"依{rule.article}，应自接到障碍申告起 {hours} 小时内修复或者调通"
            "（终端设备原因除外）", (rule.ref,))
    if f.fault.reported_on is not None:
        ctx.deadline(f"障碍修复期限（{hours}小时）", f.fault.reported_on + timedelta(days=-(-hours // 24)), (rule.ref,))


def appeal(ctx: Context) -> None:
    """A ministry appeal needs the operator's answer first (or 15 days of silence)."""
    f = ctx.facts
    rule = ctx.rule("operator_answer")
    if rule is None:
        return
    limit = int(rule.params["days"])
    refs = (rule.ref,)
    if f.complaint_filed_on is not None:
        ctx.deadline("运营商答复投诉期限", f.complaint_filed_on + timedelta(days=limit), refs)
    if f.dissatisfied_with_answer:
        ctx.add("escalate", E, f"已向运营商投诉且对处理结果不满意，符合{rule.article}的申诉条件", refs)
    elif f.operator_answered_within_days is not None:
        if f.operator_answered_within_days > limit:
            ctx.add("escalate", E, f"运营商 {f.operator_answered_within_days} 日才答复，超过 {limit} 日，可向申诉受理机构申诉",
                    refs)
        elif f.dissatisfied_with_answer is False:
            ctx.add("escalate", N, "运营商已按时答复且客户满意，不符合申诉条件", refs)
        else:
            ctx.add("escalate", U, "运营商已按时答复，能否申诉取决于客户是否满意", refs, (Q_SATISFIED,))
    elif f.complaint_filed_on is not None:
        waited = (f.today - f.complaint_filed_on).days
        due = f.complaint_filed_on + timedelta(days=limit)
        if waited > limit:
            ctx.add("escalate", E, f"投诉已 {waited} 日未获答复，超过 {limit} 日，可向申诉受理机构申诉", refs)
        else:
            ctx.add("escalate", N, f"运营商仍在 {limit} 日答复期内（至 {due}），应先由运营商处理；客服应在期限内给出答复",
                    refs)
    else:
        ctx.add("escalate", U, f"{rule.article}：须先向运营商投诉", refs, (Q_OPERATOR,))


def regulator_deadlines(ctx: Context) -> None:
    reg = ctx.facts.regulator
    if reg is None:
        return
    cal = ctx.calendar
    if reg.body == "telecom_appeal":
        rule = ctx.rule("appeal_time_limits")
        if rule is not None and reg.filed_on is not None:
            p = rule.params
            ctx.deadline("申诉受理机构作出是否受理的决定",
                         cal.add_working_days(reg.filed_on, int(p["accept_working_days"])), (rule.ref,))
            ctx.deadline("申诉受理机构答复申诉人", reg.filed_on + timedelta(days=int(p["answer_days"])), (rule.ref,))
        return
    rule = ctx.rule("regulator_time_limits")
    if rule is None:
        return
    p = rule.params
    if reg.filed_on is not None:
        ctx.deadline("市场监管部门作出是否受理投诉的决定",
                     cal.add_working_days(reg.filed_on, int(p["accept_working_days"])), (rule.ref,))
    if reg.accepted_on is not None:
        ctx.deadline("调解期限（未达成协议则终止调解）",
                     cal.add_working_days(reg.accepted_on, int(p["mediation_working_days"])), (rule.ref,))


def evaluate_telecom(ctx: Context) -> None:
    wrongful = False
    rule = ctx.rule("arrears_suspension")
    if rule is not None:
        wrongful = suspension(ctx, rule)
        late_fee(ctx, rule)
    outage_compensation(ctx, wrongful)
    fault_repair(ctx)
    unconsented_charges(ctx)
    charge_spike(ctx)
    appeal(ctx)
