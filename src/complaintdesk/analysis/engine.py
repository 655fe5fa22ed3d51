"""``analyze(text, today)``: the one entry point of the analysis engine.

normalise (complaintdesk.text: t2s, width; offsets kept) → one automaton scan → facts → judgements → spans mapped back to the
ORIGINAL text. Linear in the length of the input; refuses input over ``MAX_CHARS``.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Mapping
from datetime import date

from complaintdesk.analysis import (
    blend,
    demand_voice,
    judgements,
    learned,
    lexicon,
    segment,
    threat_voice,
    voice,
)
from complaintdesk.analysis import facts as facts_module
from complaintdesk.analysis.matching import Hit, scan
from complaintdesk.analysis.model import (
    COMPANY_FAULTS,
    CUSTOMER_TYPES,
    DEMAND_KINDS,
    THREAT_KINDS,
    Analysis,
    Category,
    ChronicComplainer,
    ChronicSign,
    CompanyFault,
    CustomerType,
    Demand,
    Emotion,
    EscalationRisk,
    Facts,
    Span,
    Threat,
)
from complaintdesk.analysis.normalize import MAX_CHARS, looks_binary, looks_chinese
from complaintdesk.domain.errors import InputTooLarge, InvalidInput
from complaintdesk.text import Normalised, normalise

NOTE_EMPTY = "空文本，无可分析内容（empty input）"
NOTE_BINARY = "输入看起来是二进制数据，未作分析（binary-looking input, not analysed）"
NOTE_NOT_CHINESE = "输入不含足够的中文，未作分析（not Chinese text, not analysed）"
NOTE_TRUNCATED = "正文共 {total} 字，只分析了前 {limit} 字（text longer than the analysis limit; the rest was not read）"


def analyze(text: str, today: date | None = None, *, max_chars: int | None = None) -> Analysis:
    """Read one complaint. ``today`` anchors relative dates (上个月, 前天); without it they stay null.
    ``max_chars`` (a centre's limit): a longer text is read up to that many characters, and the
    reading says so in its notes; without it, a text over ``MAX_CHARS`` is refused."""
    if not isinstance(text, str):
        raise InvalidInput("text 必须是字符串（text must be a string）", field="text")
    if looks_binary(text):  # checked on a prefix first: a binary blob deserves that answer, not a size error
        return Analysis(notes=(NOTE_BINARY,))
    if max_chars is not None and len(text) > min(max_chars, MAX_CHARS):
        limit = min(max_chars, MAX_CHARS)
        # a prefix keeps every span's offsets valid in the full text
        read = analyze(text[:limit], today)
        note = NOTE_TRUNCATED.format(total=len(text), limit=limit)
        return dataclasses.replace(read, notes=(*read.notes, note))
    if len(text) > MAX_CHARS:
        raise InputTooLarge(
            f"text 过长：{len(text)} 个字符，上限 {MAX_CHARS}（text too long; limit {MAX_CHARS} characters）",
            field="text",
        )
    if not text.strip():
        return Analysis(notes=(NOTE_EMPTY,))
    if not looks_chinese(text):
        return Analysis(notes=(NOTE_NOT_CHINESE,))
    norm = normalise(text)
    return _read(norm, today)


def _ready(text: str) -> Normalised | None:
    """The normal form of a text ``analyze`` would read in full; None where it answers otherwise (binary,
    empty, not Chinese, too long — the caller asks ``analyze`` for that answer)."""
    if not isinstance(text, str) or looks_binary(text) or len(text) > MAX_CHARS or not text.strip():
        return None
    return normalise(text) if looks_chinese(text) else None


STORY_DEMAND = "story:demand"  # demand words of the story (demand_voice): not asked now, still about the complaint


def _said(hits: dict[str, list[Hit]]) -> dict[str, list[Hit]]:
    """The hits with the story's demand words back among the demands: the mood, the cause, the types and the
    risk read every demand word the customer wrote; only the demands shown leave the story's out."""
    story = hits.get(STORY_DEMAND)
    if not story:
        return hits
    return {**hits, "demand": sorted([*hits.get("demand", []), *story], key=lambda h: (h.start, h.end))}


def _hits(text: str, lex: lexicon.Lexicon) -> dict[str, list[Hit]]:
    return _customers_voice(_customer_only(scan(text, lex, segment.WordChecker(text)), text), text, lex)


def _mood(
    hits: dict[str, list[Hit]], text: str, lex: lexicon.Lexicon, demands: list[judgements.Labelled]
) -> judgements.Labelled:
    kept = {d.label for d in demands}
    return judgements.emotion(
        hits.get("emotion", []), text, lex.lists("emotion", "intensifiers"), hits.get("threat", []),
        [h for h in hits.get("demand", []) if h.label in kept],
    )


def _felt(
    mood: judgements.Labelled, probs: dict[str, dict[str, float]], heads: Mapping[str, learned.Head]
) -> blend.Decided:
    felt = blend.single(mood, mood.score, "calm", probs.get("emotion", {}), heads.get("emotion"))
    if felt.model is not None:
        felt = blend.Decided(felt.label, 0.0 if felt.label == "calm" else 0.3 + 0.4 * felt.model, (), felt.model)
    return felt


_EMOTIONS: dict[str, tuple[str, float]] = {}  # line → reading, for the cue lists and model below
_EMOTIONS_OF: list[object] = [None, None]  # the lexicon and learned layer the memo was read with
_EMOTIONS_MAX = 20_000


def read_emotion(text: str) -> tuple[str, float]:
    """``analyze(text).emotion``'s label and intensity, without the rest of the reading (facts, demands,
    category, spans): what a reader of one line at a time, such as 质检, needs. Same answer, far cheaper;
    memoised per line (customers say "好的,谢谢" in every call) until the cue lists or the model change."""
    lex, layer = lexicon.load(), learned.active()
    if _EMOTIONS_OF[0] is not lex or _EMOTIONS_OF[1] is not layer or len(_EMOTIONS) >= _EMOTIONS_MAX:
        _EMOTIONS.clear()
        _EMOTIONS_OF[:] = [lex, layer]
    known = _EMOTIONS.get(text) if isinstance(text, str) else None
    if known is not None:
        return known
    norm = _ready(text)
    if norm is None:
        emotion = analyze(text).emotion
        return str(emotion.label), float(emotion.intensity)
    hits = _hits(norm.text, lex)
    said = _said(hits)
    mood = _mood(said, norm.text, lex, judgements.present(said.get("demand", []), DEMAND_KINDS))
    probs = layer.predict(norm.original, only=("emotion",)) if layer is not None else {}
    felt = _felt(mood, probs, layer.heads if layer is not None else {})
    reading = (str(felt.label), float(felt.score))
    if _EMOTIONS_OF[0] is lex and _EMOTIONS_OF[1] is layer:  # not read with knowledge a reload replaced
        _EMOTIONS[text] = reading
    return reading


def read_chronic(text: str) -> bool:
    """``analyze(text).chronic_complainer.likely`` from the cue scan alone (all that reading uses)."""
    norm = _ready(text)
    if norm is None:
        return analyze(text).chronic_complainer.likely
    score, _ = judgements.chronic(_hits(norm.text, lexicon.load()).get("chronic", []))
    return ChronicComplainer(score).likely


def _read(norm: Normalised, today: date | None) -> Analysis:
    lex = lexicon.load()
    text = norm.text
    hits = _hits(text, lex)
    raw_facts = facts_module.extract(text, today)

    def spans(evidence: tuple[tuple[int, int], ...]) -> tuple[Span, ...]:
        out = []
        for start, end in evidence:  # normalising keeps every offset
            out.append(Span(start, end, norm.original[start:end]))
        return tuple(out)

    # the demands shown are the customer's asking now; every demand word, the story's too, tells the rest
    asking = judgements.present(hits.get("demand", []), DEMAND_KINDS)
    said = _said(hits)
    demands = judgements.present(said.get("demand", []), DEMAND_KINDS)
    threats = judgements.present(hits.get("threat", []), THREAT_KINDS)
    faults = judgements.present(hits.get("company_fault", []), COMPANY_FAULTS)
    mood = _mood(said, text, lex, demands)
    chronic_score, signs = judgements.chronic(hits.get("chronic", []))
    kept_demands = {d.label for d in demands}
    cat = judgements.category(
        hits.get("category", []), raw_facts, [h for h in said.get("demand", []) if h.label in kept_demands]
    )
    cat_scores = _category_scores(hits.get("category", []))
    unhappy = judgements.dissatisfaction(
        mood, len(faults), len(demands), sum(1 for h in hits.get("emotion", []) if h.label == "calm"),
        judgements.counted(text, lex.lists("emotion", "praise")), judgements.counted(text, lex.lists("emotion", "displeasure")),
    )
    layer = learned.active()
    probs = layer.predict(norm.original) if layer is not None else {}
    heads = layer.heads if layer is not None else {}
    cue_weight = float(layer.meta.get("valence_cue_weight", blend.CUE_WEIGHT)) if layer is not None else blend.CUE_WEIGHT

    def multi(name: str, cue: list[judgements.Labelled], order: tuple[str, ...]) -> list[blend.Decided]:
        declined = frozenset(h.label for h in hits.get(f"negated:{_CUE_FAMILY[name]}", []))
        if name == "threats":
            # a step the customer says is already taken (录音已经交给记者了) is a fact of the story, not a mood the
            # model may veto (issue 20, Session 17)
            done = lex.lists("threat", "done")
            taken = frozenset(h.label for h in hits.get("threat", []) if threat_voice.done(text, h.start, done))
            return blend.multi(cue, probs.get(name, {}), heads.get(name), order, declined, taken)
        if name != "company_faults":
            return blend.multi(cue, probs.get(name, {}), heads.get(name), order, declined)
        weights: dict[str, float] = {}
        for h in hits.get(_CUE_FAMILY[name], []):
            weights[h.label] = weights.get(h.label, 0.0) + h.weight
        # a fault the assist apologises for, said outright (把整栋楼的电给断了), stands whatever the model says
        stands = frozenset(label for label, w in weights.items() if w >= blend.STANDS_AT)
        decided = blend.multi(cue, probs.get(name, {}), heads.get(name), order, declined, stands)
        # a fault the model adds where the text holds part of its words (half a cue) cites those words: the
        # assist admits a fault only on words of the text, never on the model's probability alone
        by_label: dict[str, list[Hit]] = {}
        for h in hits.get("company_fault", []):
            by_label.setdefault(h.label, []).append(h)
        part = {label: judgements.evidence_of(found) for label, found in by_label.items()}
        return [dataclasses.replace(d, evidence=part[d.label]) if d.model is not None and d.label in part else d
                for d in decided]

    asked = multi("demands", asking, DEMAND_KINDS)
    # 发牢骚型 asks for nothing: a demand the model reads (请给个说法 in words no list holds) is still a demand;
    # the types read every demand word, the story's too, as they did before demand_voice
    every = multi("demands", demands, DEMAND_KINDS) if len(demands) != len(asking) else asked
    asked_for = [judgements.Labelled(d.label, d.score, d.evidence) for d in every] if layer is not None else demands
    types = judgements.customer_types(text, hits, asked_for, threats, mood)
    risk, reasons = judgements.escalation_risk(mood, threats, demands, types, chronic_score, raw_facts)
    felt = _felt(mood, probs, heads)
    cause = blend.single(
        cat, dict(cat_scores).get(cat.label, 0.0), "other", probs.get("category", {}), heads.get("category"), dict(cat_scores),
        _ruled_out(hits.get("category", []), lex),
    )
    return Analysis(
        emotion=Emotion(
            felt.label, felt.score, spans(felt.evidence),
            dissatisfaction=blend.dissatisfaction(unhappy, probs.get("valence", {}), cue_weight), model=felt.model,
        ),
        customer_types=tuple(
            CustomerType(t.label, t.score, spans(t.evidence), t.model)
            for t in multi("customer_types", types, CUSTOMER_TYPES)
        ),
        chronic_complainer=ChronicComplainer(
            chronic_score, tuple(ChronicSign(s.label, spans(s.evidence)) for s in signs)
        ),
        demands=tuple(Demand(d.label, spans(d.evidence), d.model) for d in asked),
        threats=tuple(Threat(t.label, spans(t.evidence), t.model) for t in multi("threats", threats, THREAT_KINDS)),
        company_faults=tuple(
            CompanyFault(f.label, spans(f.evidence), f.model) for f in multi("company_faults", faults, COMPANY_FAULTS)
        ),
        category=Category(cause.label, spans(cause.evidence), cat_scores, cause.model),
        facts=Facts(
            purchase_date=raw_facts.purchase_date.isoformat() if raw_facts.purchase_date else None,
            days_since_purchase=raw_facts.days_since_purchase,
            repair_count=raw_facts.repair_count,
            amounts_yuan=raw_facts.amounts_yuan,
            product_models=raw_facts.product_models,
            durations_days=raw_facts.durations_days,
            fault_date=raw_facts.fault_date.isoformat() if raw_facts.fault_date else None,
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
# Someone else's words quoted by the customer: 客服说"这不归我们管", 他说'不可能'. Not the customer's own
# behaviour, so they say nothing about the customer's type, demands or threats.
_QUOTED_OTHER = re.compile(
    r"(?:客服|他|她|他们|她们|对方|工作人员|师傅|店员|店家|商家|经理|售后|那边|人家|接线员|话务员|小哥|快递员|维修员|老板|销售)"
    r"[^，。！？!?\n\"“”'‘’「」]{0,10}?(?:说|讲|称|表示|回复|答复|回答|告诉我|跟我说|对我说|解释|喊|骂|吼|嚷|叫道)"
    r"[^，。！？!?\n\"“”'‘’「」]{0,4}?[:：,，]?\s*[\"“'‘「『]([^\"“”'‘’「」『』\n]{1,300})[\"”'’」』]"
)
_FROM_OTHERS = frozenset({"customer_type", "chronic", "threat", "demand"})
# The learned layer's field → the cue family whose negated hits say what the customer declined.
_CUE_FAMILY = {"demands": "demand", "threats": "threat", "customer_types": "customer_type", "company_faults": "company_fault"}


def _spoken_by_others(text: str) -> list[tuple[int, int]]:
    """Agent lines of a transcript and quotes of others inside the customer's own account."""
    spans = [(m.start(), m.end()) for m in _AGENT_LINE.finditer(text)]
    spans += [(m.start(1), m.end(1)) for m in _QUOTED_OTHER.finditer(text)]
    return sorted(spans)


def _customer_only(hits: dict[str, list[Hit]], text: str) -> dict[str, list[Hit]]:
    """In a transcript, the agent's words (您别着急, 非常抱歉) say nothing about the customer, nor does
    the agent quoted in the customer's account; the root cause and the company's faults may be stated
    by either side, so those hits are kept."""
    agent = _spoken_by_others(text)
    if not agent:
        return hits
    starts = [start for start, _ in agent]

    def by_agent(position: int) -> bool:
        i = bisect_right(starts, position) - 1
        return i >= 0 and position < agent[i][1]

    quoted = [span for span in agent if not _AGENT_LINE.match(text, span[0])]
    quoted_starts = [start for start, _ in quoted]

    def in_quote(position: int) -> bool:
        i = bisect_right(quoted_starts, position) - 1
        return i >= 0 and position < quoted[i][1]

    def kept(family: str, hit: Hit) -> bool:
        if family in ("category", "company_fault"):
            return True
        if in_quote(hit.start):
            return family not in _FROM_OTHERS
        return not by_agent(hit.start)

    return {family: [h for h in found if kept(family, h)] for family, found in hits.items()}


_BARE: dict[str, tuple[lexicon.Lexicon, frozenset[str], tuple[str, ...]]] = {}  # the last lexicon's, read at once


def _bare_names(lex: lexicon.Lexicon) -> tuple[frozenset[str], tuple[str, ...]]:
    """``threats.yaml``'s bare names as a set (a cue's test) and a tuple (``voice.acted_on``'s), built once
    per lexicon rather than per text (119 words)."""
    made = _BARE.get("last")
    if made is None or made[0] is not lex:
        bare = frozenset(lex.lists("threat", "bare_names"))
        made = _BARE["last"] = (lex, bare, tuple(bare))
    return made[1], made[2]


def _customers_voice(hits: dict[str, list[Hit]], text: str, lex: lexicon.Lexicon) -> dict[str, list[Hit]]:
    """Drop what someone else said (reported without quotes), a hotline or platform only named, and
    violence the customer suffered (``voice``)."""
    bare, names = _bare_names(lex)
    acts = lex.lists("threat", "acts")
    reads = lex.lists("threat", "reads")
    not_acts = lex.lists("threat", "not_acts")
    arrivals = lex.lists("threat", "arrivals")
    press_arrivals = (*arrivals, *lex.lists("threat", "media_arrivals"))

    def kept(family: str, hit: Hit) -> bool:
        if family in _FROM_OTHERS and voice.reported(text, hit.start):
            return False
        if family == "threat" and hit.cue in bare and not voice.acted_on(
            text, hit.start, hit.end, acts, reads=reads, names=names, not_acts=not_acts
        ) and (hit.label == "social_media" or not voice.came(text, hit.end, press_arrivals if hit.label == "media" else arrivals)):
            return False  # a body (not a platform) that took the complaint up was brought there: 电视台已经来过了
        return not (family == "threat" and hit.label == "violence" and voice.done_to_customer(text, hit.start, hit.end))

    out = {family: [h for h in found if kept(family, h)] if family in _FROM_OTHERS else found
           for family, found in hits.items()}  # fmt: skip
    # the customer's own acts only, and the regulator complaints no single cue names (threat_voice)
    out["threat"] = threat_voice.customers_threats(text, out.get("threat", []), lex.files["threat"].lists)
    # the customer asking now, not the story's absences or other people's acts (demand_voice)
    out["demand"], story = demand_voice.customers_demands(text, out.get("demand", []), lex.files["demand"].lists)
    if story:
        out[STORY_DEMAND] = story
    return out


def _ruled_out(hits: list[Hit], lex: lexicon.Lexicon) -> frozenset[str]:
    """A shop, club or school said to have closed (倒闭, 跑路, 人去楼空) is no suspension (labelling guide, rule 8),
    whatever the learned layer reads: its training labels predate that convention and read closures as one."""
    closed = set(lex.lists("category", "closures"))
    return frozenset({"service_suspension"}) if any(h.label == "other" and h.cue in closed for h in hits) else frozenset()


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
