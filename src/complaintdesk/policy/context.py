"""What the evaluators share: the facts, the calendar, the packs, and where findings are collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.policy import dates
from complaintdesk.policy.facts import Facts
from complaintdesk.policy.packs import PackRule, PolicyPacks
from complaintdesk.policy.result import (
    VIOLATION_CODES,
    Deadline,
    Remedy,
    RuleRef,
    Verdict,
    Violation,
    violation_kind,
)
from complaintdesk.punctuation import full_width

# The longest run of Chinese rest days is nine: a window counted only in day numbers can be moved by a
# holiday at its end by at most this much, so a day number inside that margin needs the real dates.
HOLIDAY_MARGIN_DAYS = 9

# The questions an agent asks when a fact is missing (Chinese, as the agent will say them).
Q_PURCHASE = "购买日期（发票日期）是哪天？"
Q_PROOF = "客户没有发票：能否提供其他购买凭证（三包凭证、付款记录、销售单）？"
Q_PRODUCT = "是什么产品？（电视/手机/电脑/家电/汽车/宽带/移动业务/其他）"
Q_FAULT = "故障是什么性质？（性能故障/外观问题/严重安全故障/没有故障）"
Q_MAIN_PART = "故障是否出在主要部件上？"
Q_REPAIRS = "三包期内维修过几次？每次的日期、维修天数、是否修好？"
Q_STILL_FAILING = "最近一次维修后，产品是否仍不能正常使用？"
Q_RECEIVED = "客户是哪天收到商品的？"
Q_MILEAGE = "车辆行驶里程是多少公里？"
Q_PREPAID = "是预付费（充值）账户还是后付费（月结）账户？"
Q_DUE_DATE = "本期费用的缴费截止日是哪天？"
Q_MONTHLY_FEE = "月租（包月）费用是多少元？"
Q_PRICE = "商品价款（实付金额）是多少元？"
Q_OPERATOR = "客户哪天向运营商投诉的？运营商是否已答复、答复后客户是否满意？"
Q_SATISFIED = "客户对运营商的处理结果是否满意？"
Q_RAISED = "客户是哪天向商家提出这个故障的？"
Q_APPEARED = "故障是哪天出现的（购买或安装后第几天）？"
Q_REQUESTED = "客户是哪天（收货后第几天）提出退货的？"
Q_EXACT_DATES = "期限最后一天可能逢节假日顺延，请给出具体日期（购买/收货日和提出日）"
Q_RECORDS = "没有修理记录的那几次维修，能否由修理者补出记录或以其他凭证证明？"
Q_REPAIR_DAYS = "每次修理各用了多少天（累计修理了多少天）？"
Q_CAR_PART = "故障是否需要更换发动机、变速器、动力蓄电池、行驶驱动电机或其主要零部件？是哪个部件？"
Q_CAR_SALE = "购车发票日期（或交车日期）是哪天？（决定适用2012版还是2021版汽车三包规定）"
Q_PROVIDED = "商家是否仍按约定提供服务（有没有停业、闭店装修、迁址、换人或无法预约）？"
Q_REVERIFIED = "客户是否已按要求重新实名核验（或申诉后核查通过）？"
Q_CONSENT = "客户是否订购或同意开通这项收费业务？请运营商出示订购记录（二次确认短信、录音或签字的业务单）"
Q_SPIKE_NOTIFIED = "费用突增时，运营商是否及时告知了客户（短信、电话）并采取了措施（如暂停、封顶）？"
Q_REMAINING = "预付卡还剩多少钱（实付多少、赠送多少、已消费多少）？"


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
        # reasons are composed from rule data and numbers; what the agent reads is Chinese punctuation
        asked = tuple(full_width(q) for q in missing)
        self.findings.append(Finding(demand, verdict, full_width(reason), rules, asked, fallback))

    def deadline(self, what: str, due: date, rules: tuple[RuleRef, ...]) -> None:
        if all(d.what != what for d in self.deadlines):
            self.deadlines.append(Deadline(full_width(what), due, rules))

    def violation(self, rule: PackRule | RuleRef, finding: str, code: str) -> None:
        if violation_kind(code) not in VIOLATION_CODES:
            raise ValueError(f"unlisted violation code {code!r}: add it to policy.result.VIOLATION_CODES")
        ref = rule if isinstance(rule, RuleRef) else rule.ref
        if all(v.code != code for v in self.violations):
            self.violations.append(Violation(ref, full_width(finding), code))

    def judge_day(self, start: date | None, days: int, on: date | None, n: int | None) -> tuple[str, date | None]:
        """Is a day inside an N-day period from ``start``? "in", "out" or "unknown", and the period's end.

        Dates are used when known; a bare day number ("第5日") is judged against the number of days, and
        near the end (where a holiday might move the last day) the real dates are needed.
        """
        if start is not None:
            end, _ = self.end_of(start, days)
            if on is None and n is not None:
                on = start + timedelta(days=n)
            if on is None:
                return "unknown", end
            return ("in" if on <= end else "out"), end
        if n is None:
            return "unknown", None
        if n <= days:
            return "in", None
        if self.holiday_rule is not None and n <= days + HOLIDAY_MARGIN_DAYS:
            return "unknown", None
        return "out", None
