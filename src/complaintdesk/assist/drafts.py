"""Reply drafts built from what is decided, not from every remedy the rules know.

A draft says: the apology in the chosen style (naming the fault that is established), what was found
in plain words, the offer the agent recorded (first) and what the customer receives, the one next step
with its time, and thanks. It never presents money the customer owes as a credit, never promises what
the facts already settle, never offers again a route the customer refused, and states no cause that is
not in the complaint, the recorded facts or the policy result. Each template entry is a list of
alternatives: the first whose placeholders are all known is used.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from complaintdesk.analysis.features import feature_text as _simplified
from complaintdesk.assist import wording
from complaintdesk.assist.actions import SINCERITY_STAGES, demand_label, rule_short
from complaintdesk.assist.case import Case
from complaintdesk.assist.decide import ApologyChoice
from complaintdesk.assist.guard import guarded
from complaintdesk.assist.model import Expectation, NextAction, Technique
from complaintdesk.assist.reading import refused_routes, settled
from complaintdesk.assist.replies import by_prefix, violation_words
from complaintdesk.assist.situations import situations_in
from complaintdesk.assist.specs import Playbook
from complaintdesk.assist.thing import listed_subject, named_thing
from complaintdesk.domain.vocab import categories_in
from complaintdesk.policy.packs import load_packs
from complaintdesk.policy.result import Verdict
from complaintdesk.quality import check_text

GOODS_CATEGORIES = frozenset(categories_in("goods"))
# demands a draft never answers on its own: the apology is said anyway, an explanation is the whole
# reply, escalation is the agent's move, and staff discipline is decided inside the company
_SKIP_OFFER = frozenset({"apology", "explanation", "escalate", "discipline_staff"})
_STAGE_SECTIONS = {
    "thanking": ("greeting", "apology", "closing"),
    "follow_up": ("greeting", "closing"),
    "closed": ("greeting", "closing"),
}
# a text message carries the decision, not the conversation; a letter is not spoken ("请您稍等")
_REGISTER_SKIPS = {
    "sms": frozenset({"understanding", "check", "analyse", "reassure", "type_line", "chronic"}),
    "letter": frozenset({"check"}),
    "phone": frozenset(),
}
_PARENS = re.compile(r"[((][^))]*[))]")


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
    """The hours a cited promise rule gives (its pack's ``hours``), else the hours recorded as a fact."""
    packs = load_packs()
    for ref in case.cited_rules():
        rule = packs.get(ref.id)
        if rule is not None and rule.kind == "promise_window":
            return str(rule.params["hours"])
    hours = case.fact("promise_hours")
    return str(hours) if isinstance(hours, int | float) and not isinstance(hours, bool) else None


def _found(case: Case, pb: Playbook) -> str | None:
    """What was found, in plain words, for each violation (at most two): the violated rule's own sentence
    with its numbers, else the sentence of the violation's code."""
    if case.policy is None:
        return None
    packs = load_packs()
    out: list[str] = []
    for v in case.policy.company_violations:
        said = by_prefix(pb.replies.found, v.rule.id)
        if said:
            # numbers the sentence quotes ({min_days_past_due} …) come from the violated rule's pack
            rule = packs.get(v.rule.id)
            try:
                said = said.format_map(dict(rule.params) if rule is not None else {})
            except (KeyError, IndexError, ValueError):
                said = None  # a sentence whose number the rule does not give is not said
        if not said:
            words = violation_words(pb.replies, v.code)
            said = words.found if words is not None else None
        if said and said not in out:
            out.append(said)
    return "".join(out[:2]) or None


def _fault_said(apology: ApologyChoice) -> str | None:
    said = list(apology.named[:2])
    return "，".join(said) if said else None


def base_values(case: Case, pb: Playbook, expectation: Expectation | None) -> dict[str, Any]:
    product = _product(case, pb)
    issue_template = pb.issues.get(case.category)
    salutation = case.fact("customer_name")
    values: dict[str, Any] = {
        "salutation": salutation if isinstance(salutation, str) and salutation.strip() else None,
        "product": product,
        "model": case.fact("product", "model") or next(iter(case.analysis.facts.product_models), None),
        "repair_count": _repair_count(case),
        "promise_hours": _promise_hours(case),
        "timebox": str(pb.timebox_minutes),
        "solution_offer": "延长保证期" if case.category in GOODS_CATEGORIES else None,
        "found": _found(case, pb),
    }
    values["issue"] = fill([issue_template], values) if issue_template else None
    values["thing"] = named_thing(case.text, pb.replies.not_thing_heads, pb.replies.not_thing_words,
                                  pb.replies.thing_refused, bound_heads=pb.replies.thing_bound_heads,
                                  kept_whole=pb.replies.thing_kept_whole)
    if case.category == "other" or not values["issue"]:
        # no words of its category: the paraphrase names what the complaint names ("电梯的问题")
        subject = listed_subject(case.text, pb.replies.subjects, pb.replies.thing_places, pb.replies.subject_means)
        values["issue"] = pb.replies.subject_issue.format(cue=subject) if subject else values["issue"]
    if values["thing"] and values["issue"] and _simplified(values["thing"]) in _simplified(values["issue"]):
        values["thing"] = None  # named once already (您反映的热水器的问题): saying it again is an echo, not a check
    if expectation is not None:
        values["promise"] = expectation.promise
        values["reason"] = expectation.reason
    return values


def _amount(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return f"{value:g}"
    return None


def _recorded_offer(case: Case, pb: Playbook, values: dict[str, Any]) -> tuple[list[str], set[str]]:
    """The agent's recorded offer, said first: with its amount when within authority, else reported."""
    offer = case.fact("offer")
    if not isinstance(offer, Mapping) or not isinstance(offer.get("kind"), str):
        return [], set()
    kind = offer["kind"]
    covered = set(pb.replies.covers.get(kind, ())) | {kind}
    # the offer in the words of what the customer asked for (a refund asked as 差价 is said as 差价)
    asked = next((d for d in case.demands if kind in pb.replies.as_demand.get(d, {})), None)
    authority = case.policy.authority if case.policy is not None else None
    if authority is not None and not authority.offer_allowed and authority.escalate_to:
        label = pb.escalation_labels.get(authority.escalate_to)
        said = fill([pb.replies.offers["escalate"]], {**values, "escalate_label": label,
                                                      "demand_label": demand_label(pb, asked or kind)})
        return [said], covered
    template = pb.replies.as_demand[asked][kind] if asked else pb.replies.offers.get(kind)
    if template is None:
        return [], set()
    return [fill([template], {**values, "amount": _amount(offer.get("amount"))})], covered


def _discretionary(case: Case) -> str:
    authority = case.policy.authority if case.policy is not None else None
    if authority is None:
        return "discretionary_unplanned"
    if authority.offer_allowed:
        return "discretionary_allowed"
    return "discretionary_escalate" if authority.escalate_to else "discretionary_unplanned"


def _offer(case: Case, pb: Playbook, values: dict[str, Any], actions: tuple[NextAction, ...]) -> list[str]:
    section = pb.templates.get("offer", {})
    if not isinstance(section, Mapping):
        return []
    out, covered = _recorded_offer(case, pb, values)
    done = settled(case, pb)
    for demand, day in done.items():
        spec = pb.replies.settled[demand]
        out.append(fill([spec.said, spec.told_said], {**values, "settled_on": day or None}))
    covered |= set(done) | {c for d in done for c in pb.replies.settled[d].covers}
    keys = {a.key for a in actions}
    policy = case.policy
    if policy is not None:
        for r in policy.remedies:
            template = pb.replies.to_customer.get(r.kind)
            if template is None or r.kind in pb.replies.owed_by_customer:
                continue  # what the customer owes is never a credit; an unknown kind is not said
            if r.kind in covered:
                continue
            said = fill([template], {**values, "amount": _amount(r.amount_yuan)})
            if said:  # an amount not known yet: the demand's own sentence says it instead
                out.append(said)
                covered |= {"compensation", "refund"}
        for d in policy.demands:
            if d.demand in _SKIP_OFFER or d.demand in covered:
                continue
            if d.verdict is Verdict.UNKNOWN and d.demand in pb.replies.asked:
                continue  # said below, as what the agent does about it now
            v = {**values, "demand_label": demand_label(pb, d.demand),
                 "rule_short": _PARENS.sub("", rule_short(case, d.demand)).strip() or None,
                 "escalate_label": pb.escalation_labels.get(policy.authority.escalate_to or "", None)}
            if d.verdict is Verdict.ENTITLED:
                out.append(fill(section.get("entitled", []), v))
            elif d.verdict is Verdict.NOT_ENTITLED:
                sanbao = "explain_sanbao" in keys and d.demand in ("exchange", "refund")
                out.append(fill(section.get("explain_sanbao" if sanbao else "not_entitled", []), v))
            elif d.verdict is Verdict.DISCRETIONARY:
                out.append(fill(section.get(_discretionary(case), []), v))
            else:  # unknown until the questions are answered: the demand is named, not left out
                out.append(fill(section.get("unknown", []), v))
    judged = {d.demand for d in policy.demands if d.verdict is not Verdict.UNKNOWN} if policy else set()
    # the thing the complaint is about (a meter, a lift, a bag), named with the step taken on it now
    # ({cue}: the thing in the text's own words, 流量包 or 移机); a demand its sentence answers is not said twice
    named = situations_in(case.text, pb.replies.situations, pb.replies.thing_places, pb.replies.thing_bound_heads)
    covered |= {d for s, _ in named for d in s.covers}
    for demand in case.demands:
        if demand in pb.replies.asked and demand not in covered and demand not in judged:
            out.append(fill([pb.replies.asked[demand]], values))
    out += [fill([s.said], {**values, "cue": ev.text}) for s, ev in named]
    if "free_repair_card" in keys:
        out.append(fill(section.get("free_repair_card", []), values))
    out.append(_way_forward(case, pb, section, values, done))
    return [s for s in out if s]


def _way_forward(case: Case, pb: Playbook, section: Mapping[str, Any], values: dict[str, Any],
                 done: Mapping[str, str]) -> str:
    """One concrete step now; never a route the customer refused, never a step the facts settle."""
    refused = refused_routes(case, pb)
    options = section.get("way_forward", {})
    own = isinstance(options, Mapping) and case.category in options
    for template in _pick(options, case.category):
        route = next((r for r in pb.replies.routes if f"[{r}]" in template), None)
        fits = pb.replies.route_fits.get(route or "")
        if route in refused or (fits and not any(w in case.text for w in fits)):
            continue  # refused, or nothing in the text it fits (a loaner for a lift)
        if case.category == "service_suspension" and "restore_service" in done:
            return ""
        if refused and not own:
            # a refused route and only the general step: say the agent does it herself
            return next(iter(_pick(options, "refused_route")), template)
        return template.replace(f"[{route}]", "") if route else template
    return ""


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
    values["fault_said"] = _fault_said(apology)
    values["questions"] = "".join(asked) or None
    t = pb.templates
    apology_text = wording.full_width(fill(_pick(t.get("apology"), apology.style), values))
    sections = _STAGE_SECTIONS.get(case.stage, tuple(t["order"]))
    skips = _REGISTER_SKIPS.get(case.register, frozenset())
    parts: list[str] = []
    for name in t["order"]:
        if name not in sections or name in skips:
            continue
        if name == "greeting":
            parts.append(fill(_pick(t[name], case.register), values))
        elif name == "understanding":
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
            parts.append(fill(_pick(t[name], case.register), values) if expectation is not None else "")
        elif name == "closing":
            key = "humor" if technique.name == "humor" else case.stage
            if case.register != "phone" and key not in ("thanking", "follow_up", "humor"):
                key = case.register
            parts.append(fill(_pick(t[name], key), values))
        elif name in ("check", "reassure") and case.stage not in SINCERITY_STAGES:
            continue
        else:
            parts.append(fill(_pick(t[name], case.category), values))
    said = [s for p in parts for s in wording.sentences(wording.full_width(p))]
    kept, _ = guarded(said, case, pb, check_text)
    draft = _assemble(kept, case.register)
    return wording.in_customer_words(draft, case.text, pb.replies.mirror), apology_text


def _assemble(parts: list[str], register: str) -> str:
    kept = wording.without_repeats([s for p in parts for s in wording.sentences(p)])
    if register == "sms":
        return "\n".join(wording.sms_segments("".join(kept)))
    if register == "letter" and kept:
        greeting, body = kept[0], kept[1:]
        closing = body.pop() if len(body) > 1 else ""
        return "\n".join(x for x in (greeting, "".join(body), closing) if x)
    return "".join(kept)
