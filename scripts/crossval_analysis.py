"""Cross-validated figures of the analysis engine on the real tune corpus (issue 19).

The learned layer is trained on the tune corpus, so its in-sample figures flatter it. Here the tune
complaints and reviews are cut into folds (by a hash of the source page); for each fold a model is
trained on the other folds plus the team-written dev set, exactly as ``scripts/train_analysis_model.sh``
trains the shipped one, and the held-out fold is read with it. The frozen test split is never read.

    PYTHONPATH=src .venv/bin/python scripts/crossval_analysis.py [--folds 4] [--json out.json] [--misses misses.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, corpus, learned, training
from complaintdesk.analysis.evaluate import dissatisfaction_auc, evaluate
from complaintdesk.analysis.model import Analysis

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("emotion", "category", "customer_types", "demands", "threats", "company_faults")


def _fold(record: dict[str, Any], folds: int) -> int:
    key = str(record.get("source") or record["text"]).encode("utf-8")
    return hashlib.sha1(key).digest()[0] % folds


def _figures(report: Any) -> dict[str, float]:
    out = {}
    for name in FIELDS:
        try:
            field = report.field(name)
        except KeyError:
            continue
        out[name] = round(field.accuracy if field.kind == "single" else field.micro.f1, 3)
    return out


def confusion(records: list[dict[str, Any]], predict: Any) -> str:
    """The category confusion matrix, gold rows by predicted columns, with each row's recall."""
    pairs = Counter((str(r["expect"]["category"]), predict(r["text"])) for r in records if "category" in r.get("expect", {}))
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs}, key=lambda x: -sum(c for (g, _), c in pairs.items() if g == x))
    short = [x[:6] for x in labels]
    lines = [f"{'gold / predicted':24}" + "".join(f"{x:>7}" for x in short) + "  recall"]
    for g in labels:
        row = [pairs.get((g, p), 0) for p in labels]
        total = sum(row)
        lines.append(f"{g:24}" + "".join(f"{v:>7}" for v in row) + f"  {pairs.get((g, g), 0) / total if total else 0:.2f}")
    return "\n".join(lines)


def _variant(args: argparse.Namespace) -> None:
    """A training recipe other than the shipped one, for comparison only (the shipped one is unchanged)."""
    if args.c is not None:
        training.C = args.c
    if args.ngrams:
        learned.NGRAM_SIZES = tuple(int(n) for n in args.ngrams.split(","))
    if args.class_weight == "none":
        training.CLASS_WEIGHT = None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--misses", type=Path, help="write the tune disagreements (out of fold) here")
    parser.add_argument("--per-label", action="store_true")
    parser.add_argument("--heads", help="train only these heads (comma-separated), the others read by cues alone")
    parser.add_argument("--confusion", action="store_true", help="print the category confusion matrix (out of fold)")
    parser.add_argument("--hold-out", help="ids starting with this prefix (e.g. tj-) are left out of the folds and read once "
                        "by a model trained on all the other tune records, the reviews and the dev set")
    parser.add_argument("--also-in-folds", action="store_true", help="with --hold-out: the held-out records are in the "
                        "folds too (CV on every tune file), and still read once by a model that never saw them")
    parser.add_argument("--c", type=float, help="the logistic regression's C (training.C unless given)")
    parser.add_argument("--class-weight", choices=("balanced", "none"), help="class weights (balanced unless given)")
    parser.add_argument("--no-dev", action="store_true", help="leave the team-written dev set out of training")
    parser.add_argument("--ngrams", help="character n-gram sizes, e.g. 1,2,3,4 (learned.NGRAM_SIZES unless given)")
    args = parser.parse_args()
    _variant(args)
    started = time.monotonic()
    tune = corpus.development_complaints()
    held = [r for r in tune if args.hold_out and str(r.get("id", "")).startswith(args.hold_out)]
    if not args.also_in_folds:
        tune = [r for r in tune if r not in held]
    reviews = corpus.tune_reviews()
    dev = [json.loads(x) for x in (ROOT / "eval/analysis_dev.jsonl").read_text("utf-8").splitlines() if x.strip()]
    learned.disable()
    cue_report = evaluate(tune, analyze)
    cue_auc = dissatisfaction_auc(reviews, analyze)[0]
    ex_tune = training.examples(tune, analyze)
    ex_reviews = training.examples(reviews, analyze)
    ex_dev = [] if args.no_dev else training.examples(dev, analyze)
    if args.heads:
        wanted = set(args.heads.split(","))

        def only(examples: list[training.Example]) -> list[training.Example]:
            return [training.Example(e.text, {k: v for k, v in e.gold.items() if k in wanted}, e.cues) for e in examples]

        ex_tune, ex_reviews, ex_dev = only(ex_tune), only(ex_reviews), only(ex_dev)
    print(f"cue readings done in {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    readings: dict[str, Analysis] = {}
    with tempfile.TemporaryDirectory() as folder:
        for k in range(args.folds):
            train_set = [e for e, r in zip(ex_tune, tune, strict=True) if _fold(r, args.folds) != k]
            train_set += [e for e, r in zip(ex_reviews, reviews, strict=True) if _fold(r, args.folds) != k]
            vocab, heads, report = training.train([*train_set, *ex_dev])
            path = Path(folder) / f"fold{k}.npz"
            learned.save(path, vocab, heads, training.meta_of(report))
            learned.use(path)
            for record in [*tune, *reviews]:
                if _fold(record, args.folds) == k:
                    today = None
                    if record.get("today"):
                        from datetime import date

                        today = date.fromisoformat(record["today"])
                    readings[record["text"]] = analyze(record["text"], today)
            learned.disable()
            print(f"fold {k + 1}/{args.folds} done at {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
        if held:
            seen = [e for e, r in zip(ex_tune, tune, strict=True) if r not in held]
            vocab, heads, report = training.train([*seen, *ex_reviews, *ex_dev])
            path = Path(folder) / "all.npz"
            learned.save(path, vocab, heads, training.meta_of(report))
            learned.use(path)
            held_report = evaluate(held, analyze)
            learned.disable()
    blended = evaluate(tune, lambda text, today: readings[text])
    auc = dissatisfaction_auc(reviews, lambda text, today: readings[text])[0]
    result = {
        "n": len(tune), "reviews": len(reviews), "folds": args.folds,
        "variant": {"c": training.C, "class_weight": args.class_weight or "balanced", "dev": not args.no_dev,
                    "ngrams": list(learned.NGRAM_SIZES)},
        "cues": {**_figures(cue_report), "auc": round(cue_auc, 3)},
        "cv": {**_figures(blended), "auc": round(auc, 3)},
        "seconds": round(time.monotonic() - started, 1),
    }
    if held:
        result["held_out"] = {"prefix": args.hold_out, "n": len(held), **_figures(held_report)}
    print(json.dumps(result, ensure_ascii=False))
    if args.per_label:
        for name in ("demands", "threats", "customer_types"):
            for score in blended.field(name).labels:
                print(f"  {name:15} {score.label:18} tp={score.tp:3} fp={score.fp:3} fn={score.fn:3} f1={score.f1:.3f}")
    if args.confusion:
        print(confusion(tune, lambda text: readings[text].category.label))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    if args.misses:
        with args.misses.open("w", encoding="utf-8") as out:
            by_text = {r["text"][:80]: r for r in tune}
            for d in blended.disagreements:
                rec = by_text.get(d.text, {})
                out.write(json.dumps({"id": rec.get("id"), "field": d.field, "expected": d.expected, "got": d.got,
                                      "text": rec.get("text", d.text)}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
