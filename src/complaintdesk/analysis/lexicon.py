"""Cue lists in YAML (``analysis/data/*.yaml``), validated at load and compiled into one automaton.

Every file has the same shape, so a centre can extend any of them the same way::

    source: where the knowledge comes from (seed and section)
    negatable: true            # optional: cues preceded by a negator (不是要, 不需要 …) do not count
    labels:
      refund:
        cues: [退款, {text: 退钱, weight: 1.5}, {text: 退, word: true}]
    exclude: [曝光不足]         # optional: phrases that cancel any cue of this file inside them
    lists: {negators: [不是要, 不需要]}   # optional named word lists used by the engine

A label may also hold ``near`` rules, for what customers say with words in between (态度很恶劣,
师傅没按约定的时间上门): a ``first`` word, then within ``within`` characters of the same sentence (or,
with ``across: true``, of the same line) a ``then`` word; the span runs from one to the other::

    near: [{first: [态度, 语气], then: [恶劣, 蛮横], within: 4, weight: 1.0}]

One Aho–Corasick automaton holds every cue of every file, so a text is scanned once whatever the
number of cues (linear in the text length).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import centre_file, knowledge_cache, load_yaml, shipped_text

FAMILIES: dict[str, str] = {
    "emotion": "emotion.yaml",
    "customer_type": "customer_types.yaml",
    "chronic": "chronic.yaml",
    "demand": "demands.yaml",
    "threat": "threats.yaml",
    "category": "categories.yaml",
    "company_fault": "company_faults.yaml",
}


@dataclass(frozen=True, slots=True)
class Cue:
    family: str
    label: str
    text: str
    weight: float
    word: bool = False  # must start and end on jieba word boundaries (for short, ambiguous cues)


NEAR_MARK = "__near__"


@dataclass(frozen=True, slots=True)
class Near:
    """A ``first`` word followed, ``within`` characters later, by a ``then`` word (``then`` matches right
    after the first word's end)."""

    family: str
    label: str
    first: tuple[str, ...]
    then: re.Pattern[str]
    weight: float


_SENTENCE_GAP = "[^。！？!?；;\\n]"
_LINE_GAP = "[^\\n]"


@dataclass(frozen=True, slots=True)
class CueFile:
    family: str
    path: str
    source: str
    negatable: bool
    labels: Mapping[str, tuple[Cue, ...]]
    exclude: tuple[str, ...]
    lists: Mapping[str, tuple[str, ...]]
    near: tuple[Near, ...] = ()


def _fail(path: str, where: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"词库文件 {path} 无效：{where}：{problem}", field=where)


def as_read(word: str) -> str:
    """A cue word as the engine reads text: through the product's normaliser, so a word written in
    traditional script or Cantonese (搵, 唔凍, 又壞) matches the normalised text (揾, 唔冻, 又坏)."""
    from complaintdesk.text import normalise

    return normalise(word).text


def _str_list(path: str, where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, "应为非空字符串列表（expected a list of non-empty strings）")
    return tuple(as_read(v.strip()) for v in value)


def _parse_cue(path: str, family: str, label: str, index: int, raw: object) -> Cue:
    where = f"labels.{label}.cues[{index}]"
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # YAML reads 12315 as a number
    if isinstance(raw, str) and raw.strip():
        return Cue(family, label, as_read(raw.strip()), 1.0)
    if isinstance(raw, dict):
        text, weight, word = raw.get("text"), raw.get("weight", 1.0), raw.get("word", False)
        if not isinstance(text, str) or not text.strip():
            raise _fail(path, where + ".text", "缺少线索文字（missing cue text）")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 5:
            raise _fail(path, where + ".weight", f"权重须在 (0, 5] 之间，得到 {weight!r}")
        if not isinstance(word, bool):
            raise _fail(path, where + ".word", "应为 true 或 false")
        return Cue(family, label, as_read(text.strip()), float(weight), word)
    raise _fail(path, where, f"线索须为字符串或 {{text, weight}}，得到 {raw!r}")


def _parse_near(path: str, family: str, label: str, index: int, raw: object) -> Near:
    where = f"labels.{label}.near[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "应为 {first, then, within} 映射")
    first = _str_list(path, where + ".first", raw.get("first"))
    then = _str_list(path, where + ".then", raw.get("then"))
    within, weight, across = raw.get("within", 6), raw.get("weight", 1.0), raw.get("across", False)
    if isinstance(within, bool) or not isinstance(within, int) or not 0 <= within <= 60:
        raise _fail(path, where + ".within", f"间隔字数须在 0 到 60 之间，得到 {within!r}")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 5:
        raise _fail(path, where + ".weight", f"权重须在 (0, 5] 之间，得到 {weight!r}")
    if not isinstance(across, bool):
        raise _fail(path, where + ".across", "应为 true 或 false")
    words = "|".join(re.escape(w) for w in sorted(then, key=len, reverse=True))
    gap = _LINE_GAP if across else _SENTENCE_GAP
    return Near(family, label, first, re.compile(f"{gap}{{0,{within}}}?(?:{words})"), float(weight))


def parse_cue_file(family: str, path: str, data: object, allowed: Iterable[str]) -> CueFile:
    """Validate one parsed YAML document; ``allowed`` is the label vocabulary of the family."""
    if not isinstance(data, dict):
        raise _fail(path, "(root)", "应为映射（expected a mapping）")
    allowed_set = set(allowed)
    raw_labels = data.get("labels")
    if not isinstance(raw_labels, dict) or not raw_labels:
        raise _fail(path, "labels", "缺少 labels 映射")
    labels: dict[str, tuple[Cue, ...]] = {}
    near: list[Near] = []
    for label, body in raw_labels.items():
        if label not in allowed_set:
            raise _fail(path, f"labels.{label}", f"未知标签，可选：{', '.join(sorted(allowed_set))}")
        if not isinstance(body, dict) or not isinstance(body.get("cues"), list):
            raise _fail(path, f"labels.{label}.cues", "应为线索列表")
        labels[label] = tuple(_parse_cue(path, family, label, i, c) for i, c in enumerate(body["cues"]))
        raw_near = body.get("near", [])
        if not isinstance(raw_near, list):
            raise _fail(path, f"labels.{label}.near", "应为规则列表")
        near.extend(_parse_near(path, family, label, i, r) for i, r in enumerate(raw_near))
    exclude = _str_list(path, "exclude", data["exclude"]) if "exclude" in data else ()
    raw_lists = data.get("lists", {})
    if not isinstance(raw_lists, dict):
        raise _fail(path, "lists", "应为映射")
    lists = {str(k): _str_list(path, f"lists.{k}", v) for k, v in raw_lists.items()}
    source = data.get("source", "")
    if not isinstance(source, str):
        raise _fail(path, "source", "应为字符串")
    return CueFile(family, path, source, bool(data.get("negatable", False)), labels, exclude, lists, tuple(near))


def _read_yaml(filename: str, local: Path | None) -> tuple[str, object]:
    """A cue file: the centre's copy at ``local``, else the packaged one."""
    path = str(local) if local else f"complaintdesk/analysis/data/{filename}"
    try:
        text = local.read_text("utf-8") if local else shipped_text("complaintdesk.analysis.data", filename)
        return path, load_yaml(text)
    except FileNotFoundError:
        raise ConfigurationError(f"缺少词库文件 {path}", field=filename) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"词库文件 {path} 不是合法的 UTF-8 YAML：{exc}", field=filename) from None


def _extended(base: CueFile, extra: CueFile) -> CueFile:
    """The packaged file with a centre's additions (``extends: true``): its cues, exclusions and list words."""
    labels = dict(base.labels)
    for label, cues in extra.labels.items():
        labels[label] = (*labels.get(label, ()), *cues)
    lists = dict(base.lists)
    for name, words in extra.lists.items():
        lists[name] = (*lists.get(name, ()), *words)
    source = f"{base.source}; {extra.source}" if extra.source else base.source
    return CueFile(base.family, extra.path, source, base.negatable, labels, (*base.exclude, *extra.exclude), lists,
                   (*base.near, *extra.near))


@dataclass(frozen=True, slots=True)
class Lexicon:
    files: Mapping[str, CueFile]
    automaton: Any  # ahocorasick.Automaton: value = (cue text, tuple of Cue)
    word_cues: frozenset[str] = frozenset()
    near: Mapping[str, tuple[Near, ...]] = field(default_factory=dict)  # first word -> its rules

    def lists(self, family: str, name: str) -> tuple[str, ...]:
        return self.files[family].lists.get(name, ())


def build(files: Mapping[str, CueFile]) -> Lexicon:
    import ahocorasick

    by_text: dict[str, list[Cue]] = {}
    near: dict[str, list[Near]] = {}
    for cue_file in files.values():
        for rule in cue_file.near:
            for word in rule.first:
                near.setdefault(word, []).append(rule)
                marker = Cue(cue_file.family, NEAR_MARK, word, 0.0)
                if marker not in by_text.setdefault(word, []):
                    by_text[word].append(marker)
        for cues in cue_file.labels.values():
            for cue in cues:
                by_text.setdefault(cue.text, []).append(cue)
        for phrase in cue_file.exclude:
            by_text.setdefault(phrase, []).append(Cue(cue_file.family, "__exclude__", phrase, 0.0))
    automaton = ahocorasick.Automaton()
    for text, found in by_text.items():
        automaton.add_word(text, (text, tuple(found)))
    automaton.make_automaton()
    word_cues = frozenset(text for text, cues in by_text.items() if any(c.word for c in cues))
    return Lexicon(files, automaton, word_cues, {word: tuple(rules) for word, rules in near.items()})


def centre_files(directory: Path | None) -> dict[str, Path | None]:
    """Each cue file's centre copy in a knowledge directory (``analysis/<file>``), or None."""
    return {name: centre_file(directory, "analysis", name) for name in FAMILIES.values()}


def lexicon_in(directory: Path | None) -> Lexicon:
    """Validate and compile the cue files a knowledge directory makes: a centre file replaces the
    packaged one of its name, or adds to it when it says ``extends: true``."""
    from complaintdesk.analysis import model

    vocab: dict[str, tuple[str, ...]] = {
        "emotion": model.EMOTION_LABELS,
        "customer_type": model.CUSTOMER_TYPES,
        "chronic": model.CHRONIC_SIGNS,
        "demand": model.DEMAND_KINDS,
        "threat": model.THREAT_KINDS,
        "category": model.CATEGORY_LABELS,
        "company_fault": model.COMPANY_FAULTS,
    }
    local = centre_files(directory)
    files = {}
    for family, name in FAMILIES.items():
        path, data = _read_yaml(name, local[name])
        parsed = parse_cue_file(family, path, data, vocab[family])
        if local[name] is not None and isinstance(data, dict) and data.get("extends") is True:
            packaged_path, packaged = _read_yaml(name, None)
            parsed = _extended(parse_cue_file(family, packaged_path, packaged, vocab[family]), parsed)
        files[family] = parsed
    return build(files)


@knowledge_cache("lexicon")
def load(directory: Path | None) -> Lexicon:
    """The cue files in force, loaded, validated and compiled once per knowledge generation."""
    return lexicon_in(directory)
