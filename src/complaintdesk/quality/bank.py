"""The bank of banned service phrases (服务禁语库): loading, the normal form every match runs on, and the
hash split into a tuning part and a frozen test part.

The bank is data (``quality/data/banned_phrases.yaml``): each entry is a phrase a published service norm
forbids, with its family and the norm's URL. Matching runs on a normal form that erases what does not
change the meaning of a banned phrase: script (traditional → simplified), pronoun number and politeness
(您/你们 → 你, 我们/咱们 → 我), sentence particles and punctuation.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.quality.gate import Gates
from complaintdesk.quality.style import StyleModel, parse_style
from complaintdesk.quality.transcript import normalize
from complaintdesk.yamldata import centre_file, knowledge_cache, read_data_file, shipped_text

SPLITS = ("tune", "test")
_MANDARIN = (
    ("您们", "你"), ("你们", "你"), ("您", "你"), ("咱们", "我"), ("我们", "我"), ("俺们", "我"),
    ("他们", "他"), ("她们", "他"), ("她", "他"), ("啥", "什么"), ("咋", "怎么"), ("干嘛", "干什么"),
    ("干吗", "干什么"), ("甚么", "什么"), ("帐", "账"),
    # small rewordings that never change what a banned phrase says
    ("自个儿", "自己"), ("自个", "自己"), ("咱", "我"), ("俺", "我"), ("没有", "没"), ("不要", "别"),
    ("已经", ""), ("一下", ""), ("这个", "这"), ("那个", "那"), ("这么", "这样"), ("那么", "那样"),
)
_CANTONESE = (
    # Cantonese as Hong Kong and Guangdong agents say it (after t2s: 邊個 → 边个, 係 → 系, 嗰 → 𠮶), read as the
    # Mandarin a banned phrase is written in; longer forms first (唔该 is "please", 唔好意思 "sorry", 唔好 "don't")
    ("唔好意思", "不好意思"), ("唔该", "请"), ("唔好", "别"), ("唔使", "不用"), ("唔识", "不会"), ("唔系", "不是"),
    ("系咪", "是不是"), ("就系", "就是"), ("唔", "不"), ("边个", "谁"), ("边度", "哪里"), ("点解", "为什么"),
    ("乜嘢", "什么"), ("咩嘢", "什么"), ("咩", "什么"), ("乜", "什么"), ("冇", "没"), ("喺度", "在这"), ("喺", "在"),
    ("而家", "现在"), ("收声", "闭嘴"), ("行开", "走开"), ("咗", ""), ("嘅", ""), ("佢", "他"), ("睇", "看"),
    ("嚟", "来"), ("攞", "拿"), ("揾", "找"), ("俾", "给"), ("畀", "给"), ("咁", "这样"), ("𠮶", "那"), ("啲", "点"),
    # fifth round: 嘢 "stuff" (after 乜嘢/咩嘢), a final 未 "yet?" (讲完未 → 讲完没), 企 "stand" and 阻住 "in the way"
    ("嘢", "东西"), ("完未", "完没"), ("企在", "站在"), ("阻住", "挡着"),
    # sixth round: 呢 "this" before a classifier or place word (呢个, 呢度, 呢啲, 呢间, 呢位), which the particle rule dropped
    ("呢个", "这"), ("呢度", "这里"), ("呢啲", "这些"), ("呢间", "这间"), ("呢位", "这位"), ("呢次", "这次"),
)
_PRONOUNS = (*_MANDARIN, *_CANTONESE)
# particles and fillers that never change what a banned phrase says (齁 欸 蛤: Taiwan Mandarin, fifth round); 儿 only
# as the 儿化 suffix
# 了 stays where it is a word, not a particle: 不了/得了/为了/除了/了解
_PARTICLES = re.compile(r"[啊呀吧呢嘛哦啦喔噢呗嘞咯哟的㗎喎齁欸蛤]|(?<![不得为除])了(?!解)|(?<=[这那哪事点会块])儿")
_PUNCT = re.compile(r"[\s,，。.!！?？;；:：、…~～—\-\"“”'‘’()（）\[\]【】《》<>·]+")
CLAUSE = re.compile(r"[,，。.!！?？;；:：、…~～\n]+")


@lru_cache(maxsize=65536)
def canonical(text: str) -> str:
    """The normal form a banned phrase is matched in: simplified, lower-case, one pronoun per person,
    no particles, no punctuation or spaces."""
    out = normalize(text)
    for old, new in _PRONOUNS:
        out = out.replace(old, new)
    return _PUNCT.sub("", _PARTICLES.sub("", out))


def split_of(phrase: str, test_share: float) -> str:
    """``test`` or ``tune``, decided by a hash of the phrase as written, punctuation and spaces aside
    (never chosen by hand, and independent of the normal form, so improving matching never reshuffles
    the frozen test part)."""
    digest = hashlib.sha256(_PUNCT.sub("", phrase).encode("utf-8")).digest()
    return "test" if int.from_bytes(digest[:4], "big") / 2**32 < test_share else "tune"


@dataclass(frozen=True)
class Family:
    code: str
    label: str
    severity: str
    patterns: tuple[re.Pattern[str], ...] = ()
    combined: re.Pattern[str] | None = None  # all patterns in one alternation
    needs_no_alternative: bool = False  # a bare refusal is only one when nothing else is offered
    instead: str = ""
    # words (normal form) that, said before a pattern's match in the same window, make it no longer this
    # family's: "请您到后面排队" is a request, not a command
    polite: tuple[str, ...] = ()


@dataclass(frozen=True)
class BankEntry:
    phrase: str
    family: str
    source: str
    title: str
    sector: str
    split: str
    canon: str


@dataclass(frozen=True, eq=False)  # identity hash: a loaded bank is cached by object
class Bank:
    version: str
    source_name: str
    families: Mapping[str, Family]
    entries: tuple[BankEntry, ...]
    threshold: float
    min_grams: int
    # bigram → how many courteous lines (tune part) contain it: words every polite reply uses weigh less
    common_bigrams: Mapping[str, int] = field(default_factory=dict)
    # (normal form, entry): our rewordings of tune-part phrases, indexed by the similarity fallback beside the
    # phrases themselves (never a test-part phrase: the loader refuses one), never counted as bank entries
    variants: tuple[tuple[str, BankEntry], ...] = ()
    style: StyleModel | None = None  # the second fallback: how banned phrases are worded (quality/style.py)
    style_alone: bool = True  # False: the style model quotes a clause only by its joint rule (style.joint)
    # each clause of a tune phrase of several clauses is indexed too: a list's "没零钱,自己去换" is near
    # a sibling that shares one of its clauses, which the whole phrase's bigrams dilute
    index_clauses: bool = False
    # words of a courteous act (我会, 帮你, 谢谢 …) in the normal form: a window that says one is never quoted
    # by the fallbacks, however many words it shares with a banned phrase (the patterns still read it)
    courtesy: re.Pattern[str] | None = None

    @cached_property
    def gates(self) -> Gates:
        """Every family's patterns, gated by the characters they need (one alternation's answer per family)."""
        return Gates({code: family.patterns for code, family in self.families.items()})

    def part(self, split: str) -> tuple[BankEntry, ...]:
        return tuple(e for e in self.entries if e.split == split)


def _fail(source: str, entry: str, field: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"禁语库 {source}：条目 {entry} 的字段 {field} {problem}", field=field)


def _families(data: Mapping[str, Any], source: str) -> dict[str, Family]:
    raw = data.get("families")
    if not isinstance(raw, dict) or not raw:
        raise _fail(source, "（根）", "families", "缺失或不是映射")
    patterns_raw = data.get("patterns") or {}
    if not isinstance(patterns_raw, dict):
        raise _fail(source, "（根）", "patterns", "必须是 家族: [正则] 的映射")
    out: dict[str, Family] = {}
    for code, spec in raw.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            raise _fail(source, f"families.{code}", "label", "缺失或不是文本")
        severity = spec.get("severity")
        if severity not in ("minor", "major", "critical"):
            raise _fail(source, f"families.{code}", "severity", "必须是 minor、major 或 critical")
        compiled = []
        for pattern in patterns_raw.get(code, []) or []:
            try:
                compiled.append(re.compile(str(pattern)))
            except re.error as exc:
                raise _fail(source, f"patterns.{code}", "patterns", f"正则 {pattern!r} 无效：{exc}") from exc
        combined = re.compile("|".join(f"(?:{p.pattern})" for p in compiled)) if compiled else None
        out[code] = Family(
            code=str(code), label=spec["label"], severity=severity, patterns=tuple(compiled), combined=combined,
            needs_no_alternative=bool(spec.get("needs_no_alternative", False)),
            instead=str(spec.get("instead", "")), polite=_polite(spec.get("polite"), source, str(code)),
        )
    unknown = set(patterns_raw) - set(out)
    if unknown:
        raise _fail(source, "patterns", "patterns", f"未知家族：{', '.join(sorted(unknown))}")
    return out


def _polite(raw: Any, source: str, code: str) -> tuple[str, ...]:
    """``families.<code>.polite``: words that, said before a match, cancel it (kept in the normal form)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(word, str) and canonical(word) for word in raw):
        raise _fail(source, f"families.{code}", "polite", "必须是非空文本的列表")
    return tuple(canonical(word) for word in raw)


def parse_bank(data: Any, source: str) -> Bank:
    if not isinstance(data, dict):
        raise _fail(source, "（根）", "（文件）", "必须是映射")
    families = _families(data, source)
    similarity = data.get("similarity") or {}
    test_share = data.get("test_share", 0.42)
    if not isinstance(test_share, int | float) or not 0 < test_share < 1:
        raise _fail(source, "（根）", "test_share", "必须是 0 到 1 之间的数")
    entries: list[BankEntry] = []
    seen: set[str] = set()
    for s_index, group in enumerate(data.get("sources") or []):
        where = f"sources[{s_index}]"
        if not isinstance(group, dict) or not isinstance(group.get("url"), str):
            raise _fail(source, where, "url", "缺失或不是文本")
        for p_index, item in enumerate(group.get("phrases") or []):
            code, _, phrase = str(item).strip().partition(" ")
            if code not in families or not phrase.strip():
                raise _fail(source, f"{where}.phrases[{p_index}]", "phrases", f"应为「家族代码 禁语」，收到 {item!r}")
            canon = canonical(phrase)
            if not canon or canon in seen:
                continue  # the same phrase from a second norm adds nothing to match
            seen.add(canon)
            entries.append(BankEntry(
                phrase=phrase.strip(), family=code, source=group["url"], title=str(group.get("title", "")),
                sector=str(group.get("sector", "")), split=split_of(phrase, float(test_share)), canon=canon,
            ))
    variants = _variants(data.get("variants") or {}, entries, source)
    threshold = similarity.get("threshold", 0.8)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise _fail(source, "similarity", "threshold", "必须是 0 到 1 之间的数")
    common = similarity.get("common_bigrams") or {}
    if not isinstance(common, dict) or not all(
        isinstance(gram, str) and len(gram) == 2 and isinstance(count, int) and count > 0
        for gram, count in common.items()
    ):
        raise _fail(source, "similarity", "common_bigrams", "必须是 两个字: 正整数 的映射")
    return Bank(
        version=str(data.get("version", "")), source_name=source, families=families, entries=tuple(entries),
        threshold=float(threshold), min_grams=int(similarity.get("min_grams", 3)), common_bigrams=common,
        variants=variants, style=_style(similarity.get("style_model"), source),
        style_alone=_flag(similarity.get("style_alone", True), source, "style_alone"),
        index_clauses=_flag(similarity.get("index_clauses", False), source, "index_clauses"),
        courtesy=_courtesy(similarity.get("courteous_acts"), source),
    )


def _flag(raw: Any, source: str, name: str) -> bool:
    if not isinstance(raw, bool):
        raise _fail(source, "similarity", name, "必须是 true 或 false")
    return raw


def _courtesy(raw: Any, source: str) -> re.Pattern[str] | None:
    """``similarity.courteous_acts``: the words of courteous acts, as a list of plain words or regular expressions
    on the normal form."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(word, str) and word for word in raw):
        raise _fail(source, "similarity", "courteous_acts", "必须是文本的列表")
    try:
        return re.compile("|".join(f"(?:{word})" for word in raw))
    except re.error as exc:
        raise _fail(source, "similarity", "courteous_acts", f"正则无效：{exc}") from exc


def _style(name: Any, source: str) -> StyleModel | None:
    """The style model ``similarity.style_model`` names: a file shipped beside the packaged bank."""
    if name is None:
        return None
    if not isinstance(name, str) or not name.endswith(".json") or "/" in name:
        raise _fail(source, "similarity", "style_model", "必须是随软件发布的模型文件名（*.json）")
    try:
        text = shipped_text("complaintdesk.quality.data", name)
    except OSError as exc:
        raise _fail(source, "similarity", "style_model", f"无法读取 {name}：{exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(source, "similarity", "style_model", f"{name} 不是有效的 JSON：{exc.msg}") from exc
    return parse_style(data, name)


def _variants(raw: Any, entries: list[BankEntry], source: str) -> tuple[tuple[str, BankEntry], ...]:
    """``variants``: tune-part phrase → our rewordings of it. A rewording of a test-part phrase would leak
    the frozen part into the similarity index, so it is refused, as is a phrase the bank does not hold."""
    if not isinstance(raw, dict):
        raise _fail(source, "variants", "variants", "必须是 禁语: [改写] 的映射")
    by_canon = {e.canon: e for e in entries}
    out: list[tuple[str, BankEntry]] = []
    for phrase, rewordings in raw.items():
        entry = by_canon.get(canonical(str(phrase)))
        if entry is None:
            raise _fail(source, f"variants.{phrase}", "variants", "不是禁语库中的禁语")
        if entry.split != "tune":
            raise _fail(source, f"variants.{phrase}", "variants", "属于冻结的 test 部分，不得改写入索引")
        if not isinstance(rewordings, list) or not all(isinstance(r, str) and r.strip() for r in rewordings):
            raise _fail(source, f"variants.{phrase}", "variants", "必须是改写文本的列表")
        out.extend((canonical(r), entry) for r in rewordings if canonical(r))
    return tuple(out)


def load_bank(path: str | Path | None = None) -> Bank:
    """The bank at ``path``, or the one in force: the centre's ``quality/banned_phrases.yaml`` in the knowledge
    directory, else the packaged one (cached per knowledge generation)."""
    return active_bank() if path is None else _read(path)


def _read(path: str | Path | None) -> Bank:
    data, source = read_data_file(path, "complaintdesk.quality.data", "banned_phrases.yaml", "禁语库", "bank")
    return parse_bank(data, source)


def bank_in(directory: Path | None) -> Bank:
    """The bank a knowledge directory makes."""
    return _read(centre_file(directory, "quality", "banned_phrases.yaml"))


@knowledge_cache("bank")
def active_bank(directory: Path | None) -> Bank:
    return bank_in(directory)
