"""Reply drafts from the editable templates, with the customer's facts filled in.

Each template entry is a list of alternatives; the first whose placeholders are all known is used,
so a missing fact silently selects a more general sentence instead of printing "{amount}".
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from complaintdesk.assist.actions import SINCERITY_STAGES, demand_label, rule_short
from complaintdesk.assist.case import Case
from complaintdesk.assist.decide import ApologyChoice
from complaintdesk.assist.model import Expectation, NextAction, Technique
from complaintdesk.assist.specs import Playbook
from complaintdesk.policy.result import Authority, Verdict

GOODS_CATEGORIES = frozenset({"repeated_repair", "product_quality", "parts_shortage", "out_of_warranty_charge"})
_SKIP_OFFER = frozenset({"apology", "explanation", "escalate", "discipline_staff"})
_STAGE_SECTIONS = {
    "thanking": ("greeting", "apology", "closing"),
    "follow_up": ("greeting", "closing"),
    "closed": ("greeting", "closing"),
}
_PARENS = re.compile(r"[((][^))]*[))]")
_HOURS = re.compile(r"(\d+)\s*小时内")


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def fill(alternatives: Sequence[str], values: Mapping[str, Any]) -> str:
    """The first alternative whose placeholders all have a value; "" when none fits."""
    for template in alternatives:
        if all(values.get(f) not in (None, "") for f in _fields(template)):
            return template.format(**{k: v for k, v in values.items() if v is not None})
    return ""


def _pick(section: Any, key: str) -> list[str]:
    if isinstance(section, Mapping):
        chosen = section.get(key, section.get("default", []))
        return list(chosen) if isinstance(chosen, list) else []
    return list(section) if isinstance(section, list) else []


def _product(case: Case, pb: Playbook) -> str | None:
    kind = case.fact("product", "kind")
    return pb.products.get(kind) if isinstance(kind, str) else None


def _repair_count(case: Case) -> int | None:
    repairs = case.fact("repairs")
    if isinstance(repairs, list) and repairs:
        return len(repairs)
    return case.analysis.facts.repair_count


def _promise_hours(case: Case) -> str | None:
    for rule in case.cited_rules():
        m = _HOURS.search(rule.text)
        if m and ("赠送" in rule.text or "承诺" in rule.text):
            return m.group(1)
    hours = case.fact("promise_hours")
    return str(hours) if isinstance(hours, int | float) and not isinstance(hours, bool) else None


def base_values(case: Case, pb: Playbook, expectation: Expectation | None) -> dict[str, Any]:
    product = _product(case, pb)
    issue_template = pb.issues.get(case.category)
    values: dict[str, Any] = {
        "salutation": case.fact("customer_name") if isinstance(case.fact("customer_name"), str) else None,
        "product": product,
        "model": case.fact("product", "model") or next(iter(case.analysis.facts.product_models), None),
        "repair_count": _repair_count(case),
        "promise_hours": _promise_hours(case),
        "timebox": str(pb.timebox_minutes),
        "solution_offer": "延长保证期" if case.category in GOODS_CATEGORIES else None,
        "finding": case.policy.company_violations[0].finding
        if case.policy is not None and case.policy.company_violations else None,
    }
    values["issue"] = fill([issue_template], values) if issue_template else None
    if expectation is not None:
        values["promise"] = expectation.promise
        values["reason"] = expectation.reason
    return values


def _short(source: str) -> str:
    return _PARENS.sub("", source).strip()


def _discretionary(authority: Authority) -> str:
    if authority.offer_allowed:
        return "discretionary_allowed"
    return "discretionary_escalate" if authority.escalate_to else "discretionary_unplanned"


def _offer(case: Case, pb: Playbook, values: dict[str, Any], actions: tuple[NextAction, ...]) -> list[str]:
    section = pb.templates.get("offer", {})
    if not isinstance(section, Mapping):
        return []
    out: list[str] = []
    keys = {a.key for a in actions}
    policy = case.policy
    if policy is not None:
        for r in policy.remedies:
            rule = _short(r.rules[0].source) if r.rules else None
            amount = f"{r.amount_yuan:g}" if r.amount_yuan is not None else None
            out.append(fill(section.get("remedy", []), {
                **values, "rule_short": rule, "remedy_label": pb.remedy_labels.get(r.kind, r.kind),
                "amount": amount, "computation": r.computation,
            }))
        covered = {"compensation", "refund"} if policy.remedies else set()
        for d in policy.demands:
            if d.demand in _SKIP_OFFER or d.demand in covered:
                continue
            v = {**values, "demand_label": demand_label(pb, d.demand),
                 "rule_short": _short(rule_short(case, d.demand)) or None,
                 "escalate_label": pb.escalation_labels.get(policy.authority.escalate_to or "", None)}
            if d.verdict is Verdict.ENTITLED:
                out.append(fill(section.get("entitled", []), v))
            elif d.verdict is Verdict.NOT_ENTITLED:
                sanbao = "explain_sanbao" in keys and d.demand in ("exchange", "refund")
                out.append(fill(section.get("explain_sanbao" if sanbao else "not_entitled", []), v))
            elif d.verdict is Verdict.DISCRETIONARY:
                out.append(fill(section.get(_discretionary(policy.authority), []), v))
    if "free_repair_card" in keys:
        out.append(fill(section.get("free_repair_card", []), values))
    out.append(fill(_pick(section.get("way_forward", {}), case.category), values))
    return list(dict.fromkeys(s for s in out if s))


def build_draft(
    case: Case,
    pb: Playbook,
    apology: ApologyChoice,
    technique: Technique,
    expectation: Expectation | None,
    asked: tuple[str, ...],
    actions: tuple[NextAction, ...],
) -> tuple[str, str]:
    """(reply draft, apology sentence)."""
    values = base_values(case, pb, expectation)
    # the policy engine's hints for the agent ("(电视/手机/…)") are not said to the customer
    values["questions"] = "".join(_PARENS.sub("", q) for q in asked) or None
    t = pb.templates
    apology_text = fill(_pick(t.get("apology"), apology.style), values)
    sections = _STAGE_SECTIONS.get(case.stage, tuple(t["order"]))
    parts: list[str] = []
    for name in t["order"]:
        if name not in sections:
            continue
        if name == "understanding":
            parts.append(fill(_pick(t[name], "chronic" if case.chronic else "default"), values))
        elif name == "apology":
            parts.append(apology_text)
        elif name == "analyse":
            parts.append(fill(_pick(t[name], case.category), values))
        elif name == "offer":
            parts += _offer(case, pb, values, actions)
        elif name == "type_line":
            parts += [pb.types[n].line for n in case.type_names if pb.types[n].line]
        elif name == "chronic":
            parts.append(fill(_pick(t[name], ""), values) if case.chronic else "")
        elif name == "questions":
            parts.append(fill(_pick(t[name], ""), values) if asked else "")
        elif name == "expectation":
            parts.append(fill(_pick(t[name], ""), values) if expectation is not None else "")
        elif name == "closing":
            key = "humor" if technique.name == "humor" else case.stage
            parts.append(fill(_pick(t[name], key), values))
        elif name in ("check", "reassure") and case.stage not in SINCERITY_STAGES:
            continue
        else:
            parts.append(fill(_pick(t[name], case.category), values))
    return "".join(p for p in parts if p), apology_text
