"""Load and validate the assistant's playbooks (``assist/data/*.yaml``) into frozen, typed objects.

A centre edits these files; a bad file is refused at load with a ConfigurationError naming the file,
the entry and the field, so a typo never surfaces as a strange draft in front of a customer.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from complaintdesk.assist.model import ESCALATION_LEVELS, STYLES, TECHNIQUES, Avoid
from complaintdesk.assist.replies import parse_replies
from complaintdesk.assist.specs import (
    ActionSpec,
    Playbook,
    Reasoned,
    RuleAction,
    StageSpec,
    ThreatSpec,
    TypeSpec,
    WaitSpec,
)
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import centre_file, knowledge_cache, load_yaml, shipped_text

FILES = ("playbook.yaml", "tactics.yaml", "templates.yaml", "replies.yaml")
CUSTOMER_TYPES = (
    "intimidating", "whiner", "silent", "friendly", "negative", "know_it_all", "procrastinator",
    "stubborn", "nagger", "self_important", "boss_demander",
)
STAGES = ("accepted", "calming", "clarifying", "proposing", "acting", "thanking", "follow_up", "closed", "reopened")
POLICY_ADVICE = (
    "entitled", "discretionary_allowed", "discretionary_escalate", "discretionary_unplanned", "not_entitled",
    "unknown", "violation", "remedy",
)
# What a template may ask for; the draft builder fills these from the analysis, the policy and the facts.
PLACEHOLDERS = frozenset({
    "salutation", "issue", "product", "model", "finding", "demand_label", "rule_short", "amount", "computation",
    "remedy_label", "questions", "escalate_label", "promise", "reason", "timebox", "solution_offer", "repair_count",
    "promise_hours", "condition", "alternative", "rule", "what", "quoted", "due", "fault_said", "found", "thing",
})


class _Reader:
    """Typed access to one YAML file; every error names file, entry and field."""

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        self.data = self.mapping(data, "(top level)")

    def fail(self, where: str, message: str) -> ConfigurationError:
        return ConfigurationError(f"助手手册 {self.name} 有误：{where}：{message}", field=f"{self.name}:{where}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "应为映射（mapping）")
        return value

    def text(self, m: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> str:
        value = m.get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", "缺失或不是非空文本")
        return value.strip()

    def number(self, m: Mapping[str, Any], key: str, where: str) -> float:
        value = m.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.fail(f"{where}.{key}", "应为非负数")
        return float(value)

    def words(self, m: Mapping[str, Any], key: str, where: str) -> frozenset[str]:
        value = m.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", "应为文本列表")
        return frozenset(value)

    def source(self, m: Mapping[str, Any], where: str) -> str:
        src = self.text(m, "source", where)
        if "seed 00" not in src:
            raise self.fail(f"{where}.source", f"出处必须指向种子文章（如 \"seed 001 §三.1\"），而不是 {src!r}")
        return src

    def action(self, value: Any, where: str, key: str | None = None) -> ActionSpec:
        m = self.mapping(value, where)
        return ActionSpec(
            key=key or self.text(m, "key", where),
            action=self.text(m, "action", where),
            why=self.text(m, "why", where),
            source=self.source(m, where),
        )

    def actions(self, value: Any, where: str) -> tuple[ActionSpec, ...]:
        if not isinstance(value, list):
            raise self.fail(where, "应为列表")
        return tuple(self.action(item, f"{where}[{i}]") for i, item in enumerate(value))

    def reasoned(self, value: Any, where: str) -> Reasoned:
        m = self.mapping(value, where)
        return Reasoned(self.text(m, "label", where, optional=True), self.text(m, "why", where), self.source(m, where))

    def template(self, value: Any, where: str) -> None:
        """A template leaf is a list of strings whose placeholders the engine knows."""
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, "模板应为文本列表（按顺序取第一个能填满的）")
        for i, item in enumerate(value):
            try:
                names = {f for _, f, _, _ in string.Formatter().parse(item) if f is not None}
            except ValueError as exc:
                raise self.fail(f"{where}[{i}]", f"花括号不配对：{exc}") from None
            unknown = names - PLACEHOLDERS
            if unknown:
                raise self.fail(f"{where}[{i}]", f"未知占位符 {sorted(unknown)}；可用：{sorted(PLACEHOLDERS)}")

    def templates(self, value: Any, where: str) -> None:
        if isinstance(value, list):
            self.template(value, where)
            return
        for key, sub in self.mapping(value, where).items():
            self.templates(sub, f"{where}.{key}")


def _stages(r: _Reader) -> dict[str, StageSpec]:
    raw = r.mapping(r.data.get("stages"), "stages")
    out: dict[str, StageSpec] = {}
    for name in STAGES:
        m = r.mapping(raw.get(name), f"stages.{name}")
        out[name] = StageSpec(name, r.text(m, "label", f"stages.{name}"), r.text(m, "needs", f"stages.{name}"),
                              r.actions(m.get("actions"), f"stages.{name}.actions"))
    return out


def _core(r: _Reader) -> dict[str, Any]:
    d = r.data
    th = r.mapping(d.get("thresholds"), "thresholds")
    apology = r.mapping(d.get("apology"), "apology")
    tech = r.mapping(d.get("techniques"), "techniques")
    dq = r.mapping(d.get("default_questions"), "default_questions")
    default_stage = r.text(d, "default_stage", "(top level)")
    if default_stage not in STAGES:
        raise r.fail("default_stage", f"未知阶段 {default_stage!r}，可选：{', '.join(STAGES)}")
    return {
        "version": str(d.get("version", "")),
        "angry_intensity": r.number(th, "angry_intensity", "thresholds"),
        "type_min_score": r.number(th, "type_min_score", "thresholds"),
        "max_types": int(r.number(th, "max_types", "thresholds")),
        "stages": _stages(r),
        "default_stage": default_stage,
        "emotion_first": r.action(d.get("emotion_first"), "emotion_first"),
        "sincerity": r.actions(d.get("sincerity"), "sincerity"),
        "respect": r.action(d.get("respect"), "respect"),
        "apology": {s: r.reasoned(apology.get(s), f"apology.{s}") for s in STYLES},
        "fault_categories": r.words(apology, "fault_categories", "apology"),
        "techniques": {t: r.reasoned(tech.get(t), f"techniques.{t}") for t in TECHNIQUES},
        "proud_types": r.words(tech, "proud_types", "techniques"),
        "misunderstanding_categories": r.words(tech, "misunderstanding_categories", "techniques"),
        "humor_stages": r.words(tech, "humor_stages", "techniques"),
        "default_questions": {k: r.text(dq, k, "default_questions") for k in ("no_demand", "no_facts")},
    }


def _labels(r: _Reader, key: str) -> dict[str, str]:
    m = r.mapping(r.data.get(key), key)
    return {str(k): r.text(m, str(k), key) for k in m}


def _threat_specs(r: _Reader, d: Mapping[str, Any], key: str, list_names: tuple[str, ...]) -> dict[str, ThreatSpec]:
    """``threats`` (kinds the analysis engine reads) or ``matters`` (read by the assistant from the text)."""
    out = {}
    raw = d.get(key) if key == "threats" else (d.get(key) or {})
    for kind, value in r.mapping(raw, key).items():
        where = f"{key}.{kind}"
        m = r.mapping(value, where)
        to = m.get("escalate_to")
        if to is not None and to not in ESCALATION_LEVELS:
            raise r.fail(f"{where}.escalate_to", f"应为 {', '.join(ESCALATION_LEVELS)} 或 null")
        priority = r.text(m, "priority", where)
        if priority not in ("normal", "high", "urgent"):
            raise r.fail(f"{where}.priority", "应为 normal、high 或 urgent")
        lists = {}
        for name in list_names:
            words = m.get(name, [])
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise r.fail(f"{where}.{name}", "应为文本列表")
            lists[name] = tuple(words)
        out[str(kind)] = ThreatSpec(to, priority, r.text(m, "action", where), r.text(m, "why", where),
                                    r.source(m, where), **lists)
    return out


def _tactics(r: _Reader) -> dict[str, Any]:
    d = r.data
    types_raw = r.mapping(d.get("customer_types"), "customer_types")
    types = {}
    for name in CUSTOMER_TYPES:
        where = f"customer_types.{name}"
        m = r.mapping(types_raw.get(name), where)
        types[name] = TypeSpec(r.text(m, "label", where), r.text(m, "action", where), r.text(m, "why", where),
                               r.source(m, where), r.text(m, "line", where, optional=True))
    chronic = r.mapping(d.get("chronic"), "chronic")
    threats = _threat_specs(r, d, "threats", ("ours", "ours_near"))
    matters = _threat_specs(r, d, "matters", ("cues", "exclude", "sent", "negators"))
    if any(not m.cues for m in matters.values()):
        raise r.fail("matters", "每一项都要有 cues")
    policy = r.mapping(d.get("policy"), "policy")
    rules_raw = policy.get("rules", [])
    if not isinstance(rules_raw, list):
        raise r.fail("policy.rules", "应为列表")
    rule_actions = tuple(
        RuleAction(r.text(r.mapping(item, f"policy.rules[{i}]"), "match", f"policy.rules[{i}]"),
                   r.action(item, f"policy.rules[{i}]"))
        for i, item in enumerate(rules_raw)
    )
    avoid_raw = r.mapping(d.get("avoid"), "avoid")
    avoid: dict[str, tuple[Avoid, ...]] = {}
    for group, items in avoid_raw.items():
        if not isinstance(items, list):
            raise r.fail(f"avoid.{group}", "应为列表")
        entries = []
        for i, item in enumerate(items):
            where = f"avoid.{group}[{i}]"
            m = r.mapping(item, where)
            entries.append(Avoid(r.text(m, "phrase_or_behaviour", where), r.text(m, "why", where), r.source(m, where)))
        avoid[str(group)] = tuple(entries)
    if "always" not in avoid:
        raise r.fail("avoid.always", "缺失")
    return {
        "types": types,
        "chronic_actions": r.actions(chronic.get("actions"), "chronic.actions"),
        "timebox_minutes": int(r.number(chronic, "timebox_minutes", "chronic")),
        "threats": threats,
        "matters": matters,
        "policy": {k: r.action(policy.get(k), f"policy.{k}", key=f"policy_{k}") for k in POLICY_ADVICE},
        "rule_actions": rule_actions,
        "demand_labels": _labels(r, "demand_labels"),
        "remedy_labels": _labels(r, "remedy_labels"),
        "escalation_labels": _labels(r, "escalation_labels"),
        "avoid": avoid,
    }


def _wait(r: _Reader, value: Any, where: str) -> WaitSpec:
    m = r.mapping(value, where)
    done = r.words(m, "done_when", where) if "done_when" in m else frozenset()
    return WaitSpec(r.text(m, "what", where), int(r.number(m, "real_minutes", where)), r.text(m, "reason", where),
                    done, r.text(m, "done_wait", where) if done else None)


def _zone(r: _Reader, exp: Mapping[str, Any]) -> str:
    name = r.text(exp, "timezone", "expectations")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise r.fail("expectations.timezone", f"未知时区 {name!r}（例：Asia/Shanghai）") from None
    return name


def _basis(r: _Reader, exp: Mapping[str, Any]) -> bool:
    basis = r.text(exp, "basis", "expectations")
    if basis not in ("business", "calendar"):
        raise r.fail("expectations.basis", f"应为 business 或 calendar，而不是 {basis!r}")
    return basis == "business"


def _templates(r: _Reader) -> dict[str, Any]:
    d = r.data
    order = d.get("order")
    if not isinstance(order, list) or not order:
        raise r.fail("order", "应为非空的段落名列表")
    sections = {}
    for name in order:
        if name not in d:
            raise r.fail(f"order.{name}", "order 中列出的段落在文件中不存在")
        if name != "type_line":
            r.templates(d[name], str(name))
        sections[str(name)] = d[name]
    exp = r.mapping(d.get("expectations"), "expectations")
    by_cat = r.mapping(exp.get("by_category"), "expectations.by_category")
    return {
        "templates": {"order": tuple(str(o) for o in order), **sections},
        "issues": _labels(r, "issues"),
        "products": _labels(r, "products"),
        "margin_ratio": r.number(exp, "margin_ratio", "expectations"),
        "min_margin_minutes": int(r.number(exp, "min_margin_minutes", "expectations")),
        "timezone": _zone(r, exp),
        "business_basis": _basis(r, exp),
        "round_due_minutes": max(1, int(r.number(exp, "round_due_minutes", "expectations"))),
        "expectation_why": r.text(exp, "why", "expectations"),
        "expectation_source": r.source(exp, "expectations"),
        "waits": {str(k): _wait(r, v, f"expectations.by_category.{k}") for k, v in by_cat.items()},
        "default_wait": _wait(r, exp.get("default"), "expectations.default"),
    }


def _read(name: str, text: str) -> _Reader:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"助手手册 {name} 不是有效的 YAML：{exc}", field=name) from None
    return _Reader(name, data)


def parse_playbook(texts: Mapping[str, str], shown: Mapping[str, str] | None = None) -> Playbook:
    """Build a Playbook from the files' texts (keyed by file name); validates everything. Errors name
    each file as ``shown`` says (a centre's path), else by its name."""
    missing = [f for f in FILES if f not in texts]
    if missing:
        raise ConfigurationError(f"助手手册缺少文件：{', '.join(missing)}", field=missing[0])
    names = {name: (shown or {}).get(name, name) for name in FILES}
    return Playbook(
        **_core(_read(names["playbook.yaml"], texts["playbook.yaml"])),
        **_tactics(_read(names["tactics.yaml"], texts["tactics.yaml"])),
        **_templates(_read(names["templates.yaml"], texts["templates.yaml"])),
        replies=parse_replies(_read(names["replies.yaml"], texts["replies.yaml"]).data),
    )


def load_playbook(directory: str | Path | None = None) -> Playbook:
    """The playbook in force (packaged files, each replaced by the centre's copy in ``assist/`` of the
    knowledge directory), or the one in ``directory`` (a centre's edited copy of ``assist/data``)."""
    if directory is None:
        return active_playbook()
    folder = Path(directory)
    texts = {}
    for name in FILES:
        texts[name] = _read_text(folder / name)
    return parse_playbook(texts)


def playbook_sources(knowledge: Path | None) -> dict[str, str | None]:
    """Each playbook file's centre copy in a knowledge directory, or None for the packaged one."""
    found = {name: centre_file(knowledge, "assist", name) for name in FILES}
    return {name: str(path) if path else None for name, path in found.items()}


def playbook_in(knowledge: Path | None) -> Playbook:
    """The playbook a knowledge directory makes: its ``assist/*.yaml``, the packaged files for the rest."""
    texts, shown = {}, {}
    for name, local in playbook_sources(knowledge).items():
        texts[name] = _read_text(Path(local)) if local else shipped_text("complaintdesk.assist.data", name)
        shown[name] = local or name
    return parse_playbook(texts, shown)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"无法读取助手手册 {path}：{exc}", field=path.name) from None


@knowledge_cache("playbook")
def active_playbook(knowledge: Path | None) -> Playbook:
    return playbook_in(knowledge)
