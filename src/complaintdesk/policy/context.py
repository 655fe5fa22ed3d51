"""What the evaluators share: the facts, the calendar, the packs, and where findings are collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.policy import dates
from complaintdesk.policy.facts import Facts
from complaintdesk.policy.packs import PackRule, PolicyPacks
from complaintdesk.policy.result import Deadline, Remedy, RuleRef, Verdict, Violation

# The questions an agent asks when a fact is missing (Chinese, as the agent will say them).
Q_PURCHASE = "购买日期(发票日期)是哪天?"
Q_PROOF = "客户没有发票:能否提供其他购买凭证(三包凭证、付款记录、销售单)?"
Q_PRODUCT = "是什么产品?(电视/手机/电脑/家电/汽车/宽带/移动业务/其他)"
Q_FAULT = "故障是什么性质?(性能故障/外观问题/严重安全故障/没有故障)"
Q_MAIN_PART = "故障是否出在主要部件上?"
Q_REPAIRS = "三包期内维修过几次?每次的日期、维修天数、是否修好?"
Q_STILL_FAILING = "最近一次维修后,产品是否仍不能正常使用?"
Q_RECEIVED = "客户是哪天收到商品的?"
Q_MILEAGE = "车辆行驶里程是多少公里?"
Q_PREPAID = "是预付费(充值)账户还是后付费(月结)账户?"
Q_DUE_DATE = "本期费用的缴费截止日是哪天?"
Q_MONTHLY_FEE = "月租(包月)费用是多少元?"
Q_PRICE = "商品价款(实付金额)是多少元?"
Q_OPERATOR = "客户哪天向运营商投诉的?运营商是否已答复、答复后客户是否满意?"
Q_SATISFIED = "客户对运营商的处理结果是否满意?"


@dataclass(frozen=True)
class Finding:
    """One rule's word on one demand. ``fallback`` findings count only when no other rule spoke."""

    demand: str
    verdict: Verdict
    reason: str
    rules: tuple[RuleRef, ...] = ()
    missing: tuple[str, ...] = ()
    fallback: bool = False


@dataclass
class Context:
    facts: Facts
    calendar: BusinessCalendar
    packs: PolicyPacks
    findings: list[Finding] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    remedies: list[Remedy] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def product_kind(self) -> str | None:
        kind = self.facts.product.kind
        return kind.value if kind is not None else None

    def rules(self, kind: str) -> list[PackRule]:
        return self.packs.of_kind(kind, self.product_kind)

    def rule(self, kind: str) -> PackRule | None:
        return self.packs.first(kind, self.product_kind)

    @property
    def holiday_rule(self) -> PackRule | None:
        return self.packs.first("period_end_holiday")

    def period_cal(self) -> BusinessCalendar | None:
        """The calendar for moving a period's end off a rest day, if a pack says periods move."""
        return self.calendar if self.holiday_rule is not None else None

    def end_of(self, start: date, days: int) -> tuple[date, tuple[RuleRef, ...]]:
        """End of an N-day period, and the extra rule cited when a rest day moved it."""
        plain = dates.window_end(start, days, None)
        end = dates.window_end(start, days, self.period_cal())
        rule = self.holiday_rule
        return end, ((rule.ref,) if end != plain and rule is not None else ())

    def add(self, demand: str, verdict: Verdict, reason: str, rules: tuple[RuleRef, ...] = (),
            missing: tuple[str, ...] = (), *, fallback: bool = False) -> None:
        self.findings.append(Finding(demand, verdict, reason, rules, missing, fallback))

    def deadline(self, what: str, due: date, rules: tuple[RuleRef, ...]) -> None:
        if all(d.what != what for d in self.deadlines):
            self.deadlines.append(Deadline(what, due, rules))

    def violation(self, rule: PackRule, finding: str) -> None:
        self.violations.append(Violation(rule.ref, finding))
