"""The learned layer over the cue scan: small linear models per label family, shipped as data.

The cue scan finds what it has words for and shows the words. Real complaints say the same things in
words no list holds (白花钱, 推来推去 …), so a linear model over character n-grams, trained on the real
complaint corpus (``complaintdesk train analysis``), adds what the cues miss and can veto a cue label the
rest of the text contradicts. A label the model adds has no span: it says so with its probability
(``"model": 0.82``) instead of inventing evidence.

Pure and numpy-only: the weights live in an ``.npz`` file (no pickle), loaded once per process.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from complaintdesk.analysis.features import feature_text
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import shipped

MODEL_FILE = "learned_model.npz"
SINGLE_HEADS = ("emotion", "category")
MULTI_HEADS = ("demands", "threats", "customer_types", "company_faults", "valence")
NGRAM_SIZES = (1, 2, 3)
_RUN = re.compile(r"[\u3400-\u9fff0-9a-zA-Z]+")
_SECOND = itemgetter(1)


def ngrams(text: str) -> list[str]:
    """Character 1–3-grams inside runs of Han, digits and letters (punctuation and spaces split runs) of
    ``text`` as ``features.feature_text`` folds it, so the features survive typos, missing punctuation
    and the script: a traditional text and its simplified twin give the same grams."""
    grams: list[str] = []
    for run in _RUN.findall(feature_text(text)):
        for n in NGRAM_SIZES:
            grams.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


@dataclass(frozen=True, slots=True)
class Head:
    name: str
    kind: str  # single | multi
    labels: tuple[str, ...]
    coef: npt.NDArray[np.float32]  # features × labels
    intercept: npt.NDArray[np.float32]  # labels
    # multi: per-label probability at or above which the model adds a label (inf: never);
    # single: [alpha, beta] — the weight of the cue label added to the model's probabilities, and of each
    # label's share of the cue weight (beta; a model file without it reads as 0).
    add_at: npt.NDArray[np.float32]
    # multi: per-label probability under which a cue label is dropped (0: never).
    veto_below: npt.NDArray[np.float32]
    # multi: ``add_at`` and ``veto_below`` by label, as ``blend.multi`` reads them for every text (made once)
    add_at_by_label: dict[str, float] = field(init=False, repr=False, compare=False)
    veto_below_by_label: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        multi = self.kind == "multi"
        adds = dict(zip(self.labels, self.add_at.tolist(), strict=True)) if multi else {}
        vetoes = dict(zip(self.labels, self.veto_below.tolist(), strict=True)) if multi else {}
        object.__setattr__(self, "add_at_by_label", adds)
        object.__setattr__(self, "veto_below_by_label", vetoes)

    def probabilities(self, indices: npt.NDArray[np.int64], values: npt.NDArray[np.float32]) -> dict[str, float]:
        return self.from_scores(values @ self.coef[indices] + self.intercept if len(indices) else self.intercept.copy())

    def from_scores(self, scores: npt.NDArray[np.float32]) -> dict[str, float]:
        if self.kind == "single":
            shifted = np.exp(scores - scores.max())
            probs = shifted / shifted.sum()
        else:
            probs = 1.0 / (1.0 + np.exp(-scores))
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}


def _automaton(vocabulary: Mapping[str, int]) -> Any:
    """Every vocabulary n-gram in one Aho–Corasick automaton: one pass in C finds them all. A gram holds
    only Han, digits and letters, so a match never spans punctuation — the counts equal ``ngrams``'."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for gram, index in vocabulary.items():
        automaton.add_word(gram, index)
    automaton.make_automaton()
    return automaton


class LearnedModel:
    """The vocabulary's automaton and every head's weights side by side, built once when the model is
    loaded: a text costs one pass in C and one gather-and-product, whatever the number of heads."""

    def __init__(self, vocabulary: Mapping[str, int], heads: Mapping[str, Head], meta: Mapping[str, Any]) -> None:
        self.vocabulary = vocabulary
        self.heads = heads
        self.meta = meta
        self._finder = _automaton(vocabulary) if vocabulary else None
        listed = list(heads.values())
        width = sum(len(h.labels) for h in listed)
        self._stacked = np.hstack([h.coef for h in listed]) if listed else np.zeros((len(vocabulary), 0), np.float32)
        self._bounds = np.cumsum([0, *(len(h.labels) for h in listed)]) if listed else np.zeros(1, np.int64)
        self._width = width
        # every head's intercepts side by side, and each head's place in the stacked scores (made once)
        self._intercepts = np.concatenate([h.intercept for h in listed]) if listed else np.zeros(0, np.float32)
        self._slices = [(head, int(self._bounds[i]), int(self._bounds[i + 1])) for i, head in enumerate(listed)]
        # where the multi heads' run starts, if every single head comes before every multi head (as ``read``
        # loads them); None otherwise, and each head is then read apart
        kinds = [head.kind for head in listed]
        singles = kinds.count("single")
        self._multi_from = int(self._bounds[singles]) if kinds == sorted(kinds, reverse=True) else None

    def vector(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The features of ``text`` (the original, any script: it is folded by ``feature_text`` here)."""
        if self._finder is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        found = Counter(map(_SECOND, self._finder.iter(feature_text(text))))  # counted in C, no array sort
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        counts = np.fromiter(found.values(), dtype=np.float32, count=len(found))
        values = (1.0 + np.log(counts)).astype(np.float32)  # sublinear term frequency, then unit length
        values /= float(np.linalg.norm(values)) or 1.0
        return indices, values

    def predict(self, text: str, only: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        """Every head's probabilities for ``text``, the ORIGINAL text in any script (only the heads named in
        ``only``, if given)."""
        indices, values = self.vector(text)
        scores = values @ self._stacked[indices] if len(indices) else np.zeros(self._width, dtype=np.float32)
        wanted = None if only is None else frozenset(only)
        multi_from = self._multi_from
        if wanted is not None or multi_from is None:
            return {
                head.name: head.from_scores(scores[start:end] + head.intercept)
                for head, start, end in self._slices
                if wanted is None or head.name in wanted
            }
        # The multi heads at once: the same element-wise float32 operations as ``Head.from_scores`` on each
        # head's slice (so the same bits), one array operation each instead of one per head.
        raw = scores + self._intercepts
        sigmoid = [0.0] * multi_from + (1.0 / (1.0 + np.exp(-raw[multi_from:]))).tolist()
        return {
            head.name: head.from_scores(raw[start:end])
            if head.kind == "single"
            else dict(zip(head.labels, sigmoid[start:end], strict=True))
            for head, start, end in self._slices
        }


def save(path: Path, vocabulary: Iterable[str], heads: Iterable[Head], meta: Mapping[str, Any]) -> None:
    arrays: dict[str, Any] = {
        "vocabulary": np.array(list(vocabulary), dtype=np.str_),
        "meta": np.array(json.dumps(dict(meta), ensure_ascii=False, sort_keys=True)),
    }
    for head in heads:
        prefix = f"{head.name}__"
        arrays[prefix + "kind"] = np.array(head.kind)
        arrays[prefix + "labels"] = np.array(list(head.labels), dtype=np.str_)
        arrays[prefix + "coef"] = head.coef.astype(np.float16)
        arrays[prefix + "intercept"] = head.intercept.astype(np.float32)
        arrays[prefix + "add_at"] = head.add_at.astype(np.float32)
        arrays[prefix + "veto_below"] = head.veto_below.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)


def read(source: Any, where: str) -> LearnedModel:
    """Load and check a model file; a broken one is a configuration error naming the file and array."""
    try:
        with np.load(source, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"学习模型文件 {where} 无法读取：{exc}", field=where) from None
    try:
        vocabulary = {str(gram): i for i, gram in enumerate(arrays["vocabulary"])}
        meta = json.loads(str(arrays["meta"]))
        heads = {}
        for name in (*SINGLE_HEADS, *MULTI_HEADS):
            prefix = f"{name}__"
            if prefix + "coef" not in arrays:
                continue
            coef = arrays[prefix + "coef"].astype(np.float32)
            labels = tuple(str(x) for x in arrays[prefix + "labels"])
            if coef.shape != (len(vocabulary), len(labels)):
                raise ValueError(f"{prefix}coef 形状 {coef.shape} 与词表/标签不符")
            heads[name] = Head(
                name, str(arrays[prefix + "kind"]), labels, coef,
                arrays[prefix + "intercept"].astype(np.float32),
                arrays[prefix + "add_at"].astype(np.float32),
                arrays[prefix + "veto_below"].astype(np.float32),
            )  # fmt: skip
    except (KeyError, ValueError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"学习模型文件 {where} 内容无效：{exc}", field=where) from None
    return LearnedModel(vocabulary, heads, meta)


_lock = threading.Lock()
_state: dict[str, Any] = {"path": None, "model": None, "loaded": False, "disabled": False, "stamp": None}


def _stamp(path: Path | None) -> tuple[int, int] | None:
    try:
        info = path.stat() if path is not None else None
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if info is not None else None


def use(path: Path | None) -> None:
    """Serve a centre's own retrained model (``None``: the shipped one); a no-op when that model, as it is
    on disk, is already the one in use."""
    with _lock:
        stamp = _stamp(path)
        if _state["loaded"] and not _state["disabled"] and _state["path"] == path and _state["stamp"] == stamp:
            return
        _state.update(path=path, model=None, loaded=False, disabled=False, stamp=stamp)


def disable() -> None:
    """Cue scan only (training measures the cues alone; tests compare both)."""
    with _lock:
        _state.update(path=None, model=None, loaded=True, disabled=True, stamp=None)


def active() -> LearnedModel | None:
    """The model in use, or None when none ships (the engine then runs on cues alone)."""
    if _state["loaded"]:
        model: LearnedModel | None = _state["model"]
        return model
    with _lock:
        if not _state["loaded"]:
            path: Path | None = _state["path"]
            if path is not None and path.is_file():
                _state["model"] = read(path, str(path))
            else:
                packaged = shipped("complaintdesk.analysis.data", MODEL_FILE)
                if packaged.is_file():
                    _state["model"] = read(packaged, f"complaintdesk/analysis/data/{MODEL_FILE}")
            _state["loaded"] = True
        found: LearnedModel | None = _state["model"]
        return found
