"""What the case itself establishes before anyone speaks: the company's faults (with their evidence),
the demands the facts already settle, the self-service routes the customer refused, and which of the
policy engine's questions the complaint has already answered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from complaintdesk.assist.case import Case, sentence_at, sentence_span, span_evidence
from complaintdesk.assist.model import Evidence
from complaintdesk.assist.replies import ModelOnly, Replies, Told, violation_words
from complaintdesk.assist.specs import Playbook
from complaintdesk.assist.wording import full_width

# a point between digits is a decimal point, not a clause break (14797.5元 stays one clause)
_CLAUSE = re.compile(r"(?:[^，,。.!！?？;；\n]|(?<=\d)\.(?=\d))+")
_PARENS = re.compile(r"[((][^))]*[))]")
_BREAK = re.compile(r"[，,。!！?？;；\n]|(?<!\d)\.|\.(?!\d)")


@dataclass(frozen=True)
class Fault:
    kind: str
    evidence: tuple[Evidence, ...]
    said: str | None = None  # the words the apology names it with, when the text tells it exactly


@dataclass(frozen=True)
class ToldHit:
    evidence: tuple[Evidence, ...]
    said: str | None = None


@dataclass(frozen=True)
class SetAside:
    """A fault the text tells that is not admitted, with the sentence that decides it and why (``faults.set_aside``):
    sent to another party answering on its own account (``disputed``), only that nothing followed with no promise
    told (``bare``), an attitude claim with no act from a customer who insists or threatens (``attitude_checked``),
    a bill disputed against usage or a price list (``own_side``) or over a fee the tariff lists (``tariff``)."""
    kind: str
    sentence: Evidence
    reason: str = ""


def _aside(text: str, r: Replies, kind: str, rule: str, at: int | None, cue: str = "") -> SetAside | None:
    """The fault set aside by ``rule``, with the sentence holding position ``at`` (the deciding words)."""
    if at is None:
        return None
    begin, end = sentence_span(text, at)
    words = r.set_aside.get(f"{rule}.{kind}") or r.set_aside.get(rule) or "{fault}，先查清再定"
    said = words.format(fault=r.fault_said.get(kind, kind), cue=cue)
    return SetAside(kind, Evidence("span", text[begin:end], begin, end), said)


def _start(evidence: Sequence[Evidence]) -> int | None:
    return next((ev.start for ev in evidence if ev.start is not None), None)


def faults(case: Case, pb: Playbook) -> tuple[Fault, ...]:
    """Company faults the evidence establishes, strongest first: a rule the company broke, a fault the
    agent verified, a promise recorded as broken, then (except for a chronic complainer, whose claims are
    checked first) what the complaint text shows."""
    return read_faults(case, pb)[0]


def read_faults(case: Case, pb: Playbook) -> tuple[tuple[Fault, ...], tuple[SetAside, ...]]:
    """The established faults (``faults``) and, read in the same pass, those the text tells but sends to another
    party (``faults.disputed``), each with its deciding sentence."""
    r = pb.replies
    out: dict[str, list[Evidence]] = {}
    exact: dict[str, str] = {}
    if case.policy is not None:
        for v in case.policy.company_violations:
            words = violation_words(r, v.code)
            kind = words.fault if words is not None else "policy_violation"
            out.setdefault(kind, []).append(Evidence("rule", f"{v.rule.source}{v.rule.article}：{v.finding}"))
            if words is not None and words.said and kind not in exact:
                exact[kind] = words.said
    verified = case.fact("verified_faults")
    if isinstance(verified, list):
        for kind in verified:
            if str(kind) in r.fault_said:
                out.setdefault(str(kind), []).append(Evidence("fact", f"坐席已核实：{r.fault_said[str(kind)]}"))
    if case.fact("promise", "fulfilled") is False:
        out.setdefault("broken_promise", []).append(Evidence("fact", "记录显示公司的承诺没有兑现"))
    # what the text tells counts only when it tells of the company, not of a party posing as it
    allowed = frozenset() if not_ours(case.text, r) else r.chronic_from_text if case.chronic else r.from_text
    pending: list[SetAside | None] = []  # set aside by a rule, each with its deciding words (shown when nothing is found)
    for f in case.analysis.company_faults:
        if f.kind not in allowed or (not f.evidence and _contract_dispute(case.text, r.model_only.get(f.kind))):
            continue
        evidence = span_evidence(f.evidence) or (
            (Evidence("fact", f"模型判断（概率 {f.model:.2f}）"),) if f.model is not None else ())
        side = _side(case.text, r, f.kind)
        if side is not None:  # a bill told against usage, a price list or the tariff's own fee: those decide
            pending.append(_aside(case.text, r, f.kind, *side))
            continue
        if evidence and all(_elsewhere(case.text, ev, r) for ev in evidence if ev.kind == "span") \
                and any(ev.kind == "span" for ev in evidence):
            continue  # another party named as the one that did it (一家医院多收了): not ours to admit
        if _bare(case.text, evidence, r.bare.get(f.kind)):
            # only that nothing followed (没下文), and no promise told: the narrator's complaint, no act
            pending.append(_aside(case.text, r, f.kind, "bare", _start(evidence)))
            continue
        out.setdefault(f.kind, []).extend(evidence)
    for kind, hit in told_faults(case.text, r.told, r.told_exclude).items():
        spans = [ev for ev in hit.evidence if ev.kind == "span"]
        if kind not in allowed or (spans and all(_elsewhere(case.text, ev, r) for ev in spans)):
            continue
        side = _side(case.text, r, kind)
        if side is not None:
            pending.append(_aside(case.text, r, kind, *side))
        elif _bare(case.text, hit.evidence, r.bare.get(kind)):
            pending.append(_aside(case.text, r, kind, "bare", _start(hit.evidence)))
        else:
            out.setdefault(kind, []).extend(hit.evidence)
            if hit.said and kind not in exact:
                exact[kind] = hit.said
    aside: list[SetAside] = []
    for kind in [k for k in out if _disputed(case.text, out[k], r.disputed.get(k))]:
        # sent to another party that answers on its own account: who answers for it comes first
        moved = _aside(case.text, r, kind, "disputed", _start(out.pop(kind)))
        if moved is not None:
            aside.append(moved)
    # a complaint about service attitude in the text's own words, or recorded so by the agent; a label the
    # learned layer gave with no words (a rule the customer dislikes, read as "attitude") establishes no fault
    shown = span_evidence(case.analysis.category.evidence) or (
        (Evidence("fact", "坐席登记的类别：服务态度"),) if case.fact("category") in pb.fault_categories else ())
    # and none from a customer whose own words insist or threaten (我说的就是对的, 跪低道歉) while telling no act:
    # like a chronic complainer's, that claim is checked first, and the why names those words
    checked = [ev for t in case.analysis.customer_types if t.type in r.attitude_checked
               for ev in span_evidence(t.evidence)]
    if allowed and not case.chronic and case.category in pb.fault_categories and "staff_misconduct" not in out \
            and shown:
        if not checked:
            out["staff_misconduct"] = list(shown)
        else:
            pending.append(_aside(case.text, r, "staff_misconduct", "attitude_checked", _start(checked)))
    seen = {a.kind for a in aside}
    for a in pending:
        if a is not None and a.kind not in out and a.kind not in seen:
            aside.append(a)
            seen.add(a.kind)
    return tuple(Fault(kind, tuple(ev), exact.get(kind)) for kind, ev in out.items()), tuple(aside)


def _disputed(text: str, evidence: list[Evidence], rule: ModelOnly | None) -> bool:
    """Every span of the fault sits in a sentence naming another party that answers on its own account
    (``faults.disputed``: 叫我去找主办, 不归物业管……热力公司在维护), and the text never tells it as being kicked
    back and forth (互相踢皮球)."""
    spans = [ev for ev in evidence if ev.kind == "span" and ev.start is not None]
    if rule is None or not spans or len(spans) < len(evidence) or any(w in text for w in rule.unless):
        return False
    return all(any(w in sentence_at(text, ev.start) for w in rule.when) for ev in spans if ev.start is not None)


def _elsewhere(text: str, ev: Evidence, replies: Replies) -> bool:
    """Does the clause before the fault's words name another party as its doer (``faults.elsewhere``)?"""
    if ev.start is None:
        return False
    begin = max((m.end() for m in _BREAK.finditer(text, 0, ev.start)), default=0)
    lead = text[begin:ev.start]
    rule = replies.elsewhere
    return any(w in lead for w in rule.when) and not any(w in lead for w in rule.unless)


def _bare(text: str, evidence: Sequence[Evidence], rule: ModelOnly | None) -> bool:
    """Every word of the fault only tells that nothing followed (``faults.bare``: 没下文) and the text tells
    no act it followed (a promise: 答应, 说好): the narrator's general complaint establishes no fault."""
    spans = [ev.text for ev in evidence if ev.kind == "span"]
    if rule is None or not spans or len(spans) < len(evidence):
        return False
    return all(any(w in s for w in rule.when) for s in spans) and not any(w in text for w in rule.unless)


def not_ours(text: str, replies: Replies) -> bool:
    """The complaint says the party that did wrong was not the company (``faults.not_ours``)."""
    clauses = _clauses(text)
    return any(_told_in(clauses, i, t) is not None for t in replies.not_ours for i in range(len(clauses)))


def _side(text: str, r: Replies, kind: str) -> tuple[str, int, str] | None:
    """The rule that sends a told fault to the customer's side of the account, with where its word is and the
    word: usage or a price list (``own_side``), else a fee the tariff itself lists (``tariff``)."""
    for rule, table in (("own_side", r.own_side), ("tariff", r.tariff)):
        hit = _cue(text, table.get(kind))
        if hit is not None:
            return rule, hit[0], hit[1]
    return None


def _contract_dispute(text: str, rule: ModelOnly | None) -> bool:
    """A learned fault with no words is about a fee the signed contract sets (``faults.model_only``)."""
    return _cue(text, rule) is not None


def _cue(text: str, rule: ModelOnly | None) -> tuple[int, str] | None:
    """Where the text names the first of ``rule.when`` (and none of ``rule.unless``), and the word."""
    if rule is None or any(_told_not_doubted(text, w, rule.doubted) for w in rule.unless):
        return None
    hits = [(text.find(w), w) for w in rule.when if w in text]
    return min(hits) if hits else None


def _told_not_doubted(text: str, word: str, doubted: Sequence[str]) -> bool:
    """Does the text name ``word`` somewhere its clause does not tell it as only suspected (我怀疑你们抄错表)?"""
    at = text.find(word)
    while at >= 0:
        begin = max((m.end() for m in _BREAK.finditer(text, 0, at)), default=0)
        if not any(d in text[begin:at] for d in doubted):
            return True
        at = text.find(word, at + 1)
    return False


def _clauses(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _CLAUSE.finditer(text)]


def _told_in(clauses: list[tuple[int, str]], i: int, told: Told) -> tuple[Evidence, ...] | None:
    """The two cues of ``told`` read from clause ``i`` on (the ``then`` cue after the ``first`` one)."""
    start, clause = clauses[i]
    lead: tuple[Evidence, ...] = ()
    from_at = 0
    if told.first:
        hits = [(clause.find(c), c) for c in told.first if c in clause]
        if not hits or any(u in clause for u in told.unless):
            return None
        at, cue = min(hits)
        lead, from_at = (Evidence("span", cue, start + at, start + at + len(cue)),), at + len(cue)
    for j in range(i, min(i + told.within + 1, len(clauses))):
        base, piece = clauses[j]
        offset = from_at if j == i else 0
        hits = [(piece.find(c, offset), c) for c in told.then if not c.startswith("^") and piece.find(c, offset) >= 0]
        # a cue written ^结果 counts only opening its clause (the narrative turn, not 等结果出来's noun)
        hits += [(len(piece) - len(piece.lstrip()), c[1:]) for c in told.then
                 if c.startswith("^") and j > i and piece.lstrip().startswith(c[1:])]
        if hits:
            at, cue = min(hits)
            # the stretch the two pieces span: the customer's own doing or another household's in it tells nothing
            stretch = "".join(c for _, c in clauses[i:j]) + piece[:at + len(cue)]
            if any(w in stretch for w in told.not_between):
                return None
            return (*lead, Evidence("span", cue, base + at, base + at + len(cue)))
    return None


def told_faults(text: str, told: Mapping[str, tuple[Told, ...]], exclude: tuple[str, ...]) -> dict[str, ToldHit]:
    """Faults the complaint tells in its own words, clause by clause (a promise and then it not kept;
    态度 and 恶劣 with words between), each with the words as evidence. A clause holding an excluded
    phrase (态度很好, 没有改口) tells nothing."""
    clauses = [(at, c) for at, c in _clauses(text) if not any(x in c for x in exclude)]
    out: dict[str, ToldHit] = {}
    for kind, tolds in told.items():
        for i in range(len(clauses)):
            found = next((ToldHit(ev, t.said) for t in tolds if (ev := _told_in(clauses, i, t)) is not None), None)
            if found is not None:
                out[kind] = found
                break
    return out


def _path(facts: Any, path: tuple[str, ...]) -> Any:
    node = facts
    for key in path:
        if not hasattr(node, "get"):
            return None
        node = node.get(key)
    return node


def settled(case: Case, pb: Playbook) -> dict[str, str]:
    """Demands the recorded facts already settle, with the day they were settled (as said to a customer), and
    those the customer says are done (昨天已经恢复了, 差价退了: the day unknown, "")."""
    out: dict[str, str] = {}
    for demand, spec in pb.replies.settled.items():
        for path in spec.facts:
            value = _path(case.facts, path)
            if value:
                out[demand] = say_day(str(value))
                break
        else:
            if any(_done_in(clause, spec.told, spec.negators) for clause in _CLAUSE.findall(case.text)):
                out[demand] = ""
    return out


def _done_in(clause: str, cues: Sequence[str], negators: Sequence[str]) -> bool:
    """A cue that says it is done, with no negation before it in the clause (还没恢复, 不给退)."""
    for cue in cues:
        at = clause.find(cue)
        if at >= 0 and not any(n in clause[:at] for n in negators):
            return True
    return False


def say_day(value: str) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    return f"{int(m.group(2))}月{int(m.group(3))}日" if m else value


def refused_routes(case: Case, pb: Playbook) -> set[str]:
    """Routes the customer said no to: a route's cue and a refusal in the same or the next clause."""
    r = pb.replies
    refused = {str(x) for x in case.fact("refused_routes") or () if isinstance(x, str)}
    clauses = _CLAUSE.findall(case.text)
    for route, cues in r.routes.items():
        for i, clause in enumerate(clauses):
            if any(c in clause for c in cues):
                near = clause + "".join(clauses[i + 1: i + 2])
                if any(w in near for w in r.refusal_words):
                    refused.add(route)
    return refused


def ask(case: Case, pb: Playbook, questions: list[str]) -> tuple[list[str], list[str]]:
    """(questions for the customer, in the customer's terms; notes for the agent about questions the
    complaint already answers)."""
    r = pb.replies
    asked: list[str] = []
    notes: list[str] = []
    for q in questions:
        spec = next((s for s in r.questions if s.match in q), None)
        if spec is None:
            asked.append(full_width(_PARENS.sub("", q).replace("客户", "您").replace("运营商", "我们")))
            continue
        cue = next((c for c in spec.answered_by if c in case.text), None)
        if cue is not None:
            notes.append(r.question_note.format(cue=cue) + f"({_PARENS.sub('', q)})")
        else:
            asked.append(spec.ask)
    return list(dict.fromkeys(asked)), list(dict.fromkeys(notes))
