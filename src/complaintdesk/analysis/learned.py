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
from complaintdesk.analysis.gram_table import GramTable
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
    # The head's own n-grams (``coef`` rows follow them), read and L2-normalised apart from the shared
    # vocabulary's; None: the model's shared vocabulary. A head retrained alone carries its own, so that
    # the heads kept beside it keep theirs — and their every bit.
    vocabulary: tuple[str, ...] | None = None
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
        return dict(zip(self.labels, probs.tolist(), strict=True))  # float32 to float exactly, as float(p) does


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
    """Every vocabulary's grams in one automaton and every head's weights side by side, built once when the
    model is loaded: a text costs one pass in C and one gather-and-product for the heads on the shared
    vocabulary, plus one per vocabulary a head carries of its own."""

    def __init__(self, vocabulary: Mapping[str, int], heads: Mapping[str, Head], meta: Mapping[str, Any]) -> None:
        self.vocabulary = vocabulary
        self.heads = heads
        self.meta = meta
        listed = list(heads.values())
        # The shared grams keep their indices; a head's own grams that the shared vocabulary lacks are
        # numbered after them, so that one scan finds the grams of every vocabulary.
        union = dict(vocabulary)
        for head in listed:
            for gram in head.vocabulary or ():
                union.setdefault(gram, len(union))
        self._shared = len(vocabulary)
        self._union = len(union)
        # the grams by array lookup (``gram_table``); a vocabulary with a longer gram keeps the automaton
        self._table = GramTable(union) if GramTable.fits(union) else None
        self._finder = _automaton(union) if union and self._table is None else None
        width = sum(len(h.labels) for h in listed)
        # A head on its own vocabulary leaves a block of zeros in the shared product, in its place: the BLAS
        # kernel's blocking depends on the product's width and each column's place, so this keeps every
        # other head's arithmetic — and its bits — what they were in a file where that head shared the
        # vocabulary (a head retrained alone and merged into a shipped model changes no other head).
        blocks = [h.coef if h.vocabulary is None else np.zeros((len(vocabulary), len(h.labels)), np.float32) for h in listed]
        self._stacked = np.hstack(blocks) if listed else np.zeros((len(vocabulary), 0), np.float32)
        self._bounds = np.cumsum([0, *(len(h.labels) for h in listed)]) if listed else np.zeros(1, np.int64)
        self._width = width
        # every head's intercepts side by side, and each head's place in the stacked scores (made once)
        self._intercepts = np.concatenate([h.intercept for h in listed]) if listed else np.zeros(0, np.float32)
        self._slices = [(head, int(self._bounds[i]), int(self._bounds[i + 1])) for i, head in enumerate(listed)]
        self._own = _own_groups(self._slices, union)
        # where the multi heads' run starts, if every single head comes before every multi head (as ``read``
        # loads them); None otherwise, and each head is then read apart
        kinds = [head.kind for head in listed]
        singles = kinds.count("single")
        self._multi_from = int(self._bounds[singles]) if kinds == sorted(kinds, reverse=True) else None

    def _found(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Every vocabulary's grams in ``text`` (indices over all vocabularies) and their counts, in the
        order of their first match."""
        if self._table is not None:
            return self._table.found(feature_text(text))
        if self._finder is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        found = Counter(map(_SECOND, self._finder.iter(feature_text(text))))  # counted in C, no array sort
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        counts = np.fromiter(found.values(), dtype=np.float32, count=len(found))
        return indices, counts

    def vector(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The features of ``text`` on the shared vocabulary (the original, any script: it is folded by
        ``feature_text`` here)."""
        indices, counts = self._on_shared(*self._found(text))
        return indices, _unit(counts)

    def _on_shared(
        self, found: npt.NDArray[np.int64], counts: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The grams of the shared vocabulary among ``found`` (every vocabulary's), and their counts."""
        if self._union > self._shared and len(found):
            shared = found < self._shared  # a boolean mask keeps the order of the matches
            return found[shared], counts[shared]
        return found, counts

    def predict(self, text: str, only: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        """Every head's probabilities for ``text``, the ORIGINAL text in any script (only the heads named in
        ``only``, if given)."""
        found, counts = self._found(text)
        indices, counts_shared = self._on_shared(found, counts)
        values = _unit(counts_shared)
        scores = values @ self._stacked[indices] if len(indices) else np.zeros(self._width, dtype=np.float32)
        wanted = None if only is None else frozenset(only)
        for group in self._own:
            if wanted is None or not wanted.isdisjoint(group.names):
                group.score(found, counts, scores)
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


def _unit(counts: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Sublinear term frequency, then unit length."""
    values = (1.0 + np.log(counts)).astype(np.float32)
    if len(values):
        # np.linalg.norm of a 1-D float array is sqrt(x.dot(x)) after its argument checks: the same bits, fewer steps
        values /= float(np.sqrt(values.dot(values))) or 1.0
    return values


@dataclass(frozen=True, slots=True)
class _OwnVocabulary:
    """The heads that carry one vocabulary of their own: where its grams sit among all the model's grams,
    their weights side by side, and their columns in the model's scores."""

    names: frozenset[str]
    local_of: npt.NDArray[np.int64]  # index over all vocabularies -> index in this one (-1: not in it)
    coef: npt.NDArray[np.float32]
    places: tuple[tuple[int, int, int, int], ...]  # (start, end) in the scores, (from, to) in ``coef``

    def score(self, found: npt.NDArray[np.int64], counts: npt.NDArray[np.float32], scores: npt.NDArray[np.float32]) -> None:
        """Write these heads' scores for a text's grams (``found``, ``counts``) into ``scores``."""
        local = self.local_of[found] if len(found) else found
        mine = local >= 0
        indices = local[mine]
        values = _unit(counts[mine])
        own = values @ self.coef[indices] if len(indices) else np.zeros(self.coef.shape[1], dtype=np.float32)
        for start, end, low, high in self.places:
            scores[start:end] = own[low:high]


def _own_groups(slices: list[tuple[Head, int, int]], union: Mapping[str, int]) -> list[_OwnVocabulary]:
    """The heads with a vocabulary of their own, grouped by it (heads retrained together share one)."""
    by_vocabulary: dict[tuple[str, ...], list[tuple[Head, int, int]]] = {}
    for head, start, end in slices:
        if head.vocabulary is not None:
            by_vocabulary.setdefault(head.vocabulary, []).append((head, start, end))
    groups = []
    for grams, members in by_vocabulary.items():
        local_of = np.full(len(union), -1, dtype=np.int64)
        local_of[[union[g] for g in grams]] = np.arange(len(grams), dtype=np.int64)
        bounds = np.cumsum([0, *(end - start for _, start, end in members)])
        places = tuple((start, end, int(bounds[i]), int(bounds[i + 1])) for i, (_, start, end) in enumerate(members))
        groups.append(_OwnVocabulary(frozenset(h.name for h, _, _ in members), local_of,
                                     np.hstack([h.coef for h, _, _ in members]), places))  # fmt: skip
    return groups


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
        if head.vocabulary is not None:
            arrays[prefix + "vocabulary"] = np.array(list(head.vocabulary), dtype=np.str_)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)


def read(source: Any, where: str) -> LearnedModel:
    """Load and check a model file; a broken one is a configuration error naming the file, and the head and
    array at fault."""
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
            own = _own_vocabulary(arrays, name, where)
            coef = arrays[prefix + "coef"].astype(np.float32)
            labels = tuple(str(x) for x in arrays[prefix + "labels"])
            rows = len(vocabulary) if own is None else len(own)
            if coef.shape != (rows, len(labels)):
                which = "共用词表" if own is None else f"{name}__vocabulary"
                raise _head_error(where, name, "coef", f"形状 {coef.shape} 与{which}（{rows} 项）/标签（{len(labels)} 个）不符")
            heads[name] = Head(
                name, str(arrays[prefix + "kind"]), labels, coef,
                arrays[prefix + "intercept"].astype(np.float32),
                arrays[prefix + "add_at"].astype(np.float32),
                arrays[prefix + "veto_below"].astype(np.float32),
                own,
            )  # fmt: skip
    except (KeyError, ValueError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"学习模型文件 {where} 内容无效：{exc}", field=where) from None
    return LearnedModel(vocabulary, heads, meta)


def _own_vocabulary(arrays: Mapping[str, Any], name: str, where: str) -> tuple[str, ...] | None:
    """A head's own vocabulary, checked: a list of distinct, non-empty grams (None: the shared one)."""
    raw = arrays.get(f"{name}__vocabulary")
    if raw is None:
        return None
    if raw.ndim != 1 or raw.dtype.kind != "U":
        raise _head_error(where, name, "vocabulary", f"应为一维字符串数组（实为 {raw.dtype}，{raw.ndim} 维）")
    grams = tuple(str(g) for g in raw)
    if not grams or not all(grams):
        raise _head_error(where, name, "vocabulary", "为空或含空串")
    if len(set(grams)) != len(grams):
        twice = next(g for g, n in Counter(grams).items() if n > 1)
        raise _head_error(where, name, "vocabulary", f"含重复的 n-gram「{twice}」")
    return grams


def _head_error(where: str, name: str, array: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"学习模型文件 {where} 的 {name} 头 {name}__{array} 无效：{problem}", field=f"{name}__{array}")


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
                    _state["model"] = _checked(read(packaged, f"complaintdesk/analysis/data/{MODEL_FILE}"))
            _state["loaded"] = True
        found: LearnedModel | None = _state["model"]
        return found


def _checked(model: LearnedModel) -> LearnedModel:
    """The shipped model, refused when an add threshold of ``add_thresholds.yaml`` is not in it (a rebuild
    that skipped the file would add labels measured to be wrong more often than right). A centre's own
    model gets the thresholds when it is trained (``train analysis``)."""
    from complaintdesk.analysis import add_thresholds

    listed = add_thresholds.load()
    missing = add_thresholds.unmet({name: head.add_at_by_label for name, head in model.heads.items()}, listed)
    if missing:
        raise ConfigurationError(
            f"学习模型文件 complaintdesk/analysis/data/{MODEL_FILE} 的加标阈值低于 {add_thresholds.DATA_FILE}："
            f"{'、'.join(missing)}（请运行 scripts/set_add_thresholds.py）",
            field=MODEL_FILE,
        )
    return model
