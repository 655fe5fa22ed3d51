"""The three judgements a senior handler makes first: which apology, which technique, whether to escalate.

Each returns its reason and seed source from the playbook, plus the evidence that triggered it.
"""

from __future__ import annotations

from dataclasses import dataclass

from complaintdesk.assist.case import Case, rule_evidence, sentence_at, span_evidence
from complaintdesk.assist.matters import matters_in
from complaintdesk.assist.model import ESCALATION_LEVELS, Escalation, Evidence, Technique
from complaintdesk.assist.reading import faults, read_faults
from complaintdesk.assist.specs import Playbook
from complaintdesk.assist.wording import full_width
from complaintdesk.policy.result import Verdict

_LEVEL_RANK = {None: 0, "team_lead": 1, "manager": 2, "head_office": 3}
_PRIORITY_RANK = {"normal": 0, "high": 1, "urgent": 2}


@dataclass(frozen=True)
class ApologyChoice:
    style: str
    why: str
    source: str
    evidence: tuple[Evidence, ...]
    faults: tuple[str, ...] = ()
    named: tuple[str, ...] = ()  # each fault in the words the apology says it with


def company_fault(case: Case, pb: Playbook) -> tuple[Evidence, ...]:
    """Evidence that the company is at fault (see ``reading.faults``), all faults together."""
    found = faults(case, pb)
    return tuple(e for f in found for e in f.evidence) or tuple(
        Evidence("fact", f"企业过错：{pb.replies.fault_said[f.kind]}") for f in found)


def chronic_evidence(case: Case) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for sign in case.analysis.chronic_complainer.signs:
        out.extend(span_evidence(sign.evidence) or (Evidence("fact", f"投诉成癖迹象：{sign.sign}"),))
    return tuple(out)


def _named(evidence: tuple[Evidence, ...]) -> str:
    return "、".join(dict.fromkeys(f"「{e.text}」" for e in evidence[:4]))


def choose_apology(case: Case, pb: Playbook) -> ApologyChoice:
    """Seed 000 vs seed 001: a full apology for each fault the evidence establishes (only verified ones
    for a chronic complainer), none for a chronic complainer's sweeping claims, else non-admission."""
    found, aside = read_faults(case, pb)
    if found:
        style = "full"
        evidence = tuple(e for f in found for e in f.evidence)
        said = tuple(f.said or pb.replies.fault_said[f.kind] for f in found)
        named = "；".join(f"{words}（{_named(f.evidence) or '记录'}）" for words, f in zip(said, found, strict=True))
        why = f"{pb.apology[style].why}。依据：{named}"
        if case.chronic:
            why += "。客户有投诉成癖迹象：只为已核实的这件事道歉，其余的笼统指责不认"
        return ApologyChoice(style, why, pb.apology[style].source, evidence, tuple(f.kind for f in found), said)
    if case.chronic:
        evidence = chronic_evidence(case)
        why = f"{pb.apology['none'].why}。依据：{_named(evidence)}" if evidence else pb.apology["none"].why
        return ApologyChoice("none", why, pb.apology["none"].source, evidence)
    spec = pb.apology["non_admission"]
    if aside:
        # the sentence that decides (sent to another party, nothing promised, an insisting customer's claim, usage
        # disputed) is named with its reason, so the agent can check it
        reasons = "；".join(f"「{full_width(a.sentence.text)}」：{a.reason}" for a in aside)
        return ApologyChoice("non_admission", f"{spec.why}。{reasons}，暂不认错", spec.source,
                             tuple(a.sentence for a in aside))
    return ApologyChoice("non_admission", spec.why + "。投诉内容、已登记的事实和政策结论都没有显示企业有错",
                         spec.source, ())


def result_accepted(case: Case) -> bool:
    """Both sides accept the result (the customer said so, or signed the satisfaction sheet)."""
    return case.fact("satisfied") is True or case.fact("result_accepted") is True


def humor_allowed(case: Case, pb: Playbook) -> bool:
    return case.stage in pb.humor_stages and result_accepted(case) and not case.angry and not case.chronic


def choose_technique(case: Case, pb: Playbook) -> Technique:
    """The first technique whose condition holds; 平抑怒气法 fits every complaint, so it is the default."""
    name, evidence = _technique(case, pb)
    spec = pb.techniques[name]
    return Technique(name, spec.label, spec.why, spec.source, evidence)


def _technique(case: Case, pb: Playbook) -> tuple[str, tuple[Evidence, ...]]:
    if case.chronic:
        return "redirect", chronic_evidence(case)
    fault = company_fault(case, pb)
    if fault:
        return "admit_error", fault
    if humor_allowed(case, pb):
        return "humor", (Evidence("fact", "客户已接受处理结果且情绪平稳"),)
    refused = case.verdicts(Verdict.NOT_ENTITLED)
    if refused:
        refs = tuple(
            rule_evidence(r) for d in (case.policy.demands if case.policy else ()) if d.demand in refused
            for r in d.rules[:2]
        )
        proud = [(name, ev) for name, ev in case.types if name in pb.proud_types]
        if proud:
            return "tactful_denial", refs + tuple(e for _, ev in proud for e in ev)
        return "transformation", refs
    if case.category in pb.misunderstanding_categories:
        return "transformation", span_evidence(case.analysis.category.evidence) or (
            Evidence("fact", f"投诉类别：{case.category}"),)
    return "calm_anger", span_evidence(case.analysis.emotion.evidence)


def _reached_for(text: str, evidence: tuple[Evidence, ...], near: tuple[str, ...]) -> bool:
    """Does a sentence naming the body also say the customer could not get through to it (``ours_near``)?"""
    for ev in evidence:
        if ev.start is None:
            continue
        if any(w in sentence_at(text, ev.start) for w in near):
            return True
    return False


def _level(value: str | None) -> str | None:
    if value is None:
        return None
    return value if value in ESCALATION_LEVELS else "head_office"


def choose_escalation(case: Case, pb: Playbook) -> Escalation:
    """Escalate what is beyond the agent's authority, and threats of media or regulator, at once."""
    best: tuple[str | None, str, str, tuple[Evidence, ...]] = (None, "", "", ())
    priority = "high" if case.angry else "normal"
    authority = case.policy.authority if case.policy is not None else None
    if authority is not None and authority.escalate_to and not authority.offer_allowed:
        spec = pb.policy["discretionary_escalate"]
        best = (_level(authority.escalate_to), f"{authority.reason}；{spec.why}", spec.source,
                tuple(rule_evidence(r) for r in authority.rules))
    for threat in case.analysis.threats:
        t = pb.threats.get(threat.kind)
        if t is None or any(w in case.text for w in t.ours) or _reached_for(case.text, span_evidence(threat.evidence), t.ours_near):
            continue  # a body the complaint is about (its own operators, its busy line) is the centre, not a threat
        if _PRIORITY_RANK[t.priority] > _PRIORITY_RANK[priority]:
            priority = t.priority
        if _LEVEL_RANK[t.escalate_to] > _LEVEL_RANK[best[0]]:
            best = (t.escalate_to, t.why, t.source, span_evidence(threat.evidence))
    for _kind, m, evidence in matters_in(case.text, dict(pb.matters)):
        if _PRIORITY_RANK[m.priority] > _PRIORITY_RANK[priority]:
            priority = m.priority
        if _LEVEL_RANK[m.escalate_to] > _LEVEL_RANK[best[0]]:
            best = (m.escalate_to, m.why, m.source, evidence)
    if best[0] is not None:
        return Escalation(best[0], best[1], best[2], priority, best[3])
    wants_boss = "boss_demander" in case.type_names or "escalate" in case.demands
    if wants_boss:
        boss = pb.types["boss_demander"]
        return Escalation(None, f"客户要求找主管，但要求没有超出你的权限：{boss.why}", boss.source, priority)
    return Escalation(None, "在你的权限内可以处理，不需要升级；超出权限时再第一时间报告第一责任人",
                      "seed 001 §七 案例一 第9点", priority)
