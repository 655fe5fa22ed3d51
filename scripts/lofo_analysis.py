"""Leave-one-FILE-out figures of the analysis engine on the real tune corpus (issue 19, session 16).

Random folds over the tune corpus have over-estimated customer types for several sessions (CV about 0.59
against the frozen split's 0.43): complaints of one file share a writer, a week of pages and a labelling
habit, so a random fold leaves their twins in training. Here each tune FILE is read by a model trained on
the other files (plus the reviews and the team dev set, as the shipped model is): the nearest the tune
corpus comes to new material written later by someone else. The frozen test split is never read.

    PYTHONPATH=src .venv/bin/python scripts/lofo_analysis.py --leave h,i,j,k [--train-from a-g] [--c 10]
        [--head-c emotion=4] [--head-from emotion=a-g] [--heads emotion,customer_types]
        [--patch customer_types.veto=0] [--extra l=path/to/corpus_tune_l.jsonl] [--model path.npz]
        [--heads category --base src/complaintdesk/analysis/data/learned_model.npz]

``--train-from a-g`` is the shipped configuration (the shipped model saw tune files a–g only); without it
every other file trains. ``--patch`` changes the blend of the trained models at reading time (no retraining:
the fold models are cached in ``--cache``), so thresholds are compared on the same fold models.
``--extra l=PATH`` reads a file that never trains (a fresh file); ``--model`` reads the left-out files with
one fixed model file instead of training (e.g. the shipped one). ``--base`` with ``--heads``: the heads
trained put in place of the base model's (each on a vocabulary of its own, ``training.onto``), every other
head the base's bit for bit — a head retrained alone, as ``complaintdesk train analysis --heads`` builds it.
Only the tune files ``a``–``m`` are ever read: ``n`` (held out since session 17) and any later file are not
loaded at all (``corpus.tune_complaints(TUNE_FILES)``), only through ``--extra``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from complaintdesk.analysis import analyze, corpus, learned, training
from complaintdesk.analysis.evaluate import evaluate
from complaintdesk.analysis.model import Analysis

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("emotion", "category", "customer_types", "demands", "threats", "company_faults")
TUNE_FILES = "abcdefghijklm"  # never n (held out) nor a later file


def file_of(record: dict[str, Any]) -> str:
    """The tune file a record comes from, by its id (ta-0001 … tk-0080)."""
    ident = str(record.get("id", ""))
    return ident[1] if len(ident) > 2 and ident[0] == "t" and ident[2] == "-" else "?"


def letters(spec: str) -> set[str]:
    """``a-g`` or ``a,b,h`` or ``a-g,k`` → the set of file letters."""
    out: set[str] = set()
    for part in filter(None, spec.split(",")):
        if "-" in part:
            low, high = part.split("-")
            out |= {c for c in TUNE_FILES if low <= c <= high}
        else:
            out.add(part)
    return out


def _today(record: dict[str, Any]) -> date | None:
    return date.fromisoformat(record["today"]) if record.get("today") else None


def figures(records: Sequence[dict[str, Any]], read: Callable[[str, date | None], Analysis]) -> dict[str, Any]:
    report = evaluate(list(records), read)
    out: dict[str, Any] = {"n": len(records)}
    for name in FIELDS:
        try:
            f = report.field(name)
        except KeyError:
            continue
        if f.kind == "single":
            out[name] = round(f.accuracy or 0.0, 3)
        else:
            m = f.micro
            out[name] = round(m.f1, 3)
            out[f"{name}_pr"] = (round(m.precision, 2), round(m.recall, 2))
            out[f"{name}_counts"] = (m.tp, m.fp, m.fn)  # pooled figures compare unrounded
    return out


def cue_examples(records: list[dict[str, Any]], cache: Path) -> list[training.Example]:
    """The cue scan's reading of every record (learned layer off), cached by the texts and the cue files."""
    from complaintdesk.analysis import lexicon

    key = hashlib.sha1()
    for r in records:
        key.update(json.dumps(r, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    data = Path(lexicon.__file__).parent / "data"
    for path in sorted(data.glob("*.yaml")):
        key.update(path.read_bytes())
    path = cache / f"cues-{key.hexdigest()[:16]}.pkl"
    if path.is_file():
        loaded: list[training.Example] = pickle.loads(path.read_bytes())
        return loaded
    learned.disable()
    out = training.examples(records, analyze)
    path.write_bytes(pickle.dumps(out))
    return out


def restrict(examples: list[training.Example], heads: set[str] | None) -> list[training.Example]:
    if not heads:
        return examples
    return [training.Example(e.text, {k: v for k, v in e.gold.items() if k in heads}, e.cues) for e in examples]


def patched(source: Path, patches: Sequence[str], folder: Path) -> Path:
    """``source`` with blend parameters changed: ``head.veto=x`` / ``head.add=x`` (all labels),
    ``head.veto=label:x`` / ``head.add=label:x`` (one label), ``head.alpha=x``, ``head.beta=x``,
    ``head.stands=x`` (single heads' cue_stands_at), ``head.drop`` (the head removed: cues alone)."""
    if not patches:
        return source
    with np.load(source, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    for patch in patches:
        target, _, value = patch.partition("=")
        head, _, param = target.partition(".")
        if param == "drop":
            for k in [k for k in arrays if k.startswith(f"{head}__")]:
                del arrays[k]
            continue
        labels = [str(x) for x in arrays[f"{head}__labels"]]
        label, _, number = value.rpartition(":")
        x = float(number)
        if param in ("alpha", "beta"):
            arrays[f"{head}__add_at"][0 if param == "alpha" else 1] = x
        elif param == "stands":
            arrays[f"{head}__veto_below"][0] = x
        else:
            name = {"veto": "veto_below", "add": "add_at"}[param]
            column = arrays[f"{head}__{name}"]
            if label:
                column[labels.index(label)] = x
            else:
                column[:] = x
    digest = hashlib.sha1((str(source) + "|".join(patches)).encode()).hexdigest()[:12]
    out = folder / f"patched-{digest}.npz"
    with out.open("wb") as handle:
        np.savez_compressed(handle, **arrays)
    return out


def configure(args: argparse.Namespace) -> str:
    """Apply the training recipe; returns its cache key."""
    if args.c is not None:
        training.C = args.c
    for spec in args.head_c or []:
        head, _, value = spec.partition("=")
        training.HEAD_C[head] = float(value)
    if args.class_weight == "none":
        training.CLASS_WEIGHT = None
    base = hashlib.sha1(args.base.read_bytes()).hexdigest()[:16] if args.base else None
    return json.dumps({"c": training.C, "head_c": training.HEAD_C, "cw": args.class_weight, "from": args.train_from,
                       "head_from": sorted(args.head_from or []), "heads": args.heads, "dev": not args.no_dev,
                       "base": base}, sort_keys=True)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leave", default="a-k", help="the files left out one at a time (default a-k)")
    parser.add_argument("--train-from", help="only these files ever train (the shipped model: a-g)")
    parser.add_argument("--head-from", action="append", help="head=files: that head trains on these files only")
    parser.add_argument("--heads", help="train only these heads (the others read by cues alone)")
    parser.add_argument("--c", type=float)
    parser.add_argument("--head-c", action="append", help="head=C for that head only")
    parser.add_argument("--class-weight", choices=("balanced", "none"), default="balanced")
    parser.add_argument("--no-dev", action="store_true")
    parser.add_argument("--patch", action="append", default=[], help="blend change at reading time (see patched)")
    parser.add_argument("--extra", action="append", default=[], help="name=PATH: a file that never trains, left out too")
    parser.add_argument("--model", type=Path, help="read every left-out file with this model (no training)")
    parser.add_argument("--base", type=Path, help="with --heads: the trained heads go into this model, the others kept")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lofo-cache")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    recipe = configure(args)
    if args.base and not args.heads:
        parser.error("--base needs --heads")
    tune = corpus.tune_complaints(list(TUNE_FILES))
    extra: dict[str, list[dict[str, Any]]] = {}
    for spec in args.extra:
        name, _, path = spec.partition("=")
        extra[name] = [json.loads(x) for x in Path(path).read_text("utf-8").splitlines() if x.strip()]
    reviews = corpus.tune_reviews()
    dev = [] if args.no_dev else [json.loads(x) for x in (ROOT / "eval/analysis_dev.jsonl").read_text("utf-8").splitlines() if x.strip()]
    heads = set(args.heads.split(",")) if args.heads else None
    ex_tune = restrict(cue_examples(tune, args.cache), heads)
    ex_always = restrict(cue_examples([*reviews, *dev], args.cache), heads)
    print(f"cue readings at {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    pool = letters(args.train_from) if args.train_from else set(TUNE_FILES)
    head_from = {h: letters(spec) for h, _, spec in (s.partition("=") for s in args.head_from or [])}
    units = sorted(letters(args.leave) & set(TUNE_FILES)) + list(extra)
    readings: dict[str, Analysis] = {}
    per_file: dict[str, Any] = {}
    for unit in units:
        held = extra.get(unit) or [r for r in tune if file_of(r) == unit]
        if args.model is not None:
            path = args.model
        else:
            trains = "".join(sorted(pool - {unit}))  # the files that train this unit's model: its cache key
            path = args.cache / f"model-{hashlib.sha1((recipe + trains).encode()).hexdigest()[:16]}.npz"
            if not path.is_file():
                chosen = []
                for e, r in zip(ex_tune, tune, strict=True):
                    f = file_of(r)
                    if f == unit or f not in pool:
                        continue
                    gold = {k: v for k, v in e.gold.items() if k not in head_from or f in head_from[k]}
                    chosen.append(training.Example(e.text, gold, e.cues))
                vocab, trained, report = training.train([*chosen, *ex_always])
                meta = training.meta_of(report)
                if args.base:
                    vocab, trained, meta = training.onto(learned.read(args.base, str(args.base)), vocab, trained, report)
                learned.save(path, vocab, trained, meta)
        learned.use(patched(path, args.patch, args.cache))
        for r in held:
            readings[r["text"]] = analyze(r["text"], _today(r))
        per_file[unit] = figures(held, lambda text, today: readings[text])
        print(f"{unit}: {json.dumps(per_file[unit], ensure_ascii=False)} at {time.monotonic() - started:.0f}s",
              file=sys.stderr, flush=True)
    learned.disable()
    left = [r for u in units for r in (extra.get(u) or [r for r in tune if file_of(r) == u])]
    result: dict[str, Any] = {"recipe": json.loads(recipe), "patch": args.patch, "model": str(args.model or ""),
                              "pooled": figures(left, lambda text, today: readings[text]), "files": per_file}
    late = [r for r in left if file_of(r) in "hijklm"]  # the files the shipped model never trained on
    if late and len(late) < len(left):
        result["pooled_h_m"] = figures(late, lambda text, today: readings[text])
    print(json.dumps(result, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
