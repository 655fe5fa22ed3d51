"""Load ``assist/data/replies.yaml``: what a reply may say — faults and how they are named, which way
money flows, recorded offers, settled facts, self-service routes, questions in the customer's terms.

Refused at load, naming file, entry and field, like the other playbook files.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from complaintdesk.analysis.model import CUSTOMER_TYPES
from complaintdesk.assist.situations import Situation, parse_situations
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.domain.vocab import Demand
from complaintdesk.policy.packs import KIND_PARAMS
from complaintdesk.policy.result import VIOLATION_CODES, violation_kind

FILE = "replies.yaml"
FAULT_KINDS = ("missed_appointment", "broken_promise", "staff_misconduct", "billing_error", "wrongful_suspension",
               "runaround", "faulty_work", "wrong_record", "no_notice", "not_as_described", "policy_violation")
MAX_WITHIN = 5
# What a finding sentence may quote: a parameter of the violated rule (its pack gives the number).
RULE_PARAMS = frozenset(name for params in KIND_PARAMS.values() for name in params)
DEMANDS = frozenset(d.value for d in Demand)
FIELDS = frozenset({"product", "amount", "demand_label", "escalate_label", "settled_on", "remedy_label", "cue"})


@dataclass(frozen=True)
class Settled:
    facts: tuple[tuple[str, ...], ...]
    said: str
    wait: str
    wait_for: frozenset[str]
    wait_when: frozenset[str] = frozenset()  # remedies that keep that wait (none of them due: the usual wait)
    covers: frozenset[str] = frozenset()  # other demands the same remedy answers (a paid refund answers 差价 too)
    told: tuple[str, ...] = ()  # the customer's own words that it is done (昨天已经恢复了), no negation before them
    told_said: str = ""  # what the draft says of it then (the day is not known)
    negators: tuple[str, ...] = ()  # a word before the cue in its clause that says it is not done (还没恢复)


@dataclass(frozen=True)
class Guard:
    """What the draft's last pass drops (complaintdesk.assist.guard): a sentence naming a charge the customer
    owes (``owed``) with a word that credits it (``credit``), unless the recorded offer is of a kind that waives
    it (``waivable_by``); ``instead``: the agent's own step said in place of a refused route's sentence."""

    owed: tuple[str, ...] = ()
    credit: tuple[str, ...] = ()
    waivable_by: frozenset[str] = frozenset()
    instead: str = ""


@dataclass(frozen=True)
class Told:
    """A fault the text tells in two pieces: a ``first`` cue, then a ``then`` cue later in the same clause
    or in the ``within`` clauses after it (no ``first``: the ``then`` cue alone tells it)."""

    first: tuple[str, ...]
    then: tuple[str, ...]
    within: int
    said: str | None = None  # how the apology names this fault, more exactly than the kind's words
    # a ``first`` clause holding one of these tells nothing (我答应, 说好听, 保证金: not the company's promise)
    unless: tuple[str, ...] = ()
    # words anywhere from the ``first`` cue to the ``then`` cue that make the wait the customer's own or another
    # household's (我一直不在家, 我改了时间, 邻居家): then the two pieces tell nothing
    not_between: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelOnly:
    """When a fault the learned layer reads with no words of it in the text is not taken: the text names
    one of ``when`` (a fee the signed contract sets, so the papers decide) and none of ``unless`` (words
    of a fault of its own, such as a charge never notified)."""

    when: tuple[str, ...]
    unless: tuple[str, ...]
    doubted: tuple[str, ...] = ()  # before an ``unless`` word in its clause, only suspected (怀疑你们抄错): not counted


@dataclass(frozen=True)
class ViolationWords:
    """How a reply names one kind of policy violation: the fault it is, the apology's words for it (when
    more exact than the fault's own), and what was found, in plain words and without numbers."""

    fault: str
    said: str | None
    found: str


@dataclass(frozen=True)
class Question:
    match: str
    ask: str
    answered_by: tuple[str, ...]


@dataclass(frozen=True)
class Replies:
    fault_source: str
    from_text: frozenset[str]
    chronic_from_text: frozenset[str]
    fault_said: Mapping[str, str]
    told: Mapping[str, tuple[Told, ...]]
    told_exclude: tuple[str, ...]
    violations: Mapping[str, ViolationWords]
    found: Mapping[str, str]
    to_customer: Mapping[str, str]
    owed_by_customer: frozenset[str]
    owed_action: str
    offers: Mapping[str, str]
    covers: Mapping[str, frozenset[str]]
    settled: Mapping[str, Settled]
    route_source: str
    refusal_words: tuple[str, ...]
    routes: Mapping[str, tuple[str, ...]]
    route_fits: Mapping[str, tuple[str, ...]]  # a route offered only where the text names a thing it fits
    questions: tuple[Question, ...]
    question_note: str
    category_words: Mapping[str, tuple[str, ...]]
    subjects: tuple[str, ...] = ()
    subject_issue: str = "{cue}的问题"
    not_thing_heads: tuple[str, ...] = ()  # the thing named from the text's nouns is never a party or a person
    not_thing_words: tuple[str, ...] = ()  # nor a word every complaint uses
    thing_refused: tuple[str, ...] = ()  # nor what a sentence turns down
    # a compound kept whole where jieba cuts it (基本 + 费 is 基本费): bound heads and listed words
    thing_bound_heads: tuple[str, ...] = ()
    thing_kept_whole: tuple[str, ...] = ()
    thing_places: tuple[str, ...] = ()  # words after a thing that make it a place (电梯口): not the thing
    subject_means: tuple[str, ...] = ()  # phrases where a subject is the customer's means (上网查): not the subject
    asked: Mapping[str, str] = field(default_factory=dict)  # demands no pack judges: what the agent does now
    as_demand: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # demand -> offer kind -> sentence
    not_ours: tuple[Told, ...] = ()  # the text says the party at fault was not the company
    model_only: Mapping[str, ModelOnly] = field(default_factory=dict)
    own_side: Mapping[str, ModelOnly] = field(default_factory=dict)  # the customer's words show the other side
    # a fee the tariff or the service terms themselves list (基本费, 配线维护费), disputed as such: the terms decide
    tariff: Mapping[str, ModelOnly] = field(default_factory=dict)
    # a fault told in a sentence naming another party that answers on its own account (when), unless the text
    # tells it as being kicked back and forth (unless): who answers for it is disputed, decided on the facts
    disputed: Mapping[str, ModelOnly] = field(default_factory=dict)
    situations: tuple[Situation, ...] = ()  # the thing the complaint is about, and the step taken on it now
    # words that, before a fault's words in the same clause, name another party as the one that did it
    # (反映一家医院多收了我钱: the hospital's overcharge, not ours), unless the clause also names the company
    elsewhere: ModelOnly = ModelOnly((), ())
    # words that alone tell only that nothing followed (没下文), not the fault's act (when), taken for the fault
    # only when the text also tells the act (unless: a promise — 答应, 说好, 说会)
    bare: Mapping[str, ModelOnly] = field(default_factory=dict)
    # customer types whose complaint about attitude that tells no act is checked before anything is admitted
    attitude_checked: frozenset[str] = frozenset()
    guard: Guard = Guard()
    # a word the draft uses -> the customer's own words for it (退款 -> 退费): the draft says the customer's word
    mirror: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # why a fault the text tells is set aside, by the rule that set it aside (disputed, bare, attitude_checked,
    # own_side): the apology's why names the deciding words with it ({fault}: the fault's words; {cue}: the word)
    set_aside: Mapping[str, str] = field(default_factory=dict)


def _demand_keyed(value: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    unknown = sorted(set(value) - DEMANDS)
    if unknown:
        raise _fail(f"{where}.{unknown[0]}", f"未知的诉求；可选：{', '.join(sorted(DEMANDS))}")
    return value


def _fail(where: str, message: str) -> ConfigurationError:
    return ConfigurationError(f"助手手册 {FILE} 有误：{where}：{message}", field=f"{FILE}:{where}")


def _map(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, "应为映射（mapping）")
    return value


def _text(value: Any, where: str, fields: frozenset[str] = FIELDS) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, "缺失或不是非空文本")
    names = {f for _, f, _, _ in string.Formatter().parse(value) if f}
    if names - fields:
        raise _fail(where, f"未知占位符 {sorted(names - fields)}；可用：{sorted(fields)}")
    return value.strip()


def _words(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise _fail(where, "应为文本列表")
    return tuple(str(v) for v in value)


def _texts(value: Any, where: str, fields: frozenset[str] = FIELDS) -> dict[str, str]:
    return {str(k): _text(v, f"{where}.{k}", fields) for k, v in _map(value, where).items()}


def _kinds(value: Any, where: str) -> frozenset[str]:
    kinds = frozenset(_words(value, where))
    unknown = kinds - set(FAULT_KINDS)
    if unknown:
        raise _fail(where, f"未知的企业过错 {sorted(unknown)}；可选：{', '.join(FAULT_KINDS)}")
    return kinds


def _told(value: Any, where: str) -> dict[str, tuple[Told, ...]]:
    out: dict[str, tuple[Told, ...]] = {}
    for kind, items in _map(value, where).items():
        if kind not in FAULT_KINDS:
            raise _fail(f"{where}.{kind}", f"未知的企业过错；可选：{', '.join(FAULT_KINDS)}")
        out[str(kind)] = _told_list(items, f"{where}.{kind}")
    return out


def _told_list(items: Any, where: str) -> tuple[Told, ...]:
    if not isinstance(items, list) or not items:
        raise _fail(where, "应为非空列表")
    tolds = []
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        m = _map(item, at)
        then = _words(m.get("then"), f"{at}.then")
        within = m.get("within", 0)
        if not then:
            raise _fail(f"{at}.then", "不能为空")
        if isinstance(within, bool) or not isinstance(within, int) or not 0 <= within <= MAX_WITHIN:
            raise _fail(f"{at}.within", f"应为 0 到 {MAX_WITHIN} 的整数（往后看几个分句）")
        said = _text(m["said"], f"{at}.said") if "said" in m else None
        tolds.append(Told(_words(m.get("first", []), f"{at}.first"), then, within, said,
                          _words(m.get("unless", []), f"{at}.unless"),
                          _words(m.get("not_between", []), f"{at}.not_between")))
    return tuple(tolds)


def _elsewhere(value: Any, where: str) -> ModelOnly:
    m = _map(value, where)
    return ModelOnly(_words(m.get("when", []), f"{where}.when"), _words(m.get("unless", []), f"{where}.unless"))


def _model_only(value: Any, where: str) -> dict[str, ModelOnly]:
    out: dict[str, ModelOnly] = {}
    for kind, item in _map(value, where).items():
        if kind not in FAULT_KINDS:
            raise _fail(f"{where}.{kind}", f"未知的企业过错；可选：{', '.join(FAULT_KINDS)}")
        m = _map(item, f"{where}.{kind}")
        when = _words(m.get("when"), f"{where}.{kind}.when")
        if not when:
            raise _fail(f"{where}.{kind}.when", "不能为空")
        out[str(kind)] = ModelOnly(when, _words(m.get("unless", []), f"{where}.{kind}.unless"),
                                   _words(m.get("doubted", []), f"{where}.{kind}.doubted"))
    return out


def _types(value: Any, where: str) -> frozenset[str]:
    words = _words(value, where)
    unknown = sorted(set(words) - set(CUSTOMER_TYPES))
    if unknown:
        raise _fail(f"{where}.{unknown[0]}", f"未知的客户类型；可选：{', '.join(CUSTOMER_TYPES)}")
    return frozenset(words)


def _violations(value: Any, where: str) -> dict[str, ViolationWords]:
    out: dict[str, ViolationWords] = {}
    for code, item in _map(value, where).items():
        at = f"{where}.{code}"
        if code not in VIOLATION_CODES:
            raise _fail(at, f"未知的违规代码；可选：{', '.join(VIOLATION_CODES)}")
        m = _map(item, at)
        kind = m.get("fault", "policy_violation")
        if kind not in FAULT_KINDS:
            raise _fail(f"{at}.fault", f"未知的企业过错 {kind!r}；可选：{', '.join(FAULT_KINDS)}")
        said = _text(m["said"], f"{at}.said", frozenset()) if "said" in m else None
        out[str(code)] = ViolationWords(str(kind), said, _text(m.get("found"), f"{at}.found", frozenset()))
    return out


def violation_words(replies: Replies, code: str) -> ViolationWords | None:
    """The wording of a violation's code (``refused_remedy:refund`` is worded as ``refused_remedy``)."""
    return replies.violations.get(violation_kind(code))


def parse_replies(data: Any) -> Replies:
    d = _map(data, "(top level)")
    faults = _map(d.get("faults"), "faults")
    said = _texts(faults.get("said"), "faults.said")
    missing = [k for k in FAULT_KINDS if k not in said]
    if missing:
        raise _fail("faults.said", f"缺少 {', '.join(missing)}")
    violations = _violations(faults.get("violations", {}), "faults.violations")
    remedies = _map(d.get("remedies"), "remedies")
    offers = _map(d.get("offers"), "offers")
    covers = {str(k): frozenset(_words(v, f"offers.covers.{k}")) for k, v in _map(offers.get("covers"), "offers.covers").items()}
    settled = {}
    for demand, value in _map(d.get("settled"), "settled").items():
        m = _map(value, f"settled.{demand}")
        paths = tuple(tuple(p.split(".")) for p in _words(m.get("facts"), f"settled.{demand}.facts"))
        settled[str(demand)] = Settled(paths, _text(m.get("said"), f"settled.{demand}.said"),
                                       _text(m.get("wait"), f"settled.{demand}.wait"),
                                       frozenset(_words(m.get("wait_for", []), f"settled.{demand}.wait_for")),
                                       frozenset(_words(m.get("wait_when", []), f"settled.{demand}.wait_when")),
                                       frozenset(_words(m.get("covers", []), f"settled.{demand}.covers")),
                                       _words(m.get("told", []), f"settled.{demand}.told"),
                                       _text(m.get("told_said", ""), f"settled.{demand}.told_said") if m.get("told") else "",
                                       _words(m.get("negators", []), f"settled.{demand}.negators"))
    routes = _map(d.get("routes"), "routes")
    subjects = _map(d.get("subjects", {}), "subjects")
    questions = []
    raw_questions = d.get("questions")
    if not isinstance(raw_questions, list):
        raise _fail("questions", "应为列表")
    for i, item in enumerate(raw_questions):
        m = _map(item, f"questions[{i}]")
        questions.append(Question(_text(m.get("match"), f"questions[{i}].match"),
                                  _text(m.get("ask"), f"questions[{i}].ask"),
                                  _words(m.get("answered_by", []), f"questions[{i}].answered_by")))
    source = _text(faults.get("source"), "faults.source")
    route_source = _text(routes.get("source"), "routes.source")
    for where, src in (("faults.source", source), ("routes.source", route_source)):
        if "seed 00" not in src:
            raise _fail(where, "出处必须指向种子文章")
    return Replies(
        fault_source=source,
        from_text=_kinds(faults.get("from_text"), "faults.from_text"),
        chronic_from_text=_kinds(faults.get("chronic_from_text", []), "faults.chronic_from_text"),
        fault_said=said,
        told=_told(faults.get("told", {}), "faults.told"),
        told_exclude=_words(faults.get("told_exclude", []), "faults.told_exclude"),
        violations=violations,
        found=_texts(faults.get("found", {}), "faults.found", RULE_PARAMS),
        to_customer=_texts(remedies.get("to_customer"), "remedies.to_customer"),
        owed_by_customer=frozenset(_words(remedies.get("owed_by_customer", []), "remedies.owed_by_customer")),
        owed_action=_text(remedies.get("owed_action"), "remedies.owed_action"),
        offers=_texts({k: v for k, v in offers.items() if k not in ("covers", "as_demand")}, "offers"),
        as_demand={str(k): _texts(v, f"offers.as_demand.{k}")
                   for k, v in _demand_keyed(_map(offers.get("as_demand", {}), "offers.as_demand"),
                                             "offers.as_demand").items()},
        asked=_texts(_demand_keyed(_map(d.get("asked", {}), "asked"), "asked"), "asked"),
        covers=covers,
        settled=settled,
        route_source=route_source,
        refusal_words=_words(routes.get("refusal_words"), "routes.refusal_words"),
        routes={str(k): _words(v, f"routes.cues.{k}") for k, v in _map(routes.get("cues"), "routes.cues").items()},
        route_fits={str(k): _words(v, f"routes.fits.{k}") for k, v in _map(routes.get("fits", {}), "routes.fits").items()},
        questions=tuple(questions),
        question_note=_text(d.get("question_note"), "question_note"),
        category_words={str(k): _words(v, f"category_words.{k}")
                        for k, v in _map(d.get("category_words", {}), "category_words").items()},
        subjects=_words(subjects.get("words", []), "subjects.words"),
        subject_issue=_text(subjects.get("issue", "{cue}的问题"), "subjects.issue", frozenset({"cue"})),
        not_thing_heads=_words(_map(subjects.get("not_things", {}), "subjects.not_things").get("heads", []),
                               "subjects.not_things.heads"),
        not_thing_words=_words(_map(subjects.get("not_things", {}), "subjects.not_things").get("words", []),
                               "subjects.not_things.words"),
        thing_refused=_words(_map(subjects.get("not_things", {}), "subjects.not_things").get("refused", []),
                             "subjects.not_things.refused"),
        thing_bound_heads=_words(_map(subjects.get("whole", {}), "subjects.whole").get("bound_heads", []),
                                 "subjects.whole.bound_heads"),
        thing_kept_whole=_words(_map(subjects.get("whole", {}), "subjects.whole").get("words", []),
                                "subjects.whole.words"),
        thing_places=_words(subjects.get("places", []), "subjects.places"),
        subject_means=_words(subjects.get("means", []), "subjects.means"),
        not_ours=_told_list(faults["not_ours"], "faults.not_ours") if "not_ours" in faults else (),
        model_only=_model_only(faults.get("model_only", {}), "faults.model_only"),
        own_side=_model_only(faults.get("own_side", {}), "faults.own_side"),
        tariff=_model_only(faults.get("tariff", {}), "faults.tariff"),
        disputed=_model_only(faults.get("disputed", {}), "faults.disputed"),
        situations=parse_situations(d.get("situations", {}), "situations", _map, _words, _text, _fail),
        elsewhere=_elsewhere(faults.get("elsewhere", {}), "faults.elsewhere"),
        bare=_model_only(faults.get("bare", {}), "faults.bare"),
        attitude_checked=_types(faults.get("attitude_checked", []), "faults.attitude_checked"),
        mirror={str(k): _words(v, f"mirror.{k}") for k, v in _map(d.get("mirror", {}), "mirror").items()},
        set_aside=_set_aside(faults.get("set_aside", {}), "faults.set_aside"),
        guard=_guard(_map(d.get("guard", {}), "guard")),
    )


def _guard(g: Mapping[str, Any]) -> Guard:
    return Guard(_words(g.get("owed", []), "guard.owed"), _words(g.get("credit", []), "guard.credit"),
                 frozenset(_words(g.get("waivable_by", []), "guard.waivable_by")),
                 _text(g.get("instead", ""), "guard.instead") if g.get("instead") else "")


SET_ASIDE = frozenset({"disputed", "bare", "attitude_checked", "own_side", "tariff"})


def _set_aside(value: Any, where: str) -> dict[str, str]:
    texts = _texts(value, where, frozenset({"fault", "cue"}))
    # a rule's words, or one fault's own under that rule (bare.missed_appointment)
    unknown = sorted(k for k in texts if k.split(".")[0] not in SET_ASIDE
                     or (k.count(".") and k.split(".", 1)[1] not in FAULT_KINDS))
    if unknown:
        raise _fail(f"{where}.{unknown[0]}", f"未知的搁置规则；可选：{', '.join(sorted(SET_ASIDE))}")
    return texts


def by_prefix(table: Mapping[str, str], rule_id: str) -> str | None:
    """The entry whose key is the longest prefix of ``rule_id``."""
    hits = [k for k in table if rule_id.startswith(k)]
    return table[max(hits, key=len)] if hits else None
