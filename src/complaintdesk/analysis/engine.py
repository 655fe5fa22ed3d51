"""``analyze(text, today)``: the one entry point of the analysis engine.

normalise (t2s, offset map) → one automaton scan → facts → judgements → spans mapped back to the
ORIGINAL text. Linear in the length of the input; refuses input over ``MAX_CHARS``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date

from complaintdesk.analysis import facts as facts_module
from complaintdesk.analysis import judgements, lexicon, segment
from complaintdesk.analysis.matching import Hit, scan
from complaintdesk.analysis.model import (
    DEMAND_KINDS,
    THREAT_KINDS,
    Analysis,
    Category,
    ChronicComplainer,
    ChronicSign,
    CustomerType,
    Demand,
    Emotion,
    EscalationRisk,
    Facts,
    Span,
    Threat,
)
from complaintdesk.analysis.normalize import MAX_CHARS, Normalised, looks_binary, looks_chinese, normalise
from complaintdesk.domain.errors import InputTooLarge, InvalidInput

NOTE_EMPTY = "空文本,无可分析内容 (empty input)"
NOTE_BINARY = "输入看起来是二进制数据,未作分析 (binary-looking input, not analysed)"
NOTE_NOT_CHINESE = "输入不含足够的中文,未作分析 (not Chinese text, not analysed)"


def analyze(text: str, today: date | None = None) -> Analysis:
    """Read one complaint. ``today`` anchors relative dates (上个月, 前天); without it they stay null."""
    if not isinstance(text, str):
        raise InvalidInput("text 必须是字符串 (text must be a string)", field="text")
    if looks_binary(text):  # checked on a prefix first: a binary blob deserves that answer, not a size error
        return Analysis(notes=(NOTE_BINARY,))
    if len(text) > MAX_CHARS:
        raise InputTooLarge(
            f"text 过长:{len(text)} 个字符,上限 {MAX_CHARS} (text too long; limit {MAX_CHARS} characters)",
            field="text",
        )
    if not text.strip():
        return Analysis(notes=(NOTE_EMPTY,))
    if not looks_chinese(text):
        return Analysis(notes=(NOTE_NOT_CHINESE,))
    norm = normalise(text)
    return _read(norm, today)


def _read(norm: Normalised, today: date | None) -> Analysis:
    lex = lexicon.load()
    text = norm.text
    hits = _customer_only(scan(text, lex, segment.WordChecker(text)), text)
    raw_facts = facts_module.extract(text, today)

    def spans(evidence: tuple[tuple[int, int], ...]) -> tuple[Span, ...]:
        out = []
        for start, end in evidence:
            o_start, o_end = norm.span(start, end)
            out.append(Span(o_start, o_end, norm.original[o_start:o_end]))
        return tuple(out)

    demands = judgements.present(hits.get("demand", []), DEMAND_KINDS)
    threats = judgements.present(hits.get("threat", []), THREAT_KINDS)
    mood = judgements.emotion(
        hits.get("emotion", []), text, lex.lists("emotion", "intensifiers"), hits.get("threat", []),
        [h for h in hits.get("demand", []) if h.label in {d.label for d in demands}],
    )
    types = judgements.customer_types(text, hits, demands, threats, mood)
    chronic_score, signs = judgements.chronic(hits.get("chronic", []))
    kept_demands = {d.label for d in demands}
    cat = judgements.category(
        hits.get("category", []), raw_facts, [h for h in hits.get("demand", []) if h.label in kept_demands]
    )
    cat_scores = _category_scores(hits.get("category", []))
    risk, reasons = judgements.escalation_risk(mood, threats, demands, types, chronic_score, raw_facts)
    return Analysis(
        emotion=Emotion(mood.label, mood.score, spans(mood.evidence)),
        customer_types=tuple(CustomerType(t.label, t.score, spans(t.evidence)) for t in types),
        chronic_complainer=ChronicComplainer(
            chronic_score, tuple(ChronicSign(s.label, spans(s.evidence)) for s in signs)
        ),
        demands=tuple(Demand(d.label, spans(d.evidence)) for d in demands),
        threats=tuple(Threat(t.label, spans(t.evidence)) for t in threats),
        category=Category(cat.label, spans(cat.evidence), cat_scores),
        facts=Facts(
            purchase_date=raw_facts.purchase_date.isoformat() if raw_facts.purchase_date else None,
            days_since_purchase=raw_facts.days_since_purchase,
            repair_count=raw_facts.repair_count,
            amounts_yuan=raw_facts.amounts_yuan,
            product_models=raw_facts.product_models,
            durations_days=raw_facts.durations_days,
            evidence=tuple(
                (name, span) for (name, _, _), span in zip(
                    raw_facts.evidence, spans(tuple((s, e) for _, s, e in raw_facts.evidence)), strict=True
                )
            ),
        ),
        escalation_risk=EscalationRisk(risk, tuple(reasons)),
        script="traditional" if norm.traditional else "simplified",
    )


_AGENT_LINE = re.compile(r"^[ \t]*(?:坐席|客服|工作人员|话务员|接线员|agent|Agent|A)[ \t]*:[^\n]*", re.MULTILINE)


def _customer_only(hits: dict[str, list[Hit]], text: str) -> dict[str, list[Hit]]:
    """In a transcript, the agent's words (您别着急, 非常抱歉) say nothing about the customer; the root
    cause may still be stated by either side, so category hits are kept."""
    agent = [(m.start(), m.end()) for m in _AGENT_LINE.finditer(text)]
    if not agent:
        return hits
    starts = [start for start, _ in agent]

    def by_agent(position: int) -> bool:
        i = bisect_right(starts, position) - 1
        return i >= 0 and position < agent[i][1]

    return {
        family: found if family == "category" else [h for h in found if not by_agent(h.start)]
        for family, found in hits.items()
    }


def _category_scores(hits: list[Hit]) -> tuple[tuple[str, float], ...]:
    totals: dict[str, float] = {}
    for hit in hits:
        totals[hit.label] = totals.get(hit.label, 0.0) + hit.weight
    return tuple(sorted(totals.items(), key=lambda kv: -kv[1]))


def warm_up() -> None:
    """Load the lexicon, OpenCC and jieba now rather than on the first request."""
    lexicon.load()
    segment.tokenizer()
    analyze("师傅说配件没到,我不是要退款,只要修好。")
