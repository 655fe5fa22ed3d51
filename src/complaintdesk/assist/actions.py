"""Next best actions, the questions to ask and what to avoid — in the order a senior handler would work:
emotion first, then understanding, the stage's own steps, what the policy gives, the customer's type.
"""

from __future__ import annotations

import re

from complaintdesk.assist.case import Case, rule_evidence, span_evidence
from complaintdesk.assist.decide import ApologyChoice, chronic_evidence, company_fault
from complaintdesk.assist.matters import matters_in
from complaintdesk.assist.model import Avoid, Escalation, Evidence, Expectation, NextAction, Technique
from complaintdesk.assist.reading import ask, settled
from complaintdesk.assist.specs import ActionSpec, Playbook
from complaintdesk.assist.wording import full_width
from complaintdesk.policy.result import Verdict

_PARENS = re.compile(r"[((][^))]*[))]")
SINCERITY_STAGES = frozenset({"accepted", "calming", "clarifying", "proposing", "acting", "reopened"})
POLICY_STAGES = SINCERITY_STAGES


def _act(spec: ActionSpec, evidence: tuple[Evidence, ...] = (), key: str | None = None, **values: str) -> NextAction:
    text = spec.action.format(**values) if values else spec.action
    return NextAction(key or spec.key, text, spec.why, spec.source, evidence)


def demand_label(pb: Playbook, demand: str) -> str:
    return pb.demand_labels.get(demand, demand)


def rule_short(case: Case, demand: str) -> str:
    """The rule a verdict rests on as a person names it (the pack's bracketed notes left out)."""
    if case.policy is None:
        return ""
    verdict = case.policy.verdict_for(demand)
    if verdict is None or not verdict.rules:
        return ""
    r = verdict.rules[0]
    return _PARENS.sub("", f"{r.source}{r.article}").strip()


def questions(case: Case, pb: Playbook) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(questions for the customer, in the customer's terms; notes for the agent on the questions the
    complaint already answers). From the policy engine's missing facts, else sensible defaults."""
    raw: list[str] = []
    if case.policy is not None:
        for d in case.policy.demands:
            raw += d.missing_facts
    if case.policy is None and not case.facts and not case.text:
        raw.append(pb.default_questions["no_facts"])
    if not case.demands:
        raw.append(pb.default_questions["no_demand"])
    asked, answered = ask(case, pb, list(dict.fromkeys(raw)))
    return tuple(asked), tuple(answered)


def _policy_actions(case: Case, pb: Playbook) -> list[NextAction]:
    out: list[NextAction] = []
    policy = case.policy
    if policy is None:
        return out
    for v in policy.company_violations:
        out.append(NextAction("admit_violation", pb.policy["violation"].action.format(finding=v.finding),
                              pb.policy["violation"].why, pb.policy["violation"].source, (rule_evidence(v.rule),)))
    done = settled(case, pb)
    for r in policy.remedies:
        spec = pb.policy["remedy"]
        label = pb.remedy_labels.get(r.kind, r.kind)
        refs = tuple(rule_evidence(x) for x in r.rules)
        if r.kind in pb.replies.owed_by_customer:
            if policy.company_violations:
                continue  # a wrongful suspension: nothing is owed for it, so nothing to list
            amount = f"{r.amount_yuan:g}" if r.amount_yuan is not None else "—"
            out.append(NextAction(f"remedy_{r.kind}", pb.replies.owed_action.format(remedy_label=label, amount=amount),
                                  spec.why, spec.source, refs))
            continue
        out.append(NextAction(f"remedy_{r.kind}", spec.action.format(remedy_label=label, computation=r.computation),
                              spec.why, spec.source, refs))
    authority = policy.authority
    for d in policy.demands:
        if d.demand in done:
            continue  # the facts settle it: nothing left to do or promise
        label = demand_label(pb, d.demand)
        refs = tuple(rule_evidence(x) for x in d.rules)
        rule = rule_short(case, d.demand) or "见政策结论"
        if d.verdict is Verdict.ENTITLED:
            spec, values = pb.policy["entitled"], {"rule": rule}
        elif d.verdict is Verdict.NOT_ENTITLED:
            spec, values = pb.policy["not_entitled"], {"rule": rule}
        elif d.verdict is Verdict.UNKNOWN:
            spec, values = pb.policy["unknown"], {"questions": "".join(d.missing_facts) or "请人工判断或上报"}
        elif authority.escalate_to and not authority.offer_allowed:
            esc = pb.escalation_labels.get(authority.escalate_to, authority.escalate_to)
            spec, values = pb.policy["discretionary_escalate"], {"escalate_label": esc}
        elif authority.offer_allowed:
            spec, values = pb.policy["discretionary_allowed"], {}
        else:  # no offer planned yet: the agent decides the bottom line before talking
            spec, values = pb.policy["discretionary_unplanned"], {}
        out.append(_act(spec, refs, key=f"{spec.key}_{d.demand}", demand_label=label, **values))
    return out + rule_actions(case, pb)


def rule_actions(case: Case, pb: Playbook) -> list[NextAction]:
    """Extra advice tied to a cited rule (the free-repair card, the 三包 explanation)."""
    cited = case.cited_rules()
    out: list[NextAction] = []
    for ra in pb.rule_actions:
        hits = [r for r in cited if r.id.startswith(ra.match)]
        card = ra.spec.key == "free_repair_card" and case.fact("contract", "free_repair_card") is True
        if hits or card:
            evidence = tuple(rule_evidence(r) for r in hits) or (Evidence("fact", "客户持有免费维修金卡"),)
            out.append(_act(ra.spec, evidence))
    return out


def next_actions(
    case: Case,
    pb: Playbook,
    apology: ApologyChoice,
    technique: Technique,
    expectation: Expectation | None,
    escalation: Escalation,
    asked: tuple[str, ...],
    answered: tuple[str, ...] = (),
) -> tuple[NextAction, ...]:
    out: list[NextAction] = []
    if case.angry:
        out.append(_act(pb.emotion_first, span_evidence(case.analysis.emotion.evidence)))
    if case.stage != "closed":
        out.append(_act(pb.respect))
    out += [_act(spec) for spec in pb.stages[case.stage].actions]
    if case.chronic:
        ev = chronic_evidence(case)
        out += [_act(spec, ev) for spec in pb.chronic_actions]
    if apology.style == "full" and not (case.policy and case.policy.company_violations):
        admit = pb.techniques["admit_error"]
        named = "、".join(apology.named[:2])
        out.append(NextAction("admit_error", f"为这件事承认错误并代表公司道歉（{named}），然后在明确承诺的基础上迅速解决",
                              admit.why, admit.source, company_fault(case, pb)))
    if case.stage in SINCERITY_STAGES:
        out += [_act(spec) for spec in pb.sincerity]
    if case.stage in POLICY_STAGES:
        out += _policy_actions(case, pb)
    if asked:
        out.append(NextAction("ask_missing_facts", "先问清楚：" + "".join(asked), "缺少事实时不凭猜测答应或拒绝，"
                              "用开放式问题引导客户讲述事实，用封闭式问题确认关键", "seed 001 §五.3"))
    if answered:
        out.append(NextAction("record_known_facts", "；".join(answered), "客户已经说过的事不再问一遍：先看投诉原文、"
                              "往来消息和已登记的事实", "seed 001 §五.3; seed 002 §尊重=理解+认同"))
    for name, evidence in case.types:
        t = pb.types[name]
        out.append(NextAction(f"type_{name}", f"{t.label}：{t.action}", t.why, t.source, evidence))
    for threat in case.analysis.threats:
        threat_spec = pb.threats.get(threat.kind)
        if threat_spec is not None:
            out.append(NextAction(f"threat_{threat.kind}", threat_spec.action, threat_spec.why, threat_spec.source,
                                  span_evidence(threat.evidence)))
    for kind, matter, evidence in matters_in(case.text, dict(pb.matters)):
        out.append(NextAction(f"matter_{kind}", matter.action, matter.why, matter.source, evidence))
    if expectation is not None:
        out.append(NextAction("manage_expectation", f"管理期望：{expectation.promise}；理由：{expectation.reason}；"
                              "并感谢客户的耐心", expectation.why, expectation.source))
    if escalation.to is not None:
        label = pb.escalation_labels.get(escalation.to, escalation.to)
        out.append(NextAction("escalate", f"第一时间报告{label}处理、拍板，不要先答应客户", escalation.why,
                              escalation.source, escalation.evidence))
    seen: set[str] = set()
    unique = []
    for a in out:
        if a.key not in seen and a.action not in seen:
            seen |= {a.key, a.action}
            unique.append(a)
    return tuple(NextAction(a.key, full_width(a.action), a.why, a.source, a.evidence) for a in unique)


def avoid_list(case: Case, pb: Playbook, apology: ApologyChoice, technique: Technique) -> tuple[Avoid, ...]:
    out = list(pb.avoid["always"])
    if technique.name != "humor":
        out += pb.avoid.get("humor", ())
    if apology.style == "non_admission":
        out += pb.avoid.get("non_admission", ())
    if case.chronic:
        out += pb.avoid.get("chronic", ())
    if case.stage in SINCERITY_STAGES:
        out += pb.avoid.get("repeated_instruction", ())
    return tuple(Avoid(full_width(a.phrase_or_behaviour), full_width(a.why), a.source) for a in dict.fromkeys(out))
