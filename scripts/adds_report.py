"""The learned layer's adds — a multi-label head's label with no cue span — right and wrong, per head and
label (issue 19, Session 18).

Files are passed explicitly (never a glob of the tune folder: a held-out file is never read by accident);
``--dev`` and ``--check`` name the two groups. Counts only: no item is printed. For every label whose dev adds
are wrong more often than right (precision < 0.5 with at least ``MIN_ADDS`` adds) the report proposes the lowest
add threshold of ``GRID`` above the model's at which the dev adds reach precision 0.5, or never (inf) — the rule of
docs/analysis.md, "Session 18: the model's adds". ``--fields`` prints every field's figure per file, so that a
change to the thresholds can be checked to move nothing else.

    PYTHONPATH=src .venv/bin/python scripts/adds_report.py --dev F.jsonl … --check F.jsonl … [--fields] [--json out] [--model M.npz]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, learned
from complaintdesk.analysis.model import Analysis

HEADS = ("demands", "threats", "customer_types", "company_faults")
MIN_ADDS = 5
# Thresholds a raised label may take: training's grid above 0.5 (``training._ADD_AT``) and a finer top end;
# a fixed grid, not the probability of one add, so the threshold is not fitted to a single dev complaint.
GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)


@dataclass(frozen=True, slots=True)
class Add:
    file: str
    head: str
    label: str
    p: float
    right: bool


def _labels(analysis: Analysis, head: str) -> list[tuple[str, float | None]]:
    items = getattr(analysis, head)
    return [(item.type if head == "customer_types" else item.kind, item.model) for item in items]


def read(path: Path) -> tuple[list[Add], dict[str, Any]]:
    """The adds of one file and every field's figure on it (micro counts per multi head, hits per single one)."""
    adds: list[Add] = []
    counts: dict[str, dict[str, int]] = {h: {"tp": 0, "fp": 0, "fn": 0} for h in HEADS}
    counts.update({"emotion": {"hit": 0, "n": 0}, "category": {"hit": 0, "n": 0}})
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        expect = record.get("expect", {})
        today = date.fromisoformat(record["today"]) if record.get("today") else None
        a = analyze(record["text"], today)
        for head in HEADS:
            if head not in expect:
                continue
            gold = set(expect[head])
            got = _labels(a, head)
            for label, model in got:
                if model is not None:
                    adds.append(Add(path.name, head, label, float(model), label in gold))
            have = {label for label, _ in got}
            counts[head]["tp"] += len(have & gold)
            counts[head]["fp"] += len(have - gold)
            counts[head]["fn"] += len(gold - have)
        for single, got_label in (("emotion", a.emotion.label), ("category", a.category.label)):
            if single in expect:
                value = expect[single]
                gold_label = value["label"] if isinstance(value, dict) else value
                counts[single]["hit"] += got_label == gold_label
                counts[single]["n"] += 1
    return adds, counts


def figure(c: dict[str, int]) -> float:
    """Micro-F1 of a multi head's counts, accuracy of a single one's."""
    if "n" in c:
        return round(c["hit"] / c["n"], 3) if c["n"] else 0.0
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0


def tally(adds: Iterable[Add]) -> dict[tuple[str, str], tuple[int, int]]:
    """(head, label) → (right, wrong)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for add in adds:
        right, wrong = out.get((add.head, add.label), (0, 0))
        out[(add.head, add.label)] = (right + add.right, wrong + (not add.right))
    return out


def proposed(adds: Sequence[Add], current: float) -> float | None:
    """The rule: None when the label's adds are right at least half the time or too few to judge; otherwise
    the lowest threshold of ``GRID`` above ``current`` at which the adds left reach precision 0.5 (and are at
    least one), or inf."""
    right = sum(a.right for a in adds)
    if len(adds) < MIN_ADDS or right / len(adds) >= 0.5:
        return None
    for t in GRID:
        if t <= current:
            continue
        kept = [a for a in adds if a.p >= t]
        if kept and sum(a.right for a in kept) / len(kept) >= 0.5:
            return t
    return math.inf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", nargs="+", type=Path, default=[], help="development files (the rule reads these)")
    parser.add_argument("--check", nargs="+", type=Path, default=[], help="check files (counts only)")
    parser.add_argument("--fields", action="store_true", help="every field's figure per file")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--model", type=Path, help="a model file to read with (default: the shipped one)")
    args = parser.parse_args()
    if args.model is not None:
        learned.use(args.model)
    model = learned.active()
    heads = model.heads if model is not None else {}
    groups: dict[str, list[Add]] = {"dev": [], "check": []}
    per_file: dict[str, dict[str, float]] = {}
    for group, paths in (("dev", args.dev), ("check", args.check)):
        for path in paths:
            adds, counts = read(path)
            groups[group].extend(adds)
            per_file[path.name] = {field: figure(c) for field, c in counts.items()}
    out: dict[str, Any] = {"per_file": per_file, "labels": {}}
    print(f"{'head':15} {'label':18} {'add_at':>6}  dev right/wrong  check right/wrong  proposed")
    dev, check = tally(groups["dev"]), tally(groups["check"])
    for head in HEADS:
        h = heads.get(head)
        for label in h.labels if h is not None else ():
            current = h.add_at_by_label[label]
            d, c = dev.get((head, label), (0, 0)), check.get((head, label), (0, 0))
            rule = proposed([a for a in groups["dev"] if (a.head, a.label) == (head, label)], current)
            out["labels"][f"{head}.{label}"] = {"add_at": current, "dev": d, "check": c, "proposed": rule}
            if d == (0, 0) and c == (0, 0):
                continue
            print(f"{head:15} {label:18} {current:6.2f}  {d[0]:5} / {d[1]:<5}    {c[0]:5} / {c[1]:<5}     "
                  f"{'' if rule is None else rule}")
    if args.fields:
        for name, figures in per_file.items():
            print(f"{name:22} " + "  ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
