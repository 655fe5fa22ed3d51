"""From cue hits and facts to labels. Each function is small, pure and keeps its evidence.

Spans here are still in NORMALISED offsets (``Ev``); the engine maps them to the original text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from complaintdesk.analysis.escalation import Escalation, active_escalation
from complaintdesk.analysis.facts import RawFacts
from complaintdesk.analysis.matching import Hit
from complaintdesk.analysis.model import CATEGORY_LABELS, CHRONIC_SIGNS, CUSTOMER_TYPES
from complaintdesk.analysis.wordsets import contains_any
from complaintdesk.domain.vocab import categories_in

Ev = tuple[int, int]
MAX_EVIDENCE = 5
TYPE_THRESHOLD = 1.0
# 发牢骚型 complains at length (seed 001: 抱怨很多): a line or two of displeasure is a complaint, not the type.
WHINES_AT_LENGTH = 80
# ... and such an account is half the type: with a grumbling half-sign (有什么办法, 踩雷) it makes 发牢骚型 (T5)
WHINING_ACCOUNT = 0.5
_SOFT_TYPES = frozenset({"whiner", "friendly"})


@dataclass(frozen=True, slots=True)
class Labelled:
    label: str
    score: float
    evidence: tuple[Ev, ...]


def evidence_of(hits: Iterable[Hit]) -> tuple[Ev, ...]:
    """The distinct spans of these hits, at most ``MAX_EVIDENCE``."""
    seen: list[Ev] = []
    for hit in hits:
        span = (hit.start, hit.end)
        if span not in seen:
            seen.append(span)
        if len(seen) == MAX_EVIDENCE:
            break
    return tuple(seen)


def _by_label(hits: Iterable[Hit]) -> dict[str, list[Hit]]:
    grouped: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.label].append(hit)
    return grouped


def present(hits: list[Hit], order: Iterable[str]) -> list[Labelled]:
    """Every label whose cues weigh 1.0 or more (demands, threats), in vocabulary order."""
    grouped = _by_label(hits)
    return [
        Labelled(label, 1.0, evidence_of(grouped[label]))
        for label in order
        if label in grouped and sum(h.weight for h in grouped[label]) >= 1.0
    ]


def emotion(
    hits: list[Hit], text: str, intensifiers: tuple[str, ...], threats: list[Hit], demands: list[Hit]
) -> Labelled:
    """Strongest of anger / anxiety / disappointment. A threat counts half a cue towards anger; so does
    an uncourteous demand (up to two), because a complaint that insists without 请/您好 reads as angry."""
    grouped = _by_label(hits)
    extra = [_as_anger(t, 0.5) for t in threats]
    if not grouped.get("calm"):
        first_per_kind = {h.label: h for h in reversed(demands)}
        extra += [_as_anger(h, 0.4) for h in list(first_per_kind.values())[:2]]
    if extra:
        grouped["anger"] = sorted([*grouped.get("anger", []), *extra], key=lambda h: h.start)
    scores = {label: sum(h.weight for h in grouped.get(label, ())) for label in ("anger", "anxiety", "disappointment")}
    # Courtesy (您好, 请问, 谢谢) softens a matter-of-fact account; it does not cancel clear anger.
    scores["anger"] -= 0.5 * sum(h.weight for h in grouped.get("calm", ()))
    # A named feeling (着急, 失望) outweighs the diffuse signs of irritation every complaint carries.
    scores["anxiety"] *= 1.5
    scores["disappointment"] *= 1.5
    best = max(scores, key=lambda k: scores[k])  # dict order breaks ties: anger > anxiety > disappointment
    best = _named_over_diffuse(best, scores, grouped)
    if scores[best] < 1.0:
        calm = grouped.get("calm", [])
        return Labelled("calm", 0.0, evidence_of(calm))
    boost = 0
    for hit in grouped[best]:
        before = text[max(0, hit.start - 3) : hit.start]
        boost += contains_any(before, intensifiers)
    exclamations = min(text.count("!"), 6)
    intensity = min(1.0, 0.3 + 0.15 * scores[best] + 0.08 * boost + 0.03 * exclamations)
    strongest_first = sorted(grouped[best], key=lambda h: (-h.weight, h.start))
    return Labelled(best, round(intensity, 3), evidence_of(strongest_first))


def _named_over_diffuse(best: str, scores: dict[str, float], grouped: dict[str, list[Hit]]) -> str:
    """Anger made only of diffuse signs (!, 凭什么, 你们, a demand) yields to a feeling the customer names
    outright (失望, 心寒, 着急): a let-down customer still says 凭什么 (Session 16, disappointment)."""
    if best != "anger" or any(h.weight >= 1.0 and h.cue.strip("!?") for h in grouped.get("anger", ())):
        return best
    named = [k for k in ("anxiety", "disappointment") if any(h.weight >= 1.0 for h in grouped.get(k, ()))]
    return max(named, key=lambda k: scores[k]) if named and max(scores[k] for k in named) >= 1.0 else best


def _as_anger(hit: Hit, weight: float) -> Hit:
    return Hit("emotion", "anger", hit.start, hit.end, weight, hit.cue)


# What a demand says about the cause when no cue names it (weak: any real cue outweighs it).
_CAUSE_OF_DEMAND = {
    "restore_service": "service_suspension",
    "waive_fee": "out_of_warranty_charge",
    "discipline_staff": "staff_attitude",
    "apology": "staff_attitude",
    "exchange": "product_quality",
    "repair": "product_quality",
}


def category(hits: list[Hit], facts: RawFacts, demand_hits: list[Hit]) -> Labelled:
    grouped = _by_label(hits)
    if not any(label != "other" for label in grouped):
        for hit in demand_hits:
            cause = _CAUSE_OF_DEMAND.get(hit.label)
            if cause is not None:
                grouped.setdefault(cause, []).append(Hit("category", cause, hit.start, hit.end, 0.6, hit.cue))
    scores = {label: sum(h.weight for h in grouped.get(label, ())) for label in CATEGORY_LABELS}
    repair_spans = tuple((s, e) for name, s, e in facts.evidence if name == "repair_count")
    if facts.repair_count is not None and facts.repair_count >= 2:
        scores["repeated_repair"] += 3.0
    # A word that only says where or how a thing was sold (特价, 送) weighs less than half a cue: alone it
    # names no cause.
    real = {k: v for k, v in scores.items() if v >= MIN_CAUSE_WEIGHT}
    if not real or max(real.values()) == real.get("other"):
        # An enquiry or praise (请问, 表扬) with nothing stronger: honestly "other".
        return Labelled("other", scores["other"], evidence_of(grouped.get("other", [])))
    first = {label: min(h.start for h in grouped[label]) for label in grouped}
    best = max(real, key=lambda k: (real[k], -first.get(k, 10**9)))
    if best == "product_quality":
        # A defect is the backdrop of most complaints; a named specific cause (repeated repair, a late
        # visit, a parts shortage, a charge, a bill, a promotion) is what the centre must fix.
        specific = {k: v for k, v in real.items() if k in SPECIFIC_CATEGORIES and v >= 1.0}
        if specific:
            best = max(specific, key=lambda k: (specific[k], -first.get(k, 10**9)))
    evidence = evidence_of(grouped.get(best, []))
    if best == "repeated_repair" and repair_spans:
        evidence = (repair_spans[-1], *evidence)[:MAX_EVIDENCE]
    return Labelled(best, real[best], evidence)


SPECIFIC_CATEGORIES = frozenset(categories_in("specific"))
MIN_CAUSE_WEIGHT = 0.5


def dissatisfaction(mood: Labelled, faults: int, demands: int, courtesy: int, praise: int = 0, displeasure: int = 0) -> float:
    """How unhappy the text reads, -1 … 1, from the cues alone (the learned layer refines it): a named
    feeling by its intensity; a calm text that still states faults, demands or plain displeasure (脏, 吵,
    难吃) is mildly unhappy; praise (干净, 推荐, 下次还来) makes it pleased."""
    if mood.label != "calm":
        return min(1.0, 0.35 + 0.65 * mood.score - 0.03 * min(praise, 3))
    unhappy = 0.25 * min(faults, 2) + 0.1 * min(demands, 2) + 0.12 * min(displeasure, 4)
    pleased = 0.15 * min(praise, 5) + (0.2 if courtesy else 0.0)
    return max(-1.0, min(0.6, unhappy - pleased)) if unhappy or pleased else 0.0


_NEGATORS = "不没无别未"


def counted(text: str, words: tuple[str, ...]) -> int:
    """How many times the words occur (longest first, without overlap), a word right after 不/没/无/别 not
    counted (不满意, 没问题) unless it starts with one itself (不好)."""
    if not words:
        return 0
    total = 0
    for match in _alternation(words).finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] not in _NEGATORS or match.group()[0] in _NEGATORS:
            total += 1
    return total


@lru_cache(maxsize=16)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def chronic(hits: list[Hit]) -> tuple[float, list[Labelled]]:
    grouped = _by_label(hits)
    signs = []
    for sign in CHRONIC_SIGNS:
        weight = sum(h.weight for h in grouped.get(sign, ()))
        if weight >= 1.0:
            signs.append(Labelled(sign, weight, evidence_of(grouped[sign])))
    score = (0.0, 0.3, 0.6, 0.8, 1.0)[len(signs)]
    return score, signs


# 消保法第19条, 民法第227条, 依公寓大厦管理条例: citing the article is lecturing (无所不知型).
_CITED_ARTICLE = re.compile(
    r"(?:法|条例|规定|办法|规则)(?:第[0-9一二三四五六七八九十百零]+条|第[0-9一二三四五六七八九十]+款)"
    r"|(?:依|依照|按照|根据|依据)《?[\u4e00-\u9fff]{2,12}(?:法|条例)》?(?:第[0-9一二三四五六七八九十百零]+条)?"
    # a rule named to the company: 《网络交易监督管理办法》规定, 食品安全法要求十倍赔偿, 定型化契约应记载事项
    r"|《[^》]{2,24}(?:法|条例|办法|规定|标准|事项)》"
    r"|[\u4e00-\u9fff]{2,8}(?:保护法|安全法|质量法|应记载事项)(?:规定|要求|写|明确|第)?"
)


# Every match of ``_CITED_ARTICLE`` holds one of these words (法 or 条例 in the first, second and fourth
# branches, 规定第/规则第 in the first, 《 in the third, 应记载事项 in the fourth): a text without any cannot
# cite, and skips the pattern's backtracking from every position (a third of a customer-type reading).
_CITES_NEED = ("法", "条例", "《", "规定", "规则", "事项")


def _cites_articles(text: str) -> tuple[Ev, ...]:
    if not any(word in text for word in _CITES_NEED):
        return ()
    return tuple((m.start(), m.end()) for m in _CITED_ARTICLE.finditer(text))[:MAX_EVIDENCE]


_SPEAKER = re.compile(r"^\s*(?:客户|顾客|用户|来电人|C|c)\s*[:：]\s*(?P<say>.*)$", re.MULTILINE)
_SHORT_REPLY = re.compile(r"^(?:嗯+|哦+|是|是的|对|不是|没有|没|不|好|行|可以|不知道|不清楚|随便|都行|还好|一般)[。.,，!！…?？]*$")


def _silent(text: str) -> Labelled | None:
    lines = [m for m in _SPEAKER.finditer(text)]
    if len(lines) < 3:
        return None
    short = [m for m in lines if _SHORT_REPLY.match(m.group("say").strip())]
    if len(short) >= 3 and len(short) >= 0.6 * len(lines):
        spans = tuple((m.start("say"), m.end("say")) for m in short)[:MAX_EVIDENCE]
        return Labelled("silent", min(1.0, len(short) / len(lines)), spans)
    return None


def _nagger(text: str, all_hits: dict[str, list[Hit]]) -> tuple[float, tuple[Ev, ...]]:
    """Long accounts that say the same grievances again and again (seed 001: 只会不停地唠叨): two
    grievances said three times each, or one said five times — a long story that mentions its subject
    three times is only a long story."""
    if len(text) < 300:
        return 0.0, ()
    repeated: dict[str, list[Hit]] = defaultdict(list)
    # The grievance and the feeling repeated, not the subject: a story about 断网 names 断网 throughout.
    for family in ("emotion", "demand"):
        for hit in all_hits.get(family, []):
            if len(hit.cue) >= 3:  # 你们, 给我: every complaint repeats them
                repeated[hit.cue].append(hit)
    echoes = [hits for hits in repeated.values() if len(hits) >= 3]
    if not (len(echoes) >= 2 or any(len(hits) >= 5 for hits in echoes)):
        return 0.0, ()
    echoes.sort(key=len, reverse=True)
    return 1.0, evidence_of(echoes[0])


def customer_types(
    text: str,
    hits: dict[str, list[Hit]],
    demands: list[Labelled],
    threats: list[Labelled],
    mood: Labelled,
) -> list[Labelled]:
    grouped = _by_label(hits.get("customer_type", []))
    weights: dict[str, float] = {t: sum(h.weight for h in grouped.get(t, ())) for t in CUSTOMER_TYPES}
    # Courtesy is counted once per word: 您好 … 麻烦您 … 谢谢 is a polite customer, 谢谢谢谢 is one word.
    # It makes 友好型 only while the customer neither rages nor threatens (a 谢谢 closing a tirade is not).
    courtesy = {h.cue: h.weight for h in grouped.get("friendly", [])}
    weights["friendly"] = sum(courtesy.values()) if mood.label != "anger" and not threats else 0.0
    evidence: dict[str, list[Ev]] = {t: list(evidence_of(grouped.get(t, []))) for t in CUSTOMER_TYPES}
    for threat in threats:
        # Threatening violence is intimidation; announcing a complaint to 12315 or a lawyer is a right.
        if threat.label == "violence":
            weights["intimidating"] += 1.0
            evidence["intimidating"].extend(threat.evidence)
    pressing = [t for t in threats if t.label != "churn"]  # 12315, a lawyer, a post: pressing, not venting
    at_length = len(text) >= WHINES_AT_LENGTH
    whining = not demands and not pressing and at_length and mood.label in ("anger", "disappointment") and mood.evidence
    if demands:
        weights["whiner"] -= 0.5  # a customer who says what he wants is not a 发牢骚型
    silent = _silent(text)
    if silent is not None:
        weights["silent"] += 1.0
        evidence["silent"].extend(silent.evidence)
    cited = _cites_articles(text)
    if cited:
        weights["know_it_all"] += 1.0
        evidence["know_it_all"].extend(cited)
    nag_weight, nag_evidence = _nagger(text, hits)
    weights["nagger"] += nag_weight
    evidence["nagger"].extend(nag_evidence)
    # Unhappy at length and asking for nothing at all (以后不会再来 is no request either) is half a 发牢骚型: the other
    # half is a resigned or grumbling word of the customer's own (T5: 有什么办法, 不如不要赔, 踩雷); a complaint with no
    # demand is not the type by that alone. Not when the customer's words already show a harder type (威吓型,
    # 固执的怪人, 妄自尊大者 …), which is what the agent must meet.
    harder = [t for t in CUSTOMER_TYPES if t not in _SOFT_TYPES and weights[t] >= TYPE_THRESHOLD and evidence[t]]
    if whining and not harder:
        weights["whiner"] += WHINING_ACCOUNT
        evidence["whiner"].extend(mood.evidence[:2])
    result = []
    for type_name in CUSTOMER_TYPES:
        if weights[type_name] >= TYPE_THRESHOLD and evidence[type_name]:
            spans = tuple(dict.fromkeys(evidence[type_name]))[:MAX_EVIDENCE]
            result.append(Labelled(type_name, min(1.0, weights[type_name] / 2), spans))
    return result


def escalation_risk(
    mood: Labelled,
    threats: list[Labelled],
    demands: list[Labelled],
    types: list[Labelled],
    chronic_score: float,
    facts: RawFacts,
    weights: Escalation | None = None,
) -> tuple[float, list[str]]:
    """The risk 0 … 1 and its reasons; the weights and the reasons' text come from the escalation
    file in force (``data/escalation.yaml`` or the centre's copy)."""
    w = weights or active_escalation()
    score, reasons = 0.0, []
    for threat in threats:
        score += w.threats[threat.label].weight
        reasons.append(w.threats[threat.label].reason)
    if mood.label == "anger":
        score += w.anger_per_intensity * mood.score + w.anger_base
        reasons.append(w.anger_reason.format(intensity=f"{mood.score:.2f}"))
    if any(d.label == "escalate" for d in demands) or any(t.label == "boss_demander" for t in types):
        score += w.asks_superior.weight
        reasons.append(w.asks_superior.reason)
    if facts.repair_count is not None and facts.repair_count >= w.repeated_repairs.at_least:
        score += w.repeated_repairs.weight
        reasons.append(w.repeated_repairs.reason.format(repairs=facts.repair_count))
    if any(t.label == "intimidating" for t in types):
        score += w.intimidating.weight
        reasons.append(w.intimidating.reason)
    if chronic_score >= w.chronic.at_least:
        score += w.chronic.weight
        reasons.append(w.chronic.reason)
    if len(demands) >= w.many_demands.at_least:
        score += w.many_demands.weight
        reasons.append(w.many_demands.reason.format(demands=len(demands)))
    return min(1.0, round(score, 3)), reasons
