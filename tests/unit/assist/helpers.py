"""Build analyses and policy results by hand, so the assistant's rules are tested on their own."""

from __future__ import annotations

from complaintdesk.analysis.model import (
    Analysis,
    Category,
    ChronicComplainer,
    ChronicSign,
    CustomerType,
    Demand,
    Emotion,
    Span,
    Threat,
)
from complaintdesk.policy.result import DemandVerdict, PolicyResult, RuleRef, Verdict, Violation

FORBIDDEN_IN_DRAFT = ("但是", "可是", "不过")


def span(text: str, start: int = 0) -> Span:
    return Span(start, start + len(text), text)


def analysis(
    *,
    emotion: str = "calm",
    intensity: float = 0.0,
    types: tuple[str, ...] = (),
    demands: tuple[str, ...] = (),
    threats: tuple[str, ...] = (),
    category: str = "other",
    chronic: bool = False,
) -> Analysis:
    return Analysis(
        emotion=Emotion(emotion, intensity, (span("太过分了"),) if emotion != "calm" else ()),
        customer_types=tuple(CustomerType(t, 0.9, (span(f"<{t}>"),)) for t in types),
        chronic_complainer=ChronicComplainer(
            0.8, (ChronicSign("absolute_language", (span("你们总是"),)), ChronicSign("endless_list", (span("还有一件事"),)))
        ) if chronic else ChronicComplainer(),
        demands=tuple(Demand(d, (span(d),)) for d in demands),
        threats=tuple(Threat(t, (span(f"<{t}>"),)) for t in threats),
        category=Category(category, (span(f"<{category}>"),) if category != "other" else ()),
    )


def rule(rule_id: str, source: str = "《部分商品修理更换退货责任规定》", article: str = "第十一条",
         text: str = "在三包有效期内,修理两次,仍不能正常使用的产品……") -> RuleRef:
    return RuleRef(rule_id, source, article, text)


def verdict(demand: str, v: Verdict, *rules: RuleRef, missing: tuple[str, ...] = ()) -> DemandVerdict:
    return DemandVerdict(demand, v, "测试理由", tuple(rules), missing)


def violation_result() -> PolicyResult:
    r = rule("telecom.arrears_suspension", "《中华人民共和国电信条例》", "第三十四条第一款", "……超过收费约定期限30日……")
    return PolicyResult(company_violations=(Violation(r, "逾期 15 日即暂停服务,属违规停机", "wrongful_suspension"),))
