"""Cross-validated figures of the analysis engine on its own tune corpus (the frozen test split is never read).

The tune complaints are cut into K folds by a hash of their text; for each fold the learned layer is
trained on the other folds (plus the reviews and the team-written dev set, as the shipped model is) and
the whole engine — cues and model blended — reads the held-out fold. Prints the pooled figures, the
cue scan's alone, and (``--confusion``) the category confusion on the tune corpus.

    PYTHONPATH=src .venv/bin/python scripts/analysis_tune_cv.py [--folds 4] [--heads category,company_faults] [--confusion]

``--heads`` trains only those heads of the learned layer (much faster on a shared machine); the
figures of the other fields are then those of the cue scan.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, corpus, learned, training
from complaintdesk.analysis.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent


def _fold(record: dict[str, Any], folds: int) -> int:
    return hashlib.sha1(str(record["text"]).encode("utf-8")).digest()[0] % folds


def _figures(records: list[dict[str, Any]]) -> dict[str, float | None]:
    report = evaluate(records, analyze)
    out: dict[str, float | None] = {}
    for f in report.fields:
        if f.kind == "single":
            out[f.name] = f.accuracy
        elif f.kind == "multi":
            out[f.name] = round(f.micro.f1, 3)
    return out


def _today(record: dict[str, Any]) -> date | None:
    return date.fromisoformat(record["today"]) if record.get("today") else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--confusion", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dev", type=Path, default=ROOT / "eval" / "analysis_dev.jsonl")
    parser.add_argument("--heads", default="", help="comma-separated heads to train (default: all)")
    args = parser.parse_args()
    if args.heads:
        wanted = set(args.heads.split(","))
        training.SINGLE_HEADS = tuple(h for h in learned.SINGLE_HEADS if h in wanted)  # type: ignore[attr-defined]
        training.MULTI_HEADS = tuple(h for h in learned.MULTI_HEADS if h in wanted)  # type: ignore[attr-defined]
    tune = corpus.development_complaints()
    dev = [json.loads(line) for line in args.dev.read_text("utf-8").splitlines() if line.strip()]
    always = [*corpus.tune_reviews(), *dev]
    learned.disable()
    cues_alone = _figures(tune)
    examples = training.examples([*tune, *always], lambda text, today: analyze(text, today))
    by_text = {id(r): e for r, e in zip([*tune, *always], examples, strict=True)}
    held_readings: list[tuple[dict[str, Any], str]] = []
    pooled: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            train_records = [r for r in tune if _fold(r, args.folds) != k] + always
            held = [r for r in tune if _fold(r, args.folds) == k]
            vocab, heads, _ = training.train([by_text[id(r)] for r in train_records])
            path = Path(tmp) / f"fold{k}.npz"
            learned.save(path, vocab, heads, {"fold": k})
            learned.use(path)
            for r in held:
                reading = analyze(r["text"], _today(r))
                held_readings.append((r, reading.category.label))
            # evaluate each fold's records with that fold's model, then pool by re-reading below
            pooled.append({"fold": k, "n": len(held), "figures": _figures(held)})
            print(f"fold {k}: {pooled[-1]}", file=sys.stderr)
    n = sum(p["n"] for p in pooled)
    blended: dict[str, float] = {}
    for name in pooled[0]["figures"]:
        vals = [(p["figures"].get(name), p["n"]) for p in pooled if p["figures"].get(name) is not None]
        if vals:
            blended[name] = round(sum(v * m for v, m in vals) / sum(m for _, m in vals), 3)
    result: dict[str, Any] = {"n": n, "folds": args.folds, "cues_alone": cues_alone, "cues_and_model": blended}
    if args.confusion:
        pairs = Counter(
            (str(r["expect"]["category"]), got) for r, got in held_readings
            if "category" in r.get("expect", {}) and r["expect"]["category"] != got
        )
        result["category_confusion"] = [f"{g} -> {p}: {c}" for (g, p), c in pairs.most_common(30)]
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
