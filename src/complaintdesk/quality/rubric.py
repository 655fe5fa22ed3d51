"""The quality rubric: rules, forbidden phrases, cue lists and weights, loaded from YAML and validated.

The rubric is the centre's to edit (``quality/data/rubric.yaml``); this module only checks that what it
says is usable and refuses a bad file with a ConfigurationError naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import centre_file, knowledge_cache, read_data_file

Severity = Literal["minor", "major", "critical"]
SEVERITIES: tuple[Severity, ...] = ("minor", "major", "critical")
DIMENSIONS = ("understanding", "acknowledgement", "emotion", "assistance")
STEPS = ("accept", "calm", "clarify", "propose", "act", "thank", "follow_up")
RULE_IDS = (
    "forbidden_phrase", "cold_phrase", "blame_colleague", "but_after_acknowledgement",
    "refusal_without_alternative", "repeated_instruction", "no_apology", "ritual_apology",
    "no_concrete_commitment", "humour_while_angry", "agent_hung_up", "talking_too_much",
    "interrupting_customer", "no_thanks_at_end", "no_follow_up", "complaint_logged_as_enquiry",
    "banned_phrase", "deflection",
)
AGENT_CUES = (
    "greeting", "clarify_question", "check_system", "acknowledge", "reassure", "apology_sincere",
    "apology_any", "warm_tone", "patience_praise", "thanks", "proactive", "offer_option", "commitment",
    "deferral", "concrete_time", "follow_up", "completion", "humour", "refusal", "hangup_self",
    "instruction", "acknowledgement_for_but", "but", "self_service", "states_facts",
)
CUSTOMER_CUES = (
    "refusal", "acceptance", "complaint", "hangup_self", "anger", "anxiety", "disappointment",
    "asks_self_service",
)
PHRASE_RULES = ("forbidden_phrase", "cold_phrase", "blame_colleague")
# rules whose violation is a thing said (the evidence is words in a line): what "禁语 recall" counts
SAID_RULES = (*PHRASE_RULES, "banned_phrase")


@dataclass(frozen=True)
class RuleSpec:
    """One rule of the rubric: what it is called, how bad it is, why, and where the seeds say so."""

    id: str
    severity: Severity
    title: str
    why: str
    source: str
    deduction: float
    penalties: Mapping[str, float] = field(default_factory=dict)
    enabled: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "severity": self.severity, "title": self.title, "why": self.why,
            "source": self.source, "deduction": self.deduction, "penalties": dict(self.penalties),
            "enabled": self.enabled,
        }


@dataclass(frozen=True)
class ForbiddenPhrase:
    """A phrase an agent must not say, with why and what to say instead (public: reply drafts use it)."""

    phrase: str
    rule: str
    severity: Severity
    why: str
    source: str
    instead: str
    patterns: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase, "rule": self.rule, "severity": self.severity, "why": self.why,
            "source": self.source, "instead": self.instead, "patterns": list(self.patterns),
        }


@dataclass(frozen=True)
class CueSet:
    """A named list of regular expressions; a line 'has' the cue when any of them matches."""

    name: str
    patterns: tuple[re.Pattern[str], ...]

    def search(self, text: str) -> re.Match[str] | None:
        for pattern in self.patterns:
            found = pattern.search(text)
            if found:
                return found
        return None

    def finditer(self, text: str) -> list[re.Match[str]]:
        return [m for pattern in self.patterns for m in pattern.finditer(text)]

    def count(self, text: str) -> int:
        return sum(1 for pattern in self.patterns for _ in pattern.finditer(text))


@dataclass(frozen=True)
class Rubric:
    version: str
    source_name: str
    max_chars: int
    max_turns: int
    speakers: Mapping[str, str]
    weights: Mapping[str, float]
    repeat_factor: float
    max_occurrences: int
    talk_max_ratio: float
    talk_min_chars: int
    chars_per_second: float
    negative_weights: Mapping[str, float]
    trend_threshold: float
    angry_min_intensity: float
    enquiry_categories: frozenset[str]
    rules: Mapping[str, RuleSpec]
    phrases: tuple[ForbiddenPhrase, ...]
    phrase_patterns: tuple[tuple[ForbiddenPhrase, re.Pattern[str]], ...]
    agent_cues: Mapping[str, CueSet]
    customer_cues: Mapping[str, CueSet]
    steps: Mapping[str, str]
    dimensions: Mapping[str, tuple[tuple[str, float], ...]]
    critical_cap: float = 39.0  # a call with a critical violation scores at most this; others above it
    severity_deduction: Mapping[str, float] = field(default_factory=dict)
    topics: Mapping[str, tuple[tuple[str, ...], Mapping[str, str]]] = field(default_factory=dict)


class _Reader:
    """Validating accessors that name the file, the entry and the field in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, entry: str, name: str, problem: str) -> ConfigurationError:
        message = f"质检规则文件 {self.source}：条目 {entry} 的字段 {name} {problem}"
        return ConfigurationError(message, field=name)

    def mapping(self, data: Any, entry: str, name: str) -> dict[str, Any]:
        value = data.get(name) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            raise self.fail(entry, name, "缺失或不是映射（mapping）")
        return value

    def listing(self, data: Mapping[str, Any], entry: str, name: str) -> list[Any]:
        value = data.get(name)
        if not isinstance(value, list):
            raise self.fail(entry, name, "缺失或不是列表")
        return value

    def text(self, data: Mapping[str, Any], entry: str, name: str, default: str | None = None) -> str:
        value = data.get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, name, "缺失或不是非空文本")
        return value.strip()

    def number(self, data: Mapping[str, Any], entry: str, name: str, low: float, high: float) -> float:
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.fail(entry, name, f"必须是 {low} 到 {high} 之间的数字")
        return float(value)

    def regex(self, pattern: Any, entry: str, name: str) -> re.Pattern[str]:
        if not isinstance(pattern, str) or not pattern:
            raise self.fail(entry, name, "含有空的或非文本的正则表达式")
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise self.fail(entry, name, f"正则表达式 {pattern!r} 无效：{exc}") from exc

    def cues(self, data: Mapping[str, Any], entry: str, required: tuple[str, ...]) -> dict[str, CueSet]:
        out: dict[str, CueSet] = {}
        for name in required:
            patterns = self.listing(data, entry, name)
            if not patterns:
                raise self.fail(entry, name, "至少需要一个正则表达式")
            out[name] = CueSet(name, tuple(self.regex(p, f"{entry}.{name}", name) for p in patterns))
        return out


def _rules(reader: _Reader, raw: list[Any], deductions: Mapping[str, float]) -> dict[str, RuleSpec]:
    rules: dict[str, RuleSpec] = {}
    for index, item in enumerate(raw):
        entry = f"rules[{index}]"
        if not isinstance(item, dict):
            raise reader.fail(entry, "rules", "每条规则必须是映射")
        rule_id = reader.text(item, entry, "id")
        entry = f"rules[{index}] ({rule_id})"
        if rule_id not in RULE_IDS:
            raise reader.fail(entry, "id", f"未知规则；可用：{', '.join(RULE_IDS)}")
        severity = item.get("severity")
        if severity not in SEVERITIES:
            raise reader.fail(entry, "severity", "必须是 minor、major 或 critical")
        deduction = (
            reader.number(item, entry, "deduction", 0, 100) if "deduction" in item
            else deductions[cast(str, severity)]
        )
        penalties_raw = item.get("penalties", {}) or {}
        if not isinstance(penalties_raw, dict):
            raise reader.fail(entry, "penalties", "必须是 维度: 扣分 的映射")
        penalties: dict[str, float] = {}
        for dim in penalties_raw:
            if dim not in DIMENSIONS:
                raise reader.fail(entry, "penalties", f"未知维度 {dim}；可用：{', '.join(DIMENSIONS)}")
            penalties[dim] = reader.number(penalties_raw, entry, dim, 0, 10)
        rules[rule_id] = RuleSpec(
            id=rule_id, severity=cast(Severity, severity), title=reader.text(item, entry, "title"),
            why=reader.text(item, entry, "why"), source=reader.text(item, entry, "source"),
            deduction=deduction, penalties=penalties, enabled=bool(item.get("enabled", True)),
        )
    missing = [r for r in RULE_IDS if r not in rules]
    if missing:
        raise reader.fail("rules", "id", f"缺少规则：{', '.join(missing)}（停用请写 enabled: false）")
    return rules


def _phrases(
    reader: _Reader, raw: list[Any], rules: Mapping[str, RuleSpec]
) -> tuple[tuple[ForbiddenPhrase, ...], tuple[tuple[ForbiddenPhrase, re.Pattern[str]], ...]]:
    phrases: list[ForbiddenPhrase] = []
    compiled: list[tuple[ForbiddenPhrase, re.Pattern[str]]] = []
    for index, item in enumerate(raw):
        entry = f"phrases[{index}]"
        if not isinstance(item, dict):
            raise reader.fail(entry, "phrases", "每个短语必须是映射")
        phrase = reader.text(item, entry, "phrase")
        entry = f"phrases[{index}] ({phrase})"
        rule_id = reader.text(item, entry, "rule")
        if rule_id not in PHRASE_RULES:
            raise reader.fail(entry, "rule", f"必须是 {', '.join(PHRASE_RULES)} 之一")
        extra = item.get("match", []) or []
        if not isinstance(extra, list):
            raise reader.fail(entry, "match", "必须是正则表达式列表")
        patterns = (re.escape(phrase), *[str(p) for p in extra])
        spec = rules[rule_id]
        entry_obj = ForbiddenPhrase(
            phrase=phrase, rule=rule_id, severity=spec.severity, why=reader.text(item, entry, "why"),
            source=spec.source, instead=reader.text(item, entry, "instead"), patterns=patterns,
        )
        phrases.append(entry_obj)
        compiled.extend((entry_obj, reader.regex(p, entry, "match")) for p in patterns)
    return tuple(phrases), tuple(compiled)


def _dimensions(reader: _Reader, raw: Mapping[str, Any]) -> dict[str, tuple[tuple[str, float], ...]]:
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for dim in DIMENSIONS:
        items = reader.listing(raw, "dimensions", dim)
        parts: list[tuple[str, float]] = []
        for index, item in enumerate(items):
            entry = f"dimensions.{dim}[{index}]"
            cue = reader.text(item if isinstance(item, dict) else {}, entry, "cue")
            if cue not in AGENT_CUES:
                raise reader.fail(entry, "cue", f"未知客服线索组 {cue}")
            parts.append((cue, reader.number(item, entry, "points", 0, 10)))
        out[dim] = tuple(parts)
    return out


def parse_rubric(data: Any, source: str) -> Rubric:
    """Validate an already-parsed YAML document and build the Rubric."""
    reader = _Reader(source)
    if not isinstance(data, dict):
        raise reader.fail("（根）", "（文件）", "必须是映射")
    limits = reader.mapping(data, "（根）", "limits")
    scoring = reader.mapping(data, "（根）", "scoring")
    weights_raw = reader.mapping(scoring, "scoring", "weights")
    weights = {
        k: reader.number(weights_raw, "scoring.weights", k, 0, 1) for k in ("respect", "sincerity", "steps")
    }
    if abs(sum(weights.values()) - 1.0) > 1e-6:
        raise reader.fail("scoring.weights", "weights", "三项权重之和必须为 1")
    sev_raw = reader.mapping(scoring, "scoring", "severity_deduction")
    deductions: dict[str, float] = {
        s: reader.number(sev_raw, "scoring.severity_deduction", s, 0, 100) for s in SEVERITIES
    }
    talk = reader.mapping(data, "（根）", "talk")
    emotion = reader.mapping(data, "（根）", "emotion")
    negative_raw = reader.mapping(emotion, "emotion", "negative")
    speakers_raw = reader.mapping(data, "（根）", "speakers")
    speakers: dict[str, str] = {}
    for role in ("agent", "customer"):
        for alias in reader.listing(speakers_raw, "speakers", role):
            speakers[str(alias).strip().lower()] = role
    rules = _rules(reader, reader.listing(data, "（根）", "rules"), deductions)
    phrases, phrase_patterns = _phrases(reader, reader.listing(data, "（根）", "phrases"), rules)
    cues = reader.mapping(data, "（根）", "cues")
    steps_raw = reader.mapping(data, "（根）", "steps")
    steps = {s: reader.text(steps_raw, "steps", s) for s in STEPS}
    return Rubric(
        version=reader.text(data, "（根）", "version"),
        source_name=source,
        max_chars=int(reader.number(limits, "limits", "max_chars", 100, 10_000_000)),
        max_turns=int(reader.number(limits, "limits", "max_turns", 2, 1_000_000)),
        speakers=speakers,
        weights=weights,
        repeat_factor=reader.number(scoring, "scoring", "repeat_factor", 0, 1),
        max_occurrences=int(reader.number(scoring, "scoring", "max_occurrences", 1, 100)),
        talk_max_ratio=reader.number(talk, "talk", "max_ratio", 0, 1),
        talk_min_chars=int(reader.number(talk, "talk", "min_chars", 0, 1_000_000)),
        chars_per_second=reader.number(talk, "talk", "chars_per_second", 0.1, 100),
        negative_weights={k: reader.number(negative_raw, "emotion.negative", k, 0, 1) for k in negative_raw},
        trend_threshold=reader.number(emotion, "emotion", "trend_threshold", 0, 1),
        angry_min_intensity=reader.number(emotion, "emotion", "angry_min_intensity", 0, 1),
        enquiry_categories=frozenset(
            str(c).strip().lower() for c in reader.listing(data, "（根）", "enquiry_categories")
        ),
        rules=rules,
        phrases=phrases,
        phrase_patterns=phrase_patterns,
        agent_cues=reader.cues(reader.mapping(cues, "cues", "agent"), "cues.agent", AGENT_CUES),
        customer_cues=reader.cues(reader.mapping(cues, "cues", "customer"), "cues.customer", CUSTOMER_CUES),
        steps=steps,
        dimensions=_dimensions(reader, reader.mapping(data, "（根）", "dimensions")),
        critical_cap=reader.number(scoring, "scoring", "critical_cap", 0, 99) if "critical_cap" in scoring
        else 39.0,
        severity_deduction=deductions,
        topics=_topics(reader, data.get("topics") or {}),
    )


def _topics(reader: _Reader, raw: Any) -> dict[str, tuple[tuple[str, ...], Mapping[str, str]]]:
    """Call topics: the words that reveal one, and what to say instead (by rule) on a call about it."""
    if not isinstance(raw, dict):
        raise reader.fail("（根）", "topics", "必须是 话题: {words, instead} 的映射")
    out: dict[str, tuple[tuple[str, ...], Mapping[str, str]]] = {}
    for name, spec in raw.items():
        entry = f"topics.{name}"
        words = reader.listing(spec if isinstance(spec, dict) else {}, entry, "words")
        instead = spec.get("instead") or {}
        if not isinstance(instead, dict):
            raise reader.fail(entry, "instead", "必须是 规则: 建议 的映射")
        out[str(name)] = (tuple(str(w) for w in words), {str(k): str(v) for k, v in instead.items()})
    return out


def load_rubric(path: str | Path | None = None) -> Rubric:
    """The rubric at ``path``, or the one in force: the centre's ``quality/rubric.yaml`` in the knowledge
    directory, else the packaged one (cached per knowledge generation)."""
    return active_rubric() if path is None else _read(path)


def _read(path: str | Path | None) -> Rubric:
    data, source = read_data_file(path, "complaintdesk.quality.data", "rubric.yaml", "质检规则文件", "rubric")
    return parse_rubric(data, source)


def rubric_in(directory: Path | None) -> Rubric:
    """The rubric a knowledge directory makes."""
    return _read(centre_file(directory, "quality", "rubric.yaml"))


@knowledge_cache("rubric")
def active_rubric(directory: Path | None) -> Rubric:
    return rubric_in(directory)
